"""Counted nouns in the checker's Norwegian: no «bestemmelse(r)», no «alle 2 unntakene»."""

from __future__ import annotations

import pytest

from regelsjekk.core.text import count, every

pytestmark = pytest.mark.quick


def test_count_picks_singular_for_one_and_plural_otherwise():
    assert count(1, "bestemmelse", "bestemmelser") == "1 bestemmelse"
    assert count(2, "bestemmelse", "bestemmelser") == "2 bestemmelser"
    assert count(0, "henvisning", "henvisninger") == "0 henvisninger"


def test_every_says_the_thing_begge_or_alle_n():
    assert every(1, "unntaket", "unntakene") == "unntaket"
    assert every(2, "unntaket", "unntakene") == "begge unntakene"
    assert every(3, "unntaket", "unntakene") == "alle 3 unntakene"
