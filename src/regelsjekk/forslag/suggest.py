"""From an idea to the provisions it collides with: the first pass before the checker.

A municipality describes an idea in ordinary Norwegian; ``suggest`` proposes the §§ the idea most
likely has to set aside, each with the words or concepts that matched, its tags and a one-line
reason. The user confirms; accepted candidates become exemptions in the request, and the checker
takes over. Deterministic and explainable: BM25F over headings, our summaries and rationales and
(when imported) the statute text (forslag.index), Norwegian stemming and compound splitting
(stemming), domain synonyms from rules/synonymer.yaml, and a tag-based prior that prefers likely
obstacles (duties and organisation rules for the municipality, state control, task allocation,
individual rights) over purpose and definition sections.
"""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import Field

from regelsjekk.core import ids
from regelsjekk.core.model import Model, Tag, TagSource
from regelsjekk.forslag import stemming
from regelsjekk.forslag.index import (
    FIELD_BITS,
    PART_WEIGHT,
    ProvisionIndex,
    SynonymTable,
    index_for,
)

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

SYNONYM_WEIGHT = 0.6  # a term reached through a synonym counts this much of the user's own word
MOTIVE_WEIGHT = 0.5  # words in a purpose or cause clause ("for å …", "fordi …")
CANDIDATES = 80  # how many BM25 hits get the prior before the final cut
# How much the law's fit to the idea as a whole weighs: a § in the best-fitting law keeps its
# score, a § in a law that fits nothing else in the idea keeps (1 - DOC_MIX) of it.
DOC_MIX = 0.6
COORDINATION = 0.5  # how much matching more of the description counts (0 = not at all)

_FIELD_NAMES = {"overskrift": "overskriften", "sammendrag": "sammendraget",
                "stikkord": "stikkordene",
                "begrunnelse": "begrunnelsen for merkingen", "lovtekst": "lovteksten",
                "kapittel": "kapitlet eller lovens navn"}


class Suggestion(Model):
    """One proposed provision, with everything needed to explain why it was proposed."""

    node_id: str
    citation: str = Field(description="«kommuneloven § 19-1»")
    heading: str | None = None
    law: str = Field(description="The law's short name")
    url: str
    score: float = Field(description="Ranking score (higher is better; only for ordering)")
    matched: list[str] = Field([], description="The user's words that matched")
    concepts: list[str] = Field([], description="Synonym concepts that matched: «a ≈ b»")
    matched_in: list[str] = Field([], description="Where: overskrift, sammendrag, …")
    tags: list[str] = Field([], description="Effective tag ids (strongest first)")
    tag_labels: list[str] = Field([], description="Norwegian labels of the tags")
    tags_inferred: bool = Field(False, description="True when the tags are only inferred")
    reason: str = Field(description="One line in Norwegian: why this provision was proposed")


@dataclass
class _Term:
    weight: float
    words: set[str] = field(default_factory=set)  # the user's words behind it
    concepts: set[str] = field(default_factory=set)  # "fastlege ≈ allmennlegetjeneste"


@dataclass
class Query:
    """The analysed description: weighted stems with where each came from."""

    terms: dict[str, _Term]
    words: list[str]

    @property
    def weights(self) -> dict[str, float]:
        return {s: t.weight for s, t in self.terms.items()}

    @functools.cached_property
    def word_weights(self) -> dict[str, float]:
        """The user's own words with the weight of their strongest term."""
        out: dict[str, float] = {}
        for t in self.terms.values():
            if not t.concepts:
                for w in t.words:
                    out[w] = max(out.get(w, 0.0), t.weight)
        return out


def analyse(description: str, index: ProvisionIndex) -> Query:
    """Stems of the description, their compound parts and their synonyms, with weights."""
    terms: dict[str, _Term] = {}

    def add(s: str, weight: float, word: str, concept: str | None = None) -> None:
        t = terms.setdefault(s, _Term(0.0))
        if concept and t.weight >= weight:
            return  # already there, as strong or stronger, from the user's own words
        t.weight = max(t.weight, weight)
        t.words.add(word)
        if concept:
            t.concepts.add(concept)

    weighted = stemming.weighted_content_words(description, MOTIVE_WEIGHT)
    words = [w for w, _ in weighted]
    seq = [stemming.stem(w) for w in words]
    parts = [index.decompounder.parts(w) for w in words]
    for (w, ww), s, ps in zip(weighted, seq, parts):
        add(s, ww, w)
        # A compound's parts matter most when the whole word is unknown to the index;
        # when it is known, its parts are mostly noise ("statsforvalter" → "stat").
        pw = PART_WEIGHT if s not in index.postings else PART_WEIGHT / 2
        for p in ps:
            if p != s:
                add(p, pw * ww, w)

    table = index.synonyms
    for gi, (trigger, tw) in _synonym_hits(table, seq, weighted, parts).items():
        for m, st in table.groups[gi]:
            if stemming.stem(m) == stemming.stem(trigger) or st == tuple(seq):
                continue
            concept = f"{trigger} ≈ {m}"
            weight = tw * SYNONYM_WEIGHT / len(st) ** 0.5
            for w, s in zip(stemming.content_words(m), st):
                add(s, weight, trigger, concept)
                if s not in index.postings:  # only then are the parts worth searching for
                    for p in index.decompounder.parts(w):
                        if p != s:
                            add(p, weight * PART_WEIGHT, trigger, concept)
    return Query(terms=terms, words=words)


def _synonym_hits(table: SynonymTable, seq: list[str], weighted: list[tuple[str, float]],
                  parts: list[tuple[str, ...]]) -> dict[int, tuple[str, float]]:
    """Synonym groups present in the description -> (the user's words, their weight).

    A member matches where its stems occur in a row; a one-word member also matches as a part
    of a compound in the description ("fastlegeordningen" contains "fastlege")."""
    found: dict[int, tuple[str, float]] = {}
    words = [w for w, _ in weighted]
    for i, s in enumerate(seq):
        candidates = [(c, False) for c in table.by_first.get(s, ())]
        candidates += [(c, True) for p in parts[i] if p != s
                       for c in table.by_first.get(p, ())]
        for (gi, mi), as_part in candidates:
            if gi in found:
                continue
            st = table.groups[gi][mi][1]
            if as_part and len(st) == 1:
                found[gi] = (words[i], weighted[i][1])
            elif not as_part and tuple(seq[i:i + len(st)]) == st:
                found[gi] = (" ".join(words[i:i + len(st)]),
                             max(w for _, w in weighted[i:i + len(st)]))
    return found


def suggest(description: str, kb: KnowledgeBase, limit: int = 10) -> list[Suggestion]:
    """Ranked candidate provisions for an idea described in ordinary Norwegian."""
    if not description or not description.strip() or limit <= 0:
        return []
    index = index_for(kb)
    query = analyse(description, index)
    scores = index.score(query.weights)
    if not scores:
        return []
    doc_scores = index.score_documents(query.weights)
    best_doc = max(doc_scores) or 1.0
    doc_factor = [(1 - DOC_MIX) + DOC_MIX * d / best_doc for d in doc_scores]
    # sorted(...)[:CANDIDATES] without sorting every scored unit (20,000 with the import)
    top = heapq.nsmallest(CANDIDATES, scores.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = sorted(((bm25 * index.unit_priors[i] * doc_factor[index.unit_doc[i]]
                      * _coordination(index, query, i), i) for i, bm25 in top),
                    key=lambda r: (-r[0], index.unit_ids[r[1]]))
    return [_suggestion(kb, index, query, i, score) for score, i in ranked[:limit]]


def _coordination(index: ProvisionIndex, query: Query, unit: int) -> float:
    """The share of the user's words (by weight) a § matches, to the power COORDINATION.

    BM25 adds up term scores, so one rare word in a heading can outweigh a § that matches
    most of the description; this factor prefers the latter."""
    total = sum(query.word_weights.values()) or 1.0
    hit: dict[str, float] = {}
    for s, t in query.terms.items():
        if not t.concepts and index.hit(unit, s) is not None:
            for w in t.words:
                hit[w] = query.word_weights.get(w, 0.0)
    return (sum(hit.values()) / total) ** COORDINATION


def _suggestion(kb: KnowledgeBase, index: ProvisionIndex, query: Query, unit_idx: int,
                score: float) -> Suggestion:
    from regelsjekk.refs import format_citation

    unit = index.unit(unit_idx)
    tags = kb.tags(unit.id)
    matched: list[str] = []
    concepts: list[str] = []
    mask = 0
    own = [(s, t) for s, t in query.terms.items() if not t.concepts]
    via = [(s, t) for s, t in query.terms.items() if t.concepts]
    for s, t in own + via:
        p = index.hit(unit_idx, s)
        if p is None:
            continue
        mask |= p.fields
        if t.concepts and not (t.words & set(matched)):
            concepts.extend(sorted(t.concepts))
        else:
            matched.extend(sorted(t.words))
    matched = _in_text_order(stemming.unique(matched), query.words)
    concepts = stemming.unique(concepts)
    fields = [name for name, bit in FIELD_BITS.items() if mask & bit]
    meta = kb.document(unit.doc_id)
    law = meta.display_name if meta else unit.doc_id
    tag_ids = stemming.unique(et.tag.value for et in tags)
    labels = [_label(kb, t) for t in tag_ids]
    inferred = bool(tags) and all(et.assignment.source == TagSource.INFERRED for et in tags)
    return Suggestion.model_construct(  # our own values: no validator built per process
        node_id=unit.id, citation=format_citation(unit.id, kb), heading=unit.heading, law=law,
        url=ids.lovdata_url(unit.id), score=round(score, 4), matched=matched, concepts=concepts,
        matched_in=fields, tags=tag_ids, tag_labels=labels, tags_inferred=inferred,
        reason=_reason(matched, concepts, fields, tag_ids, labels, inferred))


def _in_text_order(items: list[str], words: list[str]) -> list[str]:
    pos = {w: i for i, w in reversed(list(enumerate(words)))}
    return sorted(items, key=lambda w: pos.get(w, len(words)))


def _label(kb: KnowledgeBase, tag: str) -> str:
    if kb.rulebook is None:
        return tag
    try:
        return kb.rulebook.tag_definition(tag).label
    except KeyError:
        return tag


def _quote(items: list[str], limit: int = 4) -> str:
    shown = [f"«{w}»" for w in items[:limit]]
    more = " m.fl." if len(items) > limit else ""
    return (", ".join(shown[:-1]) + " og " + shown[-1] if len(shown) > 1 else shown[0]) + more


def _reason(matched: list[str], concepts: list[str], fields: list[str], tags: list[str],
            labels: list[str], inferred: bool) -> str:
    """One line: what matched where, and what kind of rule it is."""
    where = [_FIELD_NAMES[f] for f in fields if f != "kapittel"] or [_FIELD_NAMES["kapittel"]]
    where_text = " og ".join([", ".join(where[:-1]), where[-1]] if len(where) > 1 else where)
    if matched:
        head = f"Treff på {_quote(matched)} i {where_text}"
    else:
        head = f"Treff i {where_text}"
    if concepts:
        head += f" (via {_quote(concepts, 2)})"
    if not tags:
        nature = "ikke merket ennå (uavklart)"
    elif Tag.FORMAL_DEFINISJON.value in tags and len(tags) == 1:
        nature = "formål, definisjoner eller virkeområde – sjelden noe et forsøk må fravike"
    else:
        nature = ("antatt: " if inferred else "merket som ") + ", ".join(
            lbl[0].lower() + lbl[1:] if lbl else lbl for lbl in labels[:3])
    return f"{head}; {nature}."
