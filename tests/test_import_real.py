"""The full import of the four shared archives, checked against facts read from the data:
a law, an amending act, central and local regulations, Lovtidend and consolidated texts."""

from __future__ import annotations

import pytest

from regelsjekk.core.model import DocKind, NodeKind, Origin, RefKind
from regelsjekk.kb import graph as G

pytestmark = pytest.mark.slow

KL = "lov/2018-06-22-83"  # kommuneloven 2018, as promulgated (Lovtidend)
FL = "lov/1992-06-26-87"  # forsøksloven 1992
HUSLL = "lov/1999-03-26-17"  # husleieloven, consolidated
STEINKJER = "forskrift/1994-02-17-263"  # vedtekt for fartsgrenser, Steinkjer (lokal forskrift)
NETTLEGE = "forskrift/2025-06-22-1188"  # forsøksordning med nettlege (Lovtidend 2025)


def test_every_document_imports_or_is_accounted_for(full_import_summary: dict) -> None:
    s = full_import_summary
    assert s["hoppet_over"] == {}
    assert [a["status"] for a in s["arkiver"]] == ["fullført"] * 4
    assert {a["navn"]: a["dokumenter"] for a in s["arkiver"]} == {
        "gjeldende-lover-utvalg.tar.bz2": 33,
        "gjeldende-sentrale-forskrifter-utvalg.tar.bz2": 1,
        "lovtidend-1982-2000.tar.bz2": 16267,
        "lovtidend-avd1-2025.tar.bz2": 1272,
    }
    # Four laws are both consolidated and in Lovtidend: the consolidated text answers.
    assert s["importert"] + s["satt_til_side"] == 17573
    assert s["satt_til_side"] == 4
    assert s["i_kunnskapsbasen"]["dokumenter"] == 17569


@pytest.fixture(scope="module")
def imported(full_store):  # noqa: ANN001, ANN201 - KnowledgeBase over the store alone
    """The import as imported, without the built-in layer (which answers for laws known only as
    promulgated in Lovtidend, so that their current structure wins: tests/test_checker_full_import)."""
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.kb.store import Store

    return KnowledgeBase([Store.open_readonly(full_store)], rulebook=None, store_path=full_store)


def test_kommuneloven_2018_from_lovtidend(imported) -> None:  # noqa: ANN001
    full_kb = imported
    meta = full_kb.document(KL)
    assert meta.dokid == "LTI/lov/2018-06-22-83"
    assert meta.origin == Origin.LOVTIDEND and meta.kind == DocKind.LOV
    assert meta.source_file == "lti/2018/nl-20180622-083.xml"
    assert meta.source_archive == "lovtidend-1982-2000.tar.bz2"
    assert FL in meta.changes_to_documents  # it amended forsøksloven
    sec = full_kb.node(f"{KL}/§19-1")
    assert sec.heading == "Kommunalt oppgavefellesskap"
    assert sec.parent_id == f"{KL}/kapittel/19"
    assert full_kb.node(f"{KL}/kapittel/19").heading == "Kommunalt oppgavefellesskap"
    assert full_kb.node(f"{KL}/kapittel/19").parent_id == f"{KL}/del/6"
    assert full_kb.node(f"{KL}/del/6").heading == "Interkommunalt samarbeid"
    assert [n.id for n in full_kb.children(f"{KL}/§19-1")] == [
        f"{KL}/§19-1/ledd/{k}" for k in range(1, 5)]
    assert full_kb.node(f"{KL}/§19-1/ledd/2").text.startswith(
        "Et oppgavefellesskap kan ikke gis myndighet til å treffe enkeltvedtak.")


def test_husleieloven_range_is_expanded_to_four_targets(full_kb) -> None:  # noqa: ANN001
    refs = full_kb.references_from(f"{HUSLL}/§1-2/ledd/2")
    ranged = sorted(r.target for r in refs if r.text == "§§ 1-1 til 1-4")
    assert ranged == [f"{HUSLL}/§1-{k}" for k in range(1, 5)]
    assert all(r.kind == RefKind.CITES for r in refs)
    assert f"{HUSLL}/kapittel/13" in {r.target for r in refs}
    assert any(r.source == f"{HUSLL}/§1-2/ledd/2" for r in full_kb.references_to(f"{HUSLL}/§1-3"))


def test_nettlege_forskrift_has_hjemmel_in_folketrygdloven(full_kb) -> None:  # noqa: ANN001
    meta = full_kb.document(NETTLEGE)
    assert meta.based_on == ["lov/1997-02-28-19/§25-13"]
    under = {r.source for r in full_kb.regulations_under("lov/1997-02-28-19/§25-13")}
    assert NETTLEGE in under
    # folketrygdloven itself is imported (consolidated), so the hjemmel resolves to a real §.
    assert full_kb.node("lov/1997-02-28-19/§25-13").heading == "Forsøksvirksomhet – avvik fra loven"


def test_forsoksloven_1992_has_its_eight_sections(imported) -> None:  # noqa: ANN001
    full_kb = imported
    sections = [n for n in full_kb.children(FL) if n.kind == NodeKind.SECTION]
    assert [n.number for n in sections] == [str(k) for k in range(1, 9)]
    assert [n.heading for n in sections] == [
        "Lovens formål", "Lovens virkeområde", "Hva forsøkene kan omfatte",
        "Begrensninger i adgangen til å drive forsøk", "Gjennomføring m.v. av forsøk",
        "Andre forsøksbetingelser m.v.", "Forlengelse av forsøk etter annen lovgivning",
        "Ikrafttreden"]
    assert [n.id for n in full_kb.children(f"{FL}/§4/ledd/1")] == [
        f"{FL}/§4/ledd/1/bokstav/{x}" for x in "abc"]
    assert full_kb.node(f"{FL}/§4/ledd/1/bokstav/b").text == "forvaltningslovens saksbehandlingsregler"


def test_steinkjer_vedtekt_has_hjemmel_in_forsoksloven(full_kb) -> None:  # noqa: ANN001
    meta = full_kb.document(STEINKJER)
    assert meta.dokid == "LTII/forskrift/1994-02-17-263" and meta.local
    assert meta.applies_to == "Steinkjer kommune, Nord-Trøndelag"
    assert f"{FL}/§7" in meta.based_on
    assert STEINKJER in {r.source for r in full_kb.regulations_under(f"{FL}/§7")}
    assert [n.number for n in full_kb.children(STEINKJER)] == [str(k) for k in range(1, 7)]


def test_regulations_made_under_forsoksloven(full_store) -> None:  # noqa: ANN001
    from regelsjekk.kb.store import Store

    con = Store.open_readonly(full_store).con
    n = con.execute("SELECT count(DISTINCT source) FROM refs WHERE kind = 'hjemmel' AND "
                    "(target = ? OR target LIKE ?)", (FL, f"{FL}/%")).fetchone()[0]
    assert n == 234  # "about 230" per the data's README (mostly KOSTRA trials 1993–2000)
    local = con.execute("SELECT count(*) FROM documents WHERE active = 1 AND "
                        "json_extract(meta, '$.local') = 1").fetchone()[0]
    assert local == 4645


def test_amending_act_2025_records_its_targets(full_kb) -> None:  # noqa: ANN001
    act = "lov/2025-02-07-1"
    meta = full_kb.document(act)
    assert meta.title_short == "Endringslov til karanteneloven"
    assert meta.changes_to_documents == ["lov/2015-06-19-70"]
    amends = {r.target for r in full_kb.references_from(f"{act}/kapittel/I")
              if r.kind == RefKind.AMENDS}
    assert {"lov/2015-06-19-70/§5", "lov/2015-06-19-70/§1a",
            "lov/2015-06-19-70/§13/ledd/2"} <= amends
    # The quoted new § 5 is text of the amending act, not a § of it.
    assert full_kb.node(f"{act}/§5") is None


def test_consolidated_central_regulation(full_kb) -> None:  # noqa: ANN001
    meta = full_kb.document("forskrift/1997-01-10-16")
    assert meta.dokid == "SF/forskrift/1997-01-10-16" and meta.origin == Origin.CONSOLIDATED
    assert meta.title_short == "Gravplassforskriften"
    assert meta.based_on[:3] == ["lov/1996-06-07-32/§2", "lov/1996-06-07-32/§4",
                                 "lov/1996-06-07-32/§25"]
    assert full_kb.node("forskrift/1997-01-10-16/§1").heading == "Orden og verdighet"


def test_consolidated_law_without_number(full_kb) -> None:  # noqa: ANN001
    meta = full_kb.document("lov/1967-02-10")
    assert (meta.title_short, meta.abbreviation) == ("Forvaltningsloven", "fvl")
    assert full_kb.node("lov/1967-02-10/§11").parent_id == "lov/1967-02-10/kapittel/III"


def test_law_labelled_forskrift_in_an_old_export(full_kb) -> None:  # noqa: ANN001
    meta = full_kb.document("lov/2001-06-15-79")
    assert meta.kind == DocKind.LOV and meta.dokid == "LTI/forskrift/2001-06-15-79"
    assert meta.title_short == "Svalbardmiljøloven"
    assert full_kb.document("forskrift/2001-06-15-79") is None


def test_consolidated_version_wins_and_lovtidend_version_is_recorded(full_store) -> None:  # noqa: ANN001
    from regelsjekk.kb.store import Store

    versions = Store.open_readonly(full_store).document_versions("lov/1984-04-06-17")
    assert [(v["dokid"], v["active"]) for v in versions] == [
        ("NL/lov/1984-04-06-17", 1), ("LTI/lov/1984-04-06-17", 0)]
    assert versions[1]["superseded_by"] == "NL/lov/1984-04-06-17"
    assert versions[1]["source_file"] == "lti/1984/nl-19840406-017.xml"


def test_link_to_bokstav_without_ledd_points_at_the_real_node(full_kb) -> None:  # noqa: ANN001
    refs = full_kb.references_from("lov/2005-05-20-28/§32/ledd/1/bokstav/a")
    assert "lov/2005-05-20-28/§51/ledd/1/bokstav/a" in {r.target for r in refs}
    assert full_kb.node("lov/2005-05-20-28/§51/ledd/1/bokstav/a") is not None


def test_cross_document_range_is_expanded_after_import(full_kb) -> None:  # noqa: ANN001
    refs = full_kb.references_from("lov/2025-04-25-12/§6/ledd/2")
    ranged = sorted((r.target for r in refs if r.text == "forvaltningsloven §§ 28 til 34"),
                    key=lambda t: int(t.rsplit("§", 1)[1]))
    assert ranged == [f"lov/1967-02-10/§{k}" for k in range(28, 35)]


def test_full_text_search(full_kb) -> None:  # noqa: ANN001
    hits = full_kb.search_text("oppgavefellesskap", limit=10)
    # kommuneloven's oppgavefellesskap first among the laws; the built-in budsjett- og
    # regnskapsforskriften's chapter on oppgavefellesskap may rank beside it
    assert hits and sum(h.node_id.startswith(KL) for h in hits[:5]) >= 4
    assert any(h.node_id.startswith(f"{KL}/§19-1") for h in hits[:5])
    assert full_kb.search_text("forsøksordning nettlege", limit=3)[0].node_id == NETTLEGE
    steinkjer = {h.node_id for h in full_kb.search_text("fartsgrenser skiltmyndighet Steinkjer")}
    assert STEINKJER in steinkjer


def test_graph_over_the_full_store(full_kb) -> None:  # noqa: ANN001
    g = full_kb.graph
    assert g.nodes[f"{KL}/§19-1"]["kind"] == "paragraf"
    assert g.edges[f"{KL}/kapittel/19", f"{KL}/§19-1"]["kind"] == "inneholder"
    assert f"{KL}/§19-1/ledd/1" not in g  # ledd stay in SQLite
    assert STEINKJER in G.regulations_under(g, f"{FL}/§7")
    assert "lov/2025-02-07-1" in G.amended_by(g, "lov/2015-06-19-70")
    assert "lov/2025-02-07-1/kapittel/I" in G.amended_by(g, "lov/2015-06-19-70/§5")
    assert f"{HUSLL}/§1-2" in G.cited_by(g, f"{HUSLL}/§1-3")
    assert f"{HUSLL}/§1-4" in G.cites(g, f"{HUSLL}/§1-2")
    outside = g.nodes["lov/1970-06-19-63/§5"]  # naturvernloven: a hjemmel, not imported
    assert outside["known"] is False and outside["kind"] == "paragraf"
