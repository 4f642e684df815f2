"""Benchmark: what a person waits for at the terminal — the wall time of one CLI call.

Each command runs as a user runs it (a fresh process, from the shell), 5 times after one
warm-up call (the caches in ~/.cache/regelsjekk are warm, as after the first use), on the built-in
knowledge base and with the shared import. Baseline, same run: the floor of importing the
libraries any call needs, `python -c "import pydantic, lark, yaml, sqlite3, rapidfuzz"`, run just
before each call; the ratio is the median of the per-pair ratios.

Targets (issue 18): `slå-opp`, `forslag` and `presedens` ≤ 3× the floor; `sjekk` of one file ≤ 4×.
Prints OK/OVER per line and exits 1 when any line is over.

    .venv/bin/python bench/cli.py [--db STORE] [--runs 5] [--json]

--db uses an existing store; otherwise tests/artifacts/full-*.sqlite (built by the test suite)
if present, else the shared archives are imported into a temporary store first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLOOR = [sys.executable, "-c", "import pydantic, lark, yaml, sqlite3, rapidfuzz"]
COMMANDS = [  # (name, arguments, target ratio to the floor)
    ("slå-opp", ["slå-opp", "kl. § 19-1"], 3.0),
    ("forslag", ["forslag", "kommunen vil slå sammen barnehage og skole"], 3.0),
    ("presedens", ["presedens", "vegtrafikkloven § 6"], 3.0),
    ("sjekk", ["sjekk", "examples/steinkjer-skiltmyndighet.forsok"], 4.0),
]


def _store(args: argparse.Namespace) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from forslag import _store as find_store  # the same store the forslag bench uses

    return find_store(args)


def _once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def _paired(cmd: list[str], runs: int) -> tuple[float, float, float]:
    """(median seconds of cmd, median seconds of the floor, median of the per-pair ratio): each
    call of the command is paired with a floor call just before it, so a load that comes and goes
    on a shared machine moves both sides of a ratio alike."""
    _once(cmd)  # warm-up: caches and compiled modules, as after a user's first call
    times, floors, ratios = [], [], []
    for _ in range(runs):
        floor = _once(FLOOR)
        seconds = _once(cmd)
        times.append(seconds)
        floors.append(floor)
        ratios.append(seconds / floor)
    return statistics.median(times), statistics.median(floors), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    store = _store(args)
    regelsjekk = str(BIN / "regelsjekk")
    rows = []
    _once(FLOOR)
    for kb_name, db in (("innebygd", str(Path(tempfile.gettempdir()) / "regelsjekk-ingen-import.sqlite")), ("import", str(store))):
        for name, cmd, target in COMMANDS:
            seconds, base, ratio = _paired([regelsjekk, "--db", db, *cmd], args.runs)
            rows.append({"kunnskapsbase": kb_name, "kommando": name, "sekunder": round(seconds, 3),
                         "gulv": round(base, 3), "forhold": round(ratio, 2), "mål": target,
                         "ok": ratio <= target})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(f"{'kunnskapsbase':13} {'kommando':10} {'tid':>7} {'gulv':>6} {'forhold':>8} {'mål':>5}")
        for r in rows:
            print(f"{r['kunnskapsbase']:13} {r['kommando']:10} {r['sekunder']:6.2f}s "
                  f"{r['gulv']:5.2f}s {r['forhold']:7.1f}x {r['mål']:4.1f}x  "
                  f"{'OK' if r['ok'] else 'OVER'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    # As a user runs it: Python keeps compiled modules (__pycache__). Any non-empty value of
    # PYTHONDONTWRITEBYTECODE (even "0") turns that off and every call compiles our sources again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
