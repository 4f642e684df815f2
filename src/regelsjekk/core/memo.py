"""A memo with a ceiling: what a long-lived process remembers per input must not grow with its
inputs (issue 19, defect 10: one server process checking 100,000 distinct citations kept every
resolution). Oldest entries go first; an evicted entry is simply computed again when asked for.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(OrderedDict[K, V]):
    """A dict that keeps at most ``maxsize`` entries, dropping the oldest (O(1) per insert)."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        if len(self) > self.maxsize:
            self.popitem(last=False)
