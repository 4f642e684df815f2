"""What the checker looks up again and again, kept once per knowledge base and process.

Checking a request is a handful of lookups (citations, tags, tag definitions, headings); across a
batch the same provisions recur, so each lookup is remembered. The cache hangs off the knowledge
base weakly: a new knowledge base (another store, edited rules) starts afresh.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from regelsjekk.core import ids
from regelsjekk.core.dates import short_date
from regelsjekk.core.errors import RegelsjekkError
from regelsjekk.core.memo import BoundedMemo
from regelsjekk.core.model import EffectiveTag, RefKind, Tag
from regelsjekk.kb.trials import library, replaced_by

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.rules.schema import TagDefinition, TrialAuthority, TrialConditions



# Ceilings of the memos keyed by request text (a batch of 1,000 requests cites ~300 distinct
# provisions; a resolution is a few kB): far above real use, far below what exhausts memory.
MAX_RESOLUTIONS = 20_000
MAX_PROVISIONS = 20_000


class CheckerError(RegelsjekkError, RuntimeError):
    """The knowledge base cannot support a check (no rules loaded): an environment error."""


class KbCache:
    """Per-knowledge-base memo of citations, tags, definitions, labels and ancestry."""

    def __init__(self, kb: KnowledgeBase) -> None:
        if kb.rulebook is None:
            raise CheckerError("Kunnskapsbasen har ingen regelbok (rules/): kan ikke sjekke.")
        self.kb = kb
        self.rulebook = kb.rulebook
        # Keyed by what a request wrote (citations, safeguard text): bounded, since one server
        # process checks requests for as long as it runs. The rest is keyed by ids in the store.
        self.resolutions: dict[tuple[str, str | None, date], Any] = BoundedMemo(MAX_RESOLUTIONS)
        self._tags: dict[str, list[EffectiveTag]] = {}
        self._tagdefs: dict[Tag, TagDefinition | None] = {}
        self._citations: dict[str, str] = {}
        self._headings: dict[str, str | None] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._parts: dict[str, list[EffectiveTag]] = {}
        self._covering: dict[str, list[TrialAuthority]] = {}
        self._cover_edges: dict[tuple[str, str], str] = {}
        self._hjemmel: dict[str, list[str]] = {}
        self._affected: dict[str, tuple[list[tuple[str, str]], int]] = {}
        self.provisions: dict[tuple, Any] = BoundedMemo(MAX_PROVISIONS)  # see check.provision
        self.authorities: list[TrialAuthority] = list(self.rulebook.trial_authorities())
        self.conditions: TrialConditions = self.rulebook.forsoksloven()
        self.imported = kb.has_import
        self.data_note = kb.data_note()
        self.curated_as_of = kb.list_date()

    def data_note_as_of(self, today: date) -> str:
        """The data note, and for a date before the law rules/ was curated against, that tags,
        trial authorities and approvers are today's (--dato reads the statute's status in time;
        the curation is not dated back)."""
        if self.curated_as_of is None or today >= self.curated_as_of:
            return self.data_note
        return (f"{self.data_note}. Tagger, forsøkshjemler og godkjennere er kuratert etter "
                f"regelverket per {short_date(self.curated_as_of.isoformat())} og er ikke justert "
                f"til {short_date(today.isoformat())}")

    # -- Tidligere forsøk (evidence beside the verdict, never part of it) ---------------------

    def earlier_trials(self, node_ids: list[str], limit: int = 8) -> list[EarlierTrial]:
        from regelsjekk.check.verdict import EarlierTrial

        lib = library(self.kb)
        seen: dict[str, EarlierTrial] = {}
        for nid in node_ids:
            for m in lib.setting_aside(nid):
                if m.trial.id in seen:
                    continue
                seen[m.trial.id] = EarlierTrial(
                    id=m.trial.id, title=m.trial.title, url=m.trial.url, year=m.trial.year,
                    applicants=list(m.trial.applicants), period=m.trial.period,
                    set_aside=m.item.text, set_aside_id=m.item.target, how=m.how,
                    how_label=m.how_label,
                    replaced_by=replaced_by(self.kb, m))
        trials = sorted(seen.values(), key=lambda t: (t.year or 0, t.id), reverse=True)
        return trials[:limit]

    def earlier_trials_note(self) -> str | None:
        return library(self.kb).coverage.sentence() if self.imported else None

    # -- citations ---------------------------------------------------------------------------

    def resolve(self, text: str, context_doc: str | None, today: date) -> Any:
        key = (text, context_doc, today)
        hit = self.resolutions.get(key)
        if hit is None:
            from regelsjekk.refs import resolve_citation

            hit = resolve_citation(text, self.kb, context_doc, today=today)
            self.resolutions[key] = hit
        return hit

    def cite(self, node_id: str) -> str:
        """'kommuneloven § 19-1 annet ledd' — how a lawyer writes the provision."""
        hit = self._citations.get(node_id)
        if hit is None:
            from regelsjekk.refs import format_citation

            try:
                hit = format_citation(node_id, self.kb)
            except Exception:  # an id outside the knowledge base: show the id itself
                hit = node_id
            self._citations[node_id] = hit
        return hit

    def heading(self, node_id: str) -> str | None:
        if node_id not in self._headings:
            node = self.kb.node(node_id)
            heading = node.heading if node else None
            if node is not None and heading is None and node.kind not in ("paragraf", "dokument"):
                section = ids.parse_id(node_id).section
                if section:
                    parent = self.kb.node(f"{ids.doc_of(node_id)}/§{section}")
                    heading = parent.heading if parent else None
            self._headings[node_id] = _clean_heading(heading)
        return self._headings[node_id]

    def doc_title(self, doc_id: str) -> str | None:
        meta = self.kb.document(doc_id)
        return meta.title if meta else None

    # -- tags ------------------------------------------------------------------------------

    def tags(self, node_id: str) -> list[EffectiveTag]:
        hit = self._tags.get(node_id)
        if hit is None:
            hit = self.kb.tags(node_id)
            self._tags[node_id] = hit
        return hit

    def part_tags(self, node_id: str) -> list[EffectiveTag]:
        """Tags that parts of a node carry on their own (not inherited from the node or above).

        Setting aside a chapter or a § sets aside every ledd and § inside it, so a right or a
        case-processing rule anywhere below must count. One entry per tag (the first part that
        carries it, in document order, curated before inferred), with inherited_from = that part.
        """
        hit = self._parts.get(node_id)
        if hit is not None:
            return hit
        above = set(self.chain(node_id))
        found: dict[tuple[Tag, str], EffectiveTag] = {}
        stack = list(reversed(self.kb.children(node_id)))
        while stack:
            child = stack.pop()
            for et in self.tags(child.id):
                origin = et.inherited_from or child.id
                if origin in above:
                    continue  # the node's own tag, handed down: nothing new
                key = (et.tag, et.assignment.source.value)
                if key not in found:
                    found[key] = EffectiveTag.model_construct(assignment=et.assignment, inherited_from=origin)
            stack.extend(reversed(self.kb.children(child.id)))
        hit = list(found.values())
        self._parts[node_id] = hit
        return hit

    def tagdef(self, tag: Tag) -> TagDefinition | None:
        if tag not in self._tagdefs:
            try:
                self._tagdefs[tag] = self.rulebook.tag_definition(tag)
            except KeyError:
                self._tagdefs[tag] = None
        return self._tagdefs[tag]

    # -- ancestry and trial authorities ------------------------------------------------------

    def chain(self, node_id: str) -> tuple[str, ...]:
        """The node and its ancestors (ids), nearest first."""
        hit = self._chains.get(node_id)
        if hit is None:
            out = [node_id]
            out.extend(n.id for n in self.kb.ancestors(node_id))
            doc = ids.doc_of(node_id)
            if doc not in out:
                out.append(doc)
            hit = tuple(out)
            self._chains[node_id] = hit
        return hit

    def covering_authorities(self, node_id: str) -> list[TrialAuthority]:
        """Sector trial authorities whose `covers` include the node or one of its ancestors, and
        for a forskrift, those that cover regulations made under the law it has its hjemmel in
        (graph edge ``hjemmel``; cover_edge says which edge was used)."""
        hit = self._covering.get(node_id)
        if hit is None:
            chain = set(self.chain(node_id))
            hit = []
            under = self.hjemmel_of(ids.doc_of(node_id))
            for auth in self.authorities:
                if any(covered in chain or node_id.startswith(covered + "/")
                       for covered in auth.covers):
                    hit.append(auth)
                    continue
                via = next((h for h in under if ids.doc_of(h) in auth.covers_regulations_under),
                           None)
                if via is not None:
                    hit.append(auth)
                    self._cover_edges[(node_id, auth.id)] = via
            self._covering[node_id] = hit
        return hit

    def cover_edge(self, node_id: str, authority_id: str) -> str | None:
        """The law provision a forskrift's hjemmel edge led to, when that is how an authority
        came to cover it (None when the authority covers the provision directly)."""
        self.covering_authorities(node_id)
        return self._cover_edges.get((node_id, authority_id))

    def hjemmel_of(self, doc_id: str) -> list[str]:
        """The provisions a forskrift is made under (its ``hjemmel`` edges), in document order."""
        hit = self._hjemmel.get(doc_id)
        if hit is None:
            meta = self.kb.document(doc_id) if doc_id.startswith("forskrift/") else None
            hit = list(dict.fromkeys(meta.based_on)) if meta is not None else []
            self._hjemmel[doc_id] = hit
        return hit

    def affected(self, node_id: str, limit: int = 12) -> tuple[list[tuple[str, str]], int]:
        """Provisions elsewhere that refer to the node or a part of it: (citing §, cited id),
        nearest first in document order, at most `limit`, and how many there are in all."""
        hit = self._affected.get(node_id)
        if hit is None:
            inside = [node_id]
            stack = list(self.kb.children(node_id))
            while stack and len(inside) < 400:
                child = stack.pop()
                inside.append(child.id)
                stack.extend(self.kb.children(child.id))
            own = set(inside)
            found: dict[str, str] = {}
            for target in inside:
                for ref in self.kb.references_to(target):
                    if ref.kind != RefKind.CITES or ref.source in own:
                        continue
                    source = _section_of(ref.source)
                    if source.startswith(node_id + "/") or source == node_id:
                        continue
                    found.setdefault(source, target)
            ordered = sorted(found.items())
            hit = (ordered[:limit], len(ordered))
            self._affected[node_id] = hit
        return hit

    def authorities_of_law(self, doc_id: str) -> list[TrialAuthority]:
        return [a for a in self.authorities if a.law == doc_id]


def _section_of(node_id: str) -> str:
    """A ledd or list item's § (or the node itself): what a lawyer lists as "berørt"."""
    cut = min((i for i in (node_id.find("/ledd/"), node_id.find("/bokstav/"),
                           node_id.find("/nummer/")) if i >= 0), default=-1)
    return node_id[:cut] if cut >= 0 else node_id


def _clean_heading(heading: str | None) -> str | None:
    """Older laws write headings as '(forbud mot motorferdsel).': drop the brackets and full stop."""
    if not heading:
        return heading
    h = heading.strip()
    bare = h.rstrip(".").strip()
    if bare.startswith("(") and bare.endswith(")") and bare.count("(") == 1:
        h = bare[1:-1].strip()
    return h or None


def cache_for(kb: KnowledgeBase) -> KbCache:
    """The cache of this knowledge base (created on first use, kept with the knowledge base)."""
    return kb.derived("checker", lambda: KbCache(kb))
