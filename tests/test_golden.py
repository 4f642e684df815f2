"""Golden reports: every request in examples/ checked against the built-in knowledge base.

Each examples/<case>.forsok has tests/golden/<case>.expected.json: the report as JSON, so a
reviewer sees every change in reasoning as a diff. Regenerate after a deliberate change with

    REGELSJEKK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

and read the diff before committing. Rule references are kept by file only: line numbers and key
paths move with every edit of rules/, and would make every golden change at once.

The verdict table below is checked separately from the goldens, so that regenerating cannot
quietly turn a "nei" into a "ja"; the invariants check that the reasoning holds up: no "hjemmel"
where a § 4 limit applies, no "ikke hjemmel" without the limit cited.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from support.checking import check

from regelsjekk.check.verdict import ReasonKind, Report, Verdict
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import render, render_json
from regelsjekk.request.load import load_request_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("REGELSJEKK_UPDATE_GOLDEN") == "1"
FL = "lov/1992-06-26-87"

# The legal outcome of each example, decided by reading the case, not by running the checker.
EXPECTED = {
    "akershus-innsigelser": Verdict.HJEMMEL,
    "aktivitetsplikt-over-30": Verdict.IKKE_HJEMMEL,
    "barnevern-samarbeid": Verdict.ANNEN_HJEMMEL,
    "inderoy-komiteer": Verdict.KREVER_IKKE_FORSOK,
    "indre-namdal-oppgavefellesskap": Verdict.HJEMMEL,
    "indre-ostfold-uten-karakterer": Verdict.MA_VURDERES,
    "innbyggerpanel-budsjett": Verdict.IKKE_HJEMMEL,
    "introduksjonsprogram-deltid": Verdict.MA_VURDERES,
    "kostra-rapportering": Verdict.HJEMMEL,
    "larvik-reguleringsendringer": Verdict.HJEMMEL,
    "nav-dialogmote": Verdict.MA_VURDERES,
    "snoscooterloyper": Verdict.MA_VURDERES,
    "sosialhjelp-klagenemnd": Verdict.IKKE_HJEMMEL,
    "sosialhjelp-klagenemnd-med-rettssikkerhet": Verdict.MA_VURDERES,
    "sosialhjelp-lavere-satser": Verdict.IKKE_HJEMMEL,
    "steinkjer-skiltmyndighet": Verdict.MA_VURDERES,
    "uten-forhandsvarsel": Verdict.IKKE_HJEMMEL,
    "vega-fiskerinemnd": Verdict.MA_VURDERES,
    "vestland-vertskommune": Verdict.HJEMMEL,
    "delvis-helsefellesskap": Verdict.DELVIS,
}
# The § 4 limit each blocked example must cite.
LIMITS = {
    "aktivitetsplikt-over-30": f"{FL}/§4/ledd/2",
    "delvis-helsefellesskap": f"{FL}/§4/ledd/1/bokstav/c",
    "innbyggerpanel-budsjett": f"{FL}/§4/ledd/1/bokstav/a",
    "sosialhjelp-klagenemnd": f"{FL}/§4/ledd/1/bokstav/c",
    "sosialhjelp-lavere-satser": f"{FL}/§4/ledd/2",
    "uten-forhandsvarsel": f"{FL}/§4/ledd/1/bokstav/b",
}
CASES = sorted(p.stem for p in EXAMPLES.glob("*.forsok"))


@pytest.fixture(scope="module")
def builtin_kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def _strip_rule_positions(data):
    if isinstance(data, dict):
        if set(data) == {"file", "line", "key"}:
            return {"file": data["file"]}
        if "rules_version" in data:  # a hash of rules/: changes with every edit of a rule
            data = {**data, "rules_version": "<versjon>"}
        return {k: _strip_rule_positions(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip_rule_positions(x) for x in data]
    return data


def _reports(case: str, kb: KnowledgeBase) -> list[Report]:
    # a relative name, so reports (and goldens) do not depend on where the repository lives
    path = EXAMPLES / f"{case}.forsok"
    result = load_request_text(path.read_text(encoding="utf-8"), f"examples/{case}.forsok")
    assert result.errors == [], result.render()
    assert result.requests, f"{case}: ingen søknad i filen"
    return [check(r, kb) for r in result.requests]


def test_every_example_has_an_expected_verdict():
    assert len(CASES) >= 12
    assert set(CASES) == set(EXPECTED), "examples/ and EXPECTED must list the same cases"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, builtin_kb: KnowledgeBase) -> None:
    reports = _reports(case, builtin_kb)
    data = [_strip_rule_positions(json.loads(render_json(r))) for r in reports]
    actual = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
    path = GOLDEN / f"{case}.expected.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"mangler {path.name}: kjør med REGELSJEKK_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (f"{case}: rapporten har endret seg; se diff med "
                                f"REGELSJEKK_UPDATE_GOLDEN=1 og git diff tests/golden/")


@pytest.mark.parametrize("case", CASES)
def test_golden_markdown(case: str, builtin_kb: KnowledgeBase) -> None:
    """The same reports as a lawyer reads them: a diff of these files is reviewable as text."""
    reports = _reports(case, builtin_kb)
    text = "\n---\n\n".join(render(r, "md") for r in reports)
    actual = re.sub(r"(\.yaml):\d+", r"\1", text)  # rule positions move with every edit
    actual = re.sub(r"regler: versjon [0-9a-f]{12}", "regler: versjon <versjon>", actual)
    path = GOLDEN / f"{case}.expected.md"
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"mangler {path.name}: kjør med REGELSJEKK_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{case}: rapporten har endret seg; se diff med REGELSJEKK_UPDATE_GOLDEN=1 og git diff")


@pytest.mark.parametrize("case", CASES)
def test_reasoning_holds(case: str, builtin_kb: KnowledgeBase) -> None:
    report = _reports(case, builtin_kb)[0]
    assert report.verdict == EXPECTED[case], report.summary
    for e in report.exemptions:
        for p in e.provisions:
            kinds = [r.kind for r in p.reasons]
            if p.verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL):
                # a "ja" is never given over a § 4 limit that no other authority lifts
                if p.verdict == Verdict.HJEMMEL:
                    assert ReasonKind.BEGRENSNING not in kinds, (case, p.id)
                    assert ReasonKind.GRUNNLAG in kinds
            if p.verdict == Verdict.IKKE_HJEMMEL:
                limits = [r for r in p.reasons if r.kind == ReasonKind.BEGRENSNING]
                assert limits and all(any(c.startswith(FL) for c in r.cites) for r in limits)
            for r in p.reasons:
                assert p.id in r.cites, (case, r.text)
    if case in LIMITS:
        cited = {c for e in report.exemptions for p in e.provisions for r in p.reasons
                 if r.kind == ReasonKind.BEGRENSNING for c in r.cites}
        assert LIMITS[case] in cited
    assert report.next_steps, "a report ends with a concrete next step"
    assert report.exit_code == (2 if report.errors else 0 if report.verdict.granted else 1)


def test_goldens_match_the_published_schema():
    import jsonschema

    from regelsjekk.check.verdict import report_schema

    validator = jsonschema.Draft202012Validator(report_schema())
    for path in sorted(GOLDEN.glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for report in data if isinstance(data, list) else [data]:
            errors = sorted(validator.iter_errors(report), key=str)
            assert not errors, f"{path.name}: {errors[0].message}"
