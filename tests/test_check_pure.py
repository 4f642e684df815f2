"""The checker is pure: no clock, no environment, no files. The date comes in as `today`.

Two guards: the source of check/ names none of the ways to reach the outside world, and a run over
every example with those ways booby-trapped still gives the same reports.
"""

from __future__ import annotations

import ast
import builtins
import datetime as dt
import io
import os
import sys
from pathlib import Path

import pytest
from support.checking import TODAY

from regelsjekk.batch.runner import check_text
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import render_json

CHECK = Path(__file__).resolve().parent.parent / "src" / "regelsjekk" / "check"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# attribute chains and names that reach the clock, the environment, files or randomness
FORBIDDEN_ATTRS = {("date", "today"), ("datetime", "now"), ("datetime", "today"),
                   ("datetime", "utcnow"), ("time", "time"), ("time", "monotonic"),
                   ("os", "environ"), ("os", "getenv"), ("Path", "read_text"),
                   ("Path", "read_bytes"), ("Path", "open")}
FORBIDDEN_NAMES = {"open", "input", "getenv"}
FORBIDDEN_MODULES = {"random", "sqlite3", "subprocess", "socket", "urllib", "streamlit"}


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in FORBIDDEN_ATTRS:
                found.append(f"{where} {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in FORBIDDEN_NAMES:
                found.append(f"{where} {node.func.id}()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.extend(f"{where} import {n}" for n in names
                         if n.split(".")[0] in FORBIDDEN_MODULES)
    return found


def test_check_source_names_no_clock_environment_or_files() -> None:
    problems = [p for f in sorted(CHECK.glob("*.py")) for p in _problems(f)]
    assert problems == []


def test_the_source_guard_sees_a_planted_clock(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("from datetime import date\n\ndef f():\n    return date.today()\n")
    assert _problems(planted) == ["planted.py:4 date.today"]


class _NoClockDate(dt.date):
    @classmethod
    def today(cls):  # noqa: ANN206
        raise AssertionError("the checker read the clock (date.today)")


class _NoClockDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        raise AssertionError("the checker read the clock (datetime.now)")


class _NoEnviron(dict):
    def __getitem__(self, key):  # noqa: ANN001, ANN204
        raise AssertionError(f"the checker read the environment ({key})")

    get = __getitem__  # type: ignore[assignment]


def _no_open(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    raise AssertionError(f"the checker opened a file: {args[:1]}")


def test_checking_every_example_touches_no_clock_environment_or_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    kb = KnowledgeBase.builtin()
    # The knowledge base's own name index may be loaded from its disk cache (core.paths) the first
    # time it is asked for; that is the knowledge base reading its data, not the checker. Warm it.
    from regelsjekk.refs.index import title_index

    title_index(kb)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.forsok"))}
    before = {name: [render_json(r) for r in check_text(t, name, KnowledgeBase.builtin(),
                                                          today=TODAY).reports]
              for name, t in texts.items()}
    # every regelsjekk module that imported date/datetime gets the trapped classes
    for name, module in list(sys.modules.items()):
        if name.startswith("regelsjekk"):
            if getattr(module, "date", None) is dt.date:
                monkeypatch.setattr(module, "date", _NoClockDate)
            if getattr(module, "datetime", None) is dt.datetime:
                monkeypatch.setattr(module, "datetime", _NoClockDateTime)
    monkeypatch.setattr(builtins, "open", _no_open)
    monkeypatch.setattr(io, "open", _no_open)
    monkeypatch.setattr(os, "environ", _NoEnviron())
    after = {name: [render_json(r) for r in check_text(t, name, kb, today=TODAY).reports]
             for name, t in texts.items()}
    monkeypatch.undo()
    assert after == before
