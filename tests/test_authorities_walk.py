"""No covered provision gets «annen hjemmel» unless the request meets that authority's scope and
limits (issue 13): a walk over every trial authority × every provision it covers × each effect."""

from __future__ import annotations

import pytest
from _checker_kit import ex, request
from support.checking import check

from regelsjekk.check.verdict import ReasonKind, Verdict
from regelsjekk.core.model import ApplicantKind, NodeKind
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import format_citation
from regelsjekk.request.model import Applicant, Effect

pytestmark = pytest.mark.slow

BLOCKED = {"ingen_innskrenking_rettigheter": Effect.INNSKRENKER_RETTIGHET,
           "ingen_utvidelse_plikter": Effect.UTVIDER_PLIKT}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def _covered_sections(kb: KnowledgeBase, covered: str) -> list[str]:
    node = kb.node(covered)
    if node is None:
        return []
    if node.kind == NodeKind.SECTION or "/§" in covered:
        return [covered]
    out, stack = [], [covered]
    while stack:
        for child in kb.children(stack.pop()):
            if child.kind == NodeKind.SECTION:
                out.append(child.id)
            elif child.kind in (NodeKind.CHAPTER, NodeKind.PART):
                stack.append(child.id)
    return out


def _applicants(auth) -> list[Applicant]:
    kind = auth.applicants[0] if auth.applicants else ApplicantKind.KOMMUNE
    return [Applicant(navn="Søkeren", type=kind)]


def _fitting_text(auth) -> str:
    """A purpose text that shows every purpose of the authority (first word of each group)."""
    return " ".join(g[0] for p in auth.purposes for g in p.keywords)


def test_every_authority_is_curated_for_scope_and_purpose(kb):
    for auth in kb.rulebook.trial_authorities():
        assert auth.applicants and auth.purposes, auth.id


def test_no_firm_annen_hjemmel_outside_an_authoritys_scope(kb):
    walked = 0
    for auth in kb.rulebook.trial_authorities():
        sections = [s for c in auth.covers for s in _covered_sections(kb, c)]
        assert sections, auth.id
        others = [k for k in ApplicantKind if k not in auth.applicants]
        for sid in sections:
            citation = format_citation(sid, kb)
            for effect in Effect:
                # 1. a request that does not show the authority's purpose
                report = check(request(ex(citation, virkning=effect), sokere=_applicants(auth),
                                       tittel="Prøve", formal="Prøve en ny ordning."), kb)
                verdicts = [p.verdict for e in report.exemptions for p in e.provisions]
                assert Verdict.ANNEN_HJEMMEL not in verdicts, (auth.id, sid, effect)
                walked += 1
            # 2. an applicant the authority does not cover: never this authority's route
            if others:
                report = check(request(ex(citation), sokere=[Applicant(navn="X", type=others[0])],
                                       formal=_fitting_text(auth)), kb)
                for e in report.exemptions:
                    for p in e.provisions:
                        assert auth.id not in p.routes, (auth.id, sid, others[0])
            # 3. the purpose shown, but the request goes the way a limit forbids
            for limit in auth.typed_limits:
                effect = BLOCKED.get(limit.kind.value)
                if effect is None:
                    continue
                report = check(request(ex(citation, virkning=effect), sokere=_applicants(auth),
                                       formal=_fitting_text(auth)), kb)
                verdicts = [p.verdict for e in report.exemptions for p in e.provisions]
                assert Verdict.ANNEN_HJEMMEL not in verdicts, (auth.id, sid, effect)
                # … and the limit itself is what the report cites
                assert any(r.kind == ReasonKind.BEGRENSNING and limit.source in r.cites
                           for e in report.exemptions for p in e.provisions for r in p.reasons), \
                    (auth.id, sid, effect)
    assert walked > 1000


def test_a_fitting_request_can_still_get_annen_hjemmel(kb):
    """The walk would pass trivially if nothing were ever «annen hjemmel»."""
    auth = next(a for a in kb.rulebook.trial_authorities() if a.id == "gravplassloven-29")
    report = check(request(ex("gravplassloven § 3"), formal=_fitting_text(auth)), kb)
    assert report.exemptions[0].verdict == Verdict.ANNEN_HJEMMEL


def test_the_request_language_can_state_who_cooperates(kb):
    """Issue 13: «samarbeid:» states what barnevernsloven § 15-13 asks for (who cooperates with
    the child welfare service, and how); without it the same request must be assessed."""
    from regelsjekk.request.formatter import format_request
    from regelsjekk.request.load import load_request_text

    base = ('søknad "Felles team for ungdom i risiko"\n  søker: Bodø kommune (kommune)\n'
            '  formål: "Bedre hjelp til ungdom"\n{extra}'
            '  unntak barnevernsloven § 15-13\n    virkning: ingen\n'
            '    erstatning: "Teamet deler opplysninger etter samtykke"\nslutt\n')
    stated = load_request_text(base.format(
        extra='  samarbeid: "Barnevernstjenesten og politiet samarbeider i et felles team"\n'))
    assert stated.errors == [] and stated.requests[0].samarbeid.startswith("Barnevernstjenesten")
    assert "samarbeid: " in format_request(stated.requests[0])
    silent = load_request_text(base.format(extra=""))
    assert check(stated.requests[0], kb).exemptions[0].verdict.value == "annen_hjemmel"
    assert check(silent.requests[0], kb).exemptions[0].verdict.value != "annen_hjemmel"


FL_4_1 = "lov/1992-06-26-87/§4/ledd/1"
RIGHTS_LIMITS = ("ingen_innskrenking_rettigheter", "avveining")


def test_a_sector_route_never_passes_a_protective_rule_on_the_stated_effect(kb):
    """A rule forsøksloven § 4 første ledd shields (rettssikkerhet, saksbehandling) set aside under
    an authority whose own limit protects rights: «ingen virkning» (or a lighter duty, a wider
    right) is the applicant's word, not a showing that the protection holds. Never a firm
    «annen hjemmel»; the limit is the question asked (red-team cases: a state appeal body, the
    appeal to Trygderetten, the complaint on a final grade)."""
    walked = 0
    for auth in kb.rulebook.trial_authorities():
        limits = [lim for lim in auth.typed_limits if lim.kind.value in RIGHTS_LIMITS]
        if not limits:
            continue
        for sid in [s for c in auth.covers for s in _covered_sections(kb, c)]:
            citation = format_citation(sid, kb)
            for effect in (Effect.INGEN, Effect.LETTER_PLIKT, Effect.UTVIDER_RETTIGHET):
                report = check(request(ex(citation, virkning=effect), sokere=_applicants(auth),
                                       formal=_fitting_text(auth)), kb)
                for p in (p for e in report.exemptions for p in e.provisions):
                    shielded = any(r.kind == ReasonKind.BEGRENSNING
                                   and any(c.startswith(FL_4_1) for c in r.cites) for r in p.reasons)
                    if not shielded:
                        continue
                    walked += 1
                    assert p.verdict != Verdict.ANNEN_HJEMMEL and p.likely != Verdict.ANNEN_HJEMMEL, \
                        (auth.id, sid, effect)
                    assert any(r.kind == ReasonKind.BETINGELSE and any(lim.source in r.cites for lim in limits)
                               for r in p.reasons), (auth.id, sid, effect)
    assert walked > 50, walked


@pytest.mark.parametrize(("text", "shown"), [
    ("Nav og skolen skal samarbeide. Barnevernstjenesten er ikke med i samarbeidet.", False),
    ("Et samarbeid uten barnevernet.", False),
    ("Verken barnevernstjenesten eller politiet deltar i samarbeidet.", False),
    ("Nav og skolen skal samarbeide med barnevernstjenesten.", True),
    ("Vi vil ikke vente lenger; barnevernstjenesten og skolen skal samarbeide.", True),
])
def test_a_purpose_word_the_request_denies_shows_nothing(kb, text, shown):
    from regelsjekk.check.authority import purpose_shown

    auth = next(a for a in kb.rulebook.trial_authorities() if a.id == "barnevernsloven-15-13")
    found = [purpose_shown(p, text.lower()) for p in auth.purposes]
    assert all(f is not None for f in found) is shown, found


def test_a_denied_purpose_gives_no_route_but_a_stated_one_does(kb):
    """The whole check: «Barnevernstjenesten er ikke med» is no barnevern cooperation."""
    base = ('søknad "Felles team for ungdom"\n  søker: Bodø kommune (kommune)\n'
            '  formål: "Nav og skolen skal samarbeide tettere. {who}"\n'
            '  unntak barnevernsloven § 15-13\n    virkning: ingen\n'
            '    erstatning: "Teamet deler opplysninger etter samtykke"\nslutt\n')
    from regelsjekk.request.load import load_request_text

    def verdict(who: str) -> str:
        return check(load_request_text(base.format(who=who)).requests[0], kb).exemptions[0].verdict.value

    assert verdict("Barnevernstjenesten samarbeider med dem.") == "annen_hjemmel"
    assert verdict("Barnevernstjenesten er ikke med i samarbeidet.") != "annen_hjemmel"


@pytest.mark.parametrize(("auth_id", "citation", "fits", "does_not_fit"), [
    # vegtrafikkloven § 6 femte ledd: only lower general speed limits
    ("vegtrafikkloven-6-5", "vegtrafikkloven § 6 femte ledd",
     "Lavere fartsgrense, 40 km/t, i sentrum.", "Høyere fartsgrense, 100 km/t i stedet for 80."),
    # motorferdselloven § 4a tredje ledd: catskiing from an alpine resort, not leisure trails
    ("motorferdselloven-4a-3", "motorferdselloven § 4a tredje ledd",
     "Catskiing med beltebil fra alpinanlegget.", "Snøscooterløyper for fritidskjøring."),
])
def test_a_next_step_names_a_sector_route_firmly_only_when_its_purpose_shows(
        kb, auth_id, citation, fits, does_not_fit):
    """Red-team cases: «Søk etter vegtrafikkloven § 6 femte ledd» for a higher limit, and the
    catskiing authority for snowmobile trails. A route whose purpose the request does not show is
    named with what it must show, never as the thing to apply for."""
    auth = next(a for a in kb.rulebook.trial_authorities() if a.id == auth_id)

    def steps(text: str) -> list[str]:
        report = check(request(ex(citation), formal=text, tittel="Forsøk"), kb)
        return [s for s in report.next_steps if auth.name.lower() in s.lower()]

    [firm] = steps(fits)
    assert firm.startswith(f"Søk etter {auth.name}")
    [conditional] = steps(does_not_fit)
    assert "bare hvis forsøket passer" in conditional and "Søknaden viser ikke det" in conditional
    assert auth.purposes[0].question.rstrip("?") in conditional


def test_an_unshown_sector_purpose_leaves_forsoksloven_as_the_likely_answer(kb):
    """forvaltningsloven § 13 (taushetsplikt) is closed by § 4 første ledd b; barnevernsloven
    § 15-13 opens it only for cooperation with the barnevern service. With no word of that, the
    likely answer is forsøksloven's «ikke hjemmel», not «sannsynlig annen forsøkshjemmel»
    (red-team cases a01, c06); with it, the sector route is the likely one (the duty § 13 puts on
    officials still asks for a word on the effect)."""
    silent = check(request(ex("forvaltningsloven § 13"), formal="Nav og skolen deler opplysninger."), kb)
    [p] = silent.exemptions[0].provisions
    assert p.verdict == Verdict.MA_VURDERES and p.likely == Verdict.IKKE_HJEMMEL
    assert "barnevernsloven-15-13" in p.routes  # still named, with the question to answer
    shown = check(request(ex("forvaltningsloven § 13"),
                          formal="Nav og skolen samarbeider med barnevernstjenesten."), kb)
    [q] = shown.exemptions[0].provisions
    assert Verdict.ANNEN_HJEMMEL in (q.verdict, q.likely)


def test_a_route_whose_limit_is_the_open_question_is_not_a_plain_next_step(kb):
    """Red-team round 2 (a05, a10, d06): after «Må vurderes» on the authority's own limit, «Søk
    etter …» was still the next step; it now names the limit as the question to answer first."""
    auth = next(a for a in kb.rulebook.trial_authorities() if a.id == "folketrygdloven-25-13")
    report = check(request(ex("folketrygdloven § 21-12", erstatning="Klagepanelet avgjør."),
                           formal=_fitting_text(auth)), kb)
    named = [s for s in report.next_steps if auth.name.lower() in s.lower()]
    assert named and not any(s.startswith("Søk etter") for s in named)
    assert "minst like godt vern" in named[0]
