"""The request language: what a request file means (values, spans, variants, comments)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regelsjekk.request import keywords as kw
from regelsjekk.request.load import load_request_text, parse_requests
from regelsjekk.request.model import Aim, ApplicantKind, Effect
from regelsjekk.request.parser import GRAMMAR_PATH, lark_parser

GYLDIG = Path(__file__).parent / "fixtures" / "dsl" / "gyldig"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _one(text: str):
    result = parse_requests(text, "t.forsok")
    assert result.ok, result.render()
    (req,) = result.requests
    return req


def _minimal(*lines: str) -> str:
    return 'søknad "A"\n  søker: Grong kommune\n' + "".join(f"  {x}\n" for x in lines) + "slutt\n"


def test_the_issue_example_reads_as_an_application() -> None:
    result = parse_requests((GYLDIG / "indre-namdal.forsok").read_text(), "indre-namdal.forsok")
    assert result.ok and not result.warnings, result.render()
    (req,) = result.requests
    assert req.tittel == "Felles legevakt og helsetjeneste i Indre Namdal"
    assert [(a.navn, a.type) for a in req.sokere] == [
        ("Grong kommune", ApplicantKind.KOMMUNE), ("Lierne kommune", ApplicantKind.KOMMUNE)]
    assert req.formal == ("Kommunene vil samle legevakt og helsetjenester i et oppgavefellesskap "
                          "som kan treffe enkeltvedtak på vegne av begge.")
    assert req.mal == [Aim.ORGANISERING, Aim.TJENESTEYTING]
    assert req.periode is not None
    assert (req.periode.start, req.periode.varighet_ar, req.periode.forlengelse_ar) == (
        date(2025, 1, 1), 4.0, 2.0)
    assert (req.enheter, req.enheter_begrunnelse) == (4, "fire små nabokommuner som allerede samarbeider")
    assert req.evaluering == "Følgeevaluering ved NTNU, med delrapport etter to år"
    assert (req.reversibel, req.vedtak_kommunestyre, req.horing) == (True, True, True)
    first, second = req.unntak
    assert first.bestemmelser == ["kommuneloven § 19-1 annet ledd"]
    assert first.virkning is Effect.INGEN
    assert first.erstatning == "Oppgavefellesskapet kan treffe enkeltvedtak på områdene deltakerne avtaler."
    assert second.virkning is Effect.INNSKRENKER_RETTIGHET
    assert second.rettssikkerhet == ("Klage over vedtak går til en felles klagenemnd.\nNemnda har:\n"
                                     "  - ett medlem fra hver kommune\n"
                                     "  - en leder med juridisk embetseksamen")


def test_nynorsk_other_quotes_and_upper_case_mean_the_same() -> None:
    bm = _one((GYLDIG / "indre-namdal.forsok").read_text())
    nn = _one((GYLDIG / "indre-namdal-nynorsk.forsok").read_text())
    assert nn.model_dump() == bm.model_dump()


def test_spans_point_at_what_was_written() -> None:
    text = (GYLDIG / "indre-namdal.forsok").read_text()
    req = _one(text)
    lines = text.split("\n")

    def written(span) -> str:
        assert span.line == span.end_line
        return lines[span.line - 1][span.column - 1:span.end_column - 1]

    assert req.span.line == 2 and req.span.end_line == 26
    assert [written(a.span) for a in req.sokere] == ["Grong kommune", "Lierne kommune"]
    assert [written(s) for e in req.unntak for s in e.citation_spans] == [
        "kommuneloven § 19-1 annet ledd", "forvaltningsloven § 28"]
    assert written(req.field_spans["periode"]).startswith("periode: fra 2025-01-01")
    assert req.field_spans["formal"].line == 4 and req.field_spans["formal"].end_line == 5
    assert req.unntak[1].field_spans["rettssikkerhet"].end_line == 25
    assert req.periode.span.line == 7 and all(s.file == "t.forsok" for s in req.unntak[0].citation_spans)


def test_every_keyword_spelling_is_accepted_and_case_does_not_matter() -> None:
    lines = {
        "SOKER": "{} Grong kommune", "FORMAL": '{} "x"', "MAL": "{} demokrati",
        "PERIODE": "{} 4 år", "ENHETER": "{} 2", "EVALUERING": '{} "x"', "SAMARBEID": '{} "x"',
        "REVERSIBEL": "{} ja", "VEDTAK": "{} ja", "HORING": "{} nei", "MERKNAD": '{} "x"',
    }
    for keyword in kw.REQUEST_FIELDS:
        for spelling in keyword.spellings:
            for written in (spelling, spelling.upper(), spelling.capitalize()):
                line = lines[keyword.terminal].format(written + ":")
                body = line if keyword.terminal == "SOKER" else "søker: A kommune\n  " + line
                text = 'søknad "A"\n  ' + body + "\nslutt\n"
                assert parse_requests(text).ok, (written, parse_requests(text).render())
    for keyword in kw.EXEMPTION_FIELDS:
        for spelling in keyword.spellings:
            value = "ingen" if keyword.terminal == "VIRKNING" else '"x"'
            text = _minimal("unntak x", f"  {spelling.upper()}: {value}")
            assert parse_requests(text).ok, spelling


@pytest.mark.parametrize("word,expected", sorted(kw.EFFECT_WORDS.items()) + [
    ("UTVIDER  RETTIGHETER", Effect.UTVIDER_RETTIGHET), ("letter plikter", Effect.LETTER_PLIKT),
    ("innskrenkar rettar", Effect.INNSKRENKER_RETTIGHET), ("utvidar plikter", Effect.UTVIDER_PLIKT)])
def test_effect_words(word: str, expected: Effect) -> None:
    assert _one(_minimal("unntak x", f"  virkning: {word}")).unntak[0].virkning is expected


def test_aim_and_kind_words() -> None:
    for word, aim in kw.AIM_WORDS.items():
        assert _one(_minimal(f"mål: {word.upper()}")).mal == [aim]
    for word, kind in kw.KIND_WORDS.items():
        assert _one(f'søknad "A"\n  søker: X ({word})\nslutt\n').sokere[0].type is kind


def test_applicant_kind_shows_in_the_name() -> None:
    req = _one('søknad "A"\n  søker: Vestland fylkeskommune, Bergen kommune\n'
               '  søkere: "Statsforvalteren i Vestland" (statlig organ)\nslutt\n')
    assert [a.type for a in req.sokere] == [ApplicantKind.FYLKESKOMMUNE, ApplicantKind.KOMMUNE,
                                            ApplicantKind.STATLIG_ORGAN]


@pytest.mark.parametrize("written,start,years,extension,reform", [
    ("4 år", None, 4.0, None, None),
    ("i 18 måneder", None, 1.5, None, None),
    ("fra 2025-08-01 i 2,5 år", date(2025, 8, 1), 2.5, None, None),
    ("frå 1.8.2025 i 3 år, forlenging 6 mnd", date(2025, 8, 1), 3.0, 0.5, None),
    ('2026-01-01 i 4 år, reform "ny kommunelov"', date(2026, 1, 1), 4.0, None, "ny kommunelov"),
    ("fra 2026-01-01 i 4 år, reform Ny lov om statsforvaltere", date(2026, 1, 1), 4.0, None,
     "Ny lov om statsforvaltere"),
])
def test_period_forms(written: str, start, years, extension, reform) -> None:
    p = _one(_minimal(f"periode: {written}")).periode
    assert (p.start, p.varighet_ar, p.forlengelse_ar, p.reform) == (start, years, extension, reform)


def test_text_forms() -> None:
    req = _one(_minimal(
        r'formål: "sitat: \"x\" og skråstrek \\ og C:\temp"',
        "evaluering: «han sa \"ja\"»  # kommentar",
        "merknad: uten anførselstegn, # kommentar etter",
    ))
    assert req.formal == 'sitat: "x" og skråstrek \\ og C:\\temp'
    assert req.evaluering == 'han sa "ja"'
    assert req.merknad == "uten anførselstegn,"


def test_unquoted_text_continues_on_deeper_indented_lines() -> None:
    text = ('søknad "A"\n  søker: Grong kommune\n  formål: Kommunene vil prøve\n'
            '     et oppgavefellesskap\n\tmed vedtaksmyndighet\n  evaluering: NTNU\n'
            '  unntak x\n    erstatning: Fellesskapet\n      kan treffe vedtak\n'
            '    virkning: ingen\nslutt\n')
    req = _one(text)
    assert req.formal == "Kommunene vil prøve et oppgavefellesskap med vedtaksmyndighet"
    assert req.evaluering == "NTNU"
    assert req.unntak[0].erstatning == "Fellesskapet kan treffe vedtak"
    assert (req.field_spans["formal"].line, req.field_spans["formal"].end_line) == (3, 5)
    # a line at the field's own indentation is the next field, misspelt or not
    bad = text.replace("  evaluering: NTNU", "  evalueirng: NTNU")
    (err,) = parse_requests(bad).errors
    assert (err.code, err.line, err.hint) == ("ukjent_felt", 6, "mente du «evaluering»?")
    # an error on a continuation line is reported there, with the line as written
    bad = text.replace("\tmed vedtaksmyndighet", "\tmed vedtaksmyndighet\n  høring: kanskje")
    (err,) = parse_requests(bad).errors
    assert (err.code, err.line) == ("forventet_ja_nei", 6) and "\x1f" not in (err.context or "")


def test_text_may_start_on_the_line_after_its_field() -> None:
    req = _one('søknad "A"\n  søker: Grong kommune\n  formål:\n    Kommunene vil prøve\n'
               '    et oppgavefellesskap\n  evaluering:\n    "NTNU følger forsøket"\n'
               '    «i fire år»\n  merknad:\n    """\n    linje 1\n      linje 2\n    """\n'
               '  unntak x\n    virkning: ingen\n    erstatning:\n      Fellesskapet kan\n'
               '      treffe vedtak\nslutt\n')
    assert req.formal == "Kommunene vil prøve et oppgavefellesskap"
    assert req.evaluering == "NTNU følger forsøket i fire år"
    assert req.merknad == "linje 1\n  linje 2"
    assert req.unntak[0].erstatning == "Fellesskapet kan treffe vedtak"


def test_several_citations_colon_optional_and_quoted() -> None:
    req = _one(_minimal('unntak: kommuneloven §§ 5-1, 5-2; "pbl. § 12-14 (2)"; forvaltningsloven § 28'))
    assert req.unntak[0].bestemmelser == ["kommuneloven §§ 5-1, 5-2", "pbl. § 12-14 (2)",
                                          "forvaltningsloven § 28"]
    assert len(req.unntak[0].citation_spans) == 3


def test_many_requests_comments_crlf_and_bom() -> None:
    one = _minimal("unntak x", "  virkning: ingen")
    text = "\ufeff# topp\r\n\r\n" + one.replace("\n", "\r\n") + "# mellom\n\n" + one.replace('"A"', '"B"')
    result = parse_requests(text, keep_comments=True)
    assert result.ok and [r.tittel for r in result.requests] == ["A", "B"]
    assert [c.text for c in result.comments] == ["# topp", "# mellom"]
    assert result.requests[1].span.line == 10


def test_a_missing_virkning_is_a_warning_and_reads_as_ingen() -> None:
    result = parse_requests(_minimal("unntak kommuneloven § 19-1"))
    assert result.ok and result.requests[0].unntak[0].virkning is Effect.INGEN
    assert [w.code for w in result.warnings] == ["mangler_virkning"]


def test_json_and_language_are_told_apart_by_name_and_content() -> None:
    js = '{"tittel": "A", "sokere": [{"navn": "Grong kommune", "type": "kommune"}]}'
    assert load_request_text(js).ok
    assert load_request_text(js, "a.json").ok
    assert not load_request_text(js, "a.forsok").ok  # a .forsok file is always the language


def test_all_examples_parse_cleanly() -> None:
    paths = sorted(EXAMPLES.glob("*.forsok"))
    if not paths:
        pytest.skip("no examples yet")
    for path in paths:
        result = parse_requests(path.read_text(encoding="utf-8"), path.name)
        assert result.ok and result.requests, result.render()


def test_parser_is_built_once_and_its_cache_stays_out_of_the_source_tree() -> None:
    assert lark_parser() is lark_parser()
    source_dir = GRAMMAR_PATH.parent
    assert not [p for p in source_dir.iterdir() if p.suffix not in (".py", ".lark", ".pyc")
                and p.name != "__pycache__"]


def test_cache_file_goes_to_the_user_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from regelsjekk.request.parser import _cache_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = _cache_file("grammar")
    assert isinstance(path, str) and path.startswith(str(tmp_path / "regelsjekk"))
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/nowhere")
    assert _cache_file("grammar") is False


def test_grammar_keywords_match_the_keyword_table() -> None:
    """Every spelling the table lists (and so the hints suggest) is one the grammar accepts."""
    terminals = {t.name: t for t in lark_parser().terminals}
    for keyword in kw.ALL_KEYWORDS:
        pattern = terminals[keyword.terminal].pattern
        regex = re.compile(pattern.to_regexp(), re.IGNORECASE if "i" in pattern.flags else 0)
        for spelling in keyword.spellings:
            assert regex.fullmatch(spelling), (keyword.terminal, spelling)


_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.property
@given(_ANY_TEXT)
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_requests(text, "x.forsok")
    assert result.ok or all(e.message and e.code for e in result.errors)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.property
@given(st.data())
def test_damaged_requests_never_raise_and_always_say_where(data: st.DataObject) -> None:
    text = (GYLDIG / "indre-namdal.forsok").read_text()
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        insert = data.draw(st.sampled_from(["", '"', "«", '"""', "\n", "unntak", "slutt", ":", "(",
                                            "søknad", "#", "x", "  ", ";", "4", "\n  virkning:"]))
        text = text[:at] + insert + text[at + cut:]
    result = parse_requests(text, "x.forsok")
    for e in result.errors:
        assert e.code and e.message
        if e.code not in ("ingen_soknad", "for_mange_feil"):
            assert e.line is not None and e.column is not None, e
