"""After all documents are in: cross-document ranges, target fixes, full-text index, graph edges.

These steps need the whole store (a range into another law needs that law's § order; the graph
needs every reference), so they run once per import rather than per document.
"""

from __future__ import annotations

import re
import sqlite3
import time

from regelsjekk.core.model import RefKind
from regelsjekk.kb.store import EDGE_PRIORITY, GRAPH_KINDS, INDEXES, count_rows
from regelsjekk.lovdata.pipeline import ForkedCall
from regelsjekk.lovdata.refs import PendingRange, expand_range
from regelsjekk.lovdata.repeal import find_repeals
from regelsjekk.lovdata.summary import Summary
from regelsjekk.lovdata.trials import find_trials


def finish_store(con: sqlite3.Connection, summary: Summary, rulebook: object | None = None,
                 repeals: ForkedCall | None = None) -> None:
    """The post-pass; `repeals`: the repeal rows being read beside it (load.py), if any."""
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.phases[f"etterarbeid: {name}"] += now - clock
        clock = now

    _create_indexes(con)
    lap("indekser")
    _expand_ranges(con, summary)
    _fix_targets(con, summary)
    lap("henvisninger")
    find_repeals(con, summary, repeals.result() if repeals is not None else None)
    lap("oppheving")
    find_trials(con, summary, rulebook)
    lap("tidligere forsøk")
    _graph_edges(con)
    lap("graf")
    summary.totals = count_rows(con)


def _create_indexes(con: sqlite3.Connection) -> None:
    # One statement at a time: executescript would first commit the import's open transaction.
    for statement in INDEXES.strip().split(";"):
        if statement.strip():
            con.execute(statement)


def section_order(con: sqlite3.Connection, doc_id: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT id FROM nodes WHERE doc_id = ? AND kind = 'paragraf' "
                                      "ORDER BY nid", (doc_id,))]


def _expand_ranges(con: sqlite3.Connection, summary: Summary) -> None:
    """'§§ 1-1 til 1-4' into another document: expand now that its § order may be known."""
    con.execute("DELETE FROM refs WHERE derived = 1")
    orders: dict[str, list[str]] = {}
    rows = []
    for source, first, last, text, doc_id in con.execute(
            "SELECT source, first, last, text, doc_id FROM ranges").fetchall():
        target_doc = first.split("/§", 1)[0]
        if target_doc not in orders:
            orders[target_doc] = section_order(con, target_doc)
        expanded = expand_range(PendingRange(source, first, last, text), orders[target_doc])
        if expanded is None:
            summary.notes["intervall_ikke_utvidet"] += 1
            continue
        summary.notes["intervall_utvidet"] += 1
        rows.extend((source, t, RefKind.CITES.value, text, doc_id, 1) for t in expanded if t != last)
    con.executemany("INSERT INTO refs(source, target, kind, text, doc_id, derived) "
                    "VALUES (?,?,?,?,?,?)", rows)


def _exists(con: sqlite3.Connection, node_id: str) -> bool:
    return con.execute("SELECT 1 FROM nodes WHERE id = ?", (node_id,)).fetchone() is not None


def _fix_targets(con: sqlite3.Connection, summary: Summary) -> None:
    """Make refined or abbreviated targets point at nodes that exist (conservatively).

    - "§ 1-2 annet ledd" refined to …/ledd/2 but that law's § 1-2 has one ledd: back to the §.
    - Lovdata links "…/§51/bokstav/a" skip the ledd: if exactly one ledd of § 51 has a bokstav a,
      point there.
    """
    fixes = []
    for rowid, target in con.execute("SELECT rowid, target FROM refs WHERE derived = 2").fetchall():
        if _exists(con, target):
            continue
        section = target.split("/ledd/", 1)[0]
        if _exists(con, section):
            fixes.append((section, 0, rowid))
            summary.notes["ledd_henvisning_tilbake_til_paragraf"] += 1
    for rowid, target in con.execute(
            "SELECT rowid, target FROM refs WHERE derived = 0 AND (target LIKE '%/bokstav/%' OR "
            "target LIKE '%/nummer/%') AND target NOT LIKE '%/ledd/%'").fetchall():
        if _exists(con, target) or "/§" not in target:
            continue
        head, _, tail = target.partition("/bokstav/") if "/bokstav/" in target else \
            target.partition("/nummer/")
        seg = "bokstav" if "/bokstav/" in target else "nummer"
        candidates = [r[0] for r in con.execute(
            "SELECT id FROM nodes WHERE id GLOB ? LIMIT 3",
            (f"{_glob_escape(head)}/ledd/*/{seg}/{_glob_escape(tail)}",))]
        candidates = [c for c in candidates if c.count("/ledd/") == 1 and "/" not in
                      c.split("/ledd/", 1)[1].split("/", 1)[0]]
        if len(candidates) == 1:
            fixes.append((candidates[0], 0, rowid))
            summary.notes["henvisning_til_bokstav_uten_ledd_rettet"] += 1
    con.executemany("UPDATE refs SET target = ?, derived = ? WHERE rowid = ?", fixes)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _graph_edges(con: sqlite3.Connection) -> None:
    """Precompute the §-level graph (containment + references) so opening it is cheap.

    Ledd and list items fold into their § (or chapter/document) by cutting the id at the first
    /ledd/, /bokstav/ or /nummer/; of several kinds between the same pair the most telling wins.
    """
    con.execute("DELETE FROM graph_edges")
    con.execute("DELETE FROM graph_nodes")
    marks = ", ".join("?" * len(GRAPH_KINDS))
    con.execute(f"INSERT INTO graph_nodes(id, kind, doc_id) SELECT id, kind, doc_id FROM nodes "
                f"WHERE kind IN ({marks}) ORDER BY nid", GRAPH_KINDS)
    con.execute(f"INSERT INTO graph_edges(src, dst, kind) SELECT parent_id, id, 'inneholder' "
                f"FROM nodes WHERE kind IN ({marks}) AND parent_id IS NOT NULL", GRAPH_KINDS)
    cut = ("substr({c}, 1, min(coalesce(nullif(instr({c}, '/ledd/'), 0), 1000000), "
           "coalesce(nullif(instr({c}, '/bokstav/'), 0), 1000000), "
           "coalesce(nullif(instr({c}, '/nummer/'), 0), 1000000)) - 1)")
    prio = " ".join(f"WHEN '{k}' THEN {v}" for k, v in EDGE_PRIORITY.items())
    names = " ".join(f"WHEN {v} THEN '{k}'" for k, v in EDGE_PRIORITY.items())
    con.execute(
        f"INSERT INTO graph_edges(src, dst, kind) "
        f"SELECT u, v, CASE min(p) {names} END FROM ("
        f"  SELECT {cut.format(c='source')} AS u, {cut.format(c='target')} AS v, "
        f"         CASE kind {prio} END AS p FROM refs) "
        f"WHERE u != v AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.parent_id = u AND n.id = v) "
        f"GROUP BY u, v")
