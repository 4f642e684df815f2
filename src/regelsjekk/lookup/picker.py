"""Finding a provision by what a user types: a citation first, then fuzzy search over headings.

Serves the app's provision picker. A citation that resolves exactly wins outright (numbers are
never fuzzy); otherwise headings and law names are ranked with rapidfuzz, so "oppgavefellesskap"
or "klage enkeltvedtak" finds the sections a municipality means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from regelsjekk.core.ids import doc_of
from regelsjekk.core.model import NodeKind
from regelsjekk.kb.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Candidate:
    node_id: str
    label: str  # "Kommuneloven § 19-1 Kommunalt oppgavefellesskap"
    score: float
    exact: bool = False


def provision_label(kb: KnowledgeBase, node_id: str) -> str:
    node = kb.node(node_id)
    meta = kb.document(doc_of(node_id))
    law = meta.display_name.split(" – ")[0] if meta else node_id
    if node is None:
        return f"{law} {node_id}"
    if node.kind == NodeKind.SECTION:
        return f"{law} § {node.number} {node.heading or ''}".strip()
    if node.kind == NodeKind.CHAPTER:
        return f"{law} kapittel {node.number} {node.heading or ''}".strip()
    if node.kind == NodeKind.DOCUMENT:
        return law
    # a ledd or an item: the citation as a lawyer writes it, with the heading of its §
    from regelsjekk.refs import format_citation

    section = next((a for a in kb.ancestors(node_id) if a.kind == NodeKind.SECTION), None)
    heading = f" ({section.heading})" if section is not None and section.heading else ""
    citation = format_citation(node_id, kb)
    return f"{citation[:1].upper()}{citation[1:]}{heading}"


def _build_index(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    labels: list[str] = []
    node_ids: list[str] = []
    for meta in kb.documents():
        if meta.local or not meta.in_force:
            continue
        for node in kb.nodes_of(meta.id):
            if node.kind in (NodeKind.SECTION, NodeKind.CHAPTER):
                node_ids.append(node.id)
                labels.append(provision_label(kb, node.id).lower())
    return labels, node_ids


def _index(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    return kb.derived("picker", lambda: _build_index(kb))


def find_provisions(query: str, kb: KnowledgeBase, limit: int = 10) -> list[Candidate]:
    """Candidates for a picker: exact citation matches first, then fuzzy heading matches."""
    query = query.strip()
    if not query:
        return []
    out: list[Candidate] = []
    seen: set[str] = set()
    from regelsjekk.refs import resolve_citation

    resolution = resolve_citation(query, kb)
    for node_id in resolution.ids:
        if node_id in kb and node_id not in seen:
            seen.add(node_id)
            out.append(Candidate(node_id, provision_label(kb, node_id), 100.0, exact=True))
    if out:
        return out[:limit]
    labels, node_ids = _index(kb)
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) > 2 and w not in _STOPWORDS]
    if not words or not labels:
        return out
    # Every query word must find itself in the label (partial match tolerates typos and
    # inflection); the label's score is the mean over the words, so "klage enkeltvedtak" needs both.
    scores = process.cdist(words, labels, scorer=fuzz.partial_ratio, dtype=np.uint8, workers=1)
    mean = scores.mean(axis=0)
    best = np.argsort(-mean, kind="stable")[: limit * 3]
    for idx in best:
        if mean[idx] < 75:
            break
        node_id = node_ids[int(idx)]
        if node_id not in seen:
            seen.add(node_id)
            out.append(Candidate(node_id, provision_label(kb, node_id), float(mean[idx])))
    return out[:limit]


_STOPWORDS = frozenset("og i på av om til for med ved fra som det den de er en et ikke kan skal vi "
                       "vil å eller etter mot under over hos seg sin sitt sine".split())
