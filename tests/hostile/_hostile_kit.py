"""Small builders shared by the hostile tests: Lovdata-like XML documents made at test time."""

from __future__ import annotations

import time
from collections.abc import Callable


def lovdata_xml(refid: str, body: str, *, dokid: str | None = None, header: str = "",
                title: str = "Forskrift om prøving") -> bytes:
    """One document in Lovdata's HTML-like format, with `header` added to its key info."""
    dokid = dokid or f"LTI/{refid}"
    return (f'<!DOCTYPE html><html><head><title>{title}</title></head><body>'
            f'<header class="documentHeader"><dl class="data-document-key-info">'
            f'<dt class="dokid">D</dt><dd class="dokid">{dokid}</dd>'
            f'<dt class="refid">R</dt><dd class="refid">{refid}</dd>'
            f'<dt class="title">T</dt><dd class="title">{title}</dd>{header}'
            f'</dl></header><main class="documentBody">{body}</main></body></html>').encode()


def article(num: str, text: str) -> str:
    return (f'<article class="legalArticle" data-name="§{num}"><h2 class="legalArticleHeader">'
            f'<span class="legalArticleValue">§ {num}</span></h2>'
            f'<article class="legalP">{text}</article></article>')


def seconds(fn: Callable[[], object], repeat: int = 1) -> float:
    """The best of `repeat` wall-clock timings of fn()."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best
