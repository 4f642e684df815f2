"""Numbers and kinds from printed labels: «Første del», «Kapittel 17 A», «§ 3-6 a», «b)», «1.1.».

Lovdata's data-name attributes are derived from the printed headings and are sometimes wrong
(«Annen del» has data-name «delDe»), so the heading text decides and data-name only confirms.
"""

from __future__ import annotations

import re

from lxml import etree

from regelsjekk.core.model import NodeKind
from regelsjekk.lovdata.header import text_of
from regelsjekk.lovdata.refs import ORDINAL_WORDS, chapter_number, part_number

_ROMAN_MULTI = re.compile(r"^(ii|iii|iv|vi|vii|viii|ix|xi|xii|xiii|xiv|xv)$")
_ITEM_LABEL = re.compile(r"^[(\[]?([0-9]+[a-z]?(?:\.[0-9]+)*|[a-zæøå]|[A-ZÆØÅ]|[ivxlc]+)[.):\]]?$")
_PART_ORDINAL = re.compile(r"^(" + "|".join(ORDINAL_WORDS) + r")\s+del\b", re.IGNORECASE)
_PART = re.compile(r"^del\s+([0-9]+|[IVXLC]+)\b\.?", re.IGNORECASE)
_CHAPTER = re.compile(r"^(?:kapittel|kap\.?)\s*([0-9]+(?:\s?[A-Za-z])?(?:\.[0-9]+)*|[IVXLC]+)\b",
                      re.IGNORECASE)
_ROMAN = re.compile(r"^([IVXLC]+)(?:\.|\s|$)")
_NUMERIC = re.compile(r"^([0-9]+(?:\.[0-9]+)*)\.?(?:\s|$)")
_LETTER = re.compile(r"^([A-Z])\.?(?:\s|$)")


def classify_section(heading: str, data_name: str) -> tuple[NodeKind | None, str | None, str | None]:
    """(kind, printed number, title) of a section from its heading; None kind = unnumbered."""
    h = heading.strip()
    rest = ""
    m = _PART_ORDINAL.match(h)
    if m:
        return NodeKind.PART, str(part_number(m.group(1))), _after(h, m.end())
    m = _PART.match(h)
    if m:
        return NodeKind.PART, m.group(1).upper() if m.group(1).isalpha() else m.group(1), _after(h, m.end())
    m = _CHAPTER.match(h)
    if m:
        return NodeKind.CHAPTER, chapter_number(m.group(1)), _after(h, m.end())
    dn = data_name.lower()
    m = _ROMAN.match(h)
    if m and dn == f"kap{m.group(1).lower()}":
        return NodeKind.CHAPTER, m.group(1), _after(h, m.end())
    m = _NUMERIC.match(h)
    if m and dn.startswith("kap"):
        return NodeKind.CHAPTER, m.group(1), _after(h, m.end())
    m = _LETTER.match(h)
    if m and dn == f"kap{m.group(1).lower()}":
        return NodeKind.CHAPTER, m.group(1), _after(h, m.end())
    if not h and re.fullmatch(r"kap([0-9]+|[ivxlc]+)", dn):
        rest = dn[3:]
        return NodeKind.CHAPTER, rest.upper() if rest.isalpha() else rest, None
    return None, None, None


def _after(heading: str, pos: int) -> str | None:
    rest = heading[pos:].lstrip(" .:–-").strip()
    return rest or None


def section_number(data_name: str, value: str) -> str | None:
    raw = data_name.strip() or value.strip()
    raw = raw.lstrip("§").replace(" ", "").rstrip(".,)")
    if not raw or raw == "-":
        v = value.replace("§", "").replace(" ", "").rstrip(".,)")
        return v or None
    return raw


def item_label(el: etree._Element) -> tuple[str, str | None]:
    label = el.get("data-name")
    heading = None
    if el.get("class") == "marginIdArticle":
        for span in el.iterchildren("span"):
            cls = span.get("class")
            if cls == "data-marginOriginalId" and label is None:
                label = text_of(span)
            elif cls == "miscHeadline":
                heading = text_of(span)
        # the label and headline spans are not text of the item
        for span in list(el.iterchildren("span")):
            if span.get("class") in ("data-marginOriginalId", "miscHeadline"):
                _drop_keep_tail(span)
    else:
        for art in el.iterchildren("article"):
            for span in art.iterchildren("span"):
                if span.get("class") == "data-originalId":
                    if label is None:
                        label = text_of(span)
                    _drop_keep_tail(span)
                    break
    return (label or "").strip(), heading


def _drop_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def item_kind(label: str, el: etree._Element, position: int) -> tuple[NodeKind, str]:
    m = _ITEM_LABEL.match(label.strip())
    if m:
        value = m.group(1)
        lower = value.lower()
        if len(value) == 1 and value.isalpha():
            if lower in ("i", "v", "x") and _in_roman_list(el):
                return NodeKind.NUMMER, lower
            return NodeKind.BOKSTAV, lower
        if value[0].isdigit():
            return NodeKind.NUMMER, value
        if _ROMAN_MULTI.match(lower):
            return NodeKind.NUMMER, lower
    return NodeKind.NUMMER, str(position)


def _in_roman_list(el: etree._Element) -> bool:
    parent = el.getparent()
    if parent is None:
        return False
    for sib in parent:
        name = (sib.get("data-name") or "").strip("().").lower()
        if _ROMAN_MULTI.match(name):
            return True
    return False
