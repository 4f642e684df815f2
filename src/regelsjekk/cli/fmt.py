"""`regelsjekk fmt` (request files on canonical form) and `regelsjekk skjema` (the JSON Schema).

fmt exit codes: 0 done (or, with --check, every file already canonical), 1 with --check: some
file is not on canonical form, 2 a file cannot be read or has errors, 3 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

FMT_EPILOG = """\
utkoder:
  0  ferdig (med --check: alle filene er allerede på kanonisk form)
  1  med --check: minst én fil er ikke på kanonisk form
  2  en fil kan ikke leses eller har feil (feilene skrives til standard feil)
  3  bruksfeil

eksempler:
  regelsjekk fmt soknad.forsok               # skriv kanonisk form til standard ut
  regelsjekk fmt --write soknader/*.forsok   # skriv tilbake til filene
  regelsjekk fmt --check soknader/*.forsok   # for CI: feiler hvis noe må formateres
  regelsjekk fmt --json soknad.forsok        # JSON-formen (se regelsjekk skjema)
  regelsjekk fmt soknad.json                 # JSON-formen som søknadsspråk
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "fmt", help="skriv søknadsfiler på kanonisk form",
        description="Skriv søknader (.forsok eller .json) på kanonisk form: bokmålsordene, fast "
                    "rekkefølge på feltene, tekst i anførselstegn. Kommentarer beholdes. "
                    "Formatering endrer ikke hva søknadene sier.",
        epilog=FMT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("filer", nargs="+", metavar="FIL", help="søknadsfiler; - leser standard inn")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", "--sjekk", action="store_true",
                      help="skriv ingenting; avslutt med 1 hvis en fil ikke er på kanonisk form")
    mode.add_argument("--write", "--skriv", action="store_true",
                      help="skriv den kanoniske formen tilbake til filene (bare søknadsspråk)")
    mode.add_argument("--json", action="store_true",
                      help="skriv JSON-formen av søknadene i stedet (en liste)")
    p.set_defaults(func=run_fmt)

    s = subparsers.add_parser(
        "skjema", help="skriv JSON-skjemaet for søknader i JSON-form",
        description="Skriv JSON-skjemaet (draft 2020-12) for JSON-formen av en forsøkssøknad, "
                    "så andre systemer kan sende inn søknader.")
    s.set_defaults(func=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    from regelsjekk.request.load import schema_text

    sys.stdout.write(schema_text())
    return 0


def _read(name: str) -> tuple[str | None, str | None]:
    """(text, problem) for a file name or '-' (standard input)."""
    from regelsjekk.request.load import read_source

    if name == "-":
        return sys.stdin.read(), None
    text, problem = read_source(name)
    return text, problem.render() if problem is not None else None


def run_fmt(args: argparse.Namespace) -> int:
    from regelsjekk.request.load import format_source, load_request_text
    from regelsjekk.request.parser import normalize_source

    names = ["<standard inn>" if n == "-" else n for n in args.filer]
    if (args.write or args.check) and "-" in args.filer:
        print("regelsjekk fmt: --write og --check virker bare på filer, ikke standard inn.",
              file=sys.stderr)
        return 3
    if args.write or args.check:
        json_files = [n for n in args.filer if n.lower().endswith(".json")]
        if json_files:
            print(f"regelsjekk fmt: {json_files[0]} er JSON; --write og --check gjelder "
                  "søknadsspråket (.forsok). Bruk «regelsjekk fmt FIL.json» for å se den som "
                  "søknadsspråk.", file=sys.stderr)
            return 3
    status = 0
    collected: list[dict] = []
    outputs: list[str] = []
    for raw_name, name in zip(args.filer, names):
        text, problem = _read(raw_name)
        if text is None:
            print(problem, file=sys.stderr)
            status = 2
            continue
        source_name = None if raw_name == "-" else raw_name
        if args.json:
            result = load_request_text(text, source_name or name)
            canonical = None
        else:
            canonical, result = format_source(text, source_name or name)
        report = result.render()
        if report:
            print(report, file=sys.stderr)
        if not result.ok:
            status = 2
            continue
        if args.json:
            collected.extend(r.model_dump(mode="json", exclude_none=True) for r in result.requests)
            continue
        assert canonical is not None
        if args.check:
            if canonical != normalize_source(text):
                print(f"{name}: ikke på kanonisk form (kjør regelsjekk fmt --write {name})",
                      file=sys.stderr)
                status = max(status, 1)
        elif args.write:
            if canonical != text:
                _write_atomically(Path(raw_name), canonical)
                print(f"{name}: formatert", file=sys.stderr)
        else:
            outputs.append(canonical)
    if args.json and collected:
        sys.stdout.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    elif outputs:
        sys.stdout.write("\n".join(outputs))
    return status


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted run never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
