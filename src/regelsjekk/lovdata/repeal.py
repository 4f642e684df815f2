"""Repeal and succession read from the statute text, once all documents are in the store.

Lovdata's metadata says which documents an act *changes* (``changesToDocuments``), not whether it
repeals them. The text does: "Lov 1. juni 1934 nr. 1 om foreningsregister oppheves.", "Fra same tid
vert lov … oppheva", "Fra den tid loven trer i kraft, oppheves følgende lover: 1. lov …". This pass
finds such sentences and records two kinds of edge in ``refs`` (``derived = 3``, rebuilt on every
import):

  ``opphever``      the provision holding the sentence → the repealed document
  ``erstattet_av``  the repealed document → the repealing act, when that act is a new law or
                    regulation (not an act that only amends or repeals others)

Only whole documents count: a sentence that names a §, ledd, punktum or chapter repeals a part of
a law, and the consolidated text already shows that. Nothing here decides a status: kb.status
weighs these edges with the documents' dates, their origin and rules/tid.yaml.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator

from regelsjekk.core.ids import MONTHS, doc_of
from regelsjekk.core.model import RefKind
from regelsjekk.lovdata.summary import Summary

DERIVED = 3
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# "lov 1. juni 1934 nr. 1", "lov av 11. juni 1982 nr. 42", "forskrift 26. september 1983 nr. 1495"
_CITATION = re.compile(
    rf"\b(?P<kind>lov|lova|loven|lovi|forskrift|forskrifta|forskriften)\s+(?:av\s+)?"
    rf"(?P<d>\d{{1,2}})\.?\s*(?P<mon>{_MONTH})\.?\s+(?P<y>\d{{4}})\s+nr\.?\s*(?P<n>\d+)", re.I)
_VERB = re.compile(r"\b(oppheves|oppheva|opphevast|opphevest|oppheve[sd]?|oppheving)\b", re.I)
_PART = re.compile(r"§|\bkapit|\bledd\b|\bpunktum|\bparagraf|\bdel\s+[IVX\d]|\bbokstav|\bendr",
                   re.I)
# A sentence ends at ". " before a capital, not inside "nr. 1" or "1. juni".
_SENTENCE_END = re.compile(r"(?:(?<![\d.])|(?<=\d{4}))(?<!\bnr)(?<!\bjf)\.\s+(?=[A-ZÆØÅ])|[;\n]")
# A token (letters and digits, as FTS5's unicode61 tokenizer cuts them) that is a candidate.
_CANDIDATE = re.compile(r"(?<![^\W_])(?:oppheve|oppheva)[^\W_]*|(?<![^\W_])(?:opphevast|opphevest)"
                        r"(?![^\W_])", re.IGNORECASE)
_AMENDING_TITLE = re.compile(r"\b(endring|endringar|endringer|oppheving|opphevelse|opphevning)\b",
                             re.I)


def citation_id(m: re.Match) -> str:
    kind = "forskrift" if m["kind"].lower().startswith("forskrift") else "lov"
    return (f"{kind}/{int(m['y']):04d}-{MONTHS[m['mon'].lower()]:02d}-{int(m['d']):02d}"
            f"-{int(m['n'])}")


def _sentences(text: str) -> list[str]:
    """The sentences of `text` that hold a repeal verb (only those are cut out: texts are long)."""
    out: list[str] = []
    for verb in _VERB.finditer(text):
        if out and verb.start() < out[-1][1]:
            continue
        lo = max(0, verb.start() - 600)
        start = lo
        for m in _SENTENCE_END.finditer(text, lo, verb.start()):
            start = m.end()
        m = _SENTENCE_END.search(text, verb.end())
        end = m.start() if m else len(text)
        out.append((start, end))
    return [s for s in (text[a:b].strip() for a, b in out) if s]


# "Loven oppheves ved lov 20. juni 2025 nr. 81": a consolidated text's note on its own repeal.
_SELF = re.compile(r"^\s*(loven|lova|forskriften|forskrifta)\s+(er\s+|vert\s+|blir\s+)?"
                   r"oppheve?\w*\s+ved\s+", re.I)


def repealed_by(text: str, sentences: list[str] | None = None) -> list[tuple[str, str]]:
    """(repealing act, sentence) where a document's own text notes that an act repeals it
    (`sentences`: _sentences(text), when the caller has them already)."""
    out = []
    for sentence in _sentences(text) if sentences is None else sentences:
        m = _SELF.match(sentence)
        first = _CITATION.search(sentence)
        if m and first is not None and first.start() == m.end():
            out.append((citation_id(first), sentence[:300]))
    return out


def repealed_in(text: str, sentences: list[str] | None = None) -> list[tuple[str, str]]:
    """(document id, sentence) for each whole document a text repeals.

    >>> repealed_in("Lov 1. juni 1934 nr. 1 om foreningsregister oppheves.")
    [('lov/1934-06-01-1', 'Lov 1. juni 1934 nr. 1 om foreningsregister oppheves.')]
    >>> repealed_in("I lov 24. juni 1933 nr. 8 om havnevesenet oppheves § 41,3. ledd.")
    []
    """
    out = []
    for sentence in _sentences(text) if sentences is None else sentences:
        if not _VERB.search(sentence):
            continue
        cites = list(_CITATION.finditer(sentence))
        if not cites or _PART.search(_strip_citations(sentence)) or _SELF.match(sentence):
            continue
        if re.match(r"\s*(i|etter|med hjemmel i|jf\.?)\s", sentence[:cites[0].start()] + " ",
                    re.I) and cites[0].start() < 25:
            continue  # "I lov … oppheves …": a change inside the law, not the law itself
        out.extend((citation_id(m), sentence[:300]) for m in cites)
    return out


def _strip_citations(sentence: str) -> str:
    return _CITATION.sub(" ", sentence)


def _lead_in(text: str) -> bool:
    """"… oppheves følgende lover:" — the repealed documents are listed in the items below."""
    tail = text.rstrip()[-120:]
    return tail.endswith(":") and bool(_VERB.search(tail)) and not _CITATION.search(tail)


def find_repeals(con: sqlite3.Connection, summary: Summary,
                 found: tuple[list[tuple], list[tuple]] | None = None) -> None:
    """Rebuild the text-derived ``opphever`` and ``erstattet_av`` edges for the whole store.

    `found`: the rows repeal_rows gave for exactly the store's nodes, worked out beside the
    post-pass (a fresh import: RepealReader over the writer's rows); otherwise read here."""
    con.execute("DELETE FROM refs WHERE derived = ?", (DERIVED,))
    if found is None:
        active = dict(con.execute("SELECT doc_id, title FROM documents WHERE active = 1").fetchall())
        # The texts with a word the full-text index would match for oppheve* / oppheva* /
        # opphevast / opphevest, read without the index (it may still be building beside this
        # pass: fulltext.py).
        candidates = con.execute("SELECT id, doc_id, text FROM nodes WHERE text LIKE '%opphev%' "
                                 "ORDER BY nid").fetchall()

        def children(node_id: str) -> list[str | None]:
            return [t for (t,) in con.execute(
                "SELECT text FROM nodes WHERE parent_id = ? ORDER BY nid", (node_id,))]

        found = repeal_rows(candidates, children, active)
    rows, succession = found
    con.executemany("INSERT INTO refs(source, target, kind, text, doc_id, derived) "
                    "VALUES (?,?,?,?,?,?)", [*rows, *succession])
    summary.notes["opphevinger_lest_i_teksten"] += len(rows)
    summary.notes["etterfolgere_lest_i_teksten"] += len(succession)


def repeal_rows(candidates: Iterable[tuple[str, str, str]],
                children: Callable[[str], list[str | None]],
                active: dict[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The ``opphever`` and ``erstattet_av`` rows read from the texts of `candidates` ((node id,
    doc id, text) in nid order: every node whose text holds «opphev» in any case), with
    `children` giving a node's children's texts in order and `active` the in-force documents'
    titles by doc id."""
    rows: dict[tuple[str, str], tuple] = {}
    for node_id, doc_id, text in candidates:
        if not _CANDIDATE.search(text):
            continue
        sentences = _sentences(text)  # both readings below cut the same sentences
        found = repealed_in(text, sentences)
        if _lead_in(text):
            for item in children(node_id):
                for target in _CITATION.finditer(item or ""):
                    if not _PART.search(_strip_citations(item)):
                        found.append((citation_id(target), (text[-120:] + " " + item)[:300]))
        for target, sentence in found:
            if target == doc_id or target not in active:
                continue
            rows.setdefault((node_id, target), (node_id, target, RefKind.REPEALS.value, sentence,
                                                doc_id, DERIVED))
        for act, sentence in repealed_by(text, sentences):
            if act != doc_id:  # recorded from the act's side, which may not be imported
                rows.setdefault((act, doc_id), (act, doc_id, RefKind.REPEALS.value, sentence,
                                                doc_id, DERIVED))
    succession = {}
    for source, target, *_ in rows.values():
        act = doc_of(source)
        title = active.get(act)
        if title is not None and not _AMENDING_TITLE.search(title):
            succession.setdefault((target, act), (target, act, RefKind.SUCCEEDED_BY.value,
                                                  None, target, DERIVED))
    return list(rows.values()), list(succession.values())


def rows_in_memory(documents: list[list[tuple] | None], active: dict[str, str]) -> tuple[
        list[tuple], list[tuple]]:
    """repeal_rows over the writer's node rows (nid, id, doc_id, parent_id, kind, number,
    heading, text, …) per document, as they went into the store (None: a document dropped):
    the same rows find_repeals reads from the store, without the store."""
    by_doc = {rows[0][2]: rows for rows in documents if rows}

    def candidates() -> Iterator[tuple[str, str, str]]:
        for rows in documents:
            if rows:
                for row in rows:
                    text = row[7]
                    if text and "opphev" in text.lower():  # SQLite's LIKE '%opphev%'
                        yield row[1], row[2], text

    def children(node_id: str) -> list[str | None]:
        rows = by_doc.get(doc_of(node_id), ())
        return [row[7] for row in rows if row[3] == node_id]

    return repeal_rows(candidates(), children, active)
