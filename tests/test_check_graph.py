"""The checker walks the graph (issue 12): a forskrift reaches its law's trial authority and tags
through the hjemmel edge (never firmer than «må vurderes»), and the report lists the provisions
that refer to what is set aside."""

from __future__ import annotations

import pytest
from support.checking import check, dsl_request

from regelsjekk.check.verdict import ReasonKind, Verdict
from regelsjekk.report.render import render

pytestmark = pytest.mark.slow

GRAVPLASSFORSKRIFTEN = "forskrift/1997-01-10-16"


@pytest.fixture(scope="module")
def uncurated_kb(full_store, tmp_path_factory):
    """The full import over rules/ without the curated gravplassforskriften: a forskrift nobody has
    tagged, as most are."""
    import shutil

    from regelsjekk.core import paths
    from regelsjekk.kb.knowledge import KnowledgeBase

    rules = tmp_path_factory.mktemp("regler") / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    (rules / "forskrifter" / "gravplassforskriften.yaml").unlink()
    return KnowledgeBase.open(full_store, rules_dir=rules)


def _request(citation: str) -> object:
    return dsl_request(citation, formal="Prøve en ny arbeidsmåte.", mal="ressursutnyttelse")


def test_a_forskrift_reaches_its_laws_trial_authority_through_the_hjemmel_edge(uncurated_kb):
    report = check(_request("gravplassforskriften § 4"), uncurated_kb)
    assert not report.errors
    [ex] = report.exemptions
    [p] = ex.provisions
    assert p.id == f"{GRAVPLASSFORSKRIFTEN}/§4"
    assert p.routes == ["gravplassloven-29"]
    assert any(r.name.startswith("gravplassloven § 29") for r in report.routes)
    route = next(r for r in p.reasons if r.kind == ReasonKind.ANNEN_HJEMMEL)
    assert "kant «hjemmel»" in route.text and GRAVPLASSFORSKRIFTEN in route.text
    assert "lov/1996-06-07-32/§29" in route.cites and any(
        c.startswith("lov/1996-06-07-32/§") and c != "lov/1996-06-07-32/§29" for c in route.cites)
    # not curated: the law's tags count, but never firmer than «må vurderes»
    assert p.verdict == Verdict.MA_VURDERES
    assert any("Merkingen er arvet fra" in r.text for r in p.reasons)


def test_no_uncurated_forskrift_provision_is_answered_firmly(uncurated_kb):
    sections = [n.id for n in uncurated_kb.nodes_of(GRAVPLASSFORSKRIFTEN) if n.kind == "paragraf"]
    assert len(sections) > 20
    for sid in sections:
        number = sid.rsplit("§", 1)[1]
        report = check(_request(f"gravplassforskriften § {number}"), uncurated_kb)
        verdicts = {p.verdict for e in report.exemptions for p in e.provisions}
        assert verdicts <= {Verdict.MA_VURDERES}, (sid, verdicts)


def test_the_report_lists_provisions_that_refer_to_what_is_set_aside(full_kb):
    report = check(_request("forvaltningsloven § 28 annet ledd"), full_kb)
    [ex] = report.exemptions
    affected = {a.id: a for a in ex.affected}
    assert "lov/1967-02-10/§35" in affected
    a = affected["lov/1967-02-10/§35"]
    assert a.refers_to.startswith("lov/1967-02-10/§28") and a.edge.startswith("viser_til: ")
    assert a.limit and a.tags
    assert any(r.kind == ReasonKind.MERKNAD and r.text.startswith("Berørt bestemmelse")
               and "lov/1967-02-10/§35" in r.cites for r in ex.reasons)
    md = render(report, "md")
    assert "**Berørte bestemmelser**" in md and "https://lovdata.no/lov/1967-02-10/§35" in md
    assert "Berørte bestemmelser" in render(report, "text")


def test_the_graph_has_coverage_repeal_and_succession_edges(full_kb):
    from regelsjekk.kb.graph import covered_by

    g = full_kb.graph
    assert covered_by(g, GRAVPLASSFORSKRIFTEN) == ["lov/1996-06-07-32/§29"]  # through hjemmel
    assert g.edges["lov/1992-12-04-126", "lov/2025-06-20-96"]["kind"] == "erstattet_av"
    assert any(k == "opphever" and v == "lov/1992-12-04-126"
               for _, v, k in g.in_edges("lov/1992-12-04-126", data="kind"))
