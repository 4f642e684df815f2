"""Every malformed rules file gives an error that names its file, line and key.

Each fixture in tests/fixtures/rules/feil/ is one mistake a lawyer could make, with a header that
says where it goes in a rules folder and what the error must say (one fixture per validation
error, as in openfisca-core's parameter validation tests).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _rules_kit import FIXTURES, header

from regelsjekk.rules.rulebook import Rulebook, load_rulebook
from regelsjekk.rules.schema import RulesError

CASES = sorted((FIXTURES / "feil").glob("*.yaml"))


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(FIXTURES / "base", target)
    return target


def test_base_fixture_loads(rules_dir: Path) -> None:
    book = load_rulebook(rules_dir)
    assert len(book.assignments()) == 6


def test_there_is_a_fixture_per_error_kind() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_malformed_file_names_file_line_and_key(case: Path, rules_dir: Path) -> None:
    expect = header(case)
    target = rules_dir / expect["plassering"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(case, target)
    with pytest.raises(RulesError) as info:
        load_rulebook(rules_dir)
    err = info.value
    assert err.file == expect["plassering"]
    assert expect["melding"] in err.message
    if expect.get("linje"):
        assert err.line == int(expect["linje"])
    if expect.get("nøkkel"):
        assert err.key == expect["nøkkel"]
    text = str(err)
    assert text.startswith(f"{expect['plassering']}:")
    # lint collects the same error instead of stopping
    errors: list[RulesError] = []
    Rulebook(rules_dir.resolve(), errors)
    assert [e.file for e in errors] == [expect["plassering"]]
