"""Benchmark: hostile input against benign input of the same size, at growing sizes (issue 19).

For each attack class the attack run used, a hostile input and a benign one of the same size
(bytes, or the same count of the same kind of item) are built at each size and run through the
same door, each in a fresh process: CPU time (best of 3) and peak memory (VmHWM).

    duplikater       a document of n copies of «§ 1»   vs  n distinct §§            (parse_rows)
    paragraftegn     a citation «§ 4 i § 5 i § 5 …» (4n) vs prose of the same bytes (check_text)
    feilhenvisninger n citations of a § that is not    vs  n valid citations        (check_text)
    nesting          JSON nested n levels deep         vs  a flat JSON of the same bytes
    dokument         a document of 6n list items       vs  3n §§ of one ledd: 6n nodes too (parse_rows)

Targets: hostile/benign CPU time ≤ 2 at every size (linear: the ratio stays flat as size grows;
sizes stay under the documented caps, e.g. 6 × 8,000 = 48,000 nodes < 50,000), peak memory of
each run ≤ 1 GB, and the import of the shared archives plus the hostile documents
(tests/hostile/test_hostile_memory.py's shapes, at and over the caps) ≤ 1 GB in every process.
Prints OK/OVER per row and exits 1 when any row is over.

    .venv/bin/python bench/limits.py [--sizes 1000,2000,4000,8000] [--uten-import] [--json]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "hostile"
RATIO_TARGET = 2.0
PEAK_TARGET_MB = 1024
TODAY = date(2026, 6, 1)
HEAD = 'søknad "T"\n  søker: Prøve kommune (kommune)\n'
TAIL = "\n    virkning: ingen\nslutt\n"
PROSE = "kommunen skal prøve ut en ny ordning for tjenester til innbyggerne i regionen"
CLASSES = ["duplikater", "paragraftegn", "feilhenvisninger", "nesting", "dokument"]


# -- the inputs ------------------------------------------------------------------------------



def _own_peak_mb() -> float:
    """This process's own peak RSS (VmHWM). ru_maxrss would also count the process that started
    it: Linux carries the high-water mark across exec."""
    with open("/proc/self/status") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM")) / 1024

def _doc(body: str) -> bytes:
    sys.path.insert(0, str(HOSTILE))
    from _hostile_kit import lovdata_xml

    return lovdata_xml("forskrift/2001-01-01-1", body)


def _article(num: str, text: str) -> str:
    sys.path.insert(0, str(HOSTILE))
    from _hostile_kit import article

    return article(num, text)


def _prose(size: int) -> str:
    words = PROSE.split()
    out, n, i = [], 0, 0
    while n < size:
        out.append(words[i % len(words)])
        n += len(out[-1]) + 1
        i += 1
    return " ".join(out)


def _same_bytes(text: str, target: int) -> str:
    return text[: max(0, target)] if len(text.encode()) >= target else text


def build(cls: str, kind: str, n: int) -> tuple[str, object]:
    """(door, input) for one class, kind (fiendtlig/godartet) and size."""
    if cls == "duplikater":
        nums = ["1"] * n if kind == "fiendtlig" else [str(i + 1) for i in range(n)]
        return "parse", _doc("".join(_article(k, "Kommunen skal prøve.") for k in nums))
    if cls == "paragraftegn":
        hostile = HEAD + "  unntak § 4 " + "i § 5 " * (4 * n) + "kommuneloven" + TAIL
        if kind == "fiendtlig":
            return "check", hostile
        filler = _prose(len(hostile.encode()) - len(HEAD) - 60)
        return "check", HEAD + f"  formål: {filler}\n  unntak kommuneloven § 19-1" + TAIL
    if cls == "feilhenvisninger":
        pin = "§ 9000; " if kind == "fiendtlig" else "§ 19-1; "
        return "check", HEAD + "  unntak kommuneloven " + pin * n + "§ 1" + TAIL
    if cls == "nesting":
        form = {"tittel": "T", "sokere": [{"navn": "Prøve kommune", "type": "kommune"}]}
        head = json.dumps(form)[:-1] + ', "merknad": '
        if kind == "fiendtlig":
            return "json", head + "[" * n + "]" * n + "}"
        return "json", head + json.dumps("a" * (2 * n - 2)) + "}"
    if cls == "dokument":
        items = '<article class="legalP"><ol>' + "<li>a</li>" * (6 * n) + "</ol></article>"
        if kind == "fiendtlig":
            return "parse", _doc(items)
        # as many nodes, as real §§ with one ledd each (a § and a ledd: two nodes)
        return "parse", _doc("".join(_article(str(i + 1), "Kommunen skal prøve.")
                                     for i in range(3 * n)))
    raise SystemExit(f"ukjent klasse {cls}")


# -- one measurement, in a fresh process ----------------------------------------------------


def child(cls: str, kind: str, n: int) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    door, data = build(cls, kind, n)
    size = len(data) if isinstance(data, bytes) else len(data.encode())
    if door == "parse":
        from regelsjekk.lovdata.errors import ImportProblem
        from regelsjekk.lovdata.parse import parse_rows

        def run() -> object:
            try:
                return parse_rows(data, "x.xml", "a.tar", "h")
            except ImportProblem as problem:
                return problem
    else:
        from regelsjekk.batch.runner import check_text
        from regelsjekk.kb.knowledge import KnowledgeBase

        kb = KnowledgeBase.open(REPO / "ingen.sqlite")
        check_text(HEAD + "  unntak kommuneloven § 19-1" + TAIL, "w.forsok", kb, today=TODAY)
        name = "x.json" if door == "json" else "x.forsok"

        def run() -> object:
            return check_text(data, name, kb, today=TODAY)

    best = float("inf")
    gc.collect()
    for _ in range(3):
        gc.disable()
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
        gc.enable()
        gc.collect()
    peak = _own_peak_mb()
    return {"cpu": best, "peak_mb": peak, "bytes": size}


def _measure(cls: str, kind: str, n: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, __file__, "--child", cls, kind, str(n)], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{cls}/{kind}/{n} feilet:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the import of the shared archives plus the hostile documents -----------------------------


def _hostile_archive(path: Path) -> int:
    sys.path.insert(0, str(HOSTILE))
    from _hostile_kit import article, lovdata_xml
    from test_hostile_memory import SHAPES

    with tarfile.open(path, "w") as tar:
        for i, build_code in enumerate(SHAPES.values()):
            ns: dict = {"article": article}
            exec(build_code, ns)  # noqa: S102 - the test's own fixture builders
            data = lovdata_xml(f"forskrift/2099-01-01-{i + 1}", ns["body"])
            info = tarfile.TarInfo(f"fiendtlig/d{i}.xml")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return len(SHAPES)


def import_child(db: str, hostile: str) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from regelsjekk.core.paths import shared_lovdata_dir
    from regelsjekk.lovdata.load import Source, run_import

    archives = sorted(shared_lovdata_dir().glob("*.tar.bz2")) + [Path(hostile)]
    t0 = time.perf_counter()
    summary = run_import([Source(a) for a in archives], Path(db), fresh=True)
    return {"seconds": time.perf_counter() - t0, "imported": summary.imported,
            "skipped": dict(summary.skipped),
            "peak_mb_main": _own_peak_mb(),
            "peak_mb_workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _import_row() -> dict:
    with tempfile.TemporaryDirectory(prefix="regelsjekk-limits-") as tmp:
        hostile = Path(tmp) / "fiendtlig.tar"
        count = _hostile_archive(hostile)
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        done = subprocess.run([sys.executable, __file__, "--import-child", str(Path(tmp) / "kb.sqlite"),
                               str(hostile)], env=env, capture_output=True, text=True,
                              timeout=1800, check=False)
        if done.returncode != 0:
            raise SystemExit(f"importen feilet:\n{done.stderr[-3000:]}")
        out = json.loads(done.stdout.strip().splitlines()[-1])
    out["hostile_documents"] = count
    out["peak_mb"] = max(out["peak_mb_main"], out["peak_mb_workers"])
    out["ok"] = out["peak_mb"] <= PEAK_TARGET_MB
    return out


# -- the table --------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,4000,8000")
    ap.add_argument("--klasser", default=",".join(CLASSES))
    ap.add_argument("--uten-import", action="store_true",
                    help="hopp over importen av de delte arkivene med de fiendtlige dokumentene")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--import-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]))))
        return 0
    if args.import_child:
        print(json.dumps(import_child(*args.import_child)))
        return 0

    rows = []
    for cls in args.klasser.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            benign = _measure(cls, "godartet", n)
            hostile = _measure(cls, "fiendtlig", n)
            ratio = hostile["cpu"] / max(benign["cpu"], 1e-4)
            peak = max(hostile["peak_mb"], benign["peak_mb"])
            rows.append({"klasse": cls, "størrelse": n, "bytes": hostile["bytes"],
                         "bytes_godartet": benign["bytes"], "fiendtlig_s": round(hostile["cpu"], 4),
                         "godartet_s": round(benign["cpu"], 4), "forhold": round(ratio, 2),
                         "topp_mb_fiendtlig": round(hostile["peak_mb"]),
                         "topp_mb_godartet": round(benign["peak_mb"]),
                         "ok": ratio <= RATIO_TARGET and peak <= PEAK_TARGET_MB})
            if not args.json:
                r = rows[-1]
                print(f"{cls:17} {n:6} {r['bytes'] / 1024:8.0f} kB  fiendtlig {r['fiendtlig_s']:7.3f} s "
                      f"{r['topp_mb_fiendtlig']:5} MB  godartet {r['godartet_s']:7.3f} s "
                      f"{r['topp_mb_godartet']:5} MB  forhold {ratio:5.2f}  "
                      f"{'OK' if r['ok'] else 'OVER'}", flush=True)
    imp = None if args.uten_import else _import_row()
    ok = all(r["ok"] for r in rows) and (imp is None or imp["ok"])
    if args.json:
        print(json.dumps({"rader": rows, "import": imp, "ok": ok}, ensure_ascii=False, indent=1))
    else:
        print(f"Mål: forhold fiendtlig/godartet (prosessortid) ≤ {RATIO_TARGET}, toppminne ≤ "
              f"{PEAK_TARGET_MB} MB per kjøring")
        if imp is not None:
            print(f"Import av de delte arkivene + {imp['hostile_documents']} fiendtlige dokumenter: "
                  f"{imp['seconds']:.0f} s, {imp['imported']} importert, hoppet over "
                  f"{imp['skipped']}; toppminne hovedprosess {imp['peak_mb_main']:.0f} MB, "
                  f"største hjelpeprosess {imp['peak_mb_workers']:.0f} MB (mål ≤ "
                  f"{PEAK_TARGET_MB} MB)  {'OK' if imp['ok'] else 'OVER'}")
        print("ALT OK" if ok else "OVER MÅL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
