"""Parsed rules files are kept on disk between processes; an edit to a file is never hidden."""

from __future__ import annotations

import shutil
import time

from regelsjekk.core import paths
from regelsjekk.rules import rulebook


def _fresh_process_state() -> None:
    rulebook._file_cache.clear()  # noqa: SLF001 - what a new process starts with
    rulebook._book_cache.clear()  # noqa: SLF001


def test_disk_cache_is_used_and_follows_edits(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    _fresh_process_state()
    first = rulebook.load_rulebook(rules)
    entries = list((tmp_path / "cache" / "regelsjekk" / "regler").glob("*.pickle"))
    assert len(entries) >= len(list(rules.rglob("*.yaml"))) - 1
    _fresh_process_state()
    again = rulebook.load_rulebook(rules)
    assert again.summaries() == first.summaries()
    assert [a.model_dump() for a in again.assignments()] == [a.model_dump() for a in first.assignments()]

    law = rules / "lover" / "kommuneloven.yaml"
    text = law.read_text(encoding="utf-8")
    old = "lov/2018-06-22-83/§19-1: "
    assert old in text
    time.sleep(0.01)
    law.write_text(text.replace(old, old + "ENDRET ", 1), encoding="utf-8")  # the sammendrag line
    _fresh_process_state()
    edited = rulebook.load_rulebook(rules)
    assert edited.summaries()["lov/2018-06-22-83/§19-1"].startswith("ENDRET ")


def test_the_whole_rulebook_is_one_cached_file_that_follows_edits(tmp_path, monkeypatch):
    """A new process loads the rulebook from one file (start-up of every CLI call); an edit to any
    rules file makes a new one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    _fresh_process_state()
    first = rulebook.load_rulebook(rules)
    books = tmp_path / "cache" / "regelsjekk" / "regelbok"
    assert len(list(books.glob("*.pickle"))) == 1
    built = []
    monkeypatch.setattr(rulebook.Rulebook, "_index", lambda self: built.append(1))
    _fresh_process_state()
    again = rulebook.load_rulebook(rules)
    assert built == []  # loaded, not built
    assert again.summaries() == first.summaries()
    assert again.tag_definitions() == first.tag_definitions()
    assert len(again.builtin_documents()) == len(first.builtin_documents())
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    synonyms = rules / "synonymer.yaml"
    time.sleep(0.01)
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _fresh_process_state()
    rulebook.load_rulebook(rules)
    assert len(list(books.glob("*.pickle"))) == 2
