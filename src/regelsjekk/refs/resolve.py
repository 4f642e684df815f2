"""Resolve citations to node ids in a knowledge base.

Names are matched by the title index (exact, then folded endings, then fuzzy); numbers are
matched exactly: § 2-3 is never § 3-2 or § 2-30, and a number that does not exist gives no
result and no neighbour. When a name fits several documents, the one in force is preferred and
the choice is reported; when that does not decide, nothing is chosen and the alternatives are
listed. A wrong match is worse than no match.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import Field

from regelsjekk.core import ids
from regelsjekk.core.dates import short_date
from regelsjekk.core.model import DocState, Model, NodeKind, Status
from regelsjekk.refs.format import date_form, format_parsed
from regelsjekk.refs.index import (
    NameMatch,
    TitleIndex,
    title_index,
)
from regelsjekk.refs.model import Citation, LawRef, Pinpoint, Span, Target
from regelsjekk.refs.normalize import normalize_name, normalize_text
from regelsjekk.refs.parse import parse_citations, parse_reference

IMPORT_HINT = "Importer Lovdata-data med `regelsjekk import` for å få med alle lover og forskrifter."


class Resolution(Model):
    """The answer to "which provision is this?" — ids when sure, reasons and suggestions when not."""

    query: str
    ids: list[str] = Field([], description="Resolved node ids, ranges expanded, in order")
    doc_id: str | None = None
    ok: bool = False
    ambiguous: bool = False
    alternatives: list[str] = Field([], description="Other document ids the name could mean")
    messages: list[str] = Field([], description="Norwegian explanations")
    suggestions: list[str] = Field([], description="Citations the user may have meant")
    approximate: bool = Field(False, description="Some ids are wider than asked (e.g. punktum -> "
                                                 "its ledd, or a ledd not in the knowledge base)")
    status: Status | None = Field(None, description="Set when the provision is not law on the "
                                                    "date asked (repealed, not yet, unknown)")
    pending: str | None = Field(None, exclude=True, description="The § asked for in a law the "
                                "store has no text of (its status may name a mapped §)")


def resolve_citation(text: str, kb, context_doc: str | None = None, *,
                     today: date | None = None) -> Resolution:
    """Resolve one reference as typed by a user ("kl. § 19-1 (3)", "opplæringslova § 29-3").

    A provision that is not law on `today` (repealed, not yet in force, or known only as
    promulgated) is not resolved: the answer says why and names the successor where known.
    """
    today = today or date.today()
    res = _resolve_citation(text, kb, context_doc, today)
    _check_time(res, kb, today)
    return res


def status_note(kb, node_id: str, today: date) -> str:
    """"i kraft", "opphevet fra 1.1.2026", "ikke i kraft ennå (Kongen bestemmer)" …"""
    st = kb.status(node_id, today)
    if st is None:
        return "ikke i kunnskapsbasen"
    if st.state == DocState.OPPHEVET:
        return f"opphevet fra {short_date(st.since)}" if st.since else "opphevet"
    if st.state == DocState.IKKE_ENNA:
        return f"trer i kraft {short_date(st.since)}" if st.since else "ikke i kraft ennå: Kongen bestemmer"
    return st.state.label


def time_message(kb, st: Status, what: str) -> tuple[str, list[str]]:
    """Why `what` cannot be read as law on st.as_of, and the citations to use instead."""
    on = f"per {short_date(st.as_of.isoformat())}"
    if st.state == DocState.OPPHEVET:
        since = f" fra {short_date(st.since)}" if st.since else ""
        head = f"{what} er opphevet{since} ({on}). {st.basis}"
    elif st.state == DocState.IKKE_ENNA:
        head = f"{what} er ikke i kraft ennå ({on}). {st.basis}"
    elif st.edge and st.edge.startswith("rules/"):  # curated repeal, date unknown (status.py)
        head = (f"{what} kan ikke sjekkes som gjeldende rett ({on}). {st.basis} Se loven på "
                f"Lovdata for hvordan den sto på datoen, eller sjekk mot dagens regel.")
    else:
        head = (f"{what} kan ikke sjekkes som gjeldende rett ({on}). {st.basis} Slå opp den "
                f"gjeldende teksten på Lovdata, eller importer gjeldende lover og forskrifter "
                f"(`regelsjekk import`).")
    instead = [format_parsed_id(kb, s) for s in st.successors]
    if instead and st.state == DocState.UKJENT:  # as of a past date: today's rule, not then
        head += f" Tilsvarende regel i dag: {', '.join(instead)}."
    elif instead:
        head += f" Tilsvarende regel: {', '.join(instead)}."
    elif st.state == DocState.OPPHEVET:
        head += " Etterfølgeren står ikke i dataene."
    return head.strip(), instead


def format_parsed_id(kb, node_id: str) -> str:
    try:
        from regelsjekk.refs.format import format_citation

        return f"{format_citation(node_id, kb)} ({node_id})"
    except Exception:  # an id outside the knowledge base: show the id itself
        return node_id


def _check_time(res: Resolution, kb, today: date) -> None:
    """Refuse what is not law on `today`; the first such id decides the message.

    A document that is not law is named first even when the § asked for is missing in it
    ("barnelova § 44" in a new barnelova not yet in force): the date is the real problem.
    """
    if not res.ok:
        if res.doc_id is None:
            return
        st = kb.status(res.pending or res.doc_id, today)
        if st is None or st.state.current:
            return
        message, instead = time_message(kb, st, f"«{res.query}» ({_label_kb(kb, res.doc_id)})")
        res.status = st
        if st.state == DocState.OPPHEVET or (st.edge or "").startswith(("rules/", "id: ")):
            # importing the old text would not make it law, nor date a curated repeal
            res.messages = [m for m in res.messages if IMPORT_HINT not in m]
        res.messages.insert(0, message)
        res.suggestions = [s.rsplit(" (", 1)[0] for s in instead] or res.suggestions
        return
    for node_id in res.ids or ([res.doc_id] if res.doc_id else []):
        st = kb.status(node_id, today)
        if st is None or st.state.current:
            continue
        try:
            what = f"«{res.query}» ({ids.human_label(node_id)} i {_label_kb(kb, node_id)})" \
                if node_id != ids.doc_of(node_id) else f"«{res.query}» ({_label_kb(kb, node_id)})"
        except ValueError:
            what = f"«{res.query}» ({node_id})"
        message, instead = time_message(kb, st, what)
        res.ok = False
        res.status = st
        res.messages.append(message)
        res.suggestions = [s.rsplit(" (", 1)[0] for s in instead] or res.suggestions
        return


def _label_kb(kb, node_id: str) -> str:
    doc_id = ids.doc_of(node_id)
    meta = kb.document(doc_id)
    if meta is not None:
        name = (meta.title_short or meta.title).split(" – ")[0]
    else:  # an old law the store has no text of: its curated name (rules/tid.yaml), if any
        name = _curated_name(kb, doc_id) or doc_id
    return doc_id if name == doc_id else f"{name}, {doc_id}"


def _curated_name(kb, doc_id: str) -> str | None:
    rb = getattr(kb, "rulebook", None)
    succession = rb.time.laws.get(doc_id) if rb is not None else None
    return succession.name if succession is not None else None


def _curated_repealed(kb, name: str) -> str | None:
    """The id of a repealed law by its curated name («kommuneloven 1992», also «kommuneloven av
    1992»), for laws the store may have no text of (rules/tid.yaml)."""
    rb = getattr(kb, "rulebook", None)
    if rb is None:
        return None
    key = " ".join(name.lower().replace(" av ", " ").split())
    for doc_id, succession in rb.time.laws.items():
        if " ".join(succession.name.lower().split()) == key:
            return doc_id
    return None


def _resolve_citation(text: str, kb, context_doc: str | None, today: date) -> Resolution:
    index = title_index(kb)
    query = normalize_text(text)
    res = Resolution.model_construct(query=text)
    if not query:
        res.messages.append("Tom henvisning: skriv for eksempel «kommuneloven § 19-1».")
        return res
    # A whole title can contain § or a date ("Forskrift om tenester etter barnelova § 61").
    whole = index.exact.get(normalize_name(query))
    if whole:
        law_res = _choose_document(query, NameMatch(whole, "eksakt", 100.0, query), index, kb,
                                   context_doc, today, LawRef(name=query))
        if law_res.doc_id and law_res.ok:
            law_res.ids = [law_res.doc_id]
        return law_res
    citations = _titled_reference(query, index) or parse_reference(query)
    if not citations:
        res.messages.append(f"Fant ingen henvisning i «{text}».")
        return res
    problems = [c.problem for c in citations if c.problem]
    if problems:  # an unreadable number: never fall back to the whole document
        res.messages.extend(problems)
        return res
    parts = [resolve_parsed(c, kb, context_doc, today=today, index=index) for c in citations]
    return _merge(text, parts)


_POST_NAME = re.compile(r"\s+(?:i|etter|til)\s+", re.IGNORECASE)
_PIN_START = re.compile(r"§|\b(?:kapittel|kap\.?)\s*\d", re.IGNORECASE)


def _titled_reference(query: str, index: TitleIndex) -> list[Citation] | None:
    """'Forskrift om … etter sentralbankloven § 5-3 § 8': a title that itself holds § or a date.

    Tries the text before each pinpoint anchor, last first, as an exact name; the rest is parsed
    as pinpoints of that document.
    """
    # Each cut is normalised whole, so trying every cut of a text with k anchors cost k × its length
    # (a 40 kB request full of "§" took 24 s). A name is never much longer than the longest name
    # in the index: cuts longer than `window` are not tried, which makes this linear.
    window = 2 * index.longest_name + 64
    # "§ 4 i Forskrift om … etter eierseksjonsloven § 9": pinpoints first, then a titled name.
    if query.startswith("§") or query.lower().startswith("kap"):
        for m in _POST_NAME.finditer(query):
            if len(query) - m.end() > window:
                continue
            name = query[m.end():].strip().rstrip(".,;")
            if normalize_name(name) in index.exact:
                pins = parse_reference(query[:m.start()])
                if len(pins) == 1 and pins[0].law is None and pins[0].targets:
                    return [Citation(law=LawRef(name=name), targets=pins[0].targets, text=query,
                                     start=0, end=len(query))]
    starts = [m.start() for m in _PIN_START.finditer(query) if m.start() <= window]
    for pos in reversed(starts):
        prefix = query[:pos].strip().rstrip(",")
        if not prefix or normalize_name(prefix) not in index.exact:
            continue
        rest = parse_reference(query[pos:])
        if not rest or rest[0].law is not None or not rest[0].targets:
            continue
        first = rest[0]
        law = LawRef(name=prefix)
        out = [Citation(law=law, targets=first.targets, text=query, start=0, end=len(query))]
        for c in rest[1:]:
            out.append(c if c.law is not None else Citation(law=law, targets=c.targets, text=c.text,
                                                            start=c.start, end=c.end, inherited=True))
        return out
    return None


def resolve_all(text: str, kb, context_doc: str | None = None, *,
                today: date | None = None) -> list[tuple[Citation, Resolution]]:
    """Every citation in free text with its resolution (for requests and document text)."""
    today = today or date.today()
    index = title_index(kb)
    return [(c, resolve_parsed(c, kb, context_doc, today=today, index=index))
            for c in parse_citations(text)]


def _merge(query: str, parts: list[Resolution]) -> Resolution:
    if len(parts) == 1:
        parts[0].query = query
        return parts[0]
    out = Resolution.model_construct(query=query, doc_id=parts[0].doc_id, pending=parts[0].pending)
    for p in parts:
        out.ids.extend(i for i in p.ids if i not in out.ids)
        out.alternatives.extend(a for a in p.alternatives if a not in out.alternatives)
        out.messages.extend(p.messages)
        out.suggestions.extend(s for s in p.suggestions if s not in out.suggestions)
        out.ambiguous = out.ambiguous or p.ambiguous
        out.approximate = out.approximate or p.approximate
    out.ok = all(p.ok for p in parts)
    return out


def resolve_parsed(c: Citation, kb, context_doc: str | None = None, *, today: date | None = None,
                   index: TitleIndex | None = None) -> Resolution:
    """Resolve one parsed citation."""
    today = today or date.today()
    index = index or title_index(kb)
    if c.problem:
        return Resolution.model_construct(query=c.text, messages=[c.problem])
    res = _resolve_law(c, kb, index, context_doc, today)
    if res.doc_id is not None and not res.ok and kb.document(res.doc_id) is None:
        # An old law known only from rules/tid.yaml: the § asked for lets _check_time name
        # the curated § mapping (kommuneloven 1992 § 6 → kommuneloven § 5-3).
        sections = [t.section for t in c.targets if isinstance(t, Pinpoint) and t.section]
        if sections and _curated_name(kb, res.doc_id):
            res.pending = f"{res.doc_id}/§{sections[0]}"
    if res.doc_id is None or not res.ok:
        return res
    doc_id = res.doc_id
    if not c.targets:
        res.ids = [doc_id]
        return res
    if kb.document(doc_id) is None:
        return res
    order = _NodeOrder(kb, doc_id)
    all_ok = True
    for target in c.targets:
        found, notes, approx = _resolve_target(kb, index, doc_id, target, order)
        if not found and order.empty:
            res.ok = False
            res.ids = []
            res.messages.append(f"{_label(index, doc_id)} er i kunnskapsbasen uten paragrafer. "
                                f"{IMPORT_HINT}")
            return res
        res.messages.extend(notes)
        res.approximate = res.approximate or approx
        if not found:
            all_ok = False
        res.ids.extend(i for i in found if i not in res.ids)
    res.ok = all_ok and bool(res.ids)
    return res


# -- the law ----------------------------------------------------------------------------------


def _label(index: TitleIndex, doc_id: str) -> str:
    info = index.docs.get(doc_id)
    return f"{info.display} ({doc_id})" if info else doc_id


def _resolve_law(c: Citation, kb, index: TitleIndex, context_doc: str | None,
                 today: date) -> Resolution:
    res = Resolution.model_construct(query=c.text)
    law = c.law
    if law is not None and law.weak:
        match = index.lookup(law.name or "", fuzzy=False)
        if match is None:
            law = c.chain_law  # "i § 5", "følge § 5": the guess named nothing
    if law is None or law.this_document:
        if context_doc:
            res.doc_id, res.ok = ids.doc_of(context_doc), True
            return res
        res.messages.append(f"«{c.text}» sier ikke hvilken lov eller forskrift det gjelder. "
                            "Skriv for eksempel «kommuneloven § 4» eller «lov 22. juni 2018 nr. 83 § 4».")
        return res
    if law.doc_id:
        return _by_id(res, law.doc_id, kb, index)
    if law.date and law.kind:
        found = index.by_kind_date(law.kind, law.date)
        exact = ids.make_doc_id(law.kind, law.date, None)
        if exact in found:
            found = [exact]
        if len(found) == 1:
            return _by_id(res, found[0], kb, index)
        if not found:
            res.messages.append(f"Fant ingen {law.kind} datert {law.date} i kunnskapsbasen. {IMPORT_HINT}")
            return res
        res.ambiguous, res.alternatives = True, found
        res.messages.append(f"Flere dokumenter har datoen {law.date}: {', '.join(found)}. Oppgi nummeret.")
        return res
    name = law.name or ""
    match = index.lookup(name, fuzzy=not law.weak)
    if match is None and "(" in name:
        # "kommuneloven (kl.)", "lov om kommuner og fylkeskommuner (kommuneloven)"
        inner = re.findall(r"\(([^()]+)\)", name)
        outer = re.sub(r"\([^()]*\)", " ", name)
        for variant in [outer, *inner]:
            match = index.lookup(variant, fuzzy=False)
            if match is not None:
                break
    if match is None:
        old = _curated_repealed(kb, name)
        if old is not None:  # known to be repealed: _check_time names the successor
            return _by_id(res, old, kb, index)
        sugg = index.suggest(name)
        res.messages.append(f"Fant ingen lov eller forskrift som heter «{name}»."
                            + (f" Mente du {_or_list([index.docs[d].display for d in sugg])}?" if sugg else ""))
        res.suggestions = [_retarget(c, index.docs[d].display) for d in sugg]
        return res
    return _choose_document(name, match, index, kb, context_doc, today, law, res)


def _by_id(res: Resolution, doc_id: str, kb, index: TitleIndex) -> Resolution:
    res.doc_id = doc_id
    if kb.document(doc_id) is None:
        res.messages.append(f"{_label(index, doc_id)} er ikke i kunnskapsbasen. {IMPORT_HINT}")
        return res
    res.ok = True
    return res


def _choose_document(name: str, match: NameMatch, index: TitleIndex, kb, context_doc: str | None,
                     today: date, law: LawRef, res: Resolution | None = None) -> Resolution:
    res = res or Resolution.model_construct(query=name)
    docs = list(match.docs)
    note = ""
    if match.how == "fuzzy":
        note = f"Tolket «{name}» som «{index.docs[docs[0]].display}»."
    if len(docs) > 1:
        kind = _kind_hint(name)
        if kind:
            narrowed = [d for d in docs if d.startswith(kind + "/")]
            docs = narrowed or docs
    if len(docs) > 1 and context_doc and ids.doc_of(context_doc) in docs:
        chosen = ids.doc_of(context_doc)
        res.ambiguous = True
        res.alternatives = [d for d in docs if d != chosen]
        res.messages.append(f"«{name}» kan bety flere dokumenter; valgte {_label(index, chosen)} "
                            "som henvisningen står i.")
        docs = [chosen]
    if len(docs) > 1:
        states = {d: kb.status(d, today) for d in docs}
        current = [d for d in docs if states[d] is not None and states[d].state.current]
        if len(current) == 1:
            chosen = current[0]
            others = [d for d in docs if d != chosen]
            res.ambiguous = True
            res.alternatives = others
            why = "; ".join(f"{_label(index, d)}: {status_note(kb, d, today)}" for d in others)
            res.messages.append(f"«{name}» kan bety {len(docs)} dokumenter. Valgte {_label(index, chosen)}, "
                                f"som er i kraft ({why}).")
            docs = [chosen]
        else:
            res.ambiguous = True
            res.alternatives = docs
            listed = "; ".join(f"{_label(index, d)}: {status_note(kb, d, today)}" for d in docs)
            res.messages.append(f"«{name}» kan bety {len(docs)} dokumenter, og ingen av dem skiller seg ut "
                                f"som det gjeldende: {listed}. Oppgi dato og nummer, for eksempel "
                                f"«{date_form(docs[0])}».")
            res.suggestions = [date_form(d) for d in docs]
            return res
    if note:
        res.messages.append(note)
    return _by_id(res, docs[0], kb, index)


def _kind_hint(name: str) -> str | None:
    key = normalize_name(name)
    if key.startswith(("forskrift", "forskr")) or key.endswith(("forskriften", "forskrifta")):
        return "forskrift"
    if key.startswith("lov ") or key.endswith(("loven", "lova")):
        return "lov"
    return None


def _or_list(items: list[str]) -> str:
    quoted = [f"«{i}»" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " eller " + quoted[-1]


def _retarget(c: Citation, law_name: str) -> str:
    return format_parsed(Citation(law=LawRef(name=law_name), targets=c.targets))


# -- the places in it -----------------------------------------------------------------------------


class _NodeOrder:
    """Sections and chapters of one document in document order (for ranges and checks).

    Lazy: most lookups name one § and never need the document's whole node list.
    """

    def __init__(self, kb, doc_id: str) -> None:
        self._kb, self._doc_id = kb, doc_id
        self._sections: list[str] | None = None
        self._chapters: list[str] | None = None

    def _load(self) -> None:
        nodes = self._kb.nodes_of(self._doc_id)
        self._sections = [n.id for n in nodes if n.kind == NodeKind.SECTION]
        self._chapters = [n.id for n in nodes if n.kind == NodeKind.CHAPTER]

    @property
    def sections(self) -> list[str]:
        if self._sections is None:
            self._load()
        return self._sections or []

    @property
    def chapters(self) -> list[str]:
        if self._chapters is None:
            self._load()
        return self._chapters or []

    @property
    def empty(self) -> bool:
        return not self.sections and not self.chapters


def _variants(value: str) -> list[str]:
    out = [value]
    for v in (value.lower(), value.upper()):
        if v not in out:
            out.append(v)
    return out


def _find(kb, candidates: list[str]) -> str | None:
    for c in candidates:
        if kb.node(c) is not None:
            return c
    return None


def _section_id(kb, doc_id: str, number: str) -> str | None:
    return _find(kb, [ids.section_id(doc_id, v) for v in _variants(number)])


def _chapter_id(kb, doc_id: str, number: str) -> str | None:
    return _find(kb, [f"{doc_id}/kapittel/{v}" for v in _variants(number)])


def _resolve_target(kb, index: TitleIndex, doc_id: str, target: Target,
                    order: _NodeOrder) -> tuple[list[str], list[str], bool]:
    """Node ids for one target, Norwegian notes, and whether the ids are wider than asked."""
    name = index.docs[doc_id].display if doc_id in index.docs else doc_id
    if isinstance(target, Span):
        return _resolve_span(kb, doc_id, name, target, order)
    return _resolve_point(kb, doc_id, name, target)


def _resolve_point(kb, doc_id: str, name: str, p: Pinpoint) -> tuple[list[str], list[str], bool]:
    if p.section is None and p.chapter is None and p.part is not None:
        pid = _find(kb, [f"{doc_id}/del/{v}" for v in _variants(p.part)])
        if pid is None:
            return [], [f"Del {p.part} finnes ikke i {name} ({doc_id})."], False
        return [pid], [], False
    if p.section is None:
        if p.chapter is None:
            return [doc_id], [], False
        cid = _chapter_id(kb, doc_id, p.chapter)
        if cid is None:
            return [], [f"Kapittel {p.chapter} finnes ikke i {name} ({doc_id})."], False
        return [cid], [], False
    sid = _section_id(kb, doc_id, p.section)
    if sid is None:
        return [], [f"§ {p.section} finnes ikke i {name} ({doc_id})."], False
    return _below_section(kb, sid, p, name)


def _below_section(kb, sid: str, p: Pinpoint, name: str) -> tuple[list[str], list[str], bool]:
    notes: list[str] = []
    label = f"§ {sid.rsplit('§', 1)[1]} i {name}"
    ledd_nodes = [n for n in kb.children(sid) if n.kind == NodeKind.LEDD]
    current = sid
    if p.ledd is not None:
        if not ledd_nodes:
            notes.append(f"Leddene i {label} er ikke i kunnskapsbasen; viser hele paragrafen.")
            return [sid], notes, True
        n = len(ledd_nodes) if p.ledd == -1 else p.ledd
        lid = f"{sid}/ledd/{n}"
        if kb.node(lid) is None:
            return [], [f"{label} har ikke et {ids.ORDINALS_BOKMAL.get(n, str(n) + '.')} ledd "
                        f"(har {len(ledd_nodes)})."], False
        current = lid
    for kind in ("bokstav", "nummer"):
        value = getattr(p, kind)
        if value is None:
            continue
        if current == sid:
            # "§ 3 bokstav a" without ledd: the one ledd that has this item.
            holders = [n.id for n in ledd_nodes if kb.node(f"{n.id}/{kind}/{value}") is not None]
            if len(holders) == 1:
                current = f"{holders[0]}/{kind}/{value}"
                continue
            if len(holders) > 1:
                return [], [f"{label} har {kind} {value} i flere ledd; oppgi leddet."], False
            if not _has_items(kb, ledd_nodes):
                notes.append(f"{kind.capitalize()}-punktene i {label} er ikke i kunnskapsbasen; "
                             "viser hele paragrafen.")
                return [sid], notes, True
            return [], [f"{label} har ingen {kind} {value}."], False
        item = f"{current}/{kind}/{value}"
        if kb.node(item) is None:
            if not kb.children(current):
                notes.append(f"{kind.capitalize()}-punktene i {label} er ikke i kunnskapsbasen; "
                             "viser leddet.")
                return [current], notes, True
            return [], [f"{label} har ingen {kind} {value} i dette leddet."], False
        current = item
    if p.punktum is not None:
        notes.append(f"Punktum {p.punktum} vises ikke som egen enhet; viser "
                     f"{'leddet' if current != sid else 'paragrafen'}.")
        return [current], notes, True
    return [current], notes, False


def _has_items(kb, ledd_nodes) -> bool:
    return any(kb.children(n.id) for n in ledd_nodes)


def _resolve_span(kb, doc_id: str, name: str, span: Span,
                  order: _NodeOrder) -> tuple[list[str], list[str], bool]:
    a, b = span.start, span.end
    if span.hyphen and a.section and b.section:
        # "§§ 24-25": § 24-25 if the document has it, else the range § 24 to § 25.
        whole = _section_id(kb, doc_id, f"{a.section}-{b.section}")
        if whole:
            return [whole], [], False
    if a.section is not None and a.section == b.section and (a.ledd, b.ledd) != (None, None):
        sid = _section_id(kb, doc_id, a.section)
        if sid is None:
            return [], [f"§ {a.section} finnes ikke i {name} ({doc_id})."], False
        lo, lo_notes, _ = _below_section(kb, sid, a, name)
        hi, hi_notes, _ = _below_section(kb, sid, b, name)
        if not lo or not hi:
            return [], lo_notes + hi_notes, False
        ledd = [n.id for n in kb.children(sid) if n.kind == NodeKind.LEDD]
        return _slice(ledd, lo[0], hi[0], f"§ {a.section}")
    if a.section is not None and b.section is not None:
        lo, hi = _section_id(kb, doc_id, a.section), _section_id(kb, doc_id, b.section)
        missing = [s for s, i in ((a.section, lo), (b.section, hi)) if i is None]
        if missing:
            return [], [f"§ {s} finnes ikke i {name} ({doc_id})." for s in missing], False
        return _slice(order.sections, lo, hi, f"§§ {a.section}–{b.section}")
    if a.chapter is not None and b.chapter is not None:
        lo, hi = _chapter_id(kb, doc_id, a.chapter), _chapter_id(kb, doc_id, b.chapter)
        missing = [s for s, i in ((a.chapter, lo), (b.chapter, hi)) if i is None]
        if missing:
            return [], [f"Kapittel {s} finnes ikke i {name} ({doc_id})." for s in missing], False
        return _slice(order.chapters, lo, hi, f"kapittel {a.chapter}–{b.chapter}")
    return [], ["Kunne ikke tolke intervallet."], False


def _slice(seq: list[str], lo: str, hi: str, label: str) -> tuple[list[str], list[str], bool]:
    try:
        i, j = seq.index(lo), seq.index(hi)
    except ValueError:
        return [], [f"Kunne ikke finne rekkefølgen for {label}."], False
    if j < i:
        return [], [f"{label}: slutten kommer før starten."], False
    return seq[i:j + 1], [], False
