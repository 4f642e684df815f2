"""Where a document or provision stands in time: i kraft, opphevet, ikke i kraft ennå, delvis, ukjent.

The answer rests on the data, never on the clock alone. In order:

1. rules/tid.yaml: a curated repeal (an old law known only as promulgated, not among current laws);
2. the graph's ``opphever`` edges, read from the repealing act's text at import, dated by that
   act's entry into force (a consolidated text later than that date contradicts it: the repeal
   then counts as decided but not yet in force);
3. the document's own dates (``dateInForce``: one or more ISO dates, "Kongen bestemmer");
4. its origin: Lovdata's consolidated current text and the curated structure in rules/ describe
   current law; a text only as promulgated in Norsk Lovtidend says nothing about later amendments
   or repeal, so unless rules/tid.yaml lists it as current, or Lovdata's list of current law (the
   built-in structure, the catalogue) has it with an in-force date passed, its status is *ukjent*
   (or *ikke i kraft ennå* where the promulgated text waits for the King);
5. for a provision: the document's status, then Lovdata's "(Opphevet)" mark on the § (or the
   curated structure's list of repealed §§), with the corresponding § in the successor law.

Every status names its basis in Norwegian and the edge or rule it used.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from regelsjekk.core import ids
from regelsjekk.core.dates import short_date
from regelsjekk.core.memo import BoundedMemo
from regelsjekk.core.model import DocState, DocumentMeta, Origin, RefKind, Status

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.rules.schema import TimeRules

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_CHAIN = 6
MAX_STATUS_MEMO = 20_000  # (node, date) pairs kept (~1 kB each); a batch of 1,000 requests needs ~1,000
_SECTION = re.compile(r"^[^§]*/§[^/]+")


def in_force_dates(raw: str | None) -> tuple[list[date], bool]:
    """ISO dates in a dateInForce field, and whether some part waits for the King ("Kongen …")."""
    text = raw or ""
    found = set()
    for d in _ISO.findall(text):
        try:
            found.add(date.fromisoformat(d))
        except ValueError:  # "0000-00-00" and the like in old metadata: no date
            continue
    return sorted(found), "kongen" in text.lower()


def _data_date(meta: DocumentMeta) -> date | None:
    """The latest date a consolidated text vouches for (its last change in force, or publication)."""
    found = [d for f in (meta.last_change_in_force, meta.date_of_publication)
             for d in in_force_dates(f)[0]]
    return max(found) if found else None


class StatusReader:
    """Statuses for one knowledge base, memoised per (node, date)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        rb = kb.rulebook
        if rb is not None:
            self.time: TimeRules = rb.time
            self.repealed_sections = rb.repealed
        else:
            from regelsjekk.rules.schema import TimeRules

            self.time = TimeRules()
            self.repealed_sections = frozenset()
        # Keyed by the request's date as well: bounded, one server process sees many dates.
        self._memo: dict[tuple[str, date], Status | None] = BoundedMemo(MAX_STATUS_MEMO)
        self._list_day: date | None = None

    def status(self, node_id: str, as_of: date) -> Status | None:
        key = (node_id, as_of)
        if key not in self._memo:
            self._memo[key] = self._status(node_id, as_of)
        return self._memo[key]

    # -- documents -------------------------------------------------------------------------------

    def _status(self, node_id: str, as_of: date) -> Status | None:
        doc_id = ids.doc_of(node_id)
        doc = self._document(doc_id, as_of)
        if doc is None or node_id == doc_id:
            return doc
        if not doc.state.current:
            # a § of a repealed law: the curated § mapping (rules/tid.yaml) names today's §§
            mapped = self.time.sections.get(_SECTION.match(node_id).group(0)) \
                if _SECTION.match(node_id) else None
            update = {"node_id": node_id}
            if mapped is not None and (doc.state == DocState.OPPHEVET
                                       or doc.state == DocState.UKJENT and doc.successors):
                update["successors"] = list(mapped.new)
            return doc.model_copy(update=update)
        return self._section(node_id, doc) or doc.model_copy(update={"node_id": node_id})

    def _document(self, doc_id: str, as_of: date) -> Status | None:
        meta = self.kb.document(doc_id)
        curated = self.time.laws.get(doc_id)
        if meta is None and curated is None:
            return None
        # A curated repeal holds even where the store has no text of the old law (an import
        # without the Lovtidend year it was promulgated in, or the built-in base).
        if curated is not None and curated.since is None and as_of < self._known_by():
            return self._undated_repeal(doc_id, meta, curated, as_of)
        if curated is not None and (curated.since is None or curated.since <= as_of):
            return Status.model_construct(
                node_id=doc_id, state=DocState.OPPHEVET, as_of=as_of,
                since=curated.since.isoformat() if curated.since else None, by=curated.source,
                successors=self._successors(doc_id, as_of),
                basis=f"Kuratert: {curated.note}", edge=f"rules/{curated.rule}")
        if meta is None:  # curated as repealed later than as_of, and no text to tell more
            return None
        repeal = self._repeal(doc_id, meta, as_of)
        if repeal is not None and repeal.state == DocState.OPPHEVET:
            return repeal
        planned = f" {repeal.basis}" if repeal is not None else ""
        dates, king = in_force_dates(meta.date_in_force)
        started = [d for d in dates if d <= as_of]
        pending = [d for d in dates if d > as_of]
        # Only where the promulgated text names no date still to come: a date there (parts in
        # force later) is kept, whatever the list says.
        listed = None if pending else self._listed_current(doc_id, meta, as_of)
        if listed is not None:
            return listed
        if dates and not started or not dates and king:
            when = f"trer i kraft {short_date(pending[0])}" if pending else "fra den tid Kongen bestemmer"
            return Status.model_construct(node_id=doc_id, state=DocState.IKKE_ENNA, as_of=as_of,
                          since=pending[0].isoformat() if pending else None,
                          basis=f"Ikrafttredelse i dokumentets metadata: {when}.{planned}",
                          edge=f"metadata: dateInForce = {meta.date_in_force}")
        state = DocState.DELVIS if started and (pending or king) else DocState.I_KRAFT
        since = started[0].isoformat() if started else None
        part = ""
        if state == DocState.DELVIS:
            rest = ", ".join([short_date(d) for d in pending] + (["når Kongen bestemmer"] if king else []))
            part = f" Deler av den trer i kraft senere ({rest})."
        origin = meta.origin
        if origin == Origin.CONSOLIDATED:
            changed = _data_date(meta)
            basis = ("Gjeldende, konsolidert tekst fra Lovdata"
                     + (f" (sist endret {short_date(changed)})" if changed else "") + ".")
            if changed and as_of < changed:
                basis += (f" Teksten er slik den lyder etter endringen {short_date(changed)}; hvordan "
                          f"den lød {short_date(as_of)}, står ikke i kunnskapsbasen.")
        elif origin == Origin.BUILTIN:
            dated = _ISO.search(meta.source_archive or "")
            where = ("Katalogen over gjeldende lover og forskrifter (ikke kuratert)"
                     if (meta.source_file or "").startswith("katalog:")
                     else "Den innebygde kunnskapsbasen (rules/struktur)")
            regulation = "forskrifter" in (meta.source_archive or "")
            basis = (f"{where} beskriver " + ("gjeldende forskrift" if regulation else "gjeldende lov")
                     + (f" etter Lovdatas {'sentrale forskrifter' if regulation else 'gjeldende lover'}"
                        f" per {short_date(dated[0])}" if dated else "") + ".")
        elif doc_id in self.time.current:
            basis = ("Kunngjort tekst fra Norsk Lovtidend; kuratert som gjeldende lov "
                     f"(rules/{self.time.current[doc_id]}). Senere endringer er ikke med i "
                     "teksten.")
        else:
            published = meta.date_of_publication or doc_id.split("/")[1][:10]
            return Status.model_construct(
                node_id=doc_id, state=DocState.UKJENT, as_of=as_of, since=since,
                basis=("Kunnskapsbasen har bare teksten slik den ble kunngjort i Norsk Lovtidend "
                       f"({published}). Om den fortsatt gjelder, og i hvilken form, står ikke i "
                       f"dataene: senere endringer og opphevinger er ikke importert.{planned}"),
                edge=f"metadata: opprinnelse = {origin.value}")
        return Status.model_construct(node_id=doc_id, state=state, as_of=as_of, since=since,
                      basis=basis + part + planned,
                      edge=f"metadata: dateInForce = {meta.date_in_force}"
                      if meta.date_in_force else f"metadata: opprinnelse = {origin.value}")

    def _known_by(self) -> date:
        """By when an undated curated repeal is known: the date of the list of current laws
        rules/tid.yaml was curated against (the law is not on it)."""
        if self._list_day is None:
            self._list_day = self.kb.list_date() or date.today()
        return self._list_day

    def _undated_repeal(self, doc_id: str, meta: DocumentMeta | None, curated: object,
                        as_of: date) -> Status:
        """A law curated as repealed without a date, asked about on a date in the past: it may
        still have applied then, so the answer is «ukjent», never «opphevet» (nor «i kraft»).
        Only a law that had not yet come into force on that date is told apart."""
        dates, _ = in_force_dates(meta.date_in_force if meta else None)
        edge = f"rules/{curated.rule}"
        if dates and dates[0] > as_of:
            return Status.model_construct(
                node_id=doc_id, state=DocState.IKKE_ENNA, as_of=as_of, since=dates[0].isoformat(),
                basis=f"Ikrafttredelse i dokumentets metadata: trer i kraft {short_date(dates[0])}.",
                edge=f"metadata: dateInForce = {meta.date_in_force}")
        passed = in_force_dates(doc_id)[0]  # the id carries the date the law was passed
        if passed and passed[0] > as_of:
            return Status.model_construct(
                node_id=doc_id, state=DocState.IKKE_ENNA, as_of=as_of, since=None,
                basis=f"Loven ble vedtatt {short_date(passed[0])}.", edge=f"id: {doc_id}")
        return Status.model_construct(
            node_id=doc_id, state=DocState.UKJENT, as_of=as_of, by=curated.source,
            successors=self._successors(doc_id, as_of),
            basis=(f"Kuratert som opphevet ({curated.note}), men når den ble opphevet, står ikke "
                   f"i dataene: om den gjaldt {short_date(as_of.isoformat())}, kan regelsjekk "
                   "ikke avgjøre."), edge=edge)

    def _listed_current(self, doc_id: str, meta: DocumentMeta, as_of: date) -> Status | None:
        """A law the store has only as promulgated («fra den tid Kongen bestemmer», or nothing
        said on later repeal), but which Lovdata's list of current laws has (the built-in
        structure or the catalogue): in force, on the list's date. The promulgated metadata
        cannot say when the King set it in force, so only from the list's date on."""
        if meta.origin != Origin.LOVTIDEND:
            return None
        listed = self.kb.listed_current(doc_id)
        if listed is None:
            return None
        # The list has passed laws not yet in force too: its own in-force dates decide.
        dates, king = in_force_dates(listed.date_in_force)
        started = [d for d in dates if d <= as_of]
        if not started or king and not dates:
            return None
        day = _ISO.search(listed.source_archive or "")
        listed_on = f" per {short_date(day.group(0))}" if day else ""
        return Status.model_construct(
            node_id=doc_id, state=DocState.I_KRAFT, as_of=as_of, since=started[0].isoformat(),
            basis=(f"Lovdatas liste over gjeldende lover{listed_on} har den, i kraft fra "
                   f"{short_date(started[0])}. Teksten i kunnskapsbasen er slik den ble kunngjort "
                   f"i Norsk Lovtidend, uten senere endringer."),
            edge=f"liste over gjeldende: {listed.source_archive}; dateInForce = {listed.date_in_force}")

    def _repeal(self, doc_id: str, meta: DocumentMeta, as_of: date) -> Status | None:
        """The earliest repeal read from another act's text: in force by `as_of`, or only decided."""
        best: Status | None = None
        for ref in self.kb.references_to(doc_id):
            if ref.kind != RefKind.REPEALS:
                continue
            act_id = ids.doc_of(ref.source)
            act = self.kb.document(act_id)
            dates, king = in_force_dates(act.date_in_force if act else None)
            when = dates[0] if len(dates) == 1 and not king else None
            edge = f"opphever: {ref.source} → {doc_id}"
            if when is not None and meta.origin == Origin.CONSOLIDATED:
                changed = _data_date(meta)
                if changed is not None and when <= changed:
                    when = None  # the consolidated text outlives that date: not this repeal's date
            if when is not None and when <= as_of:
                found = Status.model_construct(node_id=doc_id, state=DocState.OPPHEVET, as_of=as_of,
                               since=when.isoformat(), by=ref.source,
                               successors=self._successors(doc_id, as_of),
                               basis=f"Opphevet ved {self._name(act_id)} (i kraft {short_date(when)}).",
                               edge=edge)
                if best is None or best.state != DocState.OPPHEVET or found.since < best.since:
                    best = found
            elif best is None:
                later = f"fra {short_date(when)}" if when else "fra et tidspunkt dataene ikke angir"
                best = Status.model_construct(node_id=doc_id, state=DocState.I_KRAFT, as_of=as_of, by=ref.source,
                              basis=f"Vedtatt opphevet ved {self._name(act_id)}, {later}.",
                              edge=edge)
        return best

    def _successors(self, doc_id: str, as_of: date) -> list[str]:
        """The documents that took over, followed to ones still in force (curated first)."""
        out: list[str] = []
        frontier, seen = [doc_id], {doc_id}
        for _ in range(_MAX_CHAIN):
            nxt: list[str] = []
            for d in frontier:
                curated = self.time.laws.get(d)
                found = ([curated.new] if curated and curated.new else []) + (
                    curated.also if curated else [])
                if not found:
                    found = sorted(r.target for r in self.kb.references_from(d)
                                   if r.kind == RefKind.SUCCEEDED_BY)
                for s in found:
                    if s in seen:
                        continue
                    seen.add(s)
                    if s in self.time.laws or any(
                            r.kind == RefKind.SUCCEEDED_BY for r in self.kb.references_from(s)):
                        nxt.append(s)  # itself replaced since: follow on
                    else:
                        out.append(s)
            if not nxt:
                break
            frontier = nxt
        return out

    def _name(self, doc_id: str) -> str:
        meta = self.kb.document(doc_id)
        short = meta.title_short.split(" – ")[0] if meta and meta.title_short else None
        return f"{short or _date_form(doc_id)} ({doc_id})"

    # -- provisions ------------------------------------------------------------------------------

    def _section(self, node_id: str, doc: Status) -> Status | None:
        m = _SECTION.match(node_id)
        if m is None:
            return None
        section = m.group(0)
        node = self.kb.node(section)
        marked = section in self.repealed_sections or (
            node is not None and (node.heading or "").strip().strip(".").lower() == "(opphevet)")
        if not marked:
            return None
        mapped = self.time.sections.get(section)
        return Status.model_construct(node_id=node_id, state=DocState.OPPHEVET, as_of=doc.as_of,
                      successors=list(mapped.new) if mapped else [],
                      basis="Paragrafen er markert som opphevet i den gjeldende teksten.",
                      edge=f"overskrift: {section} (Opphevet)")


def _date_form(doc_id: str) -> str:
    kind, _, rest = doc_id.partition("/")
    return f"{kind} {rest}"


def status_reader(kb: KnowledgeBase) -> StatusReader:
    return kb.derived("status", lambda: StatusReader(kb))
