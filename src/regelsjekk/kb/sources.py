"""Where provisions come from: the contract every source of documents fulfils.

Three sources exist: the built-in one (rules/, in memory), the catalogue of every other current
law and regulation (kb/catalogue.py) and the imported store (SQLite). The knowledge base
(kb/knowledge.py) layers them; nothing above it needs to know which answered. Optional
attributes a source may have: ``path`` (its data file, a key of derived caches), ``in_graph``
(False: left out of the graph) and ``fallback`` (True: never answers over another source).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Protocol

from regelsjekk.core.ids import doc_of
from regelsjekk.core.model import Document, DocumentMeta, Node, Reference, RefKind


class TextHit(NamedTuple):
    node_id: str
    score: float  # higher is better
    snippet: str


class NodeSource(Protocol):
    """Read access to documents and their nodes. Implementations must be cheap to query."""

    def documents(self) -> Iterator[DocumentMeta]: ...

    def document(self, doc_id: str) -> DocumentMeta | None: ...

    def node(self, node_id: str) -> Node | None: ...

    def children(self, node_id: str) -> list[Node]: ...

    def nodes_of(self, doc_id: str) -> list[Node]: ...

    def references_from(self, node_id: str) -> list[Reference]: ...

    def references_to(self, node_id: str) -> list[Reference]: ...

    def references_of_kind(self, kind: RefKind) -> Iterator[Reference]: ...

    def search_text(self, query: str, limit: int = 20) -> list[TextHit]: ...

    @property
    def has_text(self) -> bool: ...


class MemorySource:
    """A NodeSource over documents held in memory (the built-in knowledge base, tests)."""

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self._docs: dict[str, DocumentMeta] = {}
        self._nodes: dict[str, Node] = {}
        self._doc_nodes: dict[str, list[Node]] = {}
        self._children: dict[str, list[Node]] = defaultdict(list)
        self._refs_out: dict[str, list[Reference]] = defaultdict(list)
        self._refs_in: dict[str, list[Reference]] = defaultdict(list)
        self._refs: list[Reference] = []
        for doc in documents:
            self.add(doc)

    def add(self, doc: Document) -> None:
        """Add or replace one document."""
        if doc.meta.id in self._docs:
            self.remove(doc.meta.id)
        self._docs[doc.meta.id] = doc.meta
        self._doc_nodes[doc.meta.id] = list(doc.nodes)
        for node in doc.nodes:
            self._nodes[node.id] = node
            if node.parent_id is not None:
                self._children[node.parent_id].append(node)
        for ref in doc.references:
            self._refs.append(ref)
            self._refs_out[ref.source].append(ref)
            self._refs_in[ref.target].append(ref)

    def remove(self, doc_id: str) -> None:
        for node in self._doc_nodes.pop(doc_id, []):
            self._nodes.pop(node.id, None)
            self._children.pop(node.id, None)
            self._refs_out.pop(node.id, None)
        self._docs.pop(doc_id, None)
        # By document id, not by prefix: lov/2018-06-22-8 is not part of lov/2018-06-22-83.
        self._refs = [r for r in self._refs if doc_of(r.source) != doc_id]
        for key in list(self._refs_in):
            self._refs_in[key] = [r for r in self._refs_in[key] if doc_of(r.source) != doc_id]

    def documents(self) -> Iterator[DocumentMeta]:
        return iter(list(self._docs.values()))

    def document(self, doc_id: str) -> DocumentMeta | None:
        return self._docs.get(doc_id)

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def children(self, node_id: str) -> list[Node]:
        return sorted(self._children.get(node_id, []), key=lambda n: n.order)

    def nodes_of(self, doc_id: str) -> list[Node]:
        return list(self._doc_nodes.get(doc_id, []))

    def references_from(self, node_id: str) -> list[Reference]:
        return list(self._refs_out.get(node_id, []))

    def references_to(self, node_id: str) -> list[Reference]:
        return list(self._refs_in.get(node_id, []))

    def references_of_kind(self, kind: RefKind) -> Iterator[Reference]:
        return (r for r in self._refs if r.kind == kind)

    def search_text(self, query: str, limit: int = 20) -> list[TextHit]:
        """Plain substring search over headings, summaries and text (no index in memory)."""
        words = [w for w in query.lower().split() if w]
        if not words:
            return []
        hits: list[TextHit] = []
        for node in self._nodes.values():
            hay = " ".join(filter(None, (node.heading, node.summary, node.text))).lower()
            if not hay:
                continue
            found = sum(1 for w in words if w in hay)
            if found:
                hits.append(TextHit(node.id, found / len(words), (node.heading or node.text or "")[:160]))
        hits.sort(key=lambda h: (-h.score, h.node_id))
        return hits[:limit]

    @property
    def has_text(self) -> bool:
        return any(n.text for n in self._nodes.values())


class BuiltinSource(MemorySource):
    """The built-in documents of rules/ (a MemorySource), each added on first use: a lookup of
    kommuneloven § 19-1 unpickles kommuneloven's structure, not all 62 documents'. Metadata and
    ids answer without loading nodes."""

    def __init__(self, rulebook: BuiltinDocuments) -> None:
        super().__init__()
        self._book = rulebook
        self._ids = rulebook.builtin_document_ids()
        self._pending = set(self._ids)
        self._lock = threading.RLock()

    def _load(self, doc_id: str) -> None:
        if doc_id in self._pending:
            with self._lock:
                if doc_id in self._pending:
                    doc = self._book.builtin_document(doc_id)
                    if doc is not None:
                        self.add(doc)
                    self._pending.discard(doc_id)

    def _load_all(self) -> None:
        for doc_id in self._ids:
            self._load(doc_id)

    def document_ids(self) -> list[str]:
        return list(self._ids)

    def documents(self) -> Iterator[DocumentMeta]:
        return iter([m for m in map(self._book.builtin_meta, self._ids) if m is not None])

    def document(self, doc_id: str) -> DocumentMeta | None:
        return self._book.builtin_meta(doc_id)

    def node(self, node_id: str) -> Node | None:
        self._load(doc_of(node_id))
        return super().node(node_id)

    def children(self, node_id: str) -> list[Node]:
        self._load(doc_of(node_id))
        return super().children(node_id)

    def nodes_of(self, doc_id: str) -> list[Node]:
        self._load(doc_id)
        return super().nodes_of(doc_id)

    def structure_rows(self, doc_id: str) -> list[tuple[str, str, str | None]]:
        """The document's structural nodes as (id, kind, parent id), for the graph: read from the
        rulebook without loading the document's nodes."""
        return self._book.builtin_structure(doc_id)

    def references_from(self, node_id: str) -> list[Reference]:
        self._load(doc_of(node_id))
        return super().references_from(node_id)

    def references_to(self, node_id: str) -> list[Reference]:
        if not self._book.builtin_has_references():
            return []
        self._load_all()  # a reference into this document may come from any other
        return super().references_to(node_id)

    def references_of_kind(self, kind: RefKind) -> Iterator[Reference]:
        if not self._book.builtin_has_references():
            return iter(())
        self._load_all()
        return super().references_of_kind(kind)

    def search_text(self, query: str, limit: int = 20) -> list[TextHit]:
        self._load_all()
        return super().search_text(query, limit)

    @property
    def has_text(self) -> bool:
        self._load_all()
        return super().has_text


class BuiltinDocuments(Protocol):
    """What BuiltinSource needs of the rulebook (rules.rulebook.Rulebook)."""

    def builtin_document_ids(self) -> list[str]: ...

    def builtin_meta(self, doc_id: str) -> DocumentMeta | None: ...

    def builtin_has_references(self) -> bool: ...

    def builtin_document(self, doc_id: str) -> Document | None: ...

    def builtin_structure(self, doc_id: str) -> list[tuple[str, str, str | None]]: ...
