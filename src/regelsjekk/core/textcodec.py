"""Bytes a user gave us → text: UTF-8, or another Unicode encoding its byte-order mark (BOM)
names; never a guess. UTF-16 without a BOM and anything else that is not UTF-8 is refused with a
Norwegian reason (issue 19: a valid UTF-16 file was refused by one door and read by another).
"""

from __future__ import annotations

from dataclasses import dataclass

# Longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


@dataclass(frozen=True)
class DecodeProblem:
    """Why bytes are not text we read: a Norwegian message, and the byte offset (UTF-8 only)."""

    message: str
    offset: int | None = None


def bom(data: bytes) -> tuple[str, int, str] | None:
    """(codec, length of the mark, name) if data starts with a byte-order mark."""
    for mark, codec, name in BOMS:
        if data.startswith(mark):
            return codec, len(mark), name
    return None


def looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a mark: NUL in every other byte of the start (text in UTF-8 never does
    that; a stray NUL or two in UTF-8 text does not count)."""
    head = data[:64]
    if len(head) < 4 or bom(head):
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > len(even) // 2 or odd.count(0) > len(odd) // 2


def decode_text(data: bytes) -> tuple[str | None, DecodeProblem | None]:
    """(text without its BOM, None) or (None, why not)."""
    marked = bom(data)
    if marked:
        codec, skip, name = marked
        try:
            return data[skip:].decode(codec), None
        except UnicodeDecodeError:
            return None, DecodeProblem(f"filen er ikke UTF-8, og selv om den er merket som {name} "
                                       f"(BOM), er den ikke gyldig {name}")
    if looks_like_utf16(data):
        return None, DecodeProblem("filen er ikke UTF-8: den ser ut som UTF-16 uten merke (BOM) "
                                   "for tegnkoding")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, DecodeProblem("filen er ikke lagret som UTF-8", exc.start)
