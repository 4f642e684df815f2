"""Server-side timing of the app: cold start, warm rerun, one check — against a bare Streamlit app.

Run: .venv/bin/python bench/app.py [--db PATH] [--repeat N]

Each cold start runs in a fresh Python process (imports, knowledge base and first page render),
and so does the baseline: a one-line Streamlit app rendered the same way, in the same run. We
print seconds and the ratio to the baseline, since these machines are noisy. Targets (what a user
would not notice): cold start ≤ 3 s, warm rerun ≤ 0.3 s, one check ≤ 1 s; and the first
suggestion («Foreslå bestemmelser») on a fresh server ≤ 1.5× a warm one (issue 18): timed right
after the first page has rendered, against a second suggestion for another idea in the same
process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
EXAMPLE = ROOT / "examples" / "indre-namdal-oppgavefellesskap.forsok"
BASELINE = "import streamlit as st\nst.title('hei')\nst.text_input('x')\n"


def child(kind: str) -> dict:
    """Runs inside a fresh process; returns timings in seconds."""
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    if kind == "baseline":
        at = AppTest.from_string(BASELINE, default_timeout=120)
        at.run()
        cold = time.perf_counter() - start
        t = time.perf_counter()
        at.text_input[0].input("y").run()
        return {"cold": cold, "warm": time.perf_counter() - t}
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["side"] = "Sjekk idé"
    at.run()
    cold = time.perf_counter() - start
    assert not at.exception, at.exception
    t = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t
    first_suggestion = _suggest(at, "kommunen vil ha felles legevakt med nabokommunen om natten")
    warm_suggestion = _suggest(at, "skolen vil gi elevene vurdering uten karakterer i ungdomsskolen")
    area = [a for a in at.text_area if a.label == "Søknadstekst"][0]
    area.input(EXAMPLE.read_text(encoding="utf-8")).run()
    t = time.perf_counter()
    [b for b in at.button if b.label == "Sjekk teksten"][0].click().run()
    one_check = time.perf_counter() - t
    assert not at.exception, at.exception
    assert at.session_state["last"], "the check produced no report"
    return {"cold": cold, "warm": warm, "check": one_check, "first_suggestion": first_suggestion,
            "warm_suggestion": warm_suggestion}


def _suggest(at, idea: str) -> float:  # noqa: ANN001 - a streamlit AppTest
    """Seconds from clicking «Foreslå bestemmelser» with an idea to the answer."""
    [a for a in at.text_area if a.key == "idea"][0].input(idea)
    t = time.perf_counter()
    [b for b in at.button if b.label == "Foreslå bestemmelser"][0].click().run()
    seconds = time.perf_counter() - t
    assert not at.exception, at.exception
    assert at.session_state["suggested"], "no suggestion"
    return seconds


def run_child(kind: str, env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["app", "baseline"])
    parser.add_argument("--db", help="knowledge base to open (default: none, the built-in one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    env = dict(os.environ)
    env["REGELSJEKK_DB"] = args.db or str(ROOT / "bench" / "out" / "ingen.sqlite")
    runs = {"app": [], "baseline": []}
    for _ in range(args.repeat):
        for kind in ("baseline", "app"):
            runs[kind].append(run_child(kind, env))

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    kb = "importert" if args.db else "innebygd"
    print(f"App (kunnskapsbase: {kb}), median av {args.repeat} kjøringer, sekunder:")
    rows = [("kaldstart", med("app", "cold"), med("baseline", "cold"), 3.0),
            ("varm omkjøring", med("app", "warm"), med("baseline", "warm"), 0.3),
            ("én sjekk", med("app", "check"), med("baseline", "warm"), 1.0)]
    ok = True
    for name, ours, base, target in rows:
        flag = "OK" if ours <= target else "OVER"
        ok &= ours <= target
        print(f"  {name:<15} {ours:7.3f} s   grunnlinje {base:6.3f} s   forhold {ours / base:6.1f}x"
              f"   mål ≤ {target} s: {flag}")
    first, again = med("app", "first_suggestion"), med("app", "warm_suggestion")
    ratio = statistics.median(r["first_suggestion"] / r["warm_suggestion"] for r in runs["app"])
    ok &= ratio <= 1.5
    print(f"  {'første forslag':<15} {first:7.3f} s   varmt forslag {again:6.3f} s   forhold "
          f"{ratio:6.2f}x   mål ≤ 1.5x: {'OK' if ratio <= 1.5 else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
