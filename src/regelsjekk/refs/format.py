"""Write citations the way Norwegian lawyers do: "kommuneloven § 19-1 annet ledd".

``format_citation`` names a node of the knowledge base; ``format_parsed`` writes a parsed
citation back in a canonical form that ``parse_citations`` reads to the same meaning (the
property tests check parse -> format -> parse).
"""

from __future__ import annotations

from regelsjekk.core import ids
from regelsjekk.refs.model import Citation, LawRef, Pinpoint, Span, Target

ORDINALS = ids.ORDINALS_BOKMAL
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "desember")


def _ordinal(n: int) -> str:
    if n == -1:
        return "siste"
    return ORDINALS.get(n, f"{n}.")


def date_form(doc_id: str) -> str:
    """lov/2018-06-22-83 -> 'lov 22. juni 2018 nr. 83' (lov/1967-02-10 -> 'lov 10. februar 1967')."""
    kind, _, rest = doc_id.partition("/")
    y, m, d = rest[:4], int(rest[5:7]), int(rest[8:10])
    nr = rest[11:]
    return f"{kind} {d}. {MONTHS[m - 1]} {y}" + (f" nr. {nr}" if nr else "")


def _law_text(law: LawRef | None) -> str | None:
    if law is None or law.this_document:
        return None
    if law.doc_id:
        return date_form(law.doc_id)
    if law.date and law.kind:
        return date_form(f"{law.kind}/{law.date}")
    return law.name


def _sub(p: Pinpoint) -> str:
    words: list[str] = []
    if p.ledd is not None:
        words.append(f"{_ordinal(p.ledd)} ledd")
    if p.punktum is not None:
        words.append(f"{_ordinal(p.punktum)} punktum")
    if p.bokstav is not None:
        words.append(f"bokstav {p.bokstav}")
    if p.nummer is not None:
        words.append(f"nr. {p.nummer}")
    return " ".join(words)


def _point(p: Pinpoint) -> str:
    """'19-1 annet ledd' (without the § sign)."""
    sub = _sub(p)
    return f"{p.section} {sub}".strip() if p.section else sub


def _ledd_span(s: Span) -> bool:
    return (s.start.section == s.end.section and s.start.section is not None
            and (s.start.ledd, s.end.ledd) != (None, None)
            and s.start.ledd != s.end.ledd)


def _is_chapter(t: Target) -> bool:
    p = t.start if isinstance(t, Span) else t
    return p.section is None and p.chapter is not None


def _targets_text(targets: tuple[Target, ...]) -> str:
    if not targets:
        return ""
    if all(isinstance(t, Pinpoint) and t.part is not None and t.chapter is None
           and t.section is None for t in targets):
        return "del " + _join([t.part for t in targets])
    if all(_is_chapter(t) for t in targets):
        parts = [t.chapter if isinstance(t, Pinpoint) else f"{t.start.chapter} til {t.end.chapter}"
                 for t in targets]
        return "kapittel " + _join(parts)
    parts: list[str] = []
    plural = len(targets) > 1
    for t in targets:
        if isinstance(t, Span):
            if _ledd_span(t):
                a, b = t.start, t.end
                rest = _sub(Pinpoint(punktum=a.punktum, bokstav=a.bokstav, nummer=a.nummer))
                parts.append(f"{a.section} {_ordinal(a.ledd)} til {_ordinal(b.ledd)} ledd"
                             + (f" {rest}" if rest else ""))
            elif t.hyphen:
                parts.append(f"{t.start.section}-{t.end.section}")
                plural = True
            else:
                parts.append(f"{_point(t.start)} til {_point(t.end)}")
                plural = True
        else:
            parts.append(_point(t))
    return ("§§ " if plural else "§ ") + _join(parts)


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def format_parsed(c: Citation) -> str:
    """A parsed citation in canonical form."""
    law = _law_text(c.law)
    where = _targets_text(c.targets)
    if c.law is not None and c.law.this_document:
        return f"{where} i denne loven" if where else "denne loven"
    if law and where:
        return f"{law} {where}"
    return law or where


def format_citation(node_id: str, kb) -> str:
    """The citation for a node: 'kommuneloven § 19-1 annet ledd', 'forsøksloven § 3 første
    ledd bokstav a'; documents not in the knowledge base are named by date and number."""
    from regelsjekk.refs.index import display_name, title_index

    pid = ids.parse_id(node_id)
    # A document in the knowledge base is named from its own metadata, as the title index would
    # name it (formatting ten citations must not load the index of 21,000 names); one known
    # only by an alias in rules/aliases.yaml is named from the index.
    meta = kb.document(pid.doc) if hasattr(kb, "document") else None
    if meta is not None:
        law = display_name(meta)
    else:
        info = title_index(kb).docs.get(pid.doc)
        law = info.display if info else date_form(pid.doc)
    label = ids.human_label(node_id)
    return f"{law} {label}".strip() if label else law
