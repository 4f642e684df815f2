"""`regelsjekk` on the command line: a thin dispatcher over the library.

Each subcommand lives in regelsjekk/cli/<name>.py and exposes
``register(subparsers) -> None``; the parser it adds sets ``func(args) -> int`` (the exit code).
Exit codes are documented in the README: 0 all good, 1 some request lacks hjemmel,
2 input errors (bad files, unknown provisions), 3 usage or environment errors.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from typing import Any

# Order is the order in `regelsjekk --help`.
COMMAND_MODULES = [
    "importer",
    "check",
    "regler",
    "lookup",
    "forslag",
    "presedens",
    "fmt",
    "serve",
]


# argparse's own messages (English, from Python) as Norwegian; the rest of a message is ours.
_USAGE_ERRORS = [
    (re.compile(r"the following arguments are required: (.*)"), r"mangler argument: \1"),
    (re.compile(r"not allowed with argument (.*)"), r"kan ikke brukes sammen med \1"),
    (re.compile(r"one of the arguments (.*) is required"), r"ett av valgene \1 må brukes"),
    (re.compile(r"unrecognized arguments: (.*)"), r"ukjente argumenter: \1"),
    (re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)"), r"ukjent valg «\1» (velg blant \2)"),
    (re.compile(r"invalid int value: '([^']*)'"), r"«\1» er ikke et heltall"),
    (re.compile(r"invalid \w+ value: '([^']*)'"), r"ugyldig verdi «\1»"),
    (re.compile(r"expected one argument"), "mangler verdi"),
    (re.compile(r"expected at least one argument"), "mangler minst én verdi"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"flertydig valg \1 (kan bety \2)"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with Norwegian headings and usage errors that end in a hint (see --help)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "vis denne hjelpen og avslutt"

    def format_usage(self) -> str:
        return _norwegian_usage(super().format_usage())

    def format_help(self) -> str:
        return _norwegian_usage(super().format_help())

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, norwegian in _USAGE_ERRORS:
            message = pattern.sub(norwegian, message)
        message = message.removeprefix("argument ")
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: feil: {message}\nTips: se «{self.prog} --help».\n")


def _norwegian_usage(text: str) -> str:
    return "bruk: " + text.removeprefix("usage: ") if text.startswith("usage: ") else text


# Which module registers which command (and its aliases): a call builds only its own command's
# parser, so `slå-opp` does not import the report templates or the batch runner (start-up time).
# tests/test_cli.py checks this table against what the modules register.
COMMAND_OF = {"import": "importer", "sjekk": "check", "regler": "regler", "slå-opp": "lookup",
              "sla-opp": "lookup", "forslag": "forslag", "presedens": "presedens", "fmt": "fmt",
              "serve": "serve",
              "skjema": "fmt"}
_GLOBAL_WITH_VALUE = ("--db", "--regler")


def command_module(argv: list[str]) -> str | None:
    """The module of the command named in argv (after the global options), or None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GLOBAL_WITH_VALUE:
            i += 2
            continue
        if arg.startswith(tuple(f"{g}=" for g in _GLOBAL_WITH_VALUE)):
            i += 1
            continue
        if arg.startswith("-"):
            return None  # --help or an unknown option: the full parser answers
        return COMMAND_OF.get(arg)
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="regelsjekk",
        description="Sjekk om et unntak fra lov eller forskrift kan prøves som forsøk.",
    )
    parser.add_argument("--db", help="kunnskapsbasen (SQLite); standard: REGELSJEKK_DB eller "
                        "~/.local/share/regelsjekk/kunnskapsbase.sqlite")
    parser.add_argument("--regler", help="mappen med regler (standard: rules/ i installasjonen)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        if only is None or name == only:
            importlib.import_module(f"regelsjekk.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(command_module(argv))
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
