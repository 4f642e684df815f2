"""The knowledge base: documents and provisions from every source, with tags from rules/.

This is the one object the checker, the citation resolver, the suggestion engine and both user
interfaces read. It layers an imported store (full text, every law) over the built-in knowledge
base (rules/ alone), so the same code answers on a fresh machine and on a full import.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from regelsjekk.core import ids, paths
from regelsjekk.core.ids import doc_of
from regelsjekk.core.model import (
    DocumentMeta,
    EffectiveTag,
    Node,
    NodeKind,
    Reference,
    RefKind,
    Status,
)
from regelsjekk.kb.catalogue import CatalogueSource
from regelsjekk.kb.sources import BuiltinSource, MemorySource, NodeSource, TextHit

T = TypeVar("T")

if TYPE_CHECKING:
    import networkx as nx

    from regelsjekk.rules.rulebook import Rulebook


class KnowledgeBase:
    """Documents, nodes, references and tags, answered by the first source that has a document.

    Sources are ordered: an imported store first, the built-in knowledge base last. A document is
    answered wholly by one source (no mixing of two versions of a law); summaries written in
    rules/ are laid over imported nodes so our own words show next to the statute text.
    """

    def __init__(self, sources: list[NodeSource], rulebook: Rulebook | None = None,
                 store_path: Path | None = None) -> None:
        self.sources = sources
        self.rulebook = rulebook
        self.store_path = store_path
        self._doc_source: dict[str, NodeSource] = {}
        for source in reversed(sources):  # earlier sources win …
            # A source may list bare ids cheaply (the store: no metadata parsed at start-up).
            ids = getattr(source, "document_ids", None)
            promulgated = getattr(source, "promulgated_ids", None)
            as_promulgated: set[str] = set()
            if promulgated is not None:
                # Only a document a later source already answers can be kept from this one.
                as_promulgated = promulgated([d for d, s in self._doc_source.items()
                                              if not getattr(s, "fallback", False)])
            for doc_id in ids() if ids is not None else (m.id for m in source.documents()):
                if doc_id in as_promulgated and doc_id in self._doc_source and \
                        not getattr(self._doc_source[doc_id], "fallback", False):
                    # … except that a law's current structure (built in from rules/) beats its
                    # text as promulgated in Lovtidend, which lacks every later amendment. The
                    # catalogue does not: an imported text (with its hjemmel and references)
                    # tells more than a name and a list of §§.
                    continue
                self._doc_source[doc_id] = source
        self._summaries: dict[str, str] = rulebook.summaries() if rulebook else {}
        self._graph: nx.DiGraph | None = None
        self._graph_lock = threading.Lock()
        self._derived: dict[str, object] = {}
        # Set by builtin()/open(): the sources are exactly rules/ (and the store file), so what is
        # derived from this knowledge base may be cached on disk under their names. A knowledge
        # base put together from other sources (tests, tools) is never cached.
        self.cacheable = False
        self._derived_lock = threading.RLock()  # a build may ask for another derived structure

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def builtin(cls, rules_dir: Path | None = None) -> KnowledgeBase:
        """The knowledge base from rules/ alone (no import needed)."""
        from regelsjekk.rules.rulebook import load_rulebook

        rulebook = load_rulebook(rules_dir or paths.rules_dir())
        kb = cls([BuiltinSource(rulebook), CatalogueSource()], rulebook)
        kb.cacheable = True
        return kb

    @classmethod
    def open(cls, store_path: Path | None = None, rules_dir: Path | None = None) -> KnowledgeBase:
        """The imported store (if one exists at store_path or the default place) over rules/."""
        from regelsjekk.rules.rulebook import load_rulebook

        rulebook = load_rulebook(rules_dir or paths.rules_dir())
        builtin = BuiltinSource(rulebook)
        path = store_path or paths.default_store_path()
        sources: list[NodeSource] = [builtin, CatalogueSource()]
        if path.exists():
            from regelsjekk.kb.store import Store

            sources.insert(0, Store.open_readonly(path))
        else:
            path = None
        kb = cls(sources, rulebook, store_path=path)
        kb.cacheable = True
        return kb

    # -- documents and nodes ---------------------------------------------------------------

    @property
    def code_files(self) -> list[Path]:
        """The code that decides what this knowledge base answers (a key of derived caches)."""
        here = Path(__file__).resolve().parent
        return [here / n for n in ("knowledge.py", "sources.py", "store.py", "catalogue.py")]

    @property
    def data_files(self) -> list[Path]:
        """The files this knowledge base reads its documents from (keys of derived caches)."""
        return [Path(s.path) for s in self.sources
                if getattr(s, "path", None) is not None and Path(s.path).is_file()]

    @property
    def has_import(self) -> bool:
        return self.store_path is not None

    def document_count(self) -> int:
        """How many documents answer (no metadata read: the catalogue alone has 4,088)."""
        return len(self._doc_source)

    def documents(self) -> Iterator[DocumentMeta]:
        for doc_id, source in self._doc_source.items():
            meta = source.document(doc_id)
            if meta is not None:
                yield meta

    def document(self, doc_id: str) -> DocumentMeta | None:
        source = self._doc_source.get(doc_id)
        return source.document(doc_id) if source else None

    def listed_current(self, doc_id: str) -> DocumentMeta | None:
        """The document as Lovdata's lists of current law give it (the built-in structure or the
        catalogue), even where an imported text answers for it; None if no list has it."""
        for source in self.sources:
            if hasattr(source, "archives"):  # an imported store: not a list of current law
                continue
            meta = source.document(doc_id)
            if meta is not None:
                return meta
        return None

    def _source_for(self, node_id: str) -> NodeSource | None:
        return self._doc_source.get(doc_of(node_id))

    def _with_summary(self, node: Node | None) -> Node | None:
        if node is not None and node.summary is None and node.id in self._summaries:
            return node.model_copy(update={"summary": self._summaries[node.id]})
        return node

    def node(self, node_id: str) -> Node | None:
        source = self._source_for(node_id)
        return self._with_summary(source.node(node_id)) if source else None

    def __contains__(self, node_id: str) -> bool:
        return self.node(node_id) is not None

    def children(self, node_id: str) -> list[Node]:
        source = self._source_for(node_id)
        return [self._with_summary(n) for n in source.children(node_id)] if source else []

    def nodes_of(self, doc_id: str) -> list[Node]:
        source = self._doc_source.get(doc_id)
        return [self._with_summary(n) for n in source.nodes_of(doc_id)] if source else []

    def parent(self, node_id: str) -> Node | None:
        node = self.node(node_id)
        return self.node(node.parent_id) if node and node.parent_id else None

    def ancestors(self, node_id: str) -> list[Node]:
        """Parents from the nearest up to the document node."""
        out: list[Node] = []
        node = self.node(node_id)
        while node is not None and node.parent_id is not None:
            node = self.node(node.parent_id)
            if node is not None:
                out.append(node)
        return out

    def notes(self, node_ids: list[str]) -> list[tuple[str, str, str | None, str]]:
        """(node id, kind, label, text) of the notes kept apart from the statute text for these
        nodes (one provision and what lies under it), in document order, from the source that
        answers their document: change history («endring»), footnotes («fotnote»), Lovtidend
        corrections («rettelse»)."""
        by_source: dict[int, tuple[object, list[str]]] = {}
        for nid in node_ids:
            source = self._source_for(nid)
            if getattr(source, "notes_for", None) is not None:
                by_source.setdefault(id(source), (source, []))[1].append(nid)
        return [note for source, ids in by_source.values() for note in source.notes_for(ids)]

    def full_text(self, node_id: str) -> str | None:
        """The node's text with its descendants' text as a lawyer reads it; None when no text is
        imported. See render_text."""
        node = self.node(node_id)
        return render_text(node, self.children) if node is not None else None

    # -- time -----------------------------------------------------------------------------------

    def data_note(self) -> str:
        """Where the law text comes from and how new it is, for every lookup and report."""
        store = next((s for s in self.sources if hasattr(s, "archives")), None)
        if store is not None:
            archives = [a for a in store.archives() if a.get("imported_at")]
            when = max((a["imported_at"] for a in archives), default=None)
            names = ", ".join(sorted(a["name"] for a in archives))
            return (f"Lovdata-import {when[:10] if when else '(ukjent dato)'}"
                    + (f" ({names})" if names else "")
                    + "; lover uten import fra den innebygde kunnskapsbasen")
        latest = self._list_dates()
        names = {"gjeldende-lover": "gjeldende lover", "gjeldende-sentrale-forskrifter":
                 "sentrale forskrifter"}
        parts = [f"{names.get(d, d)} per {day}" for d, day in sorted(latest.items())]
        return ("Innebygd kunnskapsbase (rules/): struktur og overskrifter fra Lovdatas "
                + (" og ".join(parts) if parts else "data (ukjent dato)") + ", uten lovtekst")

    def _list_dates(self) -> dict[str, str]:
        """Per dataset of Lovdata's lists of current law (the built-in structure, the catalogue),
        the date it was read: {"gjeldende-lover": "2026-05-02", …}."""
        latest: dict[str, str] = {}
        builtin = [s for s in self.sources if isinstance(s, MemorySource)]  # the catalogue: same data
        for m in (m for s in builtin for m in s.documents()):
            if m.source_archive and "/" in m.source_archive:
                dataset, day = m.source_archive.rsplit("/", 1)
                latest[dataset] = max(day, latest.get(dataset, day))
        return latest

    def list_date(self) -> date | None:
        """The date of the list of current laws that rules/ was curated against (what a curated
        repeal without a date is known by), or None without the built-in structure."""
        day = self._list_dates().get("gjeldende-lover")
        try:
            return date.fromisoformat(day) if day else None
        except ValueError:
            return None

    def status(self, node_id: str, as_of: date) -> Status | None:
        """Where a document or provision stands on `as_of` (kb.status explains the rules)."""
        from regelsjekk.kb.status import status_reader

        return status_reader(self).status(node_id, as_of)

    # -- references and graph -----------------------------------------------------------------

    def references_from(self, node_id: str) -> list[Reference]:
        source = self._source_for(node_id)
        return source.references_from(node_id) if source else []

    def references_to(self, node_id: str) -> list[Reference]:
        out: list[Reference] = []
        for source in self.sources:
            out.extend(source.references_to(node_id))
        return out

    def regulations_under(self, node_id: str) -> list[Reference]:
        """Hjemmel links: regulations made under this provision."""
        return [r for r in self.references_to(node_id) if r.kind == RefKind.HJEMMEL]

    @property
    def graph(self) -> nx.DiGraph:
        """The networkx view, built once per knowledge base on first use."""
        if self._graph is None:
            with self._graph_lock:
                if self._graph is None:
                    from regelsjekk.kb.graph import build_graph

                    self._graph = build_graph(self)
        return self._graph

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """A structure computed once from this knowledge base (an index, a cache) and kept with it,
        so it lives exactly as long as the knowledge base it was computed from."""
        hit = self._derived.get(name)
        if hit is None:
            with self._derived_lock:
                hit = self._derived.get(name)
                if hit is None:
                    hit = build()
                    self._derived[name] = hit
        return hit  # type: ignore[return-value]

    def forget(self, name: str) -> None:
        """Drop one derived structure (benchmarks measure the cold path with it)."""
        with self._derived_lock:
            self._derived.pop(name, None)

    # -- search and tags ------------------------------------------------------------------------

    def search_text(self, query: str, limit: int = 20) -> list[TextHit]:
        hits: list[TextHit] = []
        for source in self.sources:
            hits.extend(h for h in source.search_text(query, limit)
                        if self._source_for(h.node_id) is source)
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def tags(self, node_id: str) -> list[EffectiveTag]:
        """Effective tags of a node (curated, inherited, or inferred), strongest first."""
        if self.rulebook is None:
            return []
        return self.rulebook.effective_tags(node_id, self)


_ITEM_KINDS = frozenset({NodeKind.BOKSTAV, NodeKind.NUMMER})
_HEADED_KINDS = frozenset({NodeKind.PART, NodeKind.CHAPTER, NodeKind.SECTION})


def render_text(node: Node, children: Callable[[str], list[Node]]) -> str | None:
    """A node's text and its descendants', one line per paragraph, in document order.

    A child stands where it stood in its parent's text (``Node.pos``), so a ledd reads lead-in,
    list, then the text after the list; a list item starts with its printed label ("a)", "1.")
    and is indented two spaces under the text above it, a nested list under its item's text. §,
    chapters and parts inside the node get a heading line of their own ("§ 28 (vedtak …)"). Only
    statute text is here: Lovdata's change notes and footnotes are not imported as text.
    None when nothing in the subtree has text (nothing imported).
    """
    lines: list[str] = []
    has_text = False

    def emit(n: Node, indent: str, root: bool) -> None:
        nonlocal has_text
        is_item = n.kind in _ITEM_KINDS
        label = n.label if is_item and n.label else None
        hang = indent + " " * (len(label) + 1) if label else indent
        pending = label  # goes in front of the node's first line

        def out(text: str) -> None:
            nonlocal pending
            if pending:
                lines.append(f"{indent}{pending} {text}")
                pending = None
            else:
                lines.append((hang if label else indent) + text)

        if not root and n.kind in _HEADED_KINDS:
            try:
                head = ids.human_label(n.id)
            except ids.InvalidId:
                head = ""
            head = head[:1].upper() + head[1:]
            lines.append(indent + " ".join(filter(None, (head, n.heading))))
        elif is_item and n.heading:
            out(n.heading)
        own = n.text.split("\n") if n.text else []
        has_text = has_text or bool(own)
        # What stands in this node's text: its children, and the list items its children hold
        # that stand here (pos < 0: a list filed under the ledd before it). Those are left out
        # of the child's own flow, unless the child is rendered on its own (the root).
        flow: list[tuple[int, Node]] = []
        for child in kids_of(n.id):
            if child.pos is not None and child.pos < 0 and not root:
                continue  # placed by the parent's flow
            flow.append((len(own) if child.pos is None or child.pos < 0 else child.pos, child))
            for grand in kids_of(child.id):
                if grand.pos is not None and grand.pos < 0:
                    flow.append((-1 - grand.pos, grand))
        flow.sort(key=lambda e: e[0])  # stable: document order among equal places
        done = 0
        for place, child in flow:
            at = max(done, min(place, len(own)))
            for line in own[done:at]:
                out(line)
            done = at
            if pending and child.kind in _ITEM_KINDS:
                lines.append(indent + pending)  # an item that only holds a list: its label alone
                pending = None
            emit(child, (hang if is_item else indent + "  ") if child.kind in _ITEM_KINDS
                 else indent, False)
        for line in own[done:]:
            out(line)
        if pending and lines:
            lines.append(indent + pending)

    cache: dict[str, list[Node]] = {}

    def kids_of(node_id: str) -> list[Node]:
        if node_id not in cache:
            cache[node_id] = children(node_id)
        return cache[node_id]

    emit(node, "", True)
    return "\n".join(lines) if has_text else None


@functools.lru_cache(maxsize=4)
def default_kb(store_path: str | None = None, rules_dir: str | None = None) -> KnowledgeBase:
    """One knowledge base per process and location (the CLI and app share it)."""
    return KnowledgeBase.open(Path(store_path) if store_path else None,
                              Path(rules_dir) if rules_dir else None)
