"""`regelsjekk` on the command line: a thin dispatcher over the library.

Each subcommand lives in regelsjekk/commands/<name>.py and exposes
``register(subparsers) -> None``; the parser it adds sets ``func(args) -> int`` (the exit code).
Exit codes are documented in the README: 0 all good, 1 some request lacks hjemmel,
2 input errors (bad files, unknown provisions), 3 usage or environment errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Order is the order in `regelsjekk --help`.
COMMAND_MODULES = [
    "importer",
    "check",
    "regler",
    "lookup",
    "forslag",
    "dsl",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regelsjekk",
        description="Sjekk om et unntak fra lov eller forskrift kan prøves som forsøk.",
    )
    parser.add_argument("--db", help="kunnskapsbasen (SQLite); standard: REGELSJEKK_DB eller "
                        "~/.local/share/regelsjekk/kunnskapsbase.sqlite")
    parser.add_argument("--regler", help="mappen med regler (standard: rules/ i installasjonen)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        importlib.import_module(f"regelsjekk.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse says 2 for usage errors; our 2 means bad input files
        return 3 if exc.code == 2 else int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 3
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("Avbrutt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
