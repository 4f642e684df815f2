"""`regelsjekk forslag`: text and JSON output, --antall, stdin and exit codes."""

from __future__ import annotations

import io
import json

import pytest

from regelsjekk import cli

IDEA = "Vi vil prøve vurdering uten karakterer på 8. trinn"


@pytest.fixture(autouse=True)
def _builtin_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    """No imported store: the built-in knowledge base answers (fast and the same everywhere)."""
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "ingen.sqlite"))


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forslag", IDEA, "--json", "--antall", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["beskrivelse"] == IDEA
    assert data["importert"] is False
    assert len(data["forslag"]) == 3
    first = data["forslag"][0]
    # the grading rule: opplæringsforskrifta § 9-3, made under opplæringslova § 2-3
    assert first["node_id"] in ("lov/2023-06-09-30/§2-3", "forskrift/2024-06-03-900/§9-3")
    assert first["citation"] in ("opplæringslova § 2-3", "opplæringsforskrifta § 9-3")
    for key in ("heading", "score", "matched", "concepts", "tags", "tag_labels", "reason", "url"):
        assert key in first


def test_text_output_lists_citation_tags_and_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forslag", *IDEA.split(), "-n", "2"]) == 0
    out = capsys.readouterr().out
    assert " 1. opplæringslova § 2-3" in out or " 1. opplæringsforskrifta § 9-3" in out
    assert "merking: " in out and "hvorfor: Treff på «" in out and "«karakterer»" in out
    assert " 3. " not in out
    assert "regelsjekk import" in out  # says that the built-in knowledge base answered


def test_description_from_stdin(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(IDEA + "\n"))
    assert cli.main(["forslag", "-", "--json", "-n", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["forslag"][0]["node_id"].endswith(("§2-3", "§9-3"))


def test_empty_description_is_an_input_error(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["forslag"]) == 2
    assert "Ingen beskrivelse" in capsys.readouterr().err


def test_nothing_found_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forslag", "xyzzy qwerty"]) == 2
    assert "Fant ingen bestemmelser" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["0", "abc", "1000"])
def test_bad_antall_is_a_usage_error(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["forslag", IDEA, "--antall", bad]) == 3
    err = capsys.readouterr().err
    assert "antall" in err
    assert "regelsjekk forslag: feil: --antall/-n: " in err and "error" not in err
    assert "Tips: se «regelsjekk forslag --help»." in err


def test_routes_come_beside_the_provisions(capsys) -> None:
    """Issue 14: the trial authority that could carry the idea, with why (coverage, purpose)."""
    code = cli.main(["forslag", "--json", "vi vil at elevane på 8. trinn skal sleppe karakterar og "
                 "heller få skriftlege tilbakemeldingar"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    routes = {r["provision"]: r for r in out["ruter"]}
    assert "lov/2023-06-09-30/§29-3" in routes
    first = out["ruter"][0]
    assert first["provision"] == "lov/2023-06-09-30/§29-3" and first["covers"]
    assert "omfatter" in first["reason"] and first["url"].startswith("https://lovdata.no/")
