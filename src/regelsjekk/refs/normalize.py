"""Normalisation of citation text and law names.

Two normalisers with different jobs:

* ``normalize_text`` prepares free text for the citation parser. It keeps the text readable and
  keeps every digit, letter and the difference between a hyphen (``§ 2-3``, chapter 2 section 3)
  and an en dash (``§§ 2–3``, a range): only look-alike characters are unified. It is
  idempotent, which the property tests check.
* ``normalize_name`` turns a law name into a lookup key: lower case, no punctuation, single
  spaces. ``name_stem`` goes one step further and folds the bokmål/nynorsk/genitive endings of
  the last word (``kommuneloven``, ``kommunelova``, ``kommunelovens`` -> ``kommunelov``) so that
  the common written forms of a name meet in one exact key before any fuzzy matching.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alikes of the hyphen (chapter-section separator) and of the en dash (ranges).
_HYPHENS = "\u2010\u2011\u2012\u2212\u00ad"  # hyphen, non-breaking hyphen, figure dash, minus, soft hyphen
_DASHES = "\u2014\u2015\u2e3a"  # em dash, horizontal bar, two-em dash -> en dash
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n\f\v"
_TRANSLATE = {ord(c): "-" for c in _HYPHENS if c != "\u00ad"}
_TRANSLATE.update({ord(c): "\u2013" for c in _DASHES})
_TRANSLATE.update({ord(c): " " for c in _SPACES})
_TRANSLATE[ord("\u00ad")] = None  # soft hyphen: invisible, drop
_TRANSLATE[ord("\u200b")] = None  # zero-width space
_TRANSLATE[ord("\ufeff")] = None
_TRANSLATE[ord("\u2019")] = "'"
_TRANSLATE[ord("\u00ab")] = '"'
_TRANSLATE[ord("\u00bb")] = '"'
_TRANSLATE[ord("\u201c")] = '"'
_TRANSLATE[ord("\u201d")] = '"'
_MULTISPACE = re.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """Unify look-alike characters and spaces; never touch digits, letters or §.

    NFC (not NFKC): compatibility folding would turn ``²`` into ``2`` and so change a digit.
    """
    out = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    out = _MULTISPACE.sub(" ", out).strip()
    # Translating can expose a new NFC composition only for combining marks after removed
    # characters; run NFC again so the function is idempotent.
    return unicodedata.normalize("NFC", out)


_NAME_DROP = re.compile(r"[.\u2019'\"«»()\[\]{}:;!?*]")
_NAME_SPACE = re.compile(r"[,/\u2013\u2014]|(?:(?<=\s)|^)-+(?=\s|$)")
_WS = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """A law name as a lookup key: 'Kommuneloven – kl.' -> 'kommuneloven kl'."""
    out = normalize_text(name).lower()
    out = _NAME_DROP.sub("", out)
    while True:  # each pass can expose a lone hyphen or a new composition: run to a fixed point
        before = out
        out = _NAME_SPACE.sub(" ", out)
        out = _WS.sub(" ", out).strip(" -")
        # Dropping a character can bring a letter and a combining mark together: compose again.
        out = unicodedata.normalize("NFC", out)
        if out == before:
            return out


# Endings of the last word that only mark language form, definiteness or genitive.
_STEM_ENDINGS = (
    ("forskriftenes", "forskrift"), ("forskriftens", "forskrift"), ("forskriftas", "forskrift"),
    ("forskriften", "forskrift"), ("forskrifta", "forskrift"), ("forskrifter", "forskrift"),
    ("lovens", "lov"), ("lovas", "lov"), ("loven", "lov"), ("lova", "lov"), ("lovi", "lov"),
    ("lovs", "lov"),
)


def name_stem(key: str) -> str:
    """Fold the ending of the last word of a normalised name (see module docstring)."""
    head, _, last = key.rpartition(" ")
    for ending, replacement in _STEM_ENDINGS:
        if last.endswith(ending) and len(last) > len(ending):
            last = last[: -len(ending)] + replacement
            break
    return f"{head} {last}" if head else last


# Ordinals for ledd and punktum, bokmål and nynorsk (and a few older spellings).
ORDINAL_WORDS: dict[str, int] = {
    "første": 1, "fyrste": 1, "forste": 1,
    "annet": 2, "andre": 2,
    "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6,
    "sjuende": 7, "sjuande": 7, "syvende": 7,
    "åttende": 8, "åttande": 8, "attende": 8,
    "niende": 9, "niande": 9, "tiende": 10, "tiande": 10,
    "ellevte": 11, "tolvte": 12,
    "siste": -1,  # "siste ledd": resolved against the provision's own ledd
}



def normalize_section_number(raw: str) -> str:
    """'19 - 1' -> '19-1', '4 A' -> '4a', '120 a' -> '120a': the form used in our ids."""
    out = re.sub(r"\s+", "", raw)
    return out.lower()
