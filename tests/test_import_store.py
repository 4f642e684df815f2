"""The store as a NodeSource, incremental imports, version precedence, store location, the CLI
and the graph — on the small real store and on hand-made documents."""

from __future__ import annotations

import collections
import io
import json
import pickle
import shutil
import sqlite3
import tarfile
from pathlib import Path

import networkx as nx
import pytest

from regelsjekk.cli.main import main as cli_main
from regelsjekk.core import paths
from regelsjekk.core.ids import doc_of
from regelsjekk.core.model import NodeKind, RefKind
from regelsjekk.kb.graph import _digraph_from, _install, _without_documents, build_graph
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.store import Store, StoreError, unpack_graph
from regelsjekk.lovdata.load import Source, run_import
from regelsjekk.lovdata.summary import Progress

HUSLL = "lov/1999-03-26-17"


def doc_xml(refid: str, dokid: str, text: str, published: str = "2099-01-01",
            title: str = "Forskrift om prøving") -> bytes:
    return (f'<!DOCTYPE html><html><head><title>{title}</title></head><body>'
            f'<header class="documentHeader"><dl class="data-document-key-info">'
            f'<dt class="dokid">D</dt><dd class="dokid">{dokid}</dd>'
            f'<dt class="refid">R</dt><dd class="refid">{refid}</dd>'
            f'<dt class="title">T</dt><dd class="title">{title}</dd>'
            f'<dt class="dateOfPublication">K</dt><dd class="dateOfPublication">{published}</dd>'
            f'</dl></header><main class="documentBody"><article class="legalArticle" '
            f'data-name="§1"><h2 class="legalArticleHeader"><span class="legalArticleValue">§ 1'
            f'</span></h2><article class="legalP">{text}</article></article></main></body></html>'
            ).encode()


def write_folder(folder: Path, docs: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in docs.items():
        (folder / name).write_bytes(data)
    return folder


# -- the store as a NodeSource --------------------------------------------------------------


def test_store_answers_the_node_source_protocol(small_store: Path) -> None:
    store = Store.open_readonly(small_store)
    meta = store.document(HUSLL)
    assert meta.title == "Lov om husleieavtaler (husleieloven)" and meta.abbreviation == "husll"
    nodes = store.nodes_of(HUSLL)
    assert nodes[0].id == HUSLL and nodes[0].kind == NodeKind.DOCUMENT
    assert [n.id for n in store.children(f"{HUSLL}/§1-1")] == [
        f"{HUSLL}/§1-1/ledd/{k}" for k in range(1, 6)]
    assert [n.order for n in store.children(f"{HUSLL}/kapittel/1")] == list(range(8))
    assert store.node(f"{HUSLL}/§1-1/ledd/1").text == (
        "Loven gjelder avtaler om bruksrett til husrom mot vederlag.")
    assert store.node("lov/1999-03-26-17/§99-99") is None
    assert {r.target for r in store.references_from(f"{HUSLL}/§1-2/ledd/2")} >= {
        f"{HUSLL}/§1-1", f"{HUSLL}/§1-2", f"{HUSLL}/§1-3", f"{HUSLL}/§1-4"}
    assert f"{HUSLL}/§1-2/ledd/2" in {r.source for r in store.references_to(f"{HUSLL}/§1-3")}
    hjemmel = {(r.source, r.target) for r in store.references_of_kind(RefKind.HJEMMEL)}
    assert ("forskrift/1997-01-10-16", "lov/1996-06-07-32/§2") in hjemmel
    assert store.has_text
    assert len(list(store.documents())) == 34


def test_full_text_search_keeps_norwegian_letters(small_store: Path) -> None:
    store = Store.open_readonly(small_store)
    hits = store.search_text("forsøksvirksomhet avvik", limit=5)
    assert hits[0].node_id == "lov/1997-02-28-19/§25-13"
    assert 0 < hits[0].score < 1 and "Forsøksvirksomhet" in hits[0].snippet
    # remove_diacritics 0: "forsok" is another word than "forsøk".
    assert not store.search_text("forsoksvirksomhet")
    assert store.search_text("") == [] and store.search_text("!!!") == []


def test_full_text_index_is_built_with_a_large_pending_buffer(small_store: Path) -> None:
    # FTS5's 'hashsize' (fulltext.FTS_HASHSIZE) is what keeps the index's build time down; search
    # itself is unchanged (test_full_text_search_keeps_norwegian_letters and the full import's).
    con = sqlite3.connect(small_store)
    assert con.execute("SELECT v FROM node_fts_config WHERE k = 'hashsize'").fetchone() == (
        32 * 1024 * 1024,)


def test_store_is_opened_read_only(small_store: Path) -> None:
    store = Store.open_readonly(small_store)
    with pytest.raises(sqlite3.OperationalError):
        store.con.execute("DELETE FROM nodes")


def test_missing_or_foreign_store_gives_a_norwegian_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="finnes ikke"):
        Store.open_readonly(tmp_path / "ingen.sqlite")
    other = tmp_path / "annen.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x(y)").connection.commit()
    with pytest.raises(StoreError, match="skjemaversjon"):
        Store.open_readonly(other)


def test_memory_source_replaces_a_document_without_touching_one_with_a_longer_id() -> None:
    # The other NodeSource: replacing lov/2099-01-01-8 must keep lov/2099-01-01-83's references.
    from regelsjekk.core.model import Document, DocumentMeta, Node, Origin, Reference
    from regelsjekk.kb.sources import MemorySource

    def doc(d: str, target: str) -> Document:
        return Document(meta=DocumentMeta(id=d, kind="lov", origin=Origin.BUILTIN, title=d),
                        nodes=[Node(id=d, kind=NodeKind.DOCUMENT, doc_id=d),
                               Node(id=f"{d}/§1", kind=NodeKind.SECTION, doc_id=d, parent_id=d)],
                        references=[Reference(source=f"{d}/§1", target=target)])

    short, long = "lov/2099-01-01-8", "lov/2099-01-01-83"
    source = MemorySource([doc(short, "lov/2000-01-01-1/§1"), doc(long, "lov/2000-01-01-1/§1")])
    source.add(doc(short, "lov/2000-01-01-1/§2"))
    assert [r.source for r in source.references_to("lov/2000-01-01-1/§1")] == [f"{long}/§1"]
    assert [r.source for r in source.references_to("lov/2000-01-01-1/§2")] == [f"{short}/§1"]
    assert sorted(r.source for r in source.references_of_kind(RefKind.CITES)) == sorted([
        f"{long}/§1", f"{short}/§1"])


# -- incremental imports and versions -------------------------------------------------------


def test_incremental_import_counts_new_updated_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    folder = write_folder(tmp_path / "a", {
        "en.xml": doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "gammel tekst"),
        "to.xml": doc_xml("forskrift/2099-01-01-2", "LTI/forskrift/2099-01-01-2", "andre"),
    })
    first = run_import([Source(folder)], db, workers=0)
    assert (first.imported, first.updated, first.unchanged) == (2, 0, 0)
    again = run_import([Source(folder)], db, workers=0)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    write_folder(folder, {
        "en.xml": doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "ny ordlyd"),
        "tre.xml": doc_xml("forskrift/2099-01-01-3", "LTI/forskrift/2099-01-01-3", "tredje"),
    })
    third = run_import([Source(folder)], db, workers=0)
    assert (third.imported, third.updated, third.unchanged) == (1, 1, 1)
    store = Store.open_readonly(db)
    assert store.node("forskrift/2099-01-01-1/§1/ledd/1").text == "ny ordlyd"
    # The full-text index follows the update: the old words are gone, the new ones found.
    assert not store.search_text("gammel")
    assert store.search_text("ordlyd")[0].node_id == "forskrift/2099-01-01-1/§1/ledd/1"
    assert store.counts()["dokumenter"] == 3
    versions = store.document_versions("forskrift/2099-01-01-1")
    assert versions[0]["source_file"] == "en.xml" and versions[0]["source_archive"] == "a"
    assert len(versions[0]["content_hash"]) == 64


def test_unchanged_archive_is_skipped_whole(tmp_path: Path) -> None:
    data = doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "x")
    archive = _archive(tmp_path, "arkiv.tar.bz2", {"lti/2099/en.xml": data}, "w:bz2")
    run_import([Source(archive)], tmp_path / "kb.sqlite", workers=0)
    again = run_import([Source(archive)], tmp_path / "kb.sqlite", workers=0)
    assert again.archives[0].status == "uendret" and again.unchanged == 1
    assert not again.failed


@pytest.mark.parametrize("order", ["lovtidend_first", "consolidated_first"])
def test_consolidated_version_answers_whatever_the_order(tmp_path: Path, order: str) -> None:
    lti = ("lti.xml", doc_xml("lov/2099-03-03-3", "LTI/lov/2099-03-03-3", "kunngjort tekst"))
    nl = ("nl.xml", doc_xml("lov/2099-03-03-3", "NL/lov/2099-03-03-3", "gjeldende tekst"))
    first, second = (lti, nl) if order == "lovtidend_first" else (nl, lti)
    db = tmp_path / "kb.sqlite"
    run_import([Source(write_folder(tmp_path / "1", dict([first])))], db, workers=0)
    summary = run_import([Source(write_folder(tmp_path / "2", dict([second])))], db, workers=0)
    assert summary.superseded == 1
    store = Store.open_readonly(db)
    assert store.document("lov/2099-03-03-3").dokid == "NL/lov/2099-03-03-3"
    assert store.node("lov/2099-03-03-3/§1/ledd/1").text == "gjeldende tekst"
    assert not store.search_text("kunngjort")  # the set-aside version is not searchable
    old = store.document_versions("lov/2099-03-03-3")[1]
    assert (old["dokid"], old["active"]) == ("LTI/lov/2099-03-03-3", 0)
    assert "satt til side:     1" in summary.render()


def test_latest_lovtidend_version_answers(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    folder = write_folder(tmp_path / "f", {
        "ny.xml": doc_xml("forskrift/2099-04-04-4", "LTI/forskrift/2099-04-04-4", "rettet",
                          published="2099-05-01"),
        "gammel.xml": doc_xml("forskrift/2099-04-04-4", "LTII/forskrift/2099-04-04-4", "først",
                              published="2099-04-05"),
    })
    run_import([Source(folder)], db, workers=0)
    store = Store.open_readonly(db)
    assert store.document("forskrift/2099-04-04-4").dokid == "LTI/forskrift/2099-04-04-4"
    assert store.node("forskrift/2099-04-04-4/§1/ledd/1").text == "rettet"


def test_pipeline_and_single_process_give_the_same_store(tmp_path: Path, lovdata_dir: Path) -> None:
    archive = lovdata_dir / "gjeldende-sentrale-forskrifter-utvalg.tar.bz2"
    run_import([Source(archive)], tmp_path / "a.sqlite", workers=0)
    run_import([Source(archive)], tmp_path / "b.sqlite", workers=2)
    rows = [sqlite3.connect(tmp_path / n).execute(
        "SELECT id, parent_id, kind, heading, text, ord FROM nodes ORDER BY nid").fetchall()
        for n in ("a.sqlite", "b.sqlite")]
    assert rows[0] == rows[1] and len(rows[0]) > 100


def test_a_reader_started_early_leaves_the_same_store_and_counts(tmp_path: Path) -> None:
    """The next archive's reader starts as soon as the current archive is read (Pipeline),
    with the document hashes known then: a copy of the archive right after it is read while
    most of the original's documents are still being parsed. They must come out unchanged,
    as with one process, and the store as from the original alone."""
    docs = {f"lti/2099/sf-2099{i:04d}.xml": doc_xml(f"forskrift/2099-01-01-{i}",
                                                   f"LTI/forskrift/2099-01-01-{i}",
                                                   "tekst " * 300)
            for i in range(1, 241)}
    archive = tmp_path / "a.tar.bz2"
    with tarfile.open(archive, "w:bz2") as tf:
        for name, data in docs.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    copy = tmp_path / "kopi.tar.bz2"
    shutil.copyfile(archive, copy)
    runs = {}
    for workers in (0, 2):
        db = tmp_path / f"kb{workers}.sqlite"
        s = run_import([Source(archive), Source(copy)], db, fresh=True, workers=workers)
        runs[workers] = (s.imported, s.updated, s.unchanged, dict(s.notes),
                         [(a.status, a.documents) for a in s.archives],
                         sqlite3.connect(db).execute(
                             "SELECT id, text FROM nodes ORDER BY nid").fetchall())
    assert runs[2] == runs[0]
    assert runs[2][:3] == (240, 0, 240)


# -- location, CLI, progress ----------------------------------------------------------------


def test_default_store_location_and_environment(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv("REGELSJEKK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.default_store_path() == tmp_path / "xdg" / "regelsjekk" / "kunnskapsbase.sqlite"
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "env.sqlite"))
    assert paths.default_store_path() == tmp_path / "env.sqlite"


def test_cli_writes_where_env_flag_or_subcommand_flag_says(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "f", {"en.xml": doc_xml("forskrift/2099-01-01-1",
                                                             "LTI/forskrift/2099-01-01-1", "x")})
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "env.sqlite"))
    assert cli_main(["import", "-q", str(folder)]) == 0
    assert (tmp_path / "env.sqlite").is_file()
    assert cli_main(["--db", str(tmp_path / "global.sqlite"), "import", "-q", str(folder)]) == 0
    assert cli_main(["import", "-q", "--db", str(tmp_path / "sub.sqlite"), str(folder)]) == 0
    assert (tmp_path / "global.sqlite").is_file() and (tmp_path / "sub.sqlite").is_file()


def test_cli_json_summary_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = write_folder(tmp_path / "f", {
        "en.xml": doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "x"),
        "tom.xml": b""})
    db = str(tmp_path / "kb.sqlite")
    assert cli_main(["--db", db, "import", "--json", "-q", str(folder)]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["importert"] == 1 and out["hoppet_over"] == {"tom_fil": 1}
    assert out["arkiver"][0]["status"] == "fullført"
    assert out["i_kunnskapsbasen"]["dokumenter"] == 1
    assert cli_main(["--db", db, "import"]) == 3  # nothing to import
    assert "ingenting å importere" in capsys.readouterr().err
    assert cli_main(["--db", db, "import", str(tmp_path / "finnes-ikke.tar.bz2")]) == 2
    (folder / "tom.xml").unlink()
    assert cli_main(["--db", db, "import", "-q", str(folder)]) == 0
    assert "uendret:           1" in capsys.readouterr().out


def test_progress_reports_counts_and_rate() -> None:
    stream = io.StringIO()
    progress = Progress(stream, every=0.0)
    progress("arkiv.tar.bz2", 10, 1_000_000)
    progress("arkiv.tar.bz2", 20, 2_000_000, final=True)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("arkiv.tar.bz2: 10 dokumenter (totalt 10,")
    assert "dok/s" in lines[-1] and "MB/s" in lines[-1]
    quiet = io.StringIO()
    Progress(quiet, every=60.0)("arkiv.tar.bz2", 5, 10, final=True)  # short import: silent
    assert quiet.getvalue() == ""


# -- graph ----------------------------------------------------------------------------------


def test_fast_graph_build_equals_networkx_public_api(small_store: Path) -> None:
    nodes, edges = Store.open_readonly(small_store).graph_rows()
    slow = nx.DiGraph()
    slow.add_nodes_from((n, {"kind": k, "doc": d}) for n, k, d in nodes)
    slow.add_edges_from((u, v, {"kind": k}) for u, v, k in edges)
    fast = _digraph_from(nodes, edges)
    assert nx.utils.graphs_equal(fast, slow)
    fast.add_edge("a", "b")  # still an ordinary, mutable DiGraph
    assert fast.has_edge("a", "b") and "a" in fast.pred["b"]


def _graph_from_tables(store: Store, excluded: set[str]) -> nx.DiGraph:
    nodes, edges = store.graph_rows()
    # as kb.graph._build does: structure from the answering source, every other edge kept
    return _digraph_from([n for n in nodes if n[2] not in excluded],
                         [e for e in edges if e[2] != "inneholder" or doc_of(e[0]) not in excluded])


@pytest.mark.parametrize("excluded", [set(), {HUSLL, "lov/1967-02-10"}])
def test_graph_from_the_pack_equals_graph_from_the_tables(small_store: Path,
                                                           excluded: set[str]) -> None:
    # The pack written at import (one pickle of networkx's dicts) must give the graph the
    # tables give, also with some of the store's documents answered by another source.
    store = Store.open_readonly(small_store)
    pack = store.graph_pack()
    assert pack is not None and HUSLL in pack["docs"]
    fast = _install(nx.DiGraph(), *_without_documents(pack, excluded))
    slow = _graph_from_tables(store, excluded)
    if excluded:  # both are in the store, and others point into them: bare nodes stay
        assert excluded <= set(pack["docs"])
        bare = [n for n, data in slow.nodes(data=True) if doc_of(n) in excluded]
        assert bare and all(not slow.nodes[n] for n in bare)
    assert nx.utils.graphs_equal(fast, slow)
    assert dict(fast.nodes(data=True)) == dict(slow.nodes(data=True))
    assert slow.number_of_edges() > 1000


def test_graph_pack_that_is_stale_or_holds_classes_is_not_used(tmp_path: Path,
                                                                small_store: Path) -> None:
    db = tmp_path / "kb.sqlite"
    shutil.copyfile(small_store, db)
    whole = build_graph(KnowledgeBase.open(db))
    con = sqlite3.connect(db)
    # A pickle that names a class (here a harmless one) is refused: no code runs on open.
    evil = pickle.dumps({"format": "networkx-adjacency-1", "node": collections.OrderedDict(),
                         "succ": {}, "pred": {}, "docs": []})
    assert unpack_graph(evil) is None
    stamp = con.execute("SELECT stamp FROM graph_pack").fetchone()[0]
    con.execute("UPDATE graph_pack SET data = ?", (evil,))
    con.commit()
    assert Store.open_readonly(db).graph_pack() is None
    assert nx.utils.graphs_equal(build_graph(KnowledgeBase.open(db)), whole)  # from the tables
    # A pack older than the tables (an importer that rewrote them but not the pack) is ignored.
    con.execute("UPDATE graph_pack SET data = ?", (Store.open_readonly(small_store).con.execute(
        "SELECT data FROM graph_pack").fetchone()[0],))
    con.commit()
    assert Store.open_readonly(db).graph_pack() is not None
    con.execute("DELETE FROM graph_edges WHERE rowid = (SELECT max(rowid) FROM graph_edges)")
    con.commit()
    assert con.execute("SELECT stamp FROM graph_pack").fetchone()[0] == stamp
    assert Store.open_readonly(db).graph_pack() is None


def test_graph_layers_store_over_builtin_documents(small_kb: KnowledgeBase) -> None:
    g = small_kb.graph
    assert g.edges[f"{HUSLL}/kapittel/1", f"{HUSLL}/§1-1"]["kind"] == "inneholder"
    assert g.edges[f"{HUSLL}/§1-2", f"{HUSLL}/§1-3"]["kind"] == "viser_til"
    assert g.edges["forskrift/1997-01-10-16", "lov/1996-06-07-32/§2"]["kind"] == "hjemmel"
    store_docs = {m.id for m in small_kb.sources[0].documents()}
    builtin_only = [d.meta.id for d in small_kb.rulebook.builtin_documents()
                    if d.meta.id not in store_docs]
    for doc_id in builtin_only:  # documents only the rules/ know still appear, from rules/
        assert g.nodes[doc_id]["kind"] == "dokument"


def test_graph_from_kb_without_store_is_possible() -> None:
    from regelsjekk.core.model import Document, DocumentMeta, Node, Origin, Reference
    from regelsjekk.kb.sources import MemorySource

    d = "lov/2099-01-01-1"
    doc = Document(meta=DocumentMeta(id=d, kind="lov", origin=Origin.BUILTIN, title="Prøve"),
                   nodes=[Node(id=d, kind=NodeKind.DOCUMENT, doc_id=d),
                          Node(id=f"{d}/§1", kind=NodeKind.SECTION, doc_id=d, parent_id=d),
                          Node(id=f"{d}/§1/ledd/1", kind=NodeKind.LEDD, doc_id=d,
                               parent_id=f"{d}/§1")],
                   references=[Reference(source=f"{d}/§1/ledd/1", target="lov/2000-01-01-2/§3")])
    g = build_graph(KnowledgeBase([MemorySource([doc])]))
    assert set(g.nodes) == {d, f"{d}/§1", "lov/2000-01-01-2/§3"}
    assert g.edges[f"{d}/§1", "lov/2000-01-01-2/§3"]["kind"] == "viser_til"
    assert g.nodes["lov/2000-01-01-2/§3"]["known"] is False


def _archive(tmp_path: Path, name: str, members: dict[str, bytes], mode: str) -> Path:
    path = tmp_path / name
    with tarfile.open(path, mode) as tf:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("name", "mode"), [("a.tar.xz", "w:xz"), ("a.tar.gz", "w:gz"),
                                            ("a.tar", "w")])
def test_other_archive_formats(tmp_path: Path, name: str, mode: str) -> None:
    data = doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "x")
    path = _archive(tmp_path, name, {"lti/2099/en.xml": data}, mode)
    summary = run_import([Source(path)], tmp_path / "kb.sqlite", workers=0)
    assert summary.imported == 1 and summary.archives[0].status == "fullført"


def test_archive_without_lovdata_xml_is_flagged(tmp_path: Path) -> None:
    # Shaped like the normalised JSON archive, which is never importer input.
    path = _archive(tmp_path, "normalisert.tar.xz",
                    {"data/normalized/gjeldende-lover/lov-2099-01-01-1.json": b'{"id": "x"}'},
                    "w:xz")
    summary = run_import([Source(path)], tmp_path / "kb.sqlite", workers=0)
    assert summary.archives[0].status == "ingen_dokumenter"
    assert "normaliserte JSON-arkivet" in summary.archives[0].message
    assert summary.failed and summary.skipped["ikke_xml_navn"] == 1



def test_cli_import_builds_the_lookup_and_forslag_indexes(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    """Issue 18: what lookups and forslag derive from a store is built by the import, so the
    first `slå-opp` or `forslag` afterwards loads it instead of building it."""
    from regelsjekk.forslag import index as forslag_index
    from regelsjekk.refs import index as refs_index

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = write_folder(tmp_path / "f", {"en.xml": doc_xml("forskrift/2099-01-01-1",
                                                             "LTI/forskrift/2099-01-01-1", "x")})
    db = tmp_path / "kb.sqlite"
    assert cli_main(["--db", str(db), "import", "-q", str(folder)]) == 0
    kb = KnowledgeBase.open(db)
    for name, code in (("forslag", forslag_index._CODE), ("navn", refs_index._CODE)):
        target = paths.derived_cache_file(name, kb, code)
        assert target is not None and target.is_file(), name


def test_the_import_counts_promulgated_regulations_per_year_once(tmp_path: Path) -> None:
    """What the trial library covers is counted at import (meta) and read back by every process
    that lists trials, instead of a scan of every document; a store without it is counted then."""
    folder = write_folder(tmp_path / "f", {
        "a.xml": doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "x"),
        "b.xml": doc_xml("forskrift/2099-02-01-2", "LTI/forskrift/2099-02-01-2", "y"),
        "c.xml": doc_xml("forskrift/2098-03-01-3", "LTI/forskrift/2098-03-01-3", "z")})
    db = tmp_path / "kb.sqlite"
    run_import([Source(folder)], db, fresh=True)
    with sqlite3.connect(db) as con:
        stored = json.loads(con.execute(
            "SELECT value FROM meta WHERE key = 'promulgated_years'").fetchone()[0])
    assert stored == {"2098": 1, "2099": 2}
    assert Store.open_readonly(db).promulgated_years() == stored
    with sqlite3.connect(db) as con:  # the reader takes the count from meta, not from a scan
        con.execute("UPDATE meta SET value = '{\"1999\": 7}' WHERE key = 'promulgated_years'")
    assert Store.open_readonly(db).promulgated_years() == {"1999": 7}
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM meta WHERE key = 'promulgated_years'")
    assert Store.open_readonly(db).promulgated_years() == stored  # counted from the documents


# -- the full-text index built beside the post-pass (lovdata.fulltext.SideIndex) ---------------

_RANKED = ("SELECT n.id, round(bm25(node_fts), 6), snippet(node_fts, -1, '', '', '…', 12) "
           "FROM node_fts JOIN nodes n ON n.nid = node_fts.rowid WHERE node_fts MATCH ? "
           "ORDER BY bm25(node_fts), n.id LIMIT 30")


def test_a_fresh_stores_full_text_index_is_the_one_its_rows_give(small_store: Path,
                                                                  tmp_path: Path) -> None:
    """Into an empty store the index is built in a side file while the post-pass runs and
    copied in (lovdata.fulltext.SideIndex): FTS5's integrity-check passes, and every search
    ranks exactly as in an index filled row by row from the same rows (as an import into a
    store with documents fills it)."""
    copy = tmp_path / "kb.sqlite"
    shutil.copyfile(small_store, copy)
    con = sqlite3.connect(copy, isolation_level=None)
    con.execute("INSERT INTO node_fts(node_fts) VALUES ('integrity-check')")
    declaration = con.execute("SELECT sql FROM sqlite_master WHERE name = 'node_fts'").fetchone()[0]
    con.execute(declaration.replace("node_fts", "probe", 1))
    con.execute("INSERT INTO probe(probe, rank) VALUES ('hashsize', 8388608)")
    con.execute("BEGIN")
    con.execute("INSERT INTO probe(rowid, heading, text) SELECT nid, heading, text FROM nodes "
                "WHERE heading IS NOT NULL OR text IS NOT NULL ORDER BY nid")
    con.execute("COMMIT")
    words = ["husleie", "forsøk*", "kommunen", "leie AND bolig", "heading: formål", '"skal ha"']
    ours = [con.execute(_RANKED, (w,)).fetchall() for w in words]
    probe = [con.execute(_RANKED.replace("node_fts", "probe"), (w,)).fetchall() for w in words]
    assert all(ours) and ours == probe
    assert con.execute("SELECT count(*) FROM node_fts_docsize").fetchone() == \
        con.execute("SELECT count(*) FROM probe_docsize").fetchone()
    assert not list(small_store.parent.glob(f".{small_store.name}.tmp-*"))


def test_a_version_replaced_during_a_fresh_import_leaves_the_index(tmp_path: Path) -> None:
    """Two versions of one document in one fresh import: only the one that answers is indexed
    (its rows wait until the end and the replaced version's are dropped)."""
    db = tmp_path / "kb.sqlite"
    folder = write_folder(tmp_path / "f", {
        "a.xml": doc_xml("lov/2099-03-03-3", "LTI/lov/2099-03-03-3", "kunngjort tekst"),
        "b.xml": doc_xml("lov/2099-03-03-3", "NL/lov/2099-03-03-3", "gjeldende tekst"),
        "c.xml": doc_xml("forskrift/2099-01-01-2", "LTI/forskrift/2099-01-01-2", "andre tekst"),
    })
    summary = run_import([Source(folder)], db, fresh=True, workers=0)
    assert summary.superseded == 1
    store = Store.open_readonly(db)
    assert not store.search_text("kunngjort")
    assert store.search_text("gjeldende")[0].node_id == "lov/2099-03-03-3/§1/ledd/1"
    assert store.search_text("andre")[0].node_id == "forskrift/2099-01-01-2/§1/ledd/1"
    con = sqlite3.connect(db)
    con.execute("INSERT INTO node_fts(node_fts) VALUES ('integrity-check')")
    assert con.execute("SELECT count(*) FROM node_fts_docsize WHERE id NOT IN "
                       "(SELECT nid FROM nodes)").fetchone() == (0,)  # no row of the old version
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))


def _one_document_store(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A store imported from a folder of one document: (store, folder, the store's bytes)."""
    db = tmp_path / "kb.sqlite"
    folder = write_folder(tmp_path / "f", {
        "a.xml": doc_xml("forskrift/2099-01-01-1", "LTI/forskrift/2099-01-01-1", "første")})
    run_import([Source(folder)], db, workers=0)
    return db, folder, db.read_bytes()


def test_a_failed_full_text_build_leaves_the_previous_store_and_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture) -> None:
    import regelsjekk.lovdata.fulltext as fulltext
    from regelsjekk.lovdata.errors import ImportFailed

    db, folder, before = _one_document_store(tmp_path)

    def broken(*args: object) -> None:
        raise OSError("disken ble full (simulert)")

    monkeypatch.setattr(fulltext, "build_side_index", broken)
    with pytest.raises(ImportFailed, match="fulltekstindeksen.*ledig plass på disken"):
        run_import([Source(folder)], db, fresh=True, workers=0)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))
    err = capfd.readouterr().err
    assert "fulltekstindeksen: OSError: disken ble full" in err and "Traceback" not in err


def test_a_failed_repeal_reader_beside_the_post_pass_leaves_the_previous_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repeals of a fresh import are read in a forked child (lovdata.pipeline.ForkedCall):
    if it fails, the import fails with its cause, the old store stays, no child is left."""
    import multiprocessing

    import regelsjekk.lovdata.load as load
    from regelsjekk.lovdata.pipeline import PipelineFailed

    db, folder, before = _one_document_store(tmp_path)

    def broken(*args: object) -> None:
        raise MemoryError("tom for minne (simulert)")

    monkeypatch.setattr(load, "rows_in_memory", broken)
    with pytest.raises(PipelineFailed, match="oppheving.*MemoryError: tom for minne"):
        run_import([Source(folder)], db, fresh=True, workers=0)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))
    assert not [p for p in multiprocessing.active_children() if p.name == "oppheving"]


def test_a_failed_copy_of_the_full_text_index_keeps_the_cause_and_the_previous_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from regelsjekk.lovdata.fulltext import SideIndex

    db, folder, before = _one_document_store(tmp_path)
    monkeypatch.setattr(SideIndex, "PARTS", ("data", "finnes_ikke"))
    with pytest.raises(sqlite3.OperationalError, match="finnes_ikke"):
        run_import([Source(folder)], db, fresh=True, workers=0)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))
