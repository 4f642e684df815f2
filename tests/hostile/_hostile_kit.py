"""Small builders shared by the hostile tests: Lovdata-like XML documents made at test time."""

from __future__ import annotations

import gc
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


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of one fn() in this process, with the cyclic collector off (as the import runs):
    other processes on a busy machine (pytest-xdist workers on two cores) stretch wall-clock time,
    hardly CPU time, and full collections over a growing heap would add a cost of their own."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        fn()
        return time.process_time() - start
    finally:
        if enabled:
            gc.enable()


def best_pair(small: Callable[[], object], large: Callable[[], object],
              repeat: int = 3) -> tuple[float, float]:
    """Best CPU times of small() and large(), measured in turn so that a slow spell hits both."""
    t_small = t_large = float("inf")
    for _ in range(repeat):
        t_small = min(t_small, cpu_seconds(small))
        t_large = min(t_large, cpu_seconds(large))
    return t_small, t_large
