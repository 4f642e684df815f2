"""The full-text index (FTS5 over node headings and texts) as the import builds it.

Into an existing store the writer (load.py) keeps the index up to date row by row: it must take
out the rows of the documents it replaces. Into a new store the index is built last, beside the
post-pass, by SideIndex, and copied in.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from regelsjekk.lovdata.errors import ImportFailed
from regelsjekk.lovdata.pipeline import ForkedCall, PipelineFailed

# FTS5 writes its pending terms out as a new segment each time they pass 'hashsize' (1 MB by
# default) and merges segments as they pile up; 8 MB made an eighth of the segments and saved
# about a fifth of the index's build time, 32 MB another 5 % and a quarter of the index's size
# over the shared archives (38 → 30 MB: fewer, fuller segments), for ~24 MB more memory in the
# process that builds it (same index content, same search results).
FTS_HASHSIZE = 32 * 1024 * 1024


def indexed_rows(documents: Iterable[list[tuple] | None]) -> Iterator[tuple]:
    """(nid, heading, text) of every node row with either, from the writer's node rows
    (nid, id, doc_id, parent_id, kind, number, heading, text, …) per document (None: dropped)."""
    for rows in documents:
        if rows is not None:
            for row in rows:
                if row[6] is not None or row[7] is not None:
                    yield row[0], row[6], row[7]


def set_hashsize(con: sqlite3.Connection) -> None:
    con.execute("INSERT INTO node_fts(node_fts, rank) VALUES ('hashsize', ?)", (FTS_HASHSIZE,))


class SideIndex:
    """The full-text index of a store that started empty, built by a forked process into a
    file beside the temp store while the post-pass runs, then copied into the store's FTS5
    tables as it is.

    Writing the index row by row during the import cost the writer a quarter of its time while
    every core was busy; the post-pass leaves one core idle. The side table is declared exactly
    as the store's (its SQL read from the store), so its shadow tables (data, idx, docsize,
    config) are the index the store would have built; the tests compare ranked searches with an
    index filled row by row, run FTS5's integrity-check and match every indexed row to a node.
    The rows reach the child by fork (pipeline.ForkedCall: no copy), as the writer's node rows:
    picking heading and text out of them is the child's work too; without fork the index is
    built in this process when it is installed."""

    PARTS = ("data", "idx", "docsize", "config")

    def __init__(self, tmp: Path, con: sqlite3.Connection, rows: Iterable[tuple]) -> None:
        self.path = tmp.with_name(tmp.name + "-fts")  # matches the stale-temp-file cleanup
        self.path.unlink(missing_ok=True)
        declaration = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'node_fts'").fetchone()[0]
        self.call = ForkedCall("fulltekstindeks", build_side_index, self.path, declaration, rows)

    def install(self, con: sqlite3.Connection) -> None:
        """Wait for the index and copy it into the store (outside any open transaction)."""
        try:
            self.call.result()
        except PipelineFailed:
            print(f"regelsjekk import: fulltekstindeksen: {self.call.cause}", file=sys.stderr)
            raise ImportFailed(
                f"fulltekstindeksen kunne ikke bygges ({self.call.cause}); kunnskapsbasen er "
                f"uendret. Den bygges i en fil ved siden av kunnskapsbasen ({self.path.parent}): "
                "sjekk at det er ledig plass på disken der, og prøv igjen") from None
        con.execute("ATTACH DATABASE ? AS fulltekst", (str(self.path),))
        try:
            con.execute("BEGIN")
            for part in self.PARTS:
                con.execute(f"DELETE FROM main.node_fts_{part}")
                con.execute(f"INSERT INTO main.node_fts_{part} SELECT * FROM fulltekst.node_fts_{part}")
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # so that DETACH can run and the cause shows
                con.execute("ROLLBACK")
            raise
        finally:
            con.execute("DETACH DATABASE fulltekst")
        self.discard()

    def discard(self) -> None:
        """Stop the builder if it still runs (the import failed) and remove its file."""
        self.call.discard()
        self.path.unlink(missing_ok=True)


def build_side_index(path: Path, declaration: str, rows: Iterable[tuple]) -> None:
    side = sqlite3.connect(path, isolation_level=None)
    try:
        side.execute("PRAGMA journal_mode = OFF")
        side.execute("PRAGMA synchronous = OFF")
        side.execute(declaration)
        set_hashsize(side)
        side.execute("BEGIN")
        side.executemany("INSERT INTO node_fts(rowid, heading, text) VALUES (?,?,?)", rows)
        side.execute("COMMIT")
    finally:
        side.close()
