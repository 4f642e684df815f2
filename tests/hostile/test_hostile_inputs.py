"""Defect 10 (issue 19, the cheap ones): limits on what a request file or an import source can be.

- deeply nested JSON raised RecursionError from load_request_text, documented as never raising;
  now a json_syntaks error "nestet for dypt" past MAX_JSON_DEPTH levels;
- huge numbers: a 5,000-digit integer gave Python's English ValueError text, 1e400 became inf
  (OverflowError further on); now "ugyldig tall «…» i JSON";
- the CLI read a request file of any size whole (a 1 GiB file ran for over 300 s); now files over
  MAX_REQUEST_FILE_BYTES are refused unread, with a Norwegian message;
- a FIFO as a request file or as an import source waited forever; now both are refused.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from regelsjekk.cli.main import main as cli_main
from regelsjekk.lovdata.load import Source, run_import
from regelsjekk.request import jsonform
from regelsjekk.request import load as request_load
from regelsjekk.request.load import load_request_file, load_request_text

# getattr: so that this file also runs (and fails) on the code before the limits existed.
MAX_JSON_DEPTH: int = getattr(jsonform, "MAX_JSON_DEPTH", 64)
MAX_REQUEST_FILE_BYTES: int = getattr(request_load, "MAX_REQUEST_FILE_BYTES", 4 * 1024 * 1024)

FORM = '{"tittel": "T", "sokere": [{"navn": "Prøve kommune", "type": "kommune"}], "merknad": %s}'


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    "{" + '"a": {' * 3000 + "}" * 3001,
    FORM % ("[" * 5000 + "]" * 5000),
    FORM % ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)),
])
def test_deep_nesting_is_a_norwegian_error_not_recursion(text: str) -> None:
    result = load_request_text(text, "dyp.json")
    assert not result.ok
    (err,) = result.errors
    assert err.code == "json_syntaks" and "nestet for dypt" in err.message
    assert err.line == 1 and err.column is not None


def test_nesting_within_the_limit_is_read_as_usual() -> None:
    result = load_request_text(FORM % ("[" * 10 + "]" * 10), "grunn.json")
    assert not result.ok and all("nestet" not in e.message for e in result.errors)
    assert any("merknad" in e.message for e in result.errors)  # a schema error, at the field
    # Brackets inside strings do not count.
    text = FORM % ('"' + "[" * 500 + '"')
    assert load_request_text(text, "tekst.json").ok


@pytest.mark.parametrize("number", ["1" + "0" * 5000, "-" + "9" * 400, "1e400", "-1e999999",
                                    "1" + "0" * 400 + ".5"])
def test_huge_numbers_are_refused_in_norwegian(number: str) -> None:
    text = ('{"tittel": "T", "sokere": [{"navn": "P kommune", "type": "kommune"}], '
            f'"periode": {{"varighet_ar": {number}}}, "enheter": {number}}}')
    result = load_request_text(text, "tall.json")
    assert not result.ok
    assert result.errors[0].message.startswith("ugyldig tall «"), result.errors[0].message
    assert "Exceeds" not in result.render()


def test_request_file_over_the_cap_is_refused_unread(tmp_path: Path, capsys) -> None:
    big = tmp_path / "stor.forsok"
    with big.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(MAX_REQUEST_FILE_BYTES + 1)
    result = load_request_file(big)
    (err,) = result.errors
    assert err.code == "kan_ikke_lese" and "over grensen på 4 MB" in err.message
    code = cli_main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", str(big)])
    captured = capsys.readouterr()
    assert code != 0 and "over grensen" in captured.err and "intern feil" not in captured.err


def _finishes(fn: Callable[[], object], seconds: float = 20.0) -> object:
    """fn() in a thread; fails (instead of hanging the suite) if it does not return in time."""
    box: list[object] = []
    worker = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "still waiting (a FIFO was opened for reading)"
    return box[0]


def _release(fifo: Path) -> None:
    """Unblock a reader left waiting on fifo by a failing run (so the thread can end)."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_fifo_as_request_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "soknad.forsok"
    os.mkfifo(fifo)
    try:
        result = _finishes(lambda: load_request_file(fifo))
    finally:
        _release(fifo)
    assert "ikke en vanlig fil" in result.render()  # type: ignore[attr-defined]


def test_fifo_as_import_source_is_refused(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "arkiv.tar.bz2"
    os.mkfifo(fifo)
    try:
        summary = _finishes(lambda: run_import([Source(fifo)], tmp_path / "kb.sqlite", workers=0))
        code = _finishes(lambda: cli_main(["--db", str(tmp_path / "kb2.sqlite"), "import",
                                           str(fifo)]))
    finally:
        _release(fifo)
    (archive,) = summary.archives  # type: ignore[attr-defined]
    assert archive.status == "ikke_arkiv" and "FIFO" in (archive.message or "")
    assert code == 2 and "FIFO" in capsys.readouterr().err
