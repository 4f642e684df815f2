"""Property tests: normalisation is idempotent and keeps every digit; parse -> format -> parse is
stable (the canonical form means the same as what was parsed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regelsjekk.refs import (
    format_parsed,
    normalize_name,
    normalize_text,
    parse_citations,
)
from regelsjekk.refs.normalize import ORDINAL_WORDS

pytestmark = pytest.mark.property

# Text with the characters citations are made of, plus look-alikes the normaliser unifies.
_ALPHABET = st.sampled_from(list("§§ 0123456789-–—‐‑−.,;()/aAbBæøåÆØÅ\u00a0\u2009\u00ad\t\n")
                            + ["kl.", " ledd", " første", " fyrste", " og ", " til ", " jf. ",
                               "loven", "lova", "kommuneloven", " nr. ", " bokstav ", "(2)",
                               "\u0301", "²", "٣", "lov 22. juni 2018 nr. 83"])
citation_like = st.lists(_ALPHABET, max_size=40).map("".join)


def _digits(s: str) -> list[str]:
    return [c for c in s if c.isdigit()]


@given(st.text())
def test_normalize_text_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


@given(st.one_of(st.text(), citation_like))
def test_normalize_text_never_changes_a_digit(s):
    assert _digits(normalize_text(s)) == _digits(s)


@given(st.one_of(st.text(), citation_like))
def test_normalize_name_is_idempotent_and_keeps_digits(s):
    once = normalize_name(s)
    assert normalize_name(once) == once
    assert _digits(once) == _digits(s)


@given(citation_like)
def test_normalize_text_keeps_hyphen_and_dash_apart(s):
    out = normalize_text(s)
    assert out.count("-") == sum(s.count(c) for c in "-‐‑−")
    assert out.count("–") == sum(s.count(c) for c in "–—")


# -- parse -> format -> parse ---------------------------------------------------------------------

_NAMES = ["kommuneloven", "kl.", "fvl", "opplæringslova", "plan- og bygningsloven",
          "forskrift om kommunale og fylkeskommunale budsjetter", "Grunnloven",
          "lov 22. juni 2018 nr. 83", "forskrift 23. juni 2006 nr. 724", "lov 10. februar 1967"]
_ORDINALS = [w for w, n in ORDINAL_WORDS.items() if 1 <= n <= 10]


@st.composite
def section_number(draw) -> str:
    chapter = draw(st.one_of(st.none(), st.integers(1, 40)))
    number = draw(st.integers(1, 130))
    letter = draw(st.sampled_from(["", "", "", "a", "b"]))
    return f"{chapter}-{number}{letter}" if chapter else f"{number}{letter}"


@st.composite
def pinpoint_text(draw) -> str:
    parts = [draw(section_number())]
    ledd = draw(st.one_of(st.none(), st.sampled_from(_ORDINALS), st.integers(1, 9)))
    if isinstance(ledd, int):
        parts.append(draw(st.sampled_from([f"({ledd})", f"{ledd}. ledd"])))
    elif ledd:
        parts.append(f"{ledd} ledd")
    extra = draw(st.sampled_from(["", "", "bokstav a", "bokstav c og d", "nr. 3", "annet punktum"]))
    if extra:
        parts.append(extra)
    return " ".join(parts)


@st.composite
def citation_text(draw) -> str:
    name = draw(st.sampled_from(_NAMES))
    style = draw(st.sampled_from(["pre", "post", "list", "range", "chapter", "part", "bare"]))
    if style == "pre":
        return f"{name} § {draw(pinpoint_text())}"
    if style == "post":
        return f"§ {draw(pinpoint_text())} i {name}"
    if style == "list":
        items = draw(st.lists(section_number(), min_size=2, max_size=4))
        return f"{name} §§ {', '.join(items[:-1])} og {items[-1]}"
    if style == "range":
        a, b = draw(section_number()), draw(section_number())
        sep = draw(st.sampled_from([" til ", "–", " – "]))
        return f"{name} §§ {a}{sep}{b}"
    # "del 5" needs a full law name in free text (an abbreviation is only a weak guess there).
    if style == "part" and name in ("kommuneloven", "opplæringslova", "plan- og bygningsloven"):
        return f"{name} del {draw(st.integers(1, 12))}"
    if style == "chapter":
        return f"{name} kapittel {draw(st.integers(1, 30))}"
    return f"§ {draw(pinpoint_text())}"


def _stable(text: str) -> None:
    first = parse_citations(text)
    for c in first:
        again = parse_citations(format_parsed(c))
        assert len(again) == 1, (text, format_parsed(c), again)
        assert again[0].key() == c.key(), (text, format_parsed(c))


@settings(max_examples=400)
@given(citation_text())
def test_parse_format_parse_is_stable_on_citations(text):
    found = parse_citations(text)
    assert found, text
    _stable(text)


@settings(max_examples=300)
@given(st.lists(citation_text(), min_size=2, max_size=4).map(lambda xs: ", jf. ".join(xs)))
def test_parse_format_parse_is_stable_on_chains(text):
    _stable(text)


@settings(max_examples=300)
@given(citation_like)
def test_parse_format_parse_is_stable_on_noise(text):
    _stable(text)
