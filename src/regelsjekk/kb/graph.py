"""The knowledge base as a networkx graph: documents, parts, chapters and §§, and how they link.

Nodes are structural units only (kind ``dokument``, ``del``, ``kapittel``, ``paragraf``); ledd and
list items stay in SQLite and fold into their § here, which keeps the graph small enough to
build in well under a second from the store's precomputed ``graph_edges`` table.

Edges carry ``kind``:
  ``inneholder``  parent → child (document → chapter → §)
  ``viser_til``   a § (or document) cites another
  ``hjemmel``     a regulation → the provision it is made under (regulations_under = predecessors)
  ``endrer``      an amending act → the document or § it amends
  ``opphever``    a repealing act (its §) → the document or § it repeals
  ``erstattet_av`` a repealed document → the document that replaced it
  ``forsokshjemmel`` a trial authority's § → a document or provision it covers (from rules/)
When several kinds join the same pair, kb.store.EDGE_PRIORITY decides which one the graph keeps. Nodes that are only reference
targets (documents not imported) have ``known=False``.

Keep callers on this module's helpers (``regulations_under``, ``amended_by``, ``cited_by``) so a
faster backend can replace networkx if the graph outgrows it.
"""

from __future__ import annotations

import gc
import re
from typing import TYPE_CHECKING

import networkx as nx

from regelsjekk.core.ids import doc_of
from regelsjekk.core.model import STRUCTURAL_KINDS, NodeKind, RefKind
from regelsjekk.kb.store import EDGE_PRIORITY, graph_adjacency

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

CONTAINS = "inneholder"
_CUT = re.compile(r"/(ledd|bokstav|nummer)/")


def structural_id(node_id: str) -> str:
    """The graph node a node id belongs to: ledd and list items fold into their § or container."""
    m = _CUT.search(node_id)
    return node_id[:m.start()] if m else node_id


def _guess_kind(node_id: str) -> str:
    if "/§" in node_id:
        return NodeKind.SECTION.value
    if "/kapittel/" in node_id:
        return NodeKind.CHAPTER.value
    if "/del/" in node_id:
        return NodeKind.PART.value
    return NodeKind.DOCUMENT.value


def _add_edge(g: nx.DiGraph, u: str, v: str, kind: str) -> None:
    if u == v:
        return
    old = g.get_edge_data(u, v)
    if old is None or EDGE_PRIORITY[kind] < EDGE_PRIORITY[old["kind"]]:
        g.add_edge(u, v, kind=kind)


def _fast_layout(g: nx.DiGraph) -> bool:
    return g._succ is g._adj  # noqa: SLF001  networkx's layout that _install fills


def _install(g: nx.DiGraph, node: dict, succ: dict, pred: dict) -> nx.DiGraph:
    g._node, g._pred = node, pred  # noqa: SLF001
    g._adj = g._succ = succ  # noqa: SLF001
    return g


def _digraph_from(nodes: list[tuple], edges: list[tuple]) -> nx.DiGraph:
    """A DiGraph filled through its adjacency dicts: same result as add_nodes_from +
    add_edges_from (a test holds them equal), several times faster for the ~200,000 rows of
    the full store."""
    g = nx.DiGraph()
    if not _fast_layout(g):  # networkx changed its layout: take the public road
        g.add_nodes_from((nid, {"kind": kind, "doc": doc}) for nid, kind, doc in nodes)
        g.add_edges_from((u, v, {"kind": kind}) for u, v, kind in edges)
        return g
    return _install(g, *graph_adjacency(nodes, edges))


# -- the packed graph (kb.store.pack_graph) -------------------------------------------------


def _without_documents(pack: dict, excluded: set[str]) -> tuple[dict, dict, dict]:
    """The pack's dicts as if the rows of the excluded documents had been filtered out before
    building (as _build does for the tables): their nodes and containment edges go, while what
    their text says about other documents (references, hjemmel, repeal) stays; a node of theirs
    that a kept edge still touches stays bare, as an edge to an unseen node leaves it."""
    node, succ, pred = pack["node"], pack["succ"], pack["pred"]
    if not excluded:
        return node, succ, pred
    prefixes = tuple(f"{doc}/" for doc in excluded)
    touched = []
    for nid in [n for n in node if n in excluded or n.startswith(prefixes)]:
        for v in [v for v, d in succ[nid].items() if d.get("kind") == CONTAINS]:
            del pred[v][nid]
            del succ[nid][v]
            touched.append(v)
        node[nid] = {}
        touched.append(nid)
    for nid in touched:
        if nid in node and not node[nid] and not succ[nid] and not pred[nid]:
            del node[nid], succ[nid], pred[nid]
    return node, succ, pred


def build_graph(kb: KnowledgeBase) -> nx.DiGraph:
    """One graph over every source, each document taken from the source that answers it."""
    enabled = gc.isenabled()
    gc.disable()  # half a million new dicts: the cyclic collector would rescan them repeatedly
    try:
        return _build(kb)
    finally:
        if enabled:
            gc.enable()


def _build(kb: KnowledgeBase) -> nx.DiGraph:
    g = nx.DiGraph()
    owner = kb._doc_source  # noqa: SLF001  doc id -> the source that answers it
    for source in kb.sources:
        if not getattr(source, "in_graph", True):
            continue  # the catalogue of uncurated laws: by name and §, not in the graph
        answered = {doc_id for doc_id, s in owner.items() if s is source}
        if not answered:
            continue
        graph_pack = getattr(source, "graph_pack", None)
        if graph_pack is not None and g.number_of_nodes() == 0 and _fast_layout(g):
            pack = graph_pack()  # the SQLite store's graph as packed at import
            if pack is not None:
                excluded = {doc for doc in pack["docs"] if doc not in answered}
                g = _install(g, *_without_documents(pack, excluded))
                continue
        graph_rows = getattr(source, "graph_rows", None)
        if graph_rows is not None:  # the SQLite store: precomputed at import
            nodes, edges = graph_rows()
            store_docs = {doc for _, kind, doc in nodes if kind == NodeKind.DOCUMENT.value}
            if g.number_of_nodes() == 0:
                if not store_docs <= answered:  # another source answers some: take only ours
                    nodes = [n for n in nodes if n[2] in answered]
                    # Structure comes from the source that answers; what a text says about other
                    # documents (references, hjemmel, repeal) stays true whichever source shows it.
                    edges = [e for e in edges if e[2] != CONTAINS or doc_of(e[0]) in answered]
                g = _digraph_from(nodes, edges)
            else:  # a graph is already under way: merge ours in, edge by edge
                g.add_nodes_from((nid, {"kind": kind, "doc": doc}) for nid, kind, doc in nodes
                                 if doc in answered)
                for u, v, kind in edges:
                    if kind != CONTAINS or doc_of(u) in answered:
                        _add_edge(g, u, v, kind)
            continue
        for doc_id in answered:
            meta = source.document(doc_id)  # a built-in forskrift's hjemmel is curated metadata
            for h in (meta.based_on if meta is not None else []):
                _add_edge(g, doc_id, structural_id(h), RefKind.HJEMMEL.value)
            for nid, kind, parent in _structure(source, doc_id):
                g.add_node(nid, kind=kind, doc=doc_id)
                if parent:
                    _add_edge(g, parent, nid, CONTAINS)
        for kind in RefKind:
            for ref in source.references_of_kind(kind):
                u = structural_id(ref.source)
                if doc_of(u) in answered:
                    _add_edge(g, u, structural_id(ref.target), kind.value)
    _add_coverage(g, kb)
    for node_id, data in g.nodes(data=True):
        if "kind" not in data:
            data["kind"] = _guess_kind(node_id)
            data["doc"] = doc_of(node_id)
            data["known"] = False
    return g


def _structure(source: object, doc_id: str) -> list[tuple[str, str, str | None]]:
    """(id, kind, parent id) of a document's structural nodes: from the source's own rows where
    it keeps them (the built-in documents), else from its nodes."""
    rows = getattr(source, "structure_rows", None)
    if rows is not None:
        return rows(doc_id)
    return [(n.id, n.kind.value, n.parent_id) for n in source.nodes_of(doc_id)  # type: ignore[attr-defined]
            if n.kind in STRUCTURAL_KINDS]


COVERS = "forsokshjemmel"


def _add_coverage(g: nx.DiGraph, kb: KnowledgeBase) -> None:
    """Trial-authority coverage from rules/hjemler.yaml: the authority's § → each document,
    chapter or provision it covers, and → each forskrift made under a law whose regulations it
    covers (found through the forskrift's hjemmel edges). Added when the graph is built, so a
    change to rules/ needs no new import."""
    if kb.rulebook is None:
        return
    authorities = kb.rulebook.trial_authorities()
    wanted = {law for a in authorities for law in a.covers_regulations_under}
    made_under: dict[str, set[str]] = {}  # law -> forskrifter with a hjemmel edge into it
    if wanted:
        # The nodes of those laws (doc_of(v) in wanted: the document or an id under it, bare
        # ones an edge added included), then their incoming hjemmel edges: a pass over the
        # nodes' ids instead of over every edge with its data (a third of opening the graph).
        hjemmel = RefKind.HJEMMEL.value
        under = tuple(f"{law}/" for law in wanted)
        pred = g.pred
        for v in g:
            if v in wanted or v.startswith(under):
                for u, data in pred[v].items():
                    if data.get("kind") == hjemmel and u.startswith("forskrift/"):
                        made_under.setdefault(doc_of(v), set()).add(doc_of(u))
    for auth in authorities:
        source = structural_id(auth.provision)
        for covered in auth.covers:
            _add_edge(g, source, structural_id(covered), COVERS)
        for law in auth.covers_regulations_under:
            for reg in sorted(made_under.get(law, ())):
                _add_edge(g, source, reg, COVERS)


def covered_by(g: nx.DiGraph, node_id: str) -> list[str]:
    """Trial authorities (their §) that cover this document, chapter or provision directly."""
    return _preds(g, node_id, COVERS)


def _preds(g: nx.DiGraph, node_id: str, kind: str) -> list[str]:
    if node_id not in g:
        return []
    return sorted(u for u, _, k in g.in_edges(node_id, data="kind") if k == kind)


def regulations_under(g: nx.DiGraph, node_id: str) -> list[str]:
    """Documents that name this provision (or document) as their hjemmel."""
    return _preds(g, node_id, RefKind.HJEMMEL.value)


def amended_by(g: nx.DiGraph, node_id: str) -> list[str]:
    """Acts and regulations that amend this document or §."""
    return _preds(g, node_id, RefKind.AMENDS.value)


def cited_by(g: nx.DiGraph, node_id: str) -> list[str]:
    return _preds(g, node_id, RefKind.CITES.value)


def cites(g: nx.DiGraph, node_id: str) -> list[str]:
    if node_id not in g:
        return []
    return sorted(v for _, v, k in g.out_edges(node_id, data="kind") if k == RefKind.CITES.value)
