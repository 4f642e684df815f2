"""Who may apply (forsøksloven § 2) and who approves (issue 13): typed applicant kinds, the King in
Council for central state administration, and a private applicant answered by § 2."""

from __future__ import annotations

import pytest
from support.checking import check, dsl_request

from regelsjekk.check.verdict import ConditionStatus, ReasonKind, Verdict
from regelsjekk.core.model import ApplicantKind
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.request.load import load_request_text

FL_SCOPE = "lov/1992-06-26-87/§2"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def _request(applicant: str, citation: str = "kommuneloven § 19-1"):
    return dsl_request(citation, applicant)


@pytest.mark.parametrize(("applicant", "kind"), [
    ("Eksempel AS (privat)", ApplicantKind.PRIVAT),
    ("Eksempel AS", ApplicantKind.PRIVAT),                    # inferred from the name
    ("Stiftelsen Eksempel (stiftelse)", ApplicantKind.PRIVAT),
    ("Statsforvalteren i Eksempel (statlig regionalt organ)", ApplicantKind.STATLIG_REGIONAL),
    ("Helsedirektoratet", ApplicantKind.STATLIG_SENTRAL),       # inferred from the name
    ("Eksempeldepartementet (departement)", ApplicantKind.STATLIG_SENTRAL),
    ("Statens vegvesen (statlig organ)", ApplicantKind.STATLIG_ORGAN),
    ("Grong kommune", ApplicantKind.KOMMUNE),
    ("Statsforvalteren i Eksempel", ApplicantKind.STATLIG_REGIONAL),  # inferred from the name
    ("Helsedirektoratet (statlig)", ApplicantKind.STATLIG_ORGAN),  # as written; the checker refines
])
def test_applicant_kinds_are_read(applicant, kind):
    assert _request(applicant).sokere[0].type == kind


def test_a_private_applicant_gets_ikke_hjemmel_citing_section_2(kb):
    report = check(_request("Eksempel AS (privat)"), kb)
    assert report.verdict == Verdict.IKKE_HJEMMEL
    assert "§ 2" in report.summary and "Eksempel AS" in report.summary
    [ex] = report.exemptions
    assert ex.verdict == Verdict.IKKE_HJEMMEL
    assert any(r.kind == ReasonKind.BEGRENSNING and FL_SCOPE in r.cites for r in ex.reasons)
    scope = next(c for c in report.conditions if c.id == "virkeomrade")
    assert scope.status == ConditionStatus.IKKE_OPPFYLT
    assert not [a for a in report.approvers if a.under_forsoksloven]


@pytest.mark.parametrize(("applicant", "approver"), [
    ("Grong kommune", "Kommunal- og distriktsdepartementet"),
    ("Statsforvalteren i Eksempel (statlig regionalt organ)",
     "Digitaliserings- og forvaltningsdepartementet"),
    ("Helsedirektoratet (statlig sentralt organ)", "Kongen i statsråd"),
])
def test_public_applicants_pass_section_2_and_name_their_approver(kb, applicant, approver):
    report = check(_request(applicant, "kommuneloven § 5-4"), kb)
    scope = next(c for c in report.conditions if c.id == "virkeomrade")
    assert scope.status == ConditionStatus.OPPFYLT
    assert [a.name for a in report.approvers if a.under_forsoksloven] == [approver]


@pytest.mark.parametrize(("name", "level"), [
    ("Helsedirektoratet", ApplicantKind.STATLIG_SENTRAL),
    ("Kommunal- og distriktsdepartementet", ApplicantKind.STATLIG_SENTRAL),
    ("Statsforvalteren i Vestland", ApplicantKind.STATLIG_REGIONAL),
    ("statsforvaltaren i Vestland", ApplicantKind.STATLIG_REGIONAL),  # nynorsk, any case
    ("Fylkesmannen i Troms", ApplicantKind.STATLIG_REGIONAL),
    ("Statsforvalterens fellestjeneste", None),  # not «Statsforvalteren i …»
    ("Statens vegvesen", None),
    ("Direktoratets venner AS", None),
])
def test_a_state_bodys_level_is_read_from_its_name_only_where_it_shows(name, level):
    from regelsjekk.request.keywords import state_level

    assert state_level(name) == level


@pytest.mark.parametrize(("applicant", "approver", "kind_text"), [
    ("Helsedirektoratet (statlig organ)", "Kongen i statsråd", "statlig sentralt organ, ut fra navnet"),
    ("Statsforvalteren i Eksempel (statlig)", "Digitaliserings- og forvaltningsdepartementet",
     "statlig regionalt organ, ut fra navnet"),
])
def test_a_state_body_written_only_as_statlig_gets_the_approver_its_name_shows(kb, applicant, approver,
                                                                               kind_text):
    """A directorate is central state administration and a statsforvalter regional, whether or
    not the applicant wrote the level: one approver, with the name as the reason."""
    report = check(_request(applicant, "kommuneloven § 5-4"), kb)
    approvers = [a for a in report.approvers if a.under_forsoksloven]
    assert [a.name for a in approvers] == [approver]
    assert "det viser navnet" in approvers[0].why
    scope = next(c for c in report.conditions if c.id == "virkeomrade")
    assert kind_text in scope.detail and "regionalt/lokalt" not in scope.detail


def test_a_state_body_of_unknown_level_is_told_both_approvers(kb):
    report = check(_request("Statens vegvesen (statlig organ)", "kommuneloven § 5-4"), kb)
    names = [a.name for a in report.approvers if a.under_forsoksloven]
    assert names == ["Digitaliserings- og forvaltningsdepartementet", "Kongen i statsråd"]
    scope = next(c for c in report.conditions if c.id == "virkeomrade")
    assert "regionalt/lokalt" in scope.detail


def test_an_incomplete_application_never_gets_a_plain_ja(kb):
    """Issue 13: with conditions missing, the headline names them in every format and is not green."""
    from regelsjekk.report.render import render

    text = '''søknad "Nesten tom søknad"
  søker: Grong kommune (kommune)
  unntak kommuneloven § 19-1
    virkning: ingen
    erstatning: "Ny ordning."
slutt
'''
    report = check(load_request_text(text).requests[0], kb)
    assert report.verdict == Verdict.HJEMMEL
    assert {"Evaluering", "Høring", "Varighet"} <= set(report.missing)
    assert report.verdict_label.startswith("Hjemmel i forsøksloven – men søknaden mangler: ")
    assert "evaluering" in report.verdict_label
    assert "MEN SØKNADEN MANGLER" in render(report, "text")
    md = render(report, "md")
    assert "Hjemmel i forsøksloven – men søknaden mangler" in md.split("\n\n", 3)[1] + md[:400]
    html = render(report, "html")
    first = html.index('class="verdict ')
    assert "men søknaden mangler" in html and html[first:].startswith('class="verdict ma_vurderes"')
    assert '"missing"' in render(report, "json")
    # a complete application keeps the plain label
    from _checker_kit import ex, request

    complete = check(request(ex("kommuneloven § 19-1")), kb)
    assert complete.verdict == Verdict.HJEMMEL and not complete.missing
    assert complete.verdict_label == "Hjemmel i forsøksloven"


def test_what_current_law_already_allows_is_said_first(kb):
    """Issue 13: rules/dagens_regler.yaml — a route and a first next step, verdicts unchanged."""
    from pathlib import Path

    from regelsjekk.check.verdict import RouteKind
    from regelsjekk.request.load import load_request_file

    examples = Path(__file__).resolve().parent.parent / "examples"
    larvik = check(load_request_file(examples / "larvik-reguleringsendringer.forsok").requests[0], kb)
    [route] = [r for r in larvik.routes if r.kind == RouteKind.DAGENS_REGLER]
    assert route.provision == "lov/2008-06-27-71/§12-14" and route.exemptions == [1]
    assert larvik.routes[0] is route and larvik.next_steps[0].startswith("Undersøk først")
    assert larvik.verdict == Verdict.HJEMMEL  # the answer on the exemption stands
    # an appeal body instead of the statsforvalter is not a vertskommune arrangement
    klage = check(load_request_file(examples / "sosialhjelp-klagenemnd.forsok").requests[0], kb)
    assert not [r for r in klage.routes if r.kind == RouteKind.DAGENS_REGLER]


def test_historic_practice_is_cited_with_the_vedtekt(kb):
    """Issue 13: an approved trial that deviated from the provision (or from the kommuneloven 1992 §
    it replaced, via rules/tid.yaml) is named with its vedtekt and link."""
    from _checker_kit import ex, request

    from regelsjekk.report.render import render

    report = check(request(ex("kommuneloven § 5-8")), kb)
    [p] = report.exemptions[0].provisions
    practice = [r for r in p.reasons if r.text.startswith("Praksis:")]
    assert practice and "forskrift/1995-04-18-419" in practice[0].cites
    assert "lov/1992-09-25-107/§12" in practice[0].cites
    assert "kommuneloven 1992 § 12" in practice[0].text and "Oslo" in practice[0].text
    assert "https://lovdata.no/forskrift/1995-04-18-419" in render(report, "md")
    # a provision no approved trial touched gets no such note
    other = check(request(ex("kommuneloven § 19-1")), kb).exemptions[0].provisions[0]
    assert not [r for r in other.reasons if r.text.startswith("Praksis:")]


def test_an_unstated_effect_is_never_counted_as_chosen(kb):
    """Issue 13: «virkning» left out is read as «ingen» for the check, but the answer says the
    application lacks it, is at most «sannsynlig», and formatting does not write it in."""
    from regelsjekk.request.formatter import format_request
    from regelsjekk.request.load import load_request_text

    text = '''søknad "Uten effekt"
  søker: Grong kommune (kommune)
  unntak kommuneloven § 19-1
    erstatning: "Ny ordning."
slutt
'''
    request = load_request_text(text).requests[0]
    assert request.unntak[0].virkning_oppgitt is False
    assert "virkning:" not in format_request(request)
    report = check(request, kb)
    assert "Virkning for enkeltpersoner (unntak 1)" in report.missing
    assert report.exemptions[0].certainty.value == "sannsynlig"
    assert any("lov/1992-06-26-87/§4/ledd/2" in r.cites for r in report.exemptions[0].reasons)
    stated = load_request_text(text.replace('    erstatning', '    virkning: ingen\n    erstatning'))
    assert stated.requests[0].unntak[0].virkning_oppgitt is True
    json_form = load_request_text('{"tittel": "J", "sokere": [{"navn": "Grong kommune", '
                                  '"type": "kommune"}], "unntak": [{"bestemmelser": '
                                  '["kommuneloven § 19-1"]}]}', "a.json")
    assert json_form.requests[0].unntak[0].virkning_oppgitt is False


def test_a_state_body_is_not_told_to_have_a_council_adopt_the_forskrift(kb):
    """A state body has no kommunestyre or fylkesting: its next step sends the draft to the
    approver (red-team case b01); a kommune's still names the council."""
    state = check(_request("Statsforvalteren i Eksempel (statlig regionalt organ)", "kommuneloven § 5-4"), kb)
    step = next(s for s in state.next_steps if s.startswith("Lag utkast til"))
    assert "kommunestyret" not in step and "fylkestinget" not in step
    assert "Digitaliserings- og forvaltningsdepartementet" in step
    kommune = check(_request("Grong kommune", "kommuneloven § 5-4"), kb)
    assert any("kommunestyret/fylkestinget" in s for s in kommune.next_steps)


def _unit_request(applicants: str, words: str):  # noqa: ANN202 - a Request
    """A request to join fylkeskommune and statsforvalter, in the words given."""
    return load_request_text(f'''søknad "Forsøk i Vestland"
  søker: {applicants}
  formål: "Fylkeskommunen og statsforvalteren: {words}."
  unntak kommuneloven § 13-1 første ledd
    virkning: ingen
    erstatning: "Én felles leder for begge."
slutt
''').requests[0]


@pytest.mark.parametrize(("applicants", "words", "expected"), [
    ("Vestland fylkeskommune (fylkeskommune), Statsforvalteren i Vestland",
     "ett regionalt organ med felles administrativ ledelse", Verdict.HJEMMEL),
    ("Vestland fylkeskommune (fylkeskommune), Statsforvalteren i Vestland",
     "tettere samarbeid", Verdict.IKKE_HJEMMEL),  # not what § 3 d means
    ("Grong kommune (kommune), Statsforvalteren i Trøndelag",
     "ett regionalt organ med felles administrativ ledelse", Verdict.IKKE_HJEMMEL),  # no fylkeskommune
])
def test_an_enhetsfylke_trial_is_not_stopped_by_section_4_a(kb, applicants, words, expected):
    """forsøksloven § 3 første ledd d: enhetsfylke «uten hinder av § 4 første ledd bokstav a»
    (red-team round 2, k06: it was «Ikke hjemmel (sikker) … kan bare endres ved lovendring»,
    since no provision could carry the enhetsfylke tag)."""
    report = check(_unit_request(applicants, words), kb)
    if expected == Verdict.IKKE_HJEMMEL:
        # § 4 a stands against it; practice (Bergen and Audnedal/Marnardal set the 1992 law's
        # administrasjonssjef rules aside) makes that «må vurderes», likely «ikke hjemmel»
        provision = report.exemptions[0].provisions[0]
        assert (provision.verdict, provision.likely) == (Verdict.MA_VURDERES, Verdict.IKKE_HJEMMEL)
        return
    assert report.exemptions[0].verdict == expected
    if expected == Verdict.HJEMMEL:
        grounds = [r for p in report.exemptions[0].provisions for r in p.reasons
                   if r.kind == ReasonKind.GRUNNLAG]
        assert any("lov/1992-06-26-87/§3/ledd/1/bokstav/d" in r.cites for r in grounds)
        # read from the request's words: never «sikker»
        assert report.exemptions[0].certainty.value == "sannsynlig"


def test_a_municipal_trial_with_a_state_body_names_both_approvers(kb):
    """An enhetsfylke (fylkeskommune and statsforvalter): the delegation gives KDD trials that
    involve the municipal sector and DFD trials in regional state administration. The report
    named KDD alone (red-team note); it names both and says the split is to be settled."""
    report = check(_unit_request("Vestland fylkeskommune (fylkeskommune), Statsforvalteren i "
                                 "Vestland", "ett regionalt organ med felles administrativ ledelse"),
                   kb)
    named = [a for a in report.approvers if a.under_forsoksloven]
    assert [a.short for a in named] == ["KDD", "DFD"]
    assert "avklar det med departementene" in named[1].why and "Statsforvalteren i Vestland" in named[1].why
    assert "(og Digitaliserings- og forvaltningsdepartementet for den statlige delen)" in report.summary
    approval = next(x for x in report.conditions if x.id == "godkjenning")
    assert "KDD og DFD" in approval.detail
    # a kommune alone: KDD only, as before
    alone = check(_request("Grong kommune", "kommuneloven § 5-4"), kb)
    assert len([a for a in alone.approvers if a.under_forsoksloven]) == 1


def test_section_4_a_against_practice_is_for_a_lawyer_not_a_firm_no(kb):
    """Direct election of the ordfører: § 4 første ledd a stands against a deviation from
    kommuneloven § 6-1, but Vestnes, Gjemnes, Fitjar and Lyngen had such trials approved in 1999
    (rules/praksis.yaml), and so did the 2007 trials under forsøksloven § 5. The answer was
    «Ikke hjemmel» with «Forsøk er ikke en farbar vei»; where practice and § 4 a pull apart it
    is «må vurderes» (shared/domain), likely «ikke hjemmel», with the precedents named."""
    report = check(load_request_text('''søknad "Direkte valg av ordfører"
  søker: Grong kommune (kommune)
  formål: "Innbyggerne skal velge ordføreren direkte ved kommunevalget."
  unntak kommuneloven § 6-1
    virkning: ingen
    erstatning: "Ordføreren velges ved direkte valg samtidig med kommunestyrevalget."
slutt
''').requests[0], kb)
    provision = report.exemptions[0].provisions[0]
    assert (provision.verdict, provision.likely) == (Verdict.MA_VURDERES, Verdict.IKKE_HJEMMEL)
    assert provision.certainty.value == "sannsynlig"
    assert sum("Praksis: " in r.text for r in provision.reasons) >= 4
    assert "praksis har godkjent forsøk med avvik fra den" in report.summary
    assert not any("ikke en farbar vei" in s for s in report.next_steps)
    # with a stated narrowing of rights, § 4 annet ledd decides: a firm «nei» stays
    narrowed = check(load_request_text('''søknad "x"
  søker: Grong kommune (kommune)
  unntak kommuneloven § 6-1
    virkning: innskrenker rettighet
    erstatning: "y"
slutt
''').requests[0], kb)
    assert narrowed.exemptions[0].provisions[0].verdict == Verdict.IKKE_HJEMMEL
