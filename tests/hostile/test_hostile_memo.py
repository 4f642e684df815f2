"""Defect 10 (issue 19): the checker's memos keyed by request text were unbounded.

KbCache.resolutions (citation text → resolution), KbCache.provisions (keyed by the request's
safeguard text) and StatusReader's (node, date) memo lived as long as the knowledge base: in one
server process, 100,000 distinct citations were 100,000 entries kept for good. Now each is a
BoundedMemo: memory stops growing once the ceiling is reached.
"""

from __future__ import annotations

import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

import regelsjekk.refs
from regelsjekk.check.cache import cache_for
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.status import status_reader

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open(REPO / "ingen.sqlite")  # the built-in knowledge base


def _traced(step, n: int = 100_000, every: int = 20_000) -> list[int]:
    """Traced memory (bytes) after every, 2 × every, … n calls of step(i)."""
    tracemalloc.start()
    marks = []
    try:
        for i in range(n):
            step(i)
            if (i + 1) % every == 0:
                marks.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    return marks


def test_100k_distinct_citations_do_not_grow_the_checker_memo(kb, monkeypatch) -> None:
    cache = cache_for(kb)
    cache.resolutions.clear()
    # The memo is what is measured: a stand-in resolution of ~500 bytes, instantly made.
    monkeypatch.setattr(regelsjekk.refs, "resolve_citation",
                        lambda text, kb, ctx=None, today=None: ("x" * 400 + text,))
    marks = _traced(lambda i: cache.resolve(f"kommuneloven § {i}", None, TODAY))
    assert len(cache.resolutions) <= 20_000
    # Past the ceiling memory is flat: 60,000 more resolutions add under a quarter of what 40,000
    # took (unbounded: 150 % more).
    assert marks[-1] - marks[1] < marks[1] / 4, [m >> 20 for m in marks]
    cache.resolutions.clear()


def test_distinct_dates_do_not_grow_the_status_memo(kb) -> None:
    reader = status_reader(kb)
    assert len(reader._memo) <= 20_000 and reader._memo.maxsize == 20_000
    # The same memo with a tenth of the ceiling, so that the quick loop stays quick: 6,000 dates.
    reader._memo.clear()
    reader._memo.maxsize = 2_000
    start = date(1900, 1, 1)
    node = "lov/2018-06-22-83/§19-1"  # kommuneloven § 19-1, in the built-in knowledge base
    assert reader.status(node, TODAY) is not None
    try:
        marks = _traced(lambda i: reader.status(node, start + timedelta(days=i)), 6_000, 1_000)
        assert len(reader._memo) <= 2_000
        # 2,000 more dates past the ceiling add under a quarter (unbounded: half as much again).
        assert marks[-1] - marks[3] < marks[3] / 4, [m >> 10 for m in marks]
    finally:
        reader._memo.clear()
        reader._memo.maxsize = 20_000
