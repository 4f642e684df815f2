"""Reference targets: Lovdata link addresses → our node ids, ranges, ledd words after a link.

Kept apart from parse.py because the loader needs the same rules when it expands ranges into
documents imported later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from regelsjekk.core.ids import make_doc_id
from regelsjekk.core.model import RefKind

# Ordinals as written in bokmål and nynorsk, for "annet ledd" and "Første del".
ORDINAL_WORDS: dict[str, int] = {
    "første": 1, "fyrste": 1, "annet": 2, "annen": 2, "andre": 2, "tredje": 3, "fjerde": 4,
    "femte": 5, "sjette": 6, "sjuende": 7, "sjuande": 7, "syvende": 7, "åttende": 8,
    "åttande": 8, "niende": 9, "niande": 9, "tiende": 10, "tiande": 10, "ellevte": 11,
    "tolvte": 12,
}

# A document address as Lovdata writes it; leading zeros of the number are not part of it.
DOC_ID_RE = re.compile(r"^(lov|forskrift)/(\d{4}-\d{2}-\d{2})(?:-0*(\d+))?$")
_ROMAN = re.compile(r"^[ivxlc]+$", re.IGNORECASE)
_LEDD_AFTER = re.compile(r"^\s*(" + "|".join(ORDINAL_WORDS) + r")\s+ledd\b", re.IGNORECASE)


class RawRef(NamedTuple):
    source: str
    target: str
    kind: RefKind
    text: str | None
    derived: int  # 0 as linked, 1 expanded from a range, 2 ledd refined from the words after a link


@dataclass(frozen=True, slots=True)
class PendingRange:
    """"§§ 1-1 til 1-4" where only the endpoints are linked: expand with the target's § order."""

    source: str
    first: str
    last: str
    text: str


def part_number(word: str) -> int:
    return ORDINAL_WORDS.get(word.lower(), 0)


def chapter_number(printed: str) -> str:
    """'17 A' -> '17A', 'iii' -> 'III': a chapter number as printed, spaces removed."""
    value = printed.replace(" ", "")
    return value.upper() if _ROMAN.match(value) else value


def normalise_target(href: str) -> str | None:
    """A Lovdata address (link href, basedOn entry, data-change-part) → our id, or None.

    Keeps the deepest level our scheme knows (§, kapittel, ledd, bokstav, nummer); drops what it
    does not (setning/punktum, EØS annex paths), so a target is never more specific than written.
    """
    h = href.strip()
    for prefix in ("https://lovdata.no/", "http://lovdata.no/", "/"):
        if h.startswith(prefix):
            h = h[len(prefix):]
    h = h.split("#", 1)[0].split("?", 1)[0]
    if h.startswith("dokument/"):
        h = "/".join(h.split("/")[2:])
    parts = [p for p in h.split("/") if p]
    if len(parts) < 2:
        return None
    m = DOC_ID_RE.match(f"{parts[0].lower()}/{parts[1]}")
    if not m:
        return None
    out = make_doc_id(*m.groups())
    rest = parts[2:]
    i = 0
    depth = 0
    while i < len(rest):
        piece = rest[i]
        if piece.startswith("§") and depth == 0:
            value = piece[1:].replace(" ", "")
            if not value:
                break
            out += f"/§{value}"
        elif piece.lower().startswith("kap") and depth == 0 and len(piece) > 3 \
                and piece[3:4].isalnum():
            out += f"/kapittel/{chapter_number(piece[3:])}"
        elif piece in ("ledd", "bokstav", "nummer", "nr") and i + 1 < len(rest) and depth > 0:
            seg = "nummer" if piece == "nr" else piece
            value = rest[i + 1]
            if seg == "bokstav":
                value = value.lower()
            out += f"/{seg}/{value}"
            i += 1
        else:
            break
        depth += 1
        i += 1
    return out


def refine_ledd(target: str, tail: str) -> str | None:
    """'§ 1-2' followed by ' annet ledd' → '…/§1-2/ledd/2'. Only a bare § target, one ordinal."""
    if "/§" not in target or "/" in target.split("/§", 1)[1]:
        return None
    m = _LEDD_AFTER.match(tail)
    if not m:
        return None
    rest = tail[m.end():]
    # "første og annet ledd" never reaches here; "annet ledd og tredje ledd" is left at the §.
    if re.match(r"^\s*(og|til|–|-)\s+(" + "|".join(ORDINAL_WORDS) + r")\b", rest, re.IGNORECASE):
        return None
    return f"{target}/ledd/{ORDINAL_WORDS[m.group(1).lower()]}"


def expand_range(rng: PendingRange, section_order: list[str]) -> list[str] | None:
    """The §§ strictly between the endpoints, in the target's order; None when unknown."""
    try:
        a = section_order.index(rng.first)
        b = section_order.index(rng.last)
    except ValueError:
        return None
    if b <= a or b - a > 400:
        return None
    return section_order[a + 1:b + 1]


def expand_ranges_within(ranges: list[PendingRange], doc_id: str,
                         section_order: list[str]) -> tuple[list[RawRef], list[PendingRange]]:
    """Expand ranges into this same document now; return the others for the loader."""
    refs: list[RawRef] = []
    pending: list[PendingRange] = []
    for rng in ranges:
        if rng.first.split("/§")[0] != doc_id:
            pending.append(rng)
            continue
        expanded = expand_range(rng, section_order)
        if expanded is None:
            refs.append(RawRef(rng.source, rng.last, RefKind.CITES, rng.text, 0))
            continue
        refs.extend(RawRef(rng.source, t, RefKind.CITES, rng.text, 0) for t in expanded)
    return refs, pending
