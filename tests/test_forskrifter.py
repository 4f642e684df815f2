"""Central regulations in the built-in knowledge base (issue 14, part 1): structure from the
normalised archive (rules/struktur/), curated tags and hjemmel (rules/forskrifter/), reached by
citations, by the graph and by the sector trial authorities of the law they are made under."""

from __future__ import annotations

import pytest
from _checker_kit import ex, request
from support.checking import TODAY, check

from regelsjekk.check.verdict import ReasonKind, Verdict
from regelsjekk.cli.main import main
from regelsjekk.kb.graph import covered_by
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import resolve_citation

OPPLF = "forskrift/2024-06-03-900"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


@pytest.mark.parametrize(("text", "expected"), [
    ("byggesaksforskriften § 7-4", "forskrift/2010-03-26-488/§7-4"),
    ("fastlegeforskriften § 24", "forskrift/2025-12-02-2405/§24"),
    ("opplæringsforskrifta § 9-3", f"{OPPLF}/§9-3"),
    ("forskrift 3. juni 2024 nr. 900 § 9-3", f"{OPPLF}/§9-3"),
])
def test_forskrifter_resolve_on_a_fresh_machine(kb, text, expected):
    res = resolve_citation(text, kb, today=TODAY)
    assert res.ok and res.ids == [expected], res.messages


def test_every_curated_forskrift_is_built_in_with_its_hjemmel(kb):
    curated = [law for law in kb.rulebook.laws if law.file.dokument.startswith("forskrift/")]
    assert len(curated) >= 18
    for law in curated:
        meta = kb.document(law.file.dokument)
        assert meta is not None, law.file.dokument
        assert meta.based_on == law.file.hjemmel and meta.based_on, law.file.dokument
        st = kb.status(law.file.dokument, TODAY)
        assert st.state.current, (law.file.dokument, st)


def test_a_forskrift_under_opplaeringslova_gets_29_3_through_its_hjemmel(kb):
    assert covered_by(kb.graph, OPPLF) == ["lov/2023-06-09-30/§29-3"]
    report = check(request(ex("opplæringsforskrifta § 9-3"), formal=(
        "Prøve vurdering uten karakterer for elevene på 8. trinn, med skriftlige tilbakemeldinger.")),
        kb)
    [p] = report.exemptions[0].provisions
    assert p.routes == ["opplaeringslova-29-3"]
    route = next(r for r in p.reasons if r.kind == ReasonKind.ANNEN_HJEMMEL)
    assert "kant «hjemmel»" in route.text
    assert p.verdict in (Verdict.ANNEN_HJEMMEL, Verdict.MA_VURDERES, Verdict.IKKE_HJEMMEL)


def test_coverage_lists_the_curated_forskrifter(capsys):
    assert main(["regler", "dekning"]) == 0
    out = capsys.readouterr().out
    assert "forskrift/2024-06-03-900" in out or "Opplæringsforskrifta" in out
