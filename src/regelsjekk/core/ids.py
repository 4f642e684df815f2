"""One id scheme for every provision, built from Lovdata's own.

Examples::

    lov/2018-06-22-83                         a document (law), Lovdata's refid
    forskrift/2006-06-23-724                  a regulation
    lov/2018-06-22-83/del/5                   a part (del)
    lov/2018-06-22-83/kapittel/19             a chapter
    lov/2018-06-22-83/§19-1                   a section (paragraf), flat under the document
    lov/2018-06-22-83/§19-1/ledd/2            a ledd
    lov/2018-06-22-83/§19-1/ledd/1/bokstav/a  a lettered item
    lov/2018-06-22-83/§19-1/ledd/1/nummer/3   a numbered item

Sections sit directly under the document (not under their chapter) because that is how Lovdata
addresses them and how lawyers cite them; a chapter move does not change a section's id.
Ids are plain strings everywhere so that reports, rules and the store can carry them without
conversion; this module parses, builds and links them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regelsjekk.core.errors import RegelsjekkError

LOVDATA_BASE = "https://lovdata.no"

# Month names and abbreviations as citations write them ("26. juni 1992", "26. jun. 1992").
MONTHS: dict[str, int] = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}

DOC_KINDS = ("lov", "forskrift")
# Lovdata dates its documents; the number may be absent on old laws (lov/1967-02-10).
_DOC_RE = re.compile(r"^(lov|forskrift)/(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")
_SEGMENT_KINDS = ("del", "kapittel", "ledd", "bokstav", "nummer", "punktum")


class InvalidId(RegelsjekkError, ValueError):
    """An id that does not follow the scheme above."""


@dataclass(frozen=True, slots=True)
class ProvisionId:
    """A parsed id: the document plus a path of (kind, value) steps.

    A section step is ("paragraf", "19-1"); the others use the kinds in ``_SEGMENT_KINDS``.
    """

    doc: str
    path: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        return self.path[-1][0] if self.path else "dokument"

    @property
    def section(self) -> str | None:
        """The § number this id sits in or is, if any (e.g. "19-1")."""
        for kind, value in self.path:
            if kind == "paragraf":
                return value
        return None

    def parent(self) -> ProvisionId | None:
        if not self.path:
            return None
        return ProvisionId(self.doc, self.path[:-1])

    def child(self, kind: str, value: str) -> ProvisionId:
        return ProvisionId(self.doc, self.path + ((kind, value),))

    def __str__(self) -> str:
        parts = [self.doc]
        for kind, value in self.path:
            parts.append(f"§{value}" if kind == "paragraf" else f"{kind}/{value}")
        return "/".join(parts)


def parse_id(text: str) -> ProvisionId:
    """Parse an id string; raise InvalidId with a Norwegian message if it does not fit."""
    raw = text.strip().strip("/")
    pieces = raw.split("/")
    if len(pieces) < 2:
        raise InvalidId(f"Ugyldig id «{text}»: forventet for eksempel «lov/2018-06-22-83/§19-1».")
    doc = "/".join(pieces[:2]).lower()
    if not _DOC_RE.match(doc):
        raise InvalidId(f"Ugyldig dokument-id «{doc}» i «{text}»: forventet «lov/ÅÅÅÅ-MM-DD-NR».")
    path: list[tuple[str, str]] = []
    rest = pieces[2:]
    i = 0
    while i < len(rest):
        piece = rest[i]
        if piece.startswith("§"):
            value = piece[1:].replace(" ", "")
            if not value:
                raise InvalidId(f"Ugyldig id «{text}»: § uten nummer.")
            path.append(("paragraf", value))
            i += 1
            continue
        if piece in _SEGMENT_KINDS and i + 1 < len(rest) and rest[i + 1]:
            path.append((piece, rest[i + 1]))
            i += 2
            continue
        raise InvalidId(f"Ugyldig id «{text}»: ukjent ledd i stien «{piece}».")
    return ProvisionId(doc, tuple(path))


def is_valid_id(text: str) -> bool:
    try:
        parse_id(text)
    except InvalidId:
        return False
    return True


def doc_of(node_id: str) -> str:
    """The document id of any node id (cheap: no full parse)."""
    parts = node_id.split("/", 2)
    return "/".join(parts[:2])


def section_id(doc: str, number: str) -> str:
    return f"{doc}/§{number.replace(' ', '')}"


def make_doc_id(kind: str, date: str, number: str | int | None) -> str:
    """lov + 2018-06-22 + 83 -> lov/2018-06-22-83 (leading zeros in the number dropped)."""
    kind = kind.lower()
    if kind not in DOC_KINDS:
        raise InvalidId(f"Ukjent dokumenttype «{kind}»: forventet lov eller forskrift.")
    if number in (None, "", 0, "0", "000"):
        return f"{kind}/{date}"
    return f"{kind}/{date}-{int(str(number))}"


def lovdata_url(node_id: str) -> str:
    """The public lovdata.no page for a node (section-level anchor where Lovdata has one).

    Lovdata serves ``/lov/2018-06-22-83/§19-1``; deeper levels link to their section, since
    lovdata.no has no stable public anchor for ledd; parts and chapters link to
    the document, since Lovdata numbers chapter anchors by position, not by chapter number.
    """
    pid = parse_id(node_id)
    section = pid.section
    target = pid.doc
    if section is not None:
        target = f"{pid.doc}/§{section}"
    return f"{LOVDATA_BASE}/{target}"


ORDINALS_BOKMAL = {
    1: "første", 2: "annet", 3: "tredje", 4: "fjerde", 5: "femte", 6: "sjette",
    7: "sjuende", 8: "åttende", 9: "niende", 10: "tiende", 11: "ellevte", 12: "tolvte",
}


def human_label(node_id: str) -> str:
    """A citation-like label without the law name: '§ 19-1 annet ledd bokstav a'."""
    pid = parse_id(node_id)
    words: list[str] = []
    for kind, value in pid.path:
        if kind == "paragraf":
            words.append(f"§ {value}")
        elif kind == "ledd":
            n = int(value) if value.isdigit() else None
            words.append(f"{ORDINALS_BOKMAL.get(n, value + '.') if n else value} ledd")
        elif kind == "kapittel":
            words.append(f"kapittel {value}")
        elif kind == "del":
            words.append(f"del {value}")
        else:
            words.append(f"{kind} {value}")
    return " ".join(words)
