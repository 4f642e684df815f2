"""`regelsjekk regler sjekk`, `dekning` and `skjema`: findings name file, line and key; exit codes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from _rules_kit import FIXTURES, REAL_RULES, TESTLOVEN, header, make_rules

from regelsjekk.cli.main import main
from regelsjekk.curation.lint import coverage, lint
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.rules.schema import RulesLoader, json_schemas

CASES = sorted((FIXTURES / "lint").glob("*.yaml"))
TODAY = date(2026, 6, 1)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return make_rules(tmp_path / "rules", complete=True)


def test_complete_base_is_clean(rules: Path) -> None:
    result = lint(rules, today=TODAY)
    assert result.errors == [], [str(f) for f in result.errors]
    # the only warning: the bokstav added from the curated file cannot be checked without import
    assert len(result.warnings) == 1, [str(w) for w in result.warnings]
    [warning] = result.warnings
    assert "listepunkter" in warning.message
    assert (warning.file, warning.line) == ("lover/testloven.yaml", 19)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_lint_finding(case: Path, rules: Path) -> None:
    expect = header(case)
    target = rules / expect["plassering"]
    shutil.copy(case, target)
    result = lint(rules, today=TODAY)
    matching = [f for f in result.findings if expect["melding"] in f.message]
    assert matching, [str(f) for f in result.findings]
    finding = matching[0]
    assert finding.file == expect["plassering"]
    assert finding.severity == expect["alvor"]
    assert finding.line == int(expect["linje"])
    assert str(finding).startswith(f"{expect['plassering']}:{expect['linje']}")


def test_stale_review_limit_is_configurable(rules: Path) -> None:
    shutil.copy(FIXTURES / "lint" / "gammel_vurdering.yaml", rules / "lover" / "ekstra.yaml")
    assert any("sist vurdert" in f.message for f in lint(rules, today=TODAY).warnings)
    assert not any("sist vurdert" in f.message
                   for f in lint(rules, max_age_months=200, today=TODAY).warnings)


def test_cli_exit_codes(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--regler", str(rules), "regler", "sjekk"]) == 0
    shutil.copy(FIXTURES / "feil" / "ugyldig_tagg.yaml", rules / "lover" / "testloven.yaml")
    assert main(["--regler", str(rules), "regler", "sjekk"]) == 2
    out = capsys.readouterr().out
    assert "lover/testloven.yaml:10 (tagger[0].tagger[1]): feil: ugyldig verdi «rettighet»" in out


def test_cli_strict_turns_warnings_into_errors(rules: Path) -> None:
    shutil.copy(FIXTURES / "lint" / "dobbel_tagg.yaml", rules / "lover" / "ekstra.yaml")
    assert main(["--regler", str(rules), "regler", "sjekk"]) == 0
    assert main(["--regler", str(rules), "regler", "sjekk", "--streng"]) == 2


def test_coverage_counts(rules: Path) -> None:
    kb = KnowledgeBase.builtin(rules)
    [row] = coverage(kb, [TESTLOVEN])
    # §1-1, §1-2 inherit from chapter 1; §2-1 (ledd entries), §2-3 direct; §2-2 inherits;
    # §3-1 inferred from its heading; §3-2 is uavklart; the repealed §3-3 is not counted.
    assert (row.sections, row.direct, row.inherited, row.inferred) == (7, 2, 3, 1)
    assert row.unresolved == [f"{TESTLOVEN}/§3-2"]


def test_cli_dekning_json(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from regelsjekk.kb.knowledge import default_kb

    default_kb.cache_clear()
    assert main(["--db", str(rules / "ingen.sqlite"), "--regler", str(rules),
                 "regler", "dekning", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["dokument"] == TESTLOVEN and row["kuratert"] == 5 and row["uavklart"] == 1


def test_json_schemas_are_valid_and_accept_the_real_files(tmp_path: Path) -> None:
    schemas = json_schemas()
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)

    def load(path: Path):
        return RulesLoader(path.read_text(encoding="utf-8")).get_single_data()

    for path in sorted((REAL_RULES / "lover").glob("*.yaml")):
        jsonschema.validate(load(path), schemas["lover"])
    for name in ("tags", "hjemler", "forsoksloven", "inferens"):
        jsonschema.validate(load(REAL_RULES / f"{name}.yaml"), schemas[name])
    bad = load(FIXTURES / "feil" / "ugyldig_sikkerhet.yaml")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schemas["lover"])
    assert main(["regler", "skjema", "--ut", str(tmp_path / "s")]) == 0
    assert {p.name for p in (tmp_path / "s").iterdir()} == {f"{n}.schema.json" for n in schemas}


def _imported(kb: KnowledgeBase, texts: dict[str, str], drop: set[str] = frozenset()):
    """An 'import' of the test law: the built-in nodes with text, minus some nodes."""
    from regelsjekk.core.model import Document
    from regelsjekk.kb.sources import MemorySource

    nodes = [n.model_copy(update={"text": texts.get(n.id)}) for n in kb.nodes_of(TESTLOVEN)
             if n.id not in drop]
    return MemorySource([Document(meta=kb.document(TESTLOVEN), nodes=nodes)])


def test_added_bokstav_is_checked_against_an_import(rules: Path) -> None:
    kb = KnowledgeBase.builtin(rules)
    bokstav = f"{TESTLOVEN}/§2-1/ledd/2/bokstav/b"
    with_it = lint(rules, store=_imported(kb, {}), today=TODAY)
    assert not any(bokstav in f.message for f in with_it.findings)
    without = lint(rules, store=_imported(kb, {}, drop={bokstav}), today=TODAY)
    [finding] = [f for f in without.errors if bokstav in f.message]
    assert "finnes ikke i importen" in finding.message and finding.line == 19


def test_summary_copying_statute_text_is_an_error(rules: Path) -> None:
    kb = KnowledgeBase.builtin(rules)
    text = ("Kommunen skal tilby tjenesten til alle som trenger den og som bor eller oppholder "
            "seg i kommunen.")  # invented 'statute text' that the base summary quotes word for word
    result = lint(rules, store=_imported(kb, {f"{TESTLOVEN}/§2-1": text}), today=TODAY)
    assert any("gjengir lovteksten ordrett" in f.message and f.line == 23 for f in result.errors)
    other = lint(rules, store=_imported(kb, {f"{TESTLOVEN}/§2-1": "Helt annen tekst her."}),
                 today=TODAY)
    assert not any("ordrett" in f.message for f in other.findings)


def test_statlig_kontroll_rationale_must_name_the_municipal_sector(rules: Path) -> None:
    """§ 3 første ledd c is the state's control over kommuner and fylkeskommuner only: a rationale
    that names them passes; one that only mentions kommuneloven, or private actors, is flagged."""
    def findings(rationale: str) -> list[str]:
        (rules / "lover" / "ekstra.yaml").write_text(
            "dokument: lov/2000-01-01-1\nnavn: Testloven (ekstra)\nvurdert: 2026-01-15\n"
            "tagger:\n  - id: lov/2000-01-01-1/§3-2\n    tagger: [statlig_kontroll]\n"
            f"    begrunnelse: {rationale}\n", encoding="utf-8")
        return [f.message for f in lint(rules, today=TODAY).warnings
                if "statlig_kontroll gjelder bare" in f.message]

    assert findings("Statsforvalteren fører tilsyn med kommunens plikter.") == []
    assert findings("Fylkeskommunene rapporterer til departementet.") == []
    assert findings("Rapportering fra kommunesektoren til staten.") == []
    assert len(findings("Tilsyn etter reglene i kommuneloven kapittel 30.")) == 1
    assert len(findings("Departementet fører tilsyn med private fagskoler.")) == 1
