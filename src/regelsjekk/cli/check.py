"""`regelsjekk sjekk FILER/MAPPER …`: check requests and write reports, one or thousands.

Exit codes: 0 every request can go ahead (hjemmel, annen forsøkshjemmel or krever ikke forsøk),
1 some request lacks hjemmel (delvis, ikke hjemmel, må vurderes), 2 input errors (a file that
cannot be read or parsed, a citation that cannot be resolved), 3 usage or environment errors.
Reports go to stdout (or one file per request with --out); progress and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from regelsjekk.cli.common import add_date_option, as_of
from regelsjekk.report.formats import BINARY_FORMATS, CSV_FORMATS, EXTENSIONS, FORMATS

if TYPE_CHECKING:  # the checker and renderers load only when `sjekk` runs (start-up of the CLI)
    from regelsjekk.batch.runner import FileOutcome

EPILOG = """\
utkoder:
  0  alle søknadene kan gå videre (hjemmel, annen forsøkshjemmel eller krever ikke forsøk)
  1  minst én søknad mangler hjemmel (delvis, ikke hjemmel eller må vurderes)
  2  feil i inndata (fil som ikke kan leses eller tolkes, henvisning som ikke finnes)
  3  bruks- eller miljøfeil (ukjent valg, regelmappen mangler)

eksempler:
  regelsjekk sjekk examples/steinkjer-skiltmyndighet.forsok
  regelsjekk sjekk examples/ --format csv > oversikt.csv
  regelsjekk sjekk soknader/ --format html --out rapporter/ --jobs 4
  regelsjekk sjekk soknad.forsok --format forskrift    # utkast til lokal forskrift
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sjekk", help="sjekk søknader om forsøk og skriv rapporter",
        description="Sjekk om unntakene i én eller flere søknader (.forsok eller .json) kan prøves "
                    "som forsøk, og skriv en begrunnet rapport per søknad.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("filer", nargs="*", metavar="FIL/MAPPE",
                   help="søknadsfiler, eller mapper som søkes gjennom etter *.forsok og *.json")
    p.add_argument("-f", "--format", choices=FORMATS, default="text",
                   help="rapportformat (standard: text)")
    p.add_argument("-j", "--jobs", "--jobber", type=int, default=0, metavar="N",
                   help="antall parallelle prosesser (standard: automatisk etter antall filer)")
    p.add_argument("-o", "--out", "--ut", type=Path, metavar="MAPPE",
                   help="skriv én rapport per søknad i MAPPE i stedet for til standard ut")
    p.add_argument("--spor", action="store_true",
                   help="vis subsumsjonen (hvilken regel som ble brukt på hvilke fakta) i tekstformat")
    color = p.add_mutually_exclusive_group()
    color.add_argument("--farge", dest="farge", action="store_true", default=None,
                       help="farger i tekstformat (standard når utdata er en terminal)")
    color.add_argument("--ingen-farge", dest="farge", action="store_false")
    p.add_argument("-q", "--stille", action="store_true", help="ingen fremdrift eller oppsummering")
    add_date_option(p)
    p.add_argument("--skjema", action="store_true",
                   help="skriv JSON-skjemaet for rapporten og avslutt")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.skjema:
        from regelsjekk.check.verdict import report_schema

        sys.stdout.write(json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n")
        return 0
    if not args.filer:
        print("regelsjekk sjekk: oppgi minst én søknadsfil eller mappe "
              "(for eksempel examples/).", file=sys.stderr)
        return 3
    if args.jobs < 0:
        print("regelsjekk sjekk: --jobs må være 0 (automatisk) eller et positivt tall.",
              file=sys.stderr)
        return 3
    from regelsjekk.batch.runner import combine, default_jobs, discover, run_batch

    files, problems = discover(args.filer)
    for problem in problems:
        print(f"regelsjekk: {problem}", file=sys.stderr)
    if not files:
        return 2
    from regelsjekk.cli.common import open_kb_or_explain

    kb = open_kb_or_explain(args)
    if kb is None:
        return 3
    color = args.farge if args.farge is not None else (
        args.out is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    options = {"color": bool(color), "trace": args.spor} if args.format == "text" else {}
    jobs = args.jobs or default_jobs(len(files))
    progress = _Progress(len(files), quiet=args.stille)
    started = time.perf_counter()
    outcomes = run_batch(files, args.format, kb, jobs=jobs, db=getattr(args, "db", None),
                         rules=getattr(args, "regler", None), render_options=options,
                         progress=progress, today=as_of(args))
    progress.finish()
    if args.out:
        _write_files(outcomes, args.format, args.out)
    elif args.format in BINARY_FORMATS:
        items = [i for o in outcomes for i in o.items]
        if len(items) != 1 or sys.stdout.isatty():
            for o in outcomes:
                for err in o.errors:
                    print(err, file=sys.stderr)
            print(f"regelsjekk sjekk: --format {args.format} lager Word-filer: bruk --out MAPPE, "
                  f"eller send én rapport til en fil (> rapport.docx).", file=sys.stderr)
            return max([3, *(o.exit_code for o in outcomes)]) if items else 2
        sys.stdout.buffer.write(items[0].data or b"")
        sys.stdout.flush()
    else:
        sys.stdout.write(combine(outcomes, args.format))
        sys.stdout.flush()
    if not args.stille:
        _summary(outcomes, time.perf_counter() - started, jobs, args.out)
    codes = [o.exit_code for o in outcomes] + ([2] if problems else [])
    return max(codes)


class _Progress:
    """A one-line counter on stderr for runs that take more than a couple of seconds."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.quiet = total, quiet
        self.start = time.perf_counter()
        self.last = 0.0
        self.shown = False
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, outcome: FileOutcome) -> None:
        if self.quiet or self.total < 2:
            return
        now = time.perf_counter()
        if now - self.start < 2.0 or now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        rate = done / (now - self.start)
        line = f"[{done}/{total}] {rate:.0f} filer/s – {outcome.path}"
        if self.tty:
            sys.stderr.write("\r" + line[:110].ljust(110))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown and self.tty:
            sys.stderr.write("\r" + " " * 110 + "\r")
            sys.stderr.flush()


def _write_files(outcomes: list[FileOutcome], fmt: str, out: Path) -> None:
    from regelsjekk.batch.runner import combine, output_name

    out.mkdir(parents=True, exist_ok=True)
    if fmt in CSV_FORMATS:
        (out / "sammendrag.csv").write_text(combine(outcomes, fmt), encoding="utf-8", newline="")
        return
    used: set[str] = set()
    for o in outcomes:
        for n, item in enumerate(o.items, 1):
            name = output_name(o.path, n, len(o.items), EXTENSIONS[fmt])
            base, k = name, 2
            while name in used:  # same file name in two folders
                stem, _, ext = base.partition(".")
                name = f"{stem}-{k}.{ext}"
                k += 1
            used.add(name)
            if item.data is not None:
                (out / name).write_bytes(item.data)
            else:
                (out / name).write_text(item.rendered, encoding="utf-8")


def _summary(outcomes: list[FileOutcome], seconds: float, jobs: int, out: Path | None) -> None:
    from regelsjekk.check.verdict import VERDICT_LABELS, Verdict

    """Errors first (with their place), then counts per verdict, to stderr."""
    err = sys.stderr
    for o in outcomes:
        for e in [*o.errors, *o.warnings]:
            print(e, file=err)
    verdicts = Counter(i.verdict for o in outcomes for i in o.items)
    n_requests = sum(verdicts.values())
    broken = sum(1 for o in outcomes if o.errors or not o.items)
    parts = [f"{verdicts[v.value]} {VERDICT_LABELS[v].lower()}" for v in Verdict if verdicts[v.value]]
    files = len(outcomes)
    line = (f"Sjekket {n_requests} søknad{'er' if n_requests != 1 else ''} i {files} "
            f"fil{'er' if files != 1 else ''} på {seconds:.1f} s"
            + (f" med {jobs} prosesser" if jobs > 1 else "") + ": "
            + (", ".join(parts) if parts else "ingen resultater"))
    if broken:
        line += f"; {broken} fil{'er' if broken != 1 else ''} med feil"
    if out:
        line += f". Rapportene er skrevet til {out}/"
    print(line + ".", file=err)
