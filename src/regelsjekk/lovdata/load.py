"""Import sources into the store: parse in a worker pool, write in one transaction, atomically.

A reader process streams and decompresses archives, worker processes parse (lxml → rows) and
the main process writes SQLite (pipeline.py). The store is built in a temp file beside the
target (an incremental import copies the old store first) and moved into place with os.replace
only when everything is written, so a failed or killed import leaves the previous knowledge base
untouched.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from regelsjekk.core.model import Origin
from regelsjekk.kb.store import (
    INDEXES,
    SCHEMA,
    SCHEMA_VERSION,
    graph_rows,
    pack_graph,
    store_graph_pack,
)
from regelsjekk.lovdata import PARSER_VERSION
from regelsjekk.lovdata.archive import Limits, not_regular_message
from regelsjekk.lovdata.errors import ImportFailed
from regelsjekk.lovdata.fulltext import SideIndex, indexed_rows, set_hashsize
from regelsjekk.lovdata.pipeline import ForkedCall, Pipeline
from regelsjekk.lovdata.postpass import finish_store
from regelsjekk.lovdata.repeal import rows_in_memory
from regelsjekk.lovdata.summary import ArchiveResult, Summary

ProgressFn = Callable[..., None]


@dataclass(frozen=True)
class Source:
    path: Path
    name: str | None = None  # archive name to record (defaults to the file name)
    remote_modified: str | None = None  # lastModified from Lovdata's list, for --download


_DOCUMENT = ("INSERT INTO documents(dokid, doc_id, kind, origin, title, title_short, abbreviation, "
             "date_in_force, date_of_publication, last_change_in_force, source_archive, "
             "source_file, content_hash, active, superseded_by, seq, meta) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,{meta})")
_INSERTS = {  # in this order: a document's row before its nodes
    "documents": _DOCUMENT.format(meta="?"),
    "nodes": "INSERT INTO nodes(nid, id, doc_id, parent_id, kind, number, heading, text, ord, "
             "label, pos) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "refs": "INSERT INTO refs(source, target, kind, text, doc_id, derived) VALUES (?,?,?,?,?,?)",
    "ranges": "INSERT INTO ranges(source, first, last, text, doc_id) VALUES (?,?,?,?,?)",
    "notes": "INSERT INTO notes(node_id, doc_id, kind, label, text) VALUES (?,?,?,?,?)",
}


# A version set aside is not in force as far as the knowledge base is concerned.
_SET_ASIDE = _DOCUMENT.format(meta="json_set(?, '$.in_force', json('false'))")


class _Writer:
    """Applies parsed documents to the open store, deciding which version answers a doc id."""

    def __init__(self, con: sqlite3.Connection, summary: Summary) -> None:
        self.con = con
        self.summary = summary
        self.watermark = con.execute("SELECT coalesce(max(nid), 0) FROM nodes").fetchone()[0]
        self.next_nid = self.watermark + 1
        self.fts_rows: list[tuple] = []
        # Into an empty store the full-text index is built at the end, beside the post-pass
        # (SideIndex): each document's node rows wait here as written (the child picks heading
        # and text out of them), so a version replaced meanwhile drops out (deferred_at).
        self.deferred: list[list[tuple] | None] | None = [] if self.watermark == 0 else None
        self.deferred_at: dict[str, int] = {}  # doc_id -> its rows' place in deferred
        self.seq = con.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]
        # doc_id -> {dokid: (active, origin, date_of_publication, seq)}
        self.versions: dict[str, dict[str, tuple]] = {}
        self.by_dokid: dict[str, str] = {}
        for dokid, doc_id, active, origin, pub, seq in con.execute(
                "SELECT dokid, doc_id, active, origin, date_of_publication, seq FROM documents"):
            self.versions.setdefault(doc_id, {})[dokid] = (active, origin, pub or "", seq)
            self.by_dokid[dokid] = doc_id
        self.hashes = {h for (h,) in con.execute("SELECT content_hash FROM documents")}
        self.replaced = 0  # documents whose stored content was deleted (updated or superseded)
        # Rows wait here and go in one executemany per table and batch (flush): one call per
        # document and table was a fifth of the writer's time. Anything that updates or deletes
        # rows flushes first, so the store sees every statement in the order it was made.
        self.pending: dict[str, list[tuple]] = {t: [] for t in _INSERTS}

    def flush(self) -> None:
        """Write the rows waiting in self.pending."""
        for table, rows in self.pending.items():
            if rows:
                self.con.executemany(_INSERTS[table], rows)
                rows.clear()

    @staticmethod
    def _rank(origin: str, pub: str, seq: int) -> tuple:
        return (origin == Origin.CONSOLIDATED.value, pub, seq)

    def flush_fts(self) -> None:
        """Index pending rows; done in batches while workers parse, so little is left at the end."""
        if self.fts_rows:
            self.con.executemany("INSERT INTO node_fts(rowid, heading, text) VALUES (?,?,?)",
                                 self.fts_rows)
            self.fts_rows = []

    def _delete_content(self, doc_id: str) -> None:
        self.flush()
        self.replaced += 1
        if self.deferred is not None:  # not indexed yet: forget its rows
            at = self.deferred_at.pop(doc_id, None)
            if at is not None:
                self.deferred[at] = None
        else:
            self.flush_fts()  # every stored node is indexed from here on: delete them from it
            self.con.execute(
                "INSERT INTO node_fts(node_fts, rowid, heading, text) SELECT 'delete', nid, "
                "heading, text FROM nodes WHERE doc_id = ? AND (heading IS NOT NULL OR text IS "
                "NOT NULL)", (doc_id,))
        for table in ("nodes", "refs", "ranges", "notes"):
            self.con.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))

    def apply(self, head: tuple, meta: str, nodes: list, refs: list, ranges: list,
              notes: list = ()) -> str:
        """Store one document; return imported | updated | superseded."""
        dokid, doc_id = head[0], head[1]
        self.seq += 1
        versions = self.versions.setdefault(doc_id, {})
        outcome = "imported"
        old_doc = self.by_dokid.get(dokid)
        if old_doc is not None:  # the same version seen before: replace it
            outcome = "updated"
            old_versions = self.versions.get(old_doc, {})
            if old_versions.get(dokid, (0,))[0]:
                self._delete_content(old_doc)
            old_versions.pop(dokid, None)
            self.flush()
            self.con.execute("DELETE FROM documents WHERE dokid = ?", (dokid,))
        rank = self._rank(head[3], head[8] or "", self.seq)
        active = next(((d, v) for d, v in versions.items() if v[0]), None)
        if active and self._rank(active[1][1], active[1][2], active[1][3]) > rank:
            self._insert_doc(head, meta, 0, active[0])
            versions[dokid] = (0, head[3], head[8] or "", self.seq)
            self.by_dokid[dokid] = doc_id
            return "superseded" if outcome == "imported" else outcome
        if active:
            self._delete_content(doc_id)  # flushes
            self.con.execute("UPDATE documents SET active = 0, superseded_by = ?, meta = "
                             "json_set(meta, '$.in_force', json('false')) WHERE dokid = ?",
                             (dokid, active[0]))
            versions[active[0]] = (0, *active[1][1:])
            self.summary.superseded += 1
        self._insert_doc(head, meta, 1, None)
        versions[dokid] = (1, head[3], head[8] or "", self.seq)
        self.by_dokid[dokid] = doc_id
        # nids only grow during an import (never reusing one below the watermark), and follow
        # document order, which is the order nodes_of and children read them in.
        first = self.next_nid
        self.next_nid += len(nodes)
        rows = [(first + i, *row) for i, row in enumerate(nodes)]
        self.pending["nodes"].extend(rows)
        if self.deferred is not None:
            self.deferred_at[doc_id] = len(self.deferred)
            self.deferred.append(rows)
        else:
            self.fts_rows.extend(indexed_rows([rows]))
            if len(self.fts_rows) >= 4000:
                self.flush_fts()
        self.pending["refs"].extend(refs)
        self.pending["ranges"].extend(ranges)
        self.pending["notes"].extend(notes)
        return outcome

    def _insert_doc(self, head: tuple, meta: str, active: int, superseded_by: str | None) -> None:
        # A version set aside is not in force as far as the knowledge base is concerned.
        row = (*head, active, superseded_by, self.seq, meta)
        if active:
            self.pending["documents"].append(row)
        else:  # rare (a version set aside): in its place among the documents, at once
            self.flush()
            self.con.execute(_SET_ASIDE, row)
        self.hashes.add(head[12])


def _connect_temp(db: Path, fresh: bool) -> tuple[Path, sqlite3.Connection]:
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in db.parent.glob(f".{db.name}.tmp-*"):
        stale.unlink(missing_ok=True)  # left by a killed import; we hold the lock
    tmp = db.parent / f".{db.name}.tmp-{os.getpid()}"
    if not fresh and db.exists():
        shutil.copyfile(db, tmp)
    con = sqlite3.connect(tmp, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")  # the temp file is thrown away on failure
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -200000")
    if not fresh and db.exists():
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version and version[0] == "1":
            # Version 2 added a list item's printed label and a node's place in its parent's
            # text; the parser version changed with it, so every document is read again.
            con.execute("ALTER TABLE nodes ADD COLUMN label TEXT")
            con.execute("ALTER TABLE nodes ADD COLUMN pos INTEGER")
        elif not version or version[0] != SCHEMA_VERSION:
            con.close()
            tmp.unlink(missing_ok=True)
            raise ImportFailed(f"{db}: kunnskapsbasen har en annen skjemaversjon; bruk --ny for "
                               "å bygge den på nytt fra arkivene")
    con.executescript(SCHEMA)
    set_hashsize(con)
    if not fresh and db.exists():
        con.executescript(INDEXES)
    return tmp, con


@contextlib.contextmanager
def _lock(db: Path) -> Iterator[None]:
    """One import at a time per store (readers are never blocked: they read the old file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    # The OS releases an flock when the last holder's file is closed, also on SIGKILL; the parse
    # workers are forked with this file open, so they die with the import (pipeline.py).
    with open(db.parent / f".{db.name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportFailed(f"en annen import kjører mot {db}; vent til den er ferdig og prøv "
                               "igjen (kunnskapsbasen er ikke endret)") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_workers() -> int:
    """Parse workers beside the reader and the writer: one per core (measured best on two cores:
    the reader and the writer wait often enough to share), none on a single core, at most four
    (decompression in the reader is the floor beyond that)."""
    cores = os.cpu_count() or 1
    return 0 if cores == 1 else min(cores, 4)


def run_import(sources: list[Source], db: Path, *, fresh: bool = False,
               workers: int | None = None, limits: Limits = Limits(),
               progress: ProgressFn | None = None, force: bool = False) -> Summary:
    """Import every source into the store at db; return the summary. Raises ImportFailed."""
    start = time.perf_counter()
    cpu_start = time.process_time()
    summary = Summary(db_path=str(db))
    workers = default_workers() if workers is None else workers
    gc_was_enabled = gc.isenabled()
    gc.disable()  # rows stream through without cycles; the collector would only rescan them
    try:
        _run(sources, db, fresh, workers, limits, progress, force, summary)
    finally:
        if gc_was_enabled:
            gc.enable()
    summary.seconds = time.perf_counter() - start
    summary.phases["cpu: hovedprosess"] = time.process_time() - cpu_start
    return summary


def _run(sources: list[Source], db: Path, fresh: bool, workers: int, limits: Limits,
         progress: ProgressFn | None, force: bool, summary: Summary) -> None:
    with _lock(db):
        copied = not fresh and db.exists()
        tmp, con = _connect_temp(db, fresh)
        side: SideIndex | None = None
        repeals: ForkedCall | None = None
        pack: ForkedCall | None = None
        try:
            con.execute("BEGIN")
            old_parser = con.execute("SELECT value FROM meta WHERE key = 'parser_version'").fetchone()
            force = force or (old_parser is not None and old_parser[0] != PARSER_VERSION)
            writer = _Writer(con, summary)
            plans: dict[int, _Plan] = {}

            def plan(i: int) -> _Plan:
                if i not in plans:
                    plans[i] = _plan(sources[i], con, force)
                return plans[i]

            def upcoming(i: int) -> Callable[[], tuple | None]:
                def nxt() -> tuple | None:
                    if i + 1 >= len(sources) or _name(sources[i + 1]) == _name(sources[i]):
                        return None  # same name: its plan depends on this one's result
                    after = plan(i + 1)
                    if after.result is not None:
                        return None  # not read at all
                    return sources[i + 1].path, _name(sources[i + 1]), limits, writer.hashes, force
                return nxt

            with Pipeline(workers) as pipeline:
                for i, source in enumerate(sources):
                    _import_source(source, con, writer, summary, pipeline, limits, progress,
                                   force, plan(i), upcoming(i))
            writer.flush()
            writer.flush_fts()
            t0 = time.perf_counter()
            if writer.deferred is not None:
                # Beside the post-pass, from the rows just written: the full-text index, and the
                # repeals read from the text (both need every document, neither the store).
                active = dict(con.execute("SELECT doc_id, title FROM documents WHERE active = 1"))
                repeals = ForkedCall("oppheving", rows_in_memory, writer.deferred, active)
                side = SideIndex(tmp, con, indexed_rows(writer.deferred))
                writer.deferred = None
            finish_store(con, summary, _rulebook(summary), repeals)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), "
                        "('parser_version', ?), ('imported_at', ?)",
                        (SCHEMA_VERSION, PARSER_VERSION, _now()))
            t1 = time.perf_counter()
            # Stamped with imported_at: read after it. Packed in a forked child while this
            # process commits and copies the full-text index in; stored last.
            stamp, graph_nodes, graph_edges = graph_rows(con)
            pack = ForkedCall("grafpakke", pack_graph, graph_nodes, graph_edges)
            del graph_nodes, graph_edges
            summary.phases["etterarbeid: grafpakke"] += time.perf_counter() - t1
            compact = copied and writer.replaced > 0
            if compact:
                # Replacing documents in a copied store leaves the full-text index's delete
                # markers and half-empty index pages behind: each --tving re-import grew the
                # store ~19 % (197 → 221 → 259 → 297 MB). Merge the index and rewrite the file.
                con.execute("INSERT INTO node_fts(node_fts) VALUES ('optimize')")
            con.execute("COMMIT")
            if side is not None:
                t1 = time.perf_counter()
                side.install(con)
                summary.phases["etterarbeid: fulltekstindeks (venter)"] += time.perf_counter() - t1
            t1 = time.perf_counter()
            packed = pack.result()
            con.execute("BEGIN")
            store_graph_pack(con, stamp, packed)
            con.execute("COMMIT")
            summary.phases["etterarbeid: grafpakke (venter)"] += time.perf_counter() - t1
            if compact:
                t1 = time.perf_counter()
                con.execute("VACUUM")
                summary.phases["etterarbeid: komprimering"] += time.perf_counter() - t1
            summary.phases["etterarbeid"] += time.perf_counter() - t0
            con.execute("PRAGMA journal_mode = DELETE")
            con.close()
            _replace(tmp, db)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            if side is not None:
                side.discard()
            for child in (repeals, pack):
                if child is not None:
                    child.discard()
            tmp.unlink(missing_ok=True)
            raise


def _replace(tmp: Path, db: Path) -> None:
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, db)
    with contextlib.suppress(OSError):
        dfd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _rulebook(summary: Summary) -> object | None:
    """rules/ for what the import reads with it (trial authorities, law names in time)."""
    from regelsjekk.core.paths import rules_dir
    from regelsjekk.rules.rulebook import load_rulebook
    try:
        return load_rulebook(rules_dir())
    except Exception as exc:  # a broken rules file must not stop an import: say so, go on
        summary.skip("regler_ikke_lest", f"rules/ kunne ikke leses ({exc}); forsøksbiblioteket "
                     f"bygges uten sektorhjemler og lovnavn.")
        return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _name(source: Source) -> str:
    return source.name or source.path.name


@dataclass
class _Plan:
    """Whether a source is read: `result` (status, message, documents) when it is not."""

    sha: str | None = None
    is_file: bool = False
    result: tuple[str, str, int] | None = None


def _plan(source: Source, con: sqlite3.Connection, force: bool) -> _Plan:
    path, name = source.path, _name(source)
    if not path.exists():
        return _Plan(result=("mangler", f"{path}: finnes ikke", 0))
    is_file = path.is_file()
    if not is_file and not path.is_dir():  # a FIFO or a device: reading it could block forever
        return _Plan(result=("ikke_arkiv", not_regular_message(path), 0))
    sha = _sha256_file(path) if is_file else None
    if is_file and not force:
        row = con.execute("SELECT sha256, status, documents FROM archives WHERE name = ?",
                          (name,)).fetchone()
        if row and row[0] == sha and row[1] == "fullført":
            return _Plan(sha, is_file, ("uendret", "arkivet er uendret siden forrige import",
                                        row[2] or 0))
    return _Plan(sha, is_file)


def _import_source(source: Source, con: sqlite3.Connection, writer: _Writer, summary: Summary,
                   pipeline: Pipeline, limits: Limits, progress: ProgressFn | None,
                   force: bool, plan: _Plan, upcoming: Callable[[], tuple | None]) -> None:
    path = source.path
    name = _name(source)
    result = ArchiveResult(name)
    summary.archives.append(result)
    if plan.result is not None:
        result.status, result.message, result.documents = plan.result
        if result.status == "uendret":
            summary.unchanged += result.documents
        return
    sha, is_file = plan.sha, plan.is_file
    counts: Counter = Counter()
    clock = time.perf_counter()
    for event in pipeline.run(path, name, limits, writer.hashes, force, upcoming):
        kind = event[0]
        now = time.perf_counter()
        summary.phases["lesing og tolking (venter)"] += now - clock
        if kind == "parsed":
            summary.bytes_read += event[2]
            summary.phases["cpu: tolking"] += event[3]
            for res in event[1]:
                if res[0] == "skip":
                    summary.skip(res[1], res[2])
                    continue
                _, head, meta, nodes, refs, ranges, stats, notes = res
                result.documents += 1
                if not force and head[12] in writer.hashes:
                    # Read while the previous archive's last documents were still on their way
                    # (Pipeline starts the next reader early): the same bytes are in by now, so
                    # it is unchanged, as a reader started later would have said.
                    summary.unchanged += 1
                    continue
                counts[writer.apply(head, meta, nodes, refs, ranges, notes)] += 1
                summary.notes.update(stats)
            writer.flush()
        elif kind == "skip":
            summary.skip(event[1], event[2])
        elif kind == "unchanged":
            summary.unchanged += 1
            summary.bytes_read += event[1]
            result.documents += 1
        elif kind == "end":
            result.status, result.message = event[1], event[2]
            if len(event) > 3:
                summary.phases["cpu: lesing"] += event[3]
        clock = time.perf_counter()
        summary.phases["skriving"] += clock - now
        if progress:
            progress(name, result.documents, summary.bytes_read)
    if result.status == "fullført" and result.documents == 0:
        result.status = "ingen_dokumenter"
        result.message = (f"{name}: fant ingen Lovdata-XML-dokumenter (er dette riktig arkiv? "
                          "Det normaliserte JSON-arkivet er for eksempel ikke importgrunnlag)")
    summary.imported += counts["imported"]
    summary.updated += counts["updated"]
    summary.superseded += counts["superseded"]
    if progress:
        progress(name, result.documents, summary.bytes_read, final=True)
    st = path.stat()
    con.execute("INSERT OR REPLACE INTO archives VALUES (?,?,?,?,?,?,?,?,?,?)",
                (name, str(path), st.st_size if is_file else None, st.st_mtime, sha,
                 source.remote_modified, result.status, result.message, result.documents, _now()))
