"""Malformed request files: one fixture per message, each rendered exactly as a user sees it.

tests/fixtures/dsl/<code>[__variant].forsok|json holds the mistake; <same name>.expected holds
the rendered errors and warnings. A reviewer can read both without reading code. To accept new
output after a deliberate change: REGELSJEKK_UPDATE_FIXTURES=1 pytest tests/test_dsl_errors.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.checking import TODAY

from regelsjekk.batch.runner import check_text
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.request.errors import CODES, DslError
from regelsjekk.request.load import (
    check_citations,
    load_request_file,
    parse_requests,
    read_source,
)
from regelsjekk.request.parser import ParseResult

FIXTURES = Path(__file__).parent / "fixtures" / "dsl"
CASES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".forsok", ".json"))
UPDATE = os.environ.get("REGELSJEKK_UPDATE_FIXTURES") == "1"
# Codes that cannot have a file of their own (the file would have to be missing).
NO_FIXTURE = {"kan_ikke_lese"}


def _render(path: Path) -> tuple[str, list[DslError]]:
    """The file through the same path as `regelsjekk sjekk` (batch.check_text, built-in base)."""
    text, problem = read_source(path.name)
    if problem is not None:
        result = ParseResult(filename=path.name, errors=[problem])
    else:
        result = check_text(text or "", path.name, KnowledgeBase.builtin(), today=TODAY).result
    return result.render() + "\n", result.errors + result.warnings


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture_renders_as_expected(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    rendered, problems = _render(path)
    code = path.stem.split("__")[0]
    assert code in {p.code for p in problems}, rendered
    assert {p.code for p in problems} <= set(CODES), rendered
    for p in problems:  # every problem says where and what
        assert p.file == path.name and p.message
    expected = path.with_name(path.name + ".expected")
    if UPDATE:
        expected.write_text(rendered, encoding="utf-8")
    assert rendered == expected.read_text(encoding="utf-8")


def test_every_code_has_a_fixture() -> None:
    covered = {p.stem.split("__")[0] for p in CASES}
    assert set(CODES) - NO_FIXTURE <= covered, set(CODES) - NO_FIXTURE - covered
    assert covered <= set(CODES)


def test_unreadable_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    result = load_request_file(tmp_path / "finnes-ikke.forsok")
    assert [e.code for e in result.errors] == ["kan_ikke_lese"]
    assert "kan ikke lese filen" in result.render()
    (err,) = result.errors
    assert err.file == str(tmp_path / "finnes-ikke.forsok")
    assert err.message == "kan ikke lese filen: den finnes ikke" and err.hint  # not the OS's English


def test_all_errors_of_a_file_in_one_run() -> None:
    text = (FIXTURES / "ukjent_felt.forsok").read_text(encoding="utf-8")
    text = text.replace("slutt", "  periode: fra 2025-01-01 i 4\n  høring: kanskje\nslutt")
    text += "\n" + (FIXTURES / "ukjent_virkning.forsok").read_text(encoding="utf-8")
    text += "\n" + (FIXTURES / "ugyldig_dato.forsok").read_text(encoding="utf-8")
    result = parse_requests(text, "alle.forsok")
    assert [(e.code, e.line) for e in result.errors] == [
        ("ukjent_felt", 3), ("forventet_tidsenhet", 4), ("forventet_ja_nei", 5),
        ("ukjent_virkning", 11), ("ugyldig_dato", 16)]
    assert result.requests == []


def test_good_requests_survive_a_bad_neighbour() -> None:
    good = 'søknad "God"\n  søker: Grong kommune\n  unntak kommuneloven § 19-1\n    virkning: ingen\nslutt\n'
    bad = 'søknad "Dårlig"\n  søker: Grong kommune\n  formal: "x"\nslutt\n'
    result = parse_requests(good + bad + good.replace("God", "Også god"))
    assert [r.tittel for r in result.requests] == ["God", "Også god"]
    assert [(e.code, e.line) for e in result.errors] == [("ukjent_felt", 8)]


def test_missing_slutt_is_found_before_the_next_request() -> None:
    text = 'søknad "A"\n  søker: Grong kommune\n\nsøknad "B"\n  søker: Lierne kommune\nslutt\n'
    result = parse_requests(text)
    assert [(e.code, e.line) for e in result.errors] == [("mangler_slutt", 2)]
    assert [r.tittel for r in result.requests] == ["B"]


def test_misspelt_keywords_get_a_suggestion_from_the_keyword_list() -> None:
    cases = {"formal": "formål", "perode": "periode", "evaluring": "evaluering",
             "høyringg": "høyring", "rettssikkerheit": "rettssikkerhet", "verknd": "verknad"}
    for typo, meant in cases.items():
        line = f"    {typo}: ja" if typo in ("rettssikkerheit", "verknd") else f"  {typo}: ja"
        text = ('søknad "A"\n  søker: Grong kommune\n  unntak kommuneloven § 19-1\n'
                + line + "\nslutt\n")
        (err,) = parse_requests(text).errors
        assert err.code == "ukjent_felt" and err.hint == f"mente du «{meant}»?", (typo, err)


def test_effect_misspelling_suggests_the_bokmal_phrase() -> None:
    text = 'søknad "A"\n  søker: A kommune\n  unntak x\n    virkning: utvider retighet\nslutt\n'
    (err,) = parse_requests(text).errors
    assert err.code == "ukjent_virkning" and err.hint == "mente du «utvider rettighet»?"


def test_errors_are_found_in_every_field_position() -> None:
    """Named messages hold whether the field comes first or later, in a request or exemption."""
    lines = ["  søker: Grong kommune", "  mål: organisering", "  enheter: 2"]
    for k in range(len(lines) + 1):
        body = lines[:k] + ["  høring: kanskje"] + lines[k:]
        text = 'søknad "A"\n' + "\n".join(body) + "\nslutt\n"
        assert [e.code for e in parse_requests(text).errors] == ["forventet_ja_nei"], k
    for pre in ([], ["    erstatning: x"], ["    erstatning: x", "    begrunnelse: y"]):
        text = ('søknad "A"\n  søker: A kommune\n  unntak x\n' + "".join(p + "\n" for p in pre)
                + "    virkning: kanskje\nslutt\n")
        assert [e.code for e in parse_requests(text).errors] == ["ukjent_virkning"], pre


def test_citation_hook_points_at_the_citation_with_the_real_resolver() -> None:
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.refs import resolve_citation

    kb = KnowledgeBase.builtin()
    text = ('søknad "A"\n  søker: Grong kommune\n'
            '  unntak kommuneloven § 19-1; kommunelven § 19-2\n    virkning: ingen\nslutt\n')
    result = parse_requests(text, "a.forsok")
    errors = check_citations(result, lambda t, ctx: resolve_citation(t, kb, ctx, today=TODAY))
    assert len(errors) == 1
    (err,) = errors
    assert (err.code, err.line, err.column) == ("ukjent_bestemmelse", 3, 31)
    assert err.context and "^^^^^^^^^^^^^^^^^^" in err.context
    assert err.hint and "kommuneloven" in err.hint


@pytest.mark.parametrize("name", ["flertydig_bestemmelse.forsok", "ukjent_bestemmelse.forsok"])
def test_cli_reports_what_the_fixture_pins(name: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`regelsjekk sjekk FILE` prints exactly the fixture's errors and warnings (one path)."""
    from regelsjekk.cli import main

    monkeypatch.chdir(FIXTURES)
    main(["sjekk", name, "--format", "json"])
    err = capsys.readouterr().err
    expected = (FIXTURES / (name + ".expected")).read_text(encoding="utf-8")
    assert expected.strip() in err
