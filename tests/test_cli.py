"""The command-line dispatcher and `regelsjekk regler`: exit codes and messages on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from regelsjekk.cli.main import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "indre-namdal-oppgavefellesskap.forsok"


def test_help_is_norwegian(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bruk: regelsjekk ")
    assert "argumenter:" in out and "valg:" in out and "vis denne hjelpen og avslutt" in out
    assert "usage" not in out and "show this help" not in out


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 3
    assert main(["regler"]) == 3


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "x.forsok", "--tull"]) == 3
    err = capsys.readouterr().err
    assert "regelsjekk: feil: ukjente argumenter: --tull" in err
    assert "Tips: se «regelsjekk --help»." in err


@pytest.mark.parametrize("command", [
    ["regler", "sjekk"], ["regler", "dekning"], ["slå-opp", "kl. § 19-1"],
    ["forslag", "felles legevakt for to kommuner"],
    ["sjekk", str(EXAMPLE)],
])
def test_an_unreadable_store_is_an_environment_error_with_a_hint(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "ødelagt.sqlite"
    store.write_bytes(b"ikke en database")
    assert main(["--db", str(store), *command]) == 3
    err = capsys.readouterr().err
    assert f"Kunne ikke åpne kunnskapsbasen: {store}" in err
    assert "Tips: " in err and "--db" in err


def test_rules_that_do_not_load_point_to_the_rules_lint(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tags.yaml").write_text("tagger: [ikke: en, gyldig: fil\n", encoding="utf-8")
    assert main(["--regler", str(rules), "slå-opp", "kl. § 19-1"]) == 3
    err = capsys.readouterr().err
    assert "Kunne ikke åpne kunnskapsbasen: " in err and "tags.yaml" in err
    assert "Tips: rett feilen i rules/" in err


def test_each_command_builds_only_its_own_parser() -> None:
    """COMMAND_OF (used to import only the command asked for) matches what the modules register."""
    from regelsjekk.cli.main import COMMAND_MODULES, COMMAND_OF, build_parser, command_module

    def names(parser) -> set[str]:  # noqa: ANN001
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        return set(sub.choices)

    assert names(build_parser()) == set(COMMAND_OF)
    for module in COMMAND_MODULES:
        assert names(build_parser(module)) == {c for c, m in COMMAND_OF.items() if m == module}
    assert command_module(["--db", "x.sqlite", "slå-opp", "kl. § 1"]) == "lookup"
    assert command_module(["--regler=r", "sjekk", "a.forsok"]) == "check"
    assert command_module(["--help"]) is None and command_module(["tull"]) is None
