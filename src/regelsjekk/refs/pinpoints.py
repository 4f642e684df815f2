"""The pinpoint grammar: what follows § or "kapittel" in a Norwegian citation.

Section numbers (19-1, 4a, 8a-1), lists ("§§ 24, 25 og 27"), ranges ("til", "–"), and the parts
below a section: ledd by ordinal (bokmål and nynorsk) or "(2)", punktum, bokstav and nummer.
Lists multiply out into one Pinpoint each; a range becomes a Span for the resolver to expand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from regelsjekk.core.ids import MONTHS
from regelsjekk.refs.model import Pinpoint, Span, Target
from regelsjekk.refs.normalize import ORDINAL_WORDS, normalize_section_number

_L = r"A-Za-zÆØÅæøåÉéÜüÖöÄä"  # letters in Norwegian law names
_ORD = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# A section number: 19-1, 4a, 8a-1, 11a-1a, 120 a (a spaced letter only a–h and not a word).
_SECNUM = r"\d+(?:[a-zA-Z]|\s[a-h](?![\w]))?(?:-\d+(?:[a-zA-Z]|\s[a-h](?![\w]))?)?(?![\w])"
_SECNUM_RE = re.compile(_SECNUM)
_CHAPNUM = r"(?:\d+(?:[a-zA-Z]|(?-i:\s[A-H]))?(?![\w])|(?-i:[IVXLC]+)(?![\w]))"
_LAWLIKE_WORD = (rf"(?:[{_L}][{_L}\-]*?)?(?:lov|lova|loven|lovens|lovas|lovi|forskrift|forskrifta|"
                 rf"forskriften|forskriftens|forskriftas)")


def _ordinal(word: str) -> int | None:
    word = word.lower().strip()
    if word.endswith("."):
        word = word[:-1]
    if word.isdigit():
        return int(word)
    return ORDINAL_WORDS.get(word)


# -- pinpoint grammar -------------------------------------------------------------------------

_ORDTOK = rf"(?:{_ORD}|\d+\.)"
_LIST_SEP = r"\s*(?:,|\bog\b|\beller\b|\bsamt\b)\s*"
_RANGE_SEP = r"\s*(?:\btil\b|–|—)\s*"
_LEDD = re.compile(rf"\s*,?\s*(?P<list>{_ORDTOK}(?:(?:{_LIST_SEP}|{_RANGE_SEP}){_ORDTOK})*)\s+ledd\b",
                   re.IGNORECASE)
_LEDD_PAREN = re.compile(r"\s*\((?P<n>\d{1,2})\)")
_PUNKTUM = re.compile(
    rf"\s*,?\s*(?P<list>{_ORDTOK}(?:(?:{_LIST_SEP}|{_RANGE_SEP}){_ORDTOK})*)\s+(?:punktum|pkt\.?)(?![\w])",
    re.IGNORECASE)
_BOKSTAV = re.compile(
    r"\s*,?\s*(?:bokstav|bokstavene|bokstavane|bokst\.|litra|litr\.)\s*"
    r"(?P<list>[a-zæøå]\)?(?:(?:\s*(?:,|\bog\b|\beller\b|\btil\b|–)\s*)[a-zæøå]\)?(?![\w]))*)(?![\w])",
    re.IGNORECASE)
_NUMMER = re.compile(
    r"\s*,?\s*(?:nr\.|nr|nummer|numrene)\s*(?P<list>\d+(?:(?:\s*(?:,|\bog\b|\beller\b|\btil\b|–)\s*)\d+)*)(?![\w])",
    re.IGNORECASE)
_ITEM_SEP = re.compile(rf"{_LIST_SEP}(?:§§?\s*)?(?=\d)", re.IGNORECASE)
_ITEM_RANGE = re.compile(rf"{_RANGE_SEP}(?:§§?\s*)?(?=\d)", re.IGNORECASE)
_HYPHEN_RANGE = re.compile(r"\s*-\s*(?:§\s*)?(?=\d)")
# What may follow a list item so that "og 10" is a section and not "og 10 kommuner".
_AFTER_ITEM_OK = re.compile(
    rf"(?:\s*$|\s*[,.;:)\]–—-]|\s*\(|\s+(?:og|eller|samt|til|i|etter|jf|jfr|jamfør|ledd|bokstav|"
    rf"bokstavene|nr|nummer|punktum|pkt|{_ORD}|\d+\.)(?![\w])|\s+{_LAWLIKE_WORD}\b|(?-i:\s+[A-ZÆØÅ]))",
    re.IGNORECASE)


def _split_list(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """'første og annet' -> ['første', 'annet']; 'første til tredje' -> ranges."""
    singles: list[str] = []
    ranges: list[tuple[str, str]] = []
    parts = re.split(r"(\s*(?:,|\bog\b|\beller\b|\bsamt\b|\btil\b|–|—)\s*)", text, flags=re.IGNORECASE)
    values = [p.strip() for p in parts[0::2]]
    seps = [p.strip().lower() for p in parts[1::2]]
    i = 0
    while i < len(values):
        if i < len(seps) and seps[i] in ("til", "–", "—"):
            ranges.append((values[i], values[i + 1]))
            i += 2
            continue
        singles.append(values[i])
        i += 1
    return singles, ranges


def _subparts(text: str, pos: int) -> tuple[list[Target], int, bool]:
    """Read ledd/punktum/bokstav/nummer after a section number.

    Returns partial pinpoints (section unset; lists multiply out, a range becomes a Span), the new
    position, and whether anything was read.
    """
    results: list[Target] = [Pinpoint()]
    read = False
    seen: set[str] = set()
    rules = (("ledd", _LEDD_PAREN), ("ledd", _LEDD), ("punktum", _PUNKTUM),
             ("bokstav", _BOKSTAV), ("nummer", _NUMMER))
    while True:
        hit: tuple[str, re.Match] | None = None
        for kind, rx in rules:
            if kind not in seen and (m := rx.match(text, pos)):
                hit = (kind, m)
                break
        if hit is None:
            break
        kind, m = hit
        seen.add(kind)
        read = True
        pos = m.end()
        if "n" in m.re.groupindex:
            singles, ranges = [m.group("n")], []
        else:
            singles, ranges = _split_list(m.group("list"))
        conv = _ordinal if kind in ("ledd", "punktum") else (lambda v: v.rstrip(")").lower())
        new: list[Target] = []
        for base in results:
            if isinstance(base, Span):  # one range per citation: deeper parts stay on the range
                new.append(base)
                continue
            for value in singles:
                if (v := conv(value)) is not None:
                    new.append(_with(base, kind, v))
            for lo, hi in ranges:
                a, b = conv(lo), conv(hi)
                if a is not None and b is not None:
                    new.append(Span(_with(base, kind, a), _with(base, kind, b)))
        results = new or results
    return results, pos, read


def _with(p: Pinpoint, kind: str, value) -> Pinpoint:
    """``p`` with one field set: ledd and punktum are numbers, the other fields strings."""
    return replace(p, **{kind: value if kind in ("ledd", "punktum") else str(value)})


def _set_section(t: Target, section: str) -> Target:
    if isinstance(t, Span):
        return Span(_with(t.start, "section", section), _with(t.end, "section", section))
    return _with(t, "section", section)


def _read_sections(text: str, pos: int, plural: bool) -> tuple[list[Target], int]:
    """Read 'NUM sub* ((, | og | eller) NUM sub* | (til | –) NUM sub*)*' after § or §§."""
    targets: list[Target] = []
    m = _SECNUM_RE.match(text, pos)
    if not m:
        return [], pos
    first = normalize_section_number(m.group(0))
    pos = m.end()
    # "§§ 24-25": a plural sign on a single hyphenated pair of plain numbers is a range.
    if plural and re.fullmatch(r"\d+-\d+", first) and not _subparts(text, pos)[2]:
        nxt = re.match(rf"{_LIST_SEP}|{_RANGE_SEP}", text[pos:], re.IGNORECASE)
        if not nxt or not re.match(r"\d", text[pos + nxt.end():pos + nxt.end() + 1] or "x"):
            lo, hi = first.split("-")
            if int(lo) < int(hi):
                return [Span(Pinpoint(section=lo), Pinpoint(section=hi), hyphen=True)], pos
    subs, pos, _ = _subparts(text, pos)
    current = [_set_section(s, first) for s in subs]
    while True:
        rm = _ITEM_RANGE.match(text, pos) or (_HYPHEN_RANGE.match(text, pos) if plural and "-" not in first else None)
        if rm:
            m2 = _SECNUM_RE.match(text, rm.end())
            if m2:
                hi = normalize_section_number(m2.group(0))
                end_pos = m2.end()
                subs2, end_pos, _ = _subparts(text, end_pos)
                lo_t = current[-1] if current else Pinpoint(section=first)
                hi_t = _set_section(subs2[0], hi)
                if isinstance(lo_t, Pinpoint) and isinstance(hi_t, Pinpoint):
                    current[-1:] = [Span(lo_t, hi_t)]
                    pos = end_pos
                    continue
        sm = _ITEM_SEP.match(text, pos)
        if sm:
            m2 = _SECNUM_RE.match(text, sm.end())
            if m2 and _AFTER_ITEM_OK.match(text, m2.end()):
                targets.extend(current)
                first = normalize_section_number(m2.group(0))
                subs, pos, _ = _subparts(text, m2.end())
                current = [_set_section(s, first) for s in subs]
                continue
        break
    targets.extend(current)
    return targets, pos


_CHAP_ITEM = re.compile(_CHAPNUM, re.IGNORECASE)
_CHAP_RANGE = re.compile(rf"{_RANGE_SEP}(?:kapittel\s*|kap\.?\s*)?", re.IGNORECASE)
_CHAP_LIST = re.compile(rf"{_LIST_SEP}(?:kapittel\s*|kap\.?\s*)?", re.IGNORECASE)


def _read_chapters(text: str, pos: int) -> tuple[list[Target], int]:
    targets: list[Target] = []
    m = _CHAP_ITEM.match(text, pos)
    if not m:
        return [], pos
    targets.append(Pinpoint(chapter=_chapter_number(m.group(0))))
    pos = m.end()
    while True:
        rm = _CHAP_RANGE.match(text, pos)
        if rm and (m2 := _CHAP_ITEM.match(text, rm.end())):
            targets[-1] = Span(targets[-1], Pinpoint(chapter=_chapter_number(m2.group(0))))
            pos = m2.end()
            continue
        sm = _CHAP_LIST.match(text, pos)
        if sm and (m2 := _CHAP_ITEM.match(text, sm.end())) and _AFTER_ITEM_OK.match(text, m2.end()):
            targets.append(Pinpoint(chapter=_chapter_number(m2.group(0))))
            pos = m2.end()
            continue
        break
    return targets, pos


def _chapter_number(raw: str) -> str:
    """'19' -> '19', '6 a' -> '6A', 'iv' -> 'IV' (the resolver also tries other cases)."""
    return re.sub(r"\s+", "", raw).upper()
