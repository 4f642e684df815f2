"""The imported knowledge base: one SQLite file, read-only at run time.

Tables: ``documents`` (every version seen, one ``active`` per doc id, with provenance: source
archive, file, content hash, dates), ``nodes`` (only the active version's nodes), ``refs``,
``ranges`` (cross-document "§§ x til y" awaiting the target's § order), ``archives`` (what was
imported from where), ``graph_nodes``/``graph_edges`` (the §-level graph, precomputed so
start-up is fast; node order is document order), ``graph_pack`` (the same graph as networkx's
dicts, pickled without classes, stamped with the import it belongs to: see kb/graph.py), and
``node_fts`` (FTS5 over heading and text; unicode61 without diacritics removal so æ, ø, å stay).
regelsjekk.lovdata writes the file (into a temp file, then os.replace); this module reads it.
"""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from regelsjekk.core.errors import RegelsjekkError
from regelsjekk.core.model import (
    STRUCTURAL_KINDS,
    DocKind,
    DocumentMeta,
    Node,
    NodeKind,
    Origin,
    Reference,
    RefKind,
)
from regelsjekk.kb.sources import TextHit

SCHEMA_VERSION = "2"
# Version 1 lacked nodes.label and nodes.pos; such a store is still read (text in the old order)
# and an import into it adds the columns (lovdata.load).
READABLE_VERSIONS = ("1", SCHEMA_VERSION)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS archives(
    name TEXT PRIMARY KEY, path TEXT, size INTEGER, mtime REAL, sha256 TEXT,
    remote_modified TEXT, status TEXT, message TEXT, documents INTEGER, imported_at TEXT);
CREATE TABLE IF NOT EXISTS documents(
    dokid TEXT PRIMARY KEY, doc_id TEXT NOT NULL, active INTEGER NOT NULL, kind TEXT,
    origin TEXT, title TEXT, title_short TEXT, abbreviation TEXT, date_in_force TEXT,
    date_of_publication TEXT, last_change_in_force TEXT, source_archive TEXT, source_file TEXT,
    content_hash TEXT, superseded_by TEXT, seq INTEGER, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes(
    nid INTEGER PRIMARY KEY, id TEXT NOT NULL, doc_id TEXT NOT NULL, parent_id TEXT,
    kind TEXT NOT NULL, number TEXT, heading TEXT, text TEXT, ord INTEGER NOT NULL,
    label TEXT, pos INTEGER);
CREATE TABLE IF NOT EXISTS refs(
    source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, text TEXT,
    doc_id TEXT NOT NULL, derived INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS ranges(
    source TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, text TEXT, doc_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes(
    node_id TEXT NOT NULL, doc_id TEXT NOT NULL, kind TEXT NOT NULL, label TEXT, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_nodes(id TEXT NOT NULL, kind TEXT NOT NULL, doc_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_edges(src TEXT NOT NULL, dst TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_pack(stamp TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS trials(doc_id TEXT PRIMARY KEY, kind TEXT NOT NULL, start TEXT,
    data TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS node_fts USING fts5(
    heading, text, content='nodes', content_rowid='nid',
    tokenize="unicode61 remove_diacritics 0");
"""

# Created after a bulk load (cheaper than maintaining them row by row).
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS documents_active ON documents(doc_id) WHERE active = 1;
CREATE INDEX IF NOT EXISTS documents_doc ON documents(doc_id);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE UNIQUE INDEX IF NOT EXISTS nodes_id ON nodes(id);
CREATE INDEX IF NOT EXISTS nodes_doc ON nodes(doc_id);
CREATE INDEX IF NOT EXISTS nodes_parent ON nodes(parent_id);
CREATE INDEX IF NOT EXISTS refs_source ON refs(source);
CREATE INDEX IF NOT EXISTS refs_target ON refs(target);
CREATE INDEX IF NOT EXISTS refs_doc ON refs(doc_id);
CREATE INDEX IF NOT EXISTS refs_kind ON refs(kind);
CREATE INDEX IF NOT EXISTS ranges_doc ON ranges(doc_id);
CREATE INDEX IF NOT EXISTS notes_node ON notes(node_id);
CREATE INDEX IF NOT EXISTS notes_doc ON notes(doc_id);
"""

GRAPH_KINDS = tuple(k.value for k in STRUCTURAL_KINDS)
# The graph keeps one edge per ordered pair: when several kinds join it, the most telling wins.
EDGE_PRIORITY = {"inneholder": 0, RefKind.REPEALS.value: 1, RefKind.SUCCEEDED_BY.value: 2,
                 RefKind.HJEMMEL.value: 3, "forsokshjemmel": 4, RefKind.AMENDS.value: 5,
                 RefKind.SETS_ASIDE.value: 6, RefKind.CITES.value: 7}
_NODE_COLS = "id, kind, doc_id, parent_id, number, heading, text, ord, label, pos"
_NODE_COLS_V1 = "id, kind, doc_id, parent_id, number, heading, text, ord, NULL, NULL"
_REF_COLS = "source, target, kind, text"
_TOKEN = re.compile(r"\w+", re.UNICODE)


# What a store holds, by the names the import summary and `regelsjekk` show.
_COUNTS = {
    "dokumenter": "SELECT count(*) FROM documents WHERE active = 1",
    "versjoner_satt_til_side": "SELECT count(*) FROM documents WHERE active = 0",
    "noder": "SELECT count(*) FROM nodes",
    "henvisninger": "SELECT count(*) FROM refs",
}


def count_rows(con: sqlite3.Connection) -> dict[str, int]:
    """Documents that answer, versions set aside, nodes and references in a store."""
    return {name: con.execute(sql).fetchone()[0] for name, sql in _COUNTS.items()}


def graph_stamp(con: sqlite3.Connection, lock: threading.Lock | None = None) -> str:
    """What the graph pack must match: when the store was imported and how many graph rows it
    has (an older importer that rewrites the tables but not the pack changes both)."""
    with lock or contextlib.nullcontext():
        row = con.execute("SELECT (SELECT value FROM meta WHERE key = 'imported_at'), "
                          "(SELECT max(rowid) FROM graph_nodes), "
                          "(SELECT max(rowid) FROM graph_edges)").fetchone()
    return json.dumps(list(row))


def graph_adjacency(nodes: list[tuple], edges: list[tuple]) -> tuple[dict, dict, dict]:
    """networkx's three dicts (node attributes, successors, predecessors) for these rows, filled
    as add_nodes_from + add_edges_from would fill them: an edge to an unseen node adds it bare."""
    node = {nid: {"kind": kind, "doc": doc} for nid, kind, doc in nodes}
    succ: dict[str, dict] = {nid: {} for nid in node}
    pred: dict[str, dict] = {nid: {} for nid in node}
    for u, v, kind in edges:
        out = succ.get(u)
        if out is None:
            node[u], out, pred[u] = {}, {}, {}
            succ[u] = out
        into = pred.get(v)
        if into is None:
            node[v], succ[v], into = {}, {}, {}
            pred[v] = into
        out[v] = into[u] = {"kind": kind}
    return node, succ, pred


# -- the packed graph ---------------------------------------------------------------------------
# The import stores the store's graph once more as networkx's own three dicts, pickled into
# the graph_pack table (write_graph_pack): unpickling builds the ~400,000 dicts in C, several times faster than
# reading the rows and filling the dicts in Python, which is what keeps opening the knowledge
# base with its graph well under a second. The tables stay the source of truth; a pack that is
# missing, stale or unreadable is ignored and the graph is built from the tables.

PACK_FORMAT = "networkx-adjacency-1"


def pack_graph(nodes: list[tuple], edges: list[tuple]) -> bytes:
    """The store's graph rows as a pickle of plain dicts, lists and strings (no classes)."""
    one: dict[str, str] = {}  # one object per distinct string: the pickle then refers back to it
    same = one.setdefault
    nodes = [(same(n, n), same(k, k), same(d, d)) for n, k, d in nodes]
    edges = [(same(u, u), same(v, v), same(k, k)) for u, v, k in edges]
    node, succ, pred = graph_adjacency(nodes, edges)
    docs = sorted({doc for _, _, doc in nodes})
    return pickle.dumps({"format": PACK_FORMAT, "node": node, "succ": succ, "pred": pred,
                         "docs": docs}, protocol=pickle.HIGHEST_PROTOCOL)


class _PlainUnpickler(pickle.Unpickler):
    """Refuses every class and function: a pack may only hold dicts, lists and strings, so a
    tampered knowledge-base file cannot run code when the graph is opened."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"grafpakken inneholder {module}.{name}; avvist")


def unpack_graph(blob: bytes) -> dict | None:
    """The pack's dicts, or None when it is not a pack this code wrote (then use the tables)."""
    try:
        pack = _PlainUnpickler(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001  damaged or foreign: the tables still answer
        return None
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT or not all(
            isinstance(pack.get(k), dict) for k in ("node", "succ", "pred")):
        return None
    return pack


def write_graph_pack(con: sqlite3.Connection) -> None:
    """Pack the graph tables for fast opening (call after they and meta.imported_at are final)."""
    stamp, nodes, edges = graph_rows(con)
    store_graph_pack(con, stamp, pack_graph(nodes, edges))


def graph_rows(con: sqlite3.Connection) -> tuple[str, list[tuple], list[tuple]]:
    """The stamp and the rows a pack is made of (the import packs them beside its last steps)."""
    nodes = con.execute("SELECT id, kind, doc_id FROM graph_nodes ORDER BY rowid").fetchall()
    edges = con.execute("SELECT src, dst, kind FROM graph_edges ORDER BY rowid").fetchall()
    return graph_stamp(con), nodes, edges


def store_graph_pack(con: sqlite3.Connection, stamp: str, pack: bytes) -> None:
    con.execute("DELETE FROM graph_pack")
    con.execute("INSERT INTO graph_pack(stamp, data) VALUES (?, ?)", (stamp, pack))


class StoreError(RegelsjekkError):
    """The store file is missing, unreadable or from an incompatible version."""


def _node(row: tuple) -> Node:
    return Node.model_construct(id=row[0], kind=NodeKind(row[1]), doc_id=row[2],
                                parent_id=row[3], number=row[4], heading=row[5], text=row[6],
                                summary=None, order=row[7], label=row[8], pos=row[9])


def _ref(row: tuple) -> Reference:
    return Reference.model_construct(source=row[0], target=row[1], kind=RefKind(row[2]),
                                     text=row[3])


def count_promulgated_years(con: sqlite3.Connection) -> dict[str, int]:
    """Regulations as promulgated in Lovtidend, per year of their date, counted in the store
    (the import stores the result in meta ``promulgated_years``; Store.promulgated_years reads it)."""
    return dict(con.execute(
        "SELECT substr(doc_id, instr(doc_id, '/') + 1, 4) AS y, count(*) FROM documents "
        "WHERE active = 1 AND origin = ? AND kind = 'forskrift' GROUP BY y ORDER BY y",
        (Origin.LOVTIDEND.value,)).fetchall())


class Store:
    """A NodeSource over the SQLite file. Safe to share between threads (queries serialised)."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self.con = con
        self.path = path
        self._lock = threading.Lock()
        self._has_text: bool | None = None
        self._meta_cache: dict[str, DocumentMeta] = {}
        version = self.meta_value("schema_version")
        self._node_cols = _NODE_COLS if version == SCHEMA_VERSION else _NODE_COLS_V1
        if version not in READABLE_VERSIONS:
            raise StoreError(f"{path}: kunnskapsbasen har skjemaversjon «{version}», forventet "
                             f"«{SCHEMA_VERSION}». Kjør `regelsjekk import --ny …` på nytt.")

    @classmethod
    def open_readonly(cls, path: Path | str) -> Store:
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"{path}: kunnskapsbasen finnes ikke. Kjør `regelsjekk import`.")
        uri = f"file:{path.resolve().as_posix()}?mode=ro"
        try:
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            con.execute("PRAGMA query_only = ON")
            return cls(con, path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: kan ikke leses som kunnskapsbase ({exc}).") from None

    def close(self) -> None:
        self.con.close()

    def _all(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, params).fetchall()

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        with self._lock:
            return self.con.execute(sql, params).fetchone()

    def meta_value(self, key: str) -> str | None:
        try:
            row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    # -- NodeSource --------------------------------------------------------------------------

    def documents(self) -> Iterator[DocumentMeta]:
        for doc_id, meta in self._all("SELECT doc_id, meta FROM documents WHERE active = 1 "
                                      "ORDER BY doc_id"):
            yield self._meta(doc_id, meta)

    def document_ids(self) -> list[str]:
        """Ids of the documents that answer (cheap: the knowledge base needs only these to open)."""
        return [r[0] for r in self._all("SELECT doc_id FROM documents WHERE active = 1 "
                                        "ORDER BY doc_id")]

    def promulgated_ids(self, among: Iterable[str] | None = None) -> set[str]:
        """Documents the store knows only as promulgated in Lovtidend (no consolidated version),
        of those in ``among`` (all when None: 17,500 rows with the shared archives; the knowledge
        base asks only about the few that rules/ also has).

        The knowledge base lets a current structure from rules/ answer for these: an original
        text from 1992 or 2018 must not hide provisions added since.
        """
        sql = "SELECT doc_id FROM documents WHERE active = 1 AND origin = ?"
        if among is None:
            return {r[0] for r in self._all(sql, (Origin.LOVTIDEND.value,))}
        wanted = list(dict.fromkeys(among))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            part = wanted[i:i + 500]
            found.update(r[0] for r in self._all(
                f"{sql} AND doc_id IN ({','.join('?' * len(part))})",
                (Origin.LOVTIDEND.value, *part)))
        return found

    def document(self, doc_id: str) -> DocumentMeta | None:
        if doc_id in self._meta_cache:
            return self._meta_cache[doc_id]
        row = self._one("SELECT meta FROM documents WHERE doc_id = ? AND active = 1", (doc_id,))
        return self._meta(doc_id, row[0]) if row else None

    def _meta(self, doc_id: str, raw: str) -> DocumentMeta:
        meta = self._meta_cache.get(doc_id)
        if meta is None:
            # Written by our importer from a validated model: rebuild without re-validating
            # (opening the full store reads every document's metadata).
            data = json.loads(raw)
            data["kind"] = DocKind(data["kind"])
            data["origin"] = Origin(data["origin"])
            meta = DocumentMeta.model_construct(**data)
            self._meta_cache[doc_id] = meta
        return meta

    def trial_rows(self) -> list[str] | None:
        """The trial library written at import (JSON per trial); None: the store predates it."""
        try:
            return [r[0] for r in self._all("SELECT data FROM trials ORDER BY doc_id")]
        except sqlite3.OperationalError:
            return None

    def notes_for(self, node_ids: list[str]) -> list[tuple[str, str, str | None, str]]:
        """(node id, kind, label, text) of the notes kept apart from these nodes' text, in
        document order: «endring» (Lovdata's «Endret ved …»), «fotnote», a Lovtidend correction
        («rettelse»). A store imported before notes were kept has none."""
        wanted = list(dict.fromkeys(node_ids))
        found: list[tuple[int, tuple]] = []
        try:
            for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
                part = wanted[i:i + 500]
                found.extend((r[0], tuple(r[1:])) for r in self._all(
                    "SELECT rowid, node_id, kind, label, text FROM notes "
                    f"WHERE node_id IN ({','.join('?' * len(part))})", tuple(part)))
        except sqlite3.OperationalError:
            return []
        return [note for _, note in sorted(found)]

    def promulgated_years(self) -> dict[str, int]:
        """Regulations as promulgated in Lovtidend, per year of their date (what the library covers):
        counted at import (meta ``promulgated_years``); a store written before that is counted now."""
        raw = self.meta_value("promulgated_years")
        if raw:
            try:
                return {str(k): int(v) for k, v in json.loads(raw).items()}
            except (ValueError, AttributeError, TypeError):
                pass
        with self._lock:
            return count_promulgated_years(self.con)

    def node(self, node_id: str) -> Node | None:
        row = self._one(f"SELECT {self._node_cols} FROM nodes WHERE id = ?", (node_id,))
        return _node(row) if row else None

    def children(self, node_id: str) -> list[Node]:
        return [_node(r) for r in self._all(
            f"SELECT {self._node_cols} FROM nodes WHERE parent_id = ? ORDER BY nid", (node_id,))]

    def nodes_of(self, doc_id: str) -> list[Node]:
        return [_node(r) for r in self._all(
            f"SELECT {self._node_cols} FROM nodes WHERE doc_id = ? ORDER BY nid", (doc_id,))]

    def references_from(self, node_id: str) -> list[Reference]:
        return [_ref(r) for r in self._all(
            f"SELECT {_REF_COLS} FROM refs WHERE source = ? ORDER BY rowid", (node_id,))]

    def references_to(self, node_id: str) -> list[Reference]:
        return [_ref(r) for r in self._all(
            f"SELECT {_REF_COLS} FROM refs WHERE target = ? ORDER BY rowid", (node_id,))]

    def references_of_kind(self, kind: RefKind) -> Iterator[Reference]:
        return iter([_ref(r) for r in self._all(
            f"SELECT {_REF_COLS} FROM refs WHERE kind = ? ORDER BY rowid", (kind.value,))])

    def search_text(self, query: str, limit: int = 20) -> list[TextHit]:
        """Full-text search (all words, each as a prefix), best first; score in (0, 1)."""
        tokens = _TOKEN.findall(query.lower())
        if not tokens:
            return []
        match = " ".join(f'"{t}"*' for t in tokens)
        rows = self._all(
            "SELECT n.id, bm25(node_fts) AS rank, snippet(node_fts, -1, '', '', '…', 16) "
            "FROM node_fts JOIN nodes n ON n.nid = node_fts.rowid "
            "WHERE node_fts MATCH ? ORDER BY rank LIMIT ?", (match, limit))
        return [TextHit(node_id, -rank / (1 - rank), snippet) for node_id, rank, snippet in rows]

    @property
    def has_text(self) -> bool:
        if self._has_text is None:
            self._has_text = self._one("SELECT 1 FROM nodes WHERE text IS NOT NULL LIMIT 1") \
                is not None
        return self._has_text

    # -- beyond the protocol ------------------------------------------------------------------

    def document_versions(self, doc_id: str) -> list[dict[str, Any]]:
        """Every version recorded under a doc id (active first): what answers and what was set aside."""
        cols = ("dokid", "active", "origin", "source_archive", "source_file", "content_hash",
                "date_of_publication", "superseded_by")
        rows = self._all(f"SELECT {', '.join(cols)} FROM documents WHERE doc_id = ? "
                         "ORDER BY active DESC, seq", (doc_id,))
        return [dict(zip(cols, r)) for r in rows]

    def archives(self) -> list[dict[str, Any]]:
        cols = ("name", "path", "size", "sha256", "remote_modified", "status", "message",
                "documents", "imported_at")
        return [dict(zip(cols, r)) for r in self._all(
            f"SELECT {', '.join(cols)} FROM archives ORDER BY name")]

    def counts(self) -> dict[str, int]:
        with self._lock:
            return count_rows(self.con)

    def graph_pack(self) -> dict | None:
        """The graph as packed at import (unpack_graph), or None when this store has no
        pack, or one older than its graph tables (then graph_rows answers)."""
        try:
            row = self._one("SELECT stamp, data FROM graph_pack")
            if row is None or row[0] != graph_stamp(self.con, self._lock):
                return None
        except sqlite3.DatabaseError:  # a store from before the pack
            return None
        return unpack_graph(row[1])

    def graph_rows(self) -> tuple[list[tuple], list[tuple]]:
        """Structural nodes (id, kind, doc_id) and precomputed §-level edges (src, dst, kind)."""
        nodes = self._all("SELECT id, kind, doc_id FROM graph_nodes")
        edges = self._all("SELECT src, dst, kind FROM graph_edges")
        return nodes, edges

