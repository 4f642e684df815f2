"""Tidligere forsøk for a citation or a list of provisions: what the CLI, the app and the API show.

Gathers, per provision asked about, the trials that set it (a part of it, what contains it, or its
predecessor) aside, with a line from the trial's own text on what replaced the rule, and says what
the library covers — so that an empty list is never read as "never tried".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from regelsjekk.core.ids import human_label
from regelsjekk.core.model import Model
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.trials import library, replaced_by
from regelsjekk.refs import resolve_citation


class PrecedentHit(Model):
    provision: str = Field(description="The provision asked about (today's id)")
    trial: dict[str, Any] = Field(description="The trial (id, tittel, lenke, søkere, periode …)")
    how: str
    how_label: str
    set_aside: str = Field(description="What the trial set aside, as it wrote it")
    set_aside_id: str | None = None
    via: str | None = None
    replaced_by: str | None = None


class PrecedentListing(Model):
    query: str
    provisions: list[str] = []
    citations: dict[str, str] = {}
    messages: list[str] = []
    hits: list[PrecedentHit] = []
    coverage: dict[str, Any] = {}
    note: str = ""

    @property
    def found(self) -> bool:
        return bool(self.provisions)


def _citation(kb: KnowledgeBase, node_id: str) -> str:
    doc = kb.document(node_id.split("/§")[0].split("/kapittel/")[0])
    name = (doc.title_short or doc.title) if doc else node_id.split("/§")[0]
    label = human_label(node_id)
    return f"{name} {label}".strip() if label else name


def precedents_for(node_ids: list[str], kb: KnowledgeBase, query: str = "",
                   include_kostra: bool = True) -> PrecedentListing:
    lib = library(kb)
    out = PrecedentListing.model_construct(query=query or ", ".join(node_ids), provisions=list(node_ids),
                           coverage=lib.coverage.to_dict(), note=lib.coverage.sentence())
    seen: set[tuple[str, str]] = set()
    for nid in node_ids:
        out.citations[nid] = _citation(kb, nid)
        for m in lib.setting_aside(nid):
            if (m.trial.id, nid) in seen or (m.trial.kostra and not include_kostra):
                continue
            seen.add((m.trial.id, nid))
            out.hits.append(PrecedentHit.model_construct(
                provision=nid, trial={**m.trial.to_dict(), "periode": m.trial.period,
                                      "år": m.trial.year},
                how=m.how, how_label=m.how_label, set_aside=m.item.text,
                set_aside_id=m.item.target, via=m.via, replaced_by=replaced_by(kb, m)))
    return out


def precedents_for_citation(query: str, kb: KnowledgeBase, today: date | None = None,
                            include_kostra: bool = True) -> PrecedentListing:
    """A citation as lawyers write it ("vegtrafikkloven § 6") → its earlier trials."""
    res = resolve_citation(query, kb, today=today or date.today())
    if not (res.ok and res.ids):
        lib = library(kb)
        return PrecedentListing.model_construct(query=query, messages=list(res.messages) or
                                [f"Fant ikke «{query}»."], coverage=lib.coverage.to_dict(),
                                note=lib.coverage.sentence())
    listing = precedents_for(list(res.ids), kb, query, include_kostra)
    listing.messages = list(res.messages)
    return listing
