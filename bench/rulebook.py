#!/usr/bin/env python3
"""Benchmark: loading the whole rulebook (rules/) against plainly parsing the same YAML files.

Target: a fresh load faster than parsing the same files with a bare YAML parser (the built-in
structure, ~13,000 nodes, is read through a JSON fast path; validation, line references and
indexes come on top). A fresh process finds the parsed files in the disk cache
(rulebook._disk_cache_file); that load is the target, ~0.2–0.4 s on an idle machine. The load
without the disk cache (the first start, or after an edit to the rules or the parser) is
printed too, for information.
Printed as a ratio against the baseline measured in the same run, best of several rounds, so
the figure does not depend on how busy the machine is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from regelsjekk.kb.knowledge import KnowledgeBase  # noqa: E402
from regelsjekk.rules.rulebook import Rulebook  # noqa: E402

RULES = REPO / "rules"
ROUNDS = 5


def best(fn) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def baseline() -> None:
    for path in sorted(RULES.rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def fresh_load() -> None:
    import regelsjekk.rules.rulebook as rb

    rb._file_cache.clear()
    rb._book_cache.clear()
    Rulebook(RULES.resolve())


def cold_load() -> None:
    """A fresh load that may not use the disk cache either: every file parsed and validated."""
    import regelsjekk.rules.rulebook as rb

    disk_cache_file = rb._disk_cache_file
    rb._disk_cache_file = lambda path, stamp: None
    try:
        fresh_load()
    finally:
        rb._disk_cache_file = disk_cache_file


def cached_builtin() -> None:
    KnowledgeBase.builtin(RULES)


def main() -> int:
    base = best(baseline)
    cold = best(cold_load)
    load = best(fresh_load)
    KnowledgeBase.builtin(RULES)
    cached = best(cached_builtin)
    print(f"bare YAML-parsing av rules/:        {base * 1000:7.1f} ms (grunnlinje)")
    print(f"regelbok, uten diskbuffer:          {cold * 1000:7.1f} ms  = {cold / base:4.2f} × grunnlinjen")
    print(f"regelbok, fra diskbufferen:         {load * 1000:7.1f} ms  = {load / base:4.2f} × grunnlinjen")
    print(f"KnowledgeBase.builtin(), mellomlagret: {cached * 1000:4.1f} ms  = {cached / base:4.2f} × grunnlinjen")
    # The target is a ratio (the machine may be busy): no slower than parsing the YAML bare.
    return 0 if load / base < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
