"""Parsed rules files are kept on disk between processes; an edit to a file is never hidden."""

from __future__ import annotations

import shutil
import time

from regelsjekk.core import paths
from regelsjekk.rules import rulebook


def _fresh_process_state() -> None:
    rulebook._file_cache.clear()  # noqa: SLF001 - what a new process starts with
    rulebook._book_cache.clear()  # noqa: SLF001


def test_disk_cache_is_used_and_follows_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    _fresh_process_state()
    first = rulebook.load_rulebook(rules)
    entries = list((tmp_path / "cache" / "regelsjekk" / "regler").glob("*.pickle"))
    assert len(entries) >= len(list(rules.rglob("*.yaml"))) - 1
    _fresh_process_state()
    again = rulebook.load_rulebook(rules)
    assert again.summaries() == first.summaries()
    assert [a.model_dump() for a in again.assignments()] == [a.model_dump() for a in first.assignments()]

    law = rules / "lover" / "kommuneloven.yaml"
    text = law.read_text(encoding="utf-8")
    old = "lov/2018-06-22-83/§19-1: "
    assert old in text
    time.sleep(0.01)
    law.write_text(text.replace(old, old + "ENDRET ", 1), encoding="utf-8")  # the sammendrag line
    _fresh_process_state()
    edited = rulebook.load_rulebook(rules)
    assert edited.summaries()["lov/2018-06-22-83/§19-1"].startswith("ENDRET ")


def test_the_whole_rulebook_is_one_cached_file_that_follows_edits(tmp_path, monkeypatch):
    """A new process loads the rulebook from one file (start-up of every CLI call); an edit to any
    rules file makes a new one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    _fresh_process_state()
    first = rulebook.load_rulebook(rules)
    books = tmp_path / "cache" / "regelsjekk" / "regelbok"
    assert len(list(books.glob("*.pickle"))) == 1
    built = []
    monkeypatch.setattr(rulebook.Rulebook, "_index", lambda self: built.append(1))
    _fresh_process_state()
    again = rulebook.load_rulebook(rules)
    assert built == []  # loaded, not built
    assert again.summaries() == first.summaries()
    assert again.tag_definitions() == first.tag_definitions()
    assert len(again.builtin_documents()) == len(first.builtin_documents())
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    synonyms = rules / "synonymer.yaml"
    time.sleep(0.01)
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _fresh_process_state()
    rulebook.load_rulebook(rules)
    assert len(list(books.glob("*.pickle"))) == 2


def test_a_cached_rulebook_loads_one_document_at_a_time_and_answers_the_same(tmp_path, monkeypatch):
    """A lookup of one § unpickles that law's part of the rulebook only (CLI start-up), and the
    lazily loaded rulebook answers exactly as the one built from rules/ (order, nodes, tags)."""
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _fresh_process_state()
    built = rulebook.Rulebook(paths.rules_dir())
    lazy = pickle.loads(pickle.dumps(built))
    docs = built.builtin_document_ids()
    assert len(lazy._pending) >= len(docs) > 40  # noqa: SLF001 - nothing unpickled yet

    node = "lov/2018-06-22-83/§19-1"
    assert lazy.builtin_node(node) == built.builtin_node(node)
    assert [t.assignment for t in lazy.curated_tags(node)] == \
        [t.assignment for t in built.curated_tags(node)]
    assert "lov/2018-06-22-83" not in lazy._pending  # noqa: SLF001
    assert len(lazy._pending) >= len(docs) - 1  # noqa: SLF001 - only kommuneloven was read

    # Many threads asking at once (the app) see whole documents, never half-loaded ones.
    sample = [n.id for d in built.builtin_documents() for n in d.nodes[::97]]
    fresh = pickle.loads(pickle.dumps(built))
    with ThreadPoolExecutor(8) as pool:
        nodes = list(pool.map(fresh.builtin_node, sample))
    assert nodes == [built.builtin_node(n) for n in sample]

    assert [d.meta.id for d in lazy.builtin_documents()] == docs
    assert [d.nodes for d in lazy.builtin_documents()] == [d.nodes for d in built.builtin_documents()]
    assert lazy.curated == built.curated
    assert [law.file.dokument for law in lazy.laws] == [law.file.dokument for law in built.laws]
    for nid in sample:
        assert [t.assignment for t in lazy.effective_tags(nid, None)] == \
            [t.assignment for t in built.effective_tags(nid, None)]


def test_cache_folders_keep_only_the_most_recently_used_entries(tmp_path, monkeypatch):
    """Every edit of rules/, import or test run makes new cache entries; a folder keeps the
    CACHE_KEEP most recently used (written or loaded) and removes the rest."""
    import os

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = paths.cache_dir() / "annet"  # a folder with the default limit
    keep = paths.CACHE_KEEP_DEFAULT
    written = []
    for i in range(keep + 4):
        target = folder / f"{i:02d}.pickle"
        paths.store_cached(target, {"i": i})
        os.utime(target, ns=(i * 10**9, i * 10**9))  # written in this order, whatever the clock
        written.append(target)
    assert paths.load_cached(written[0]) is None  # long gone: the oldest were pruned
    assert paths.load_cached(written[4]) == {"i": 4}  # the oldest left, used now: kept
    paths.store_cached(folder / "new.pickle", {"i": "new"})
    left = sorted(p.name for p in folder.glob("*.pickle"))
    assert len(left) == keep
    # 04–11 were left; 05 is now the least recently used (04 was loaded), so it went.
    assert "04.pickle" in left and "new.pickle" in left and "05.pickle" not in left


def test_a_pickled_title_index_answers_as_the_built_one():
    """The citation name index is loaded from the disk cache by every CLI call, with its
    documents stored as tuples; it must answer every name and document exactly as built."""
    import pickle

    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.refs.index import title_index

    built = title_index(KnowledgeBase.builtin())
    loaded = pickle.loads(pickle.dumps(built))
    # An exact name reads only the exact table: the other parts stay pickled until asked for.
    assert loaded.lookup("kommuneloven").docs == built.lookup("kommuneloven").docs
    assert "stem" not in loaded.__dict__ and "fuzzy_keys" not in loaded.__dict__
    assert loaded.lookup("kommunelova").docs == built.lookup("kommunelova").docs
    loaded = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(built))))  # pickled twice
    assert len(loaded) == len(built) > 4000
    assert set(loaded.docs) == set(built.docs)
    for doc_id, info in built.docs.items():
        assert loaded.docs[doc_id] == info and doc_id in loaded.docs
        for name in info.names[:2]:
            assert loaded.lookup(name) == built.lookup(name)
    assert loaded.docs.get("lov/1999-99-99-99") is None


def test_the_graph_of_a_cached_rulebook_is_built_without_loading_the_documents(tmp_path, monkeypatch):
    """The built-in documents' structure for the graph comes from one small part of the cached
    rulebook: building the graph unpickles no document, and gives the same graph as one built
    from the documents' nodes (opening the knowledge base with its graph, issue 18)."""
    import pickle

    from regelsjekk.core.model import STRUCTURAL_KINDS
    from regelsjekk.kb.knowledge import KnowledgeBase

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _fresh_process_state()
    built = rulebook.Rulebook(paths.rules_dir())
    lazy = pickle.loads(pickle.dumps(built))
    for doc in built.builtin_documents():
        rows = [(n.id, n.kind.value, n.parent_id) for n in doc.nodes if n.kind in STRUCTURAL_KINDS]
        assert lazy.builtin_structure(doc.meta.id) == rows
        assert built.builtin_structure(doc.meta.id) == rows
    docs = built.builtin_document_ids()
    assert len(lazy._pending) == len(docs)  # noqa: SLF001 - none read

    def edges(kb: KnowledgeBase) -> list[tuple]:
        return sorted((u, v, d["kind"]) for u, v, d in kb.graph.edges(data=True))

    from regelsjekk.kb.catalogue import CatalogueSource
    from regelsjekk.kb.sources import BuiltinSource

    unloaded = pickle.loads(pickle.dumps(built))
    graph_edges = edges(KnowledgeBase([BuiltinSource(unloaded), CatalogueSource()], unloaded))
    assert len(unloaded._pending) == len(docs), "building the graph unpickled documents"  # noqa: SLF001
    assert graph_edges == edges(KnowledgeBase([BuiltinSource(built), CatalogueSource()], built))
    assert sum(k == "inneholder" for _, _, k in graph_edges) > 1000
