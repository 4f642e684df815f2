"""Defect 8 (issue 19): the CSV formula guard was bypassed by a carriage return inside a cell.

csv.writer(lineterminator="\\n") quotes a cell only for LF, so "x\\r@SUM(1+1)" went out unquoted
and a spreadsheet started a new row at the CR with "@SUM(1+1)" in its first cell. The same
writer serves `regelsjekk sjekk --format csv` (one file and the combined batch) and the app's
"Last ned CSV" (web/batch.py calls report.render.render_csv).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from regelsjekk.batch.runner import check_text
from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import render_csv

REPO = Path(__file__).resolve().parents[2]
FORMULA = ("=", "+", "-", "@")
EVIL_TITLES = ["Forsøk\r@SUM(1+1)", "Forsøk\r\n=HYPERLINK(\"http://x\")", "A\n+1\r-2\r\n@3",
               "=1+1", "\r=cmd|' /C calc'!A0"]


def _request(title: str) -> str:
    return json.dumps({"tittel": title, "sokere": [{"navn": "Prøve kommune\r=2+2",
                                                    "type": "kommune"}],
                       "periode": {"start": "2026-01-01", "varighet_ar": 4},
                       "unntak": [{"bestemmelser": ["kommuneloven § 19-1 annet ledd"],
                                   "virkning": "ingen"}]})


def _assert_safe(text: str, rows_expected: int) -> None:
    # What a spreadsheet sees: every physical line (CR, LF or CRLF ends one) and every cell.
    for line in re.split(r"\r\n|\r|\n", text):
        assert not line.startswith(FORMULA), repr(line)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == rows_expected, rows
    for row in rows:
        assert len(row) == len(rows[0])
        for cell in row:
            for line in re.split(r"\r\n|\r|\n", cell):
                assert not line.startswith(FORMULA), repr(cell)


@pytest.mark.parametrize("title", EVIL_TITLES)
def test_render_csv_quotes_and_guards_every_line(title: str) -> None:
    kb = KnowledgeBase.open(REPO / "ingen.sqlite")
    done = check_text(_request(title), "evil.json", kb, today=date(2026, 6, 1))
    assert done.reports, done.errors
    out = render_csv([("evil.json", done.reports[0])])
    _assert_safe(out, 2)
    title_cell = list(csv.reader(io.StringIO(out, newline="")))[1][1]
    # The text is kept, only guarded: take the guards away and the title is back (CR read as LF).
    unguarded = "\n".join(x[1:] if x[1:2] in FORMULA else x for x in title_cell.split("\n"))
    assert unguarded == title.replace("\r\n", "\n").replace("\r", "\n")


def test_cli_csv_of_several_files_is_safe(tmp_path: Path, capsys) -> None:
    for k, title in enumerate(EVIL_TITLES):
        (tmp_path / f"s{k}.json").write_text(_request(title), encoding="utf-8")
    code = cli_main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", "--format", "csv", "-q",
                     "--jobs", "1", str(tmp_path)])
    out = capsys.readouterr().out
    assert code in (0, 1, 2)
    _assert_safe(out, 1 + len(EVIL_TITLES))
