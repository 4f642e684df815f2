"""Benchmark: import all shared Lovdata archives and open the result, against a baseline.

Baseline (same run, same archives): stream each archive with tarfile mode 'r|*' and parse every
member with lxml — decompression included, nothing else. It is measured before and after the
import and averaged, so a noisy neighbour on the machine affects both sides alike.

Prints documents/s, MB/s, peak memory, import time / baseline (target ≤ 1.5), and the time to
open the full knowledge base with its graph in a fresh process (median of 5, target ≤ 1 s).

    .venv/bin/python bench/import.py [--workers N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPORT_TARGET = 1.5  # import time / same-run baseline
OPEN_TARGET = 1.0  # seconds: KnowledgeBase.open + kb.graph in a fresh process, median
OPENS = 5


def _archives() -> list[Path]:
    from regelsjekk.core.paths import shared_lovdata_dir

    found = sorted(shared_lovdata_dir().glob("*.tar.bz2"))
    if not found:
        sys.exit(f"Fant ingen .tar.bz2 i {shared_lovdata_dir()} (sett REGELSJEKK_LOVDATA).")
    return found


def _peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb_main": round(own, 1), "peak_mb_workers": round(kids, 1)}


def phase_baseline(archives: list[Path]) -> dict:
    import tarfile

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    start = time.perf_counter()
    cpu = time.process_time()
    docs = size = 0
    for path in archives:
        with tarfile.open(path, "r|*") as tf:
            for member in tf:
                if not member.isfile():
                    continue
                data = tf.extractfile(member).read()
                etree.fromstring(data, parser)
                docs += 1
                size += len(data)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "documents": docs, "bytes": size, **_peak_mb()}


def phase_import(archives: list[Path], db: Path, workers: int | None) -> dict:
    from regelsjekk.lovdata.load import Source, run_import

    start = time.perf_counter()
    summary = run_import([Source(p) for p in archives], db, fresh=True, workers=workers)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "documents": summary.documents_seen, "bytes": summary.bytes_read,
            "phases": {k: round(v, 2) for k, v in summary.phases.items()},
            "totals": summary.totals, "skipped": dict(summary.skipped), **_peak_mb()}


def phase_open(db: Path) -> dict:
    """Open store + graph the way the app does (fresh process: module imports included)."""
    start = time.perf_counter()
    from regelsjekk.kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(db)
    opened = time.perf_counter()
    graph = kb.graph
    done = time.perf_counter()
    return {"seconds": done - start, "open_seconds": opened - start,
            "graph_seconds": done - opened, "graph_nodes": graph.number_of_nodes(),
            "graph_edges": graph.number_of_edges(), **_peak_mb()}


def _run_phase(name: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]))
    out = subprocess.run([sys.executable, __file__, "--phase", name, *args], check=True,
                         capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--keep", help="keep the imported store at this path")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    archives = _archives()
    if args.phase == "baseline":
        print(json.dumps(phase_baseline(archives)))
        return
    if args.phase == "import":
        print(json.dumps(phase_import(archives, Path(args.db), args.workers)))
        return
    if args.phase == "open":
        print(json.dumps(phase_open(Path(args.db))))
        return

    tmpdir = Path(tempfile.mkdtemp(prefix="regelsjekk-bench-"))
    db = Path(args.keep) if args.keep else tmpdir / "kunnskapsbase.sqlite"
    print(f"Arkiver: {', '.join(p.name for p in archives)}")
    base1 = _run_phase("baseline")
    extra = ["--workers", str(args.workers)] if args.workers is not None else []
    imp = _run_phase("import", "--db", str(db), *extra)
    base2 = _run_phase("baseline")
    opens = [_run_phase("open", "--db", str(db)) for _ in range(OPENS)]
    baseline = (base1["seconds"] + base2["seconds"]) / 2
    ratio = imp["seconds"] / baseline
    open_s = statistics.median(o["seconds"] for o in opens)
    mb = imp["bytes"] / 1e6
    print(f"Grunnlinje (tarfile r|* + lxml, snitt av før/etter): {baseline:.1f} s "
          f"({base1['seconds']:.1f} / {base2['seconds']:.1f}), {base1['documents']} dokumenter")
    print(f"Import: {imp['seconds']:.1f} s, {imp['documents'] / imp['seconds']:.0f} dokumenter/s, "
          f"{mb / imp['seconds']:.1f} MB/s (utpakket XML, {mb:.0f} MB)")
    print(f"Toppminne import: hovedprosess {imp['peak_mb_main']:.0f} MB, "
          f"arbeidere {imp['peak_mb_workers']:.0f} MB; grunnlinje {base1['peak_mb_main']:.0f} MB")
    print(f"Faser (s; cpu: = prosessortid per rolle): {imp['phases']}")
    print(f"Grunnlinje prosessortid: {base1['cpu']:.1f} / {base2['cpu']:.1f} s")
    print(f"I kunnskapsbasen: {imp['totals']}; hoppet over: {imp['skipped'] or 'ingen'}")
    print(f"Butikkfil: {db.stat().st_size / 1e6:.0f} MB")
    o = sorted(opens, key=lambda x: x["seconds"])[len(opens) // 2]
    print(f"Åpne kunnskapsbase + graf (KnowledgeBase.open, ny prosess, median av {OPENS}): "
          f"{open_s:.2f} s "
          f"(åpne {o['open_seconds']:.2f} s, graf {o['graph_seconds']:.2f} s, "
          f"{o['graph_nodes']} noder, {o['graph_edges']} kanter, {o['peak_mb_main']:.0f} MB)")
    print(f"FORHOLD import/grunnlinje: {ratio:.2f} (mål ≤ {IMPORT_TARGET})  "
          f"{'OK' if ratio <= IMPORT_TARGET else 'OVER MÅL'}")
    print(f"ÅPNING: {open_s:.2f} s (mål ≤ {OPEN_TARGET:.0f} s)  "
          f"{'OK' if open_s <= OPEN_TARGET else 'OVER MÅL'}")
    shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
