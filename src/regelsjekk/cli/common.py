"""Helpers shared by the subcommands: opening the knowledge base from the global flags."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path

from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.store import StoreError
from regelsjekk.rules.schema import RulesError

# What opening the knowledge base can fail with: rules/ that do not load, a store that cannot be
# read. Anything else is a bug in regelsjekk and should show as one.
OPEN_ERRORS = (RulesError, StoreError, sqlite3.Error, OSError)


def open_kb(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base named by --db/--regler (or the defaults), opened once per process."""
    from regelsjekk.kb.knowledge import default_kb

    db = getattr(args, "db", None)
    rules = getattr(args, "regler", None)
    return default_kb(str(Path(db)) if db else None, str(Path(rules)) if rules else None)


def kb_open_failed(exc: Exception) -> int:
    """Say why the knowledge base could not be opened, with a hint; exit code 3."""
    if isinstance(exc, RulesError):
        hint = "rett feilen i rules/ (kjør «regelsjekk regler sjekk» for alle feil)."
    else:
        hint = ("velg en annen kunnskapsbase med --db, eller bygg den på nytt med "
                "«regelsjekk import --ny …».")
    print(f"Kunne ikke åpne kunnskapsbasen: {exc}\nTips: {hint}", file=sys.stderr)
    return 3


def open_kb_or_explain(args: argparse.Namespace) -> KnowledgeBase | None:
    """open_kb, or None after kb_open_failed has explained why (the caller returns 3)."""
    try:
        return open_kb(args)
    except OPEN_ERRORS as exc:
        kb_open_failed(exc)
        return None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD (for eksempel 2025-01-01)") from None


def add_date_option(parser: argparse.ArgumentParser) -> None:
    """--dato: answer as the law stood on that date (where the data can tell)."""
    parser.add_argument("--dato", type=_iso_date, default=None, metavar="ÅÅÅÅ-MM-DD",
                        help="svar slik regelverket var på denne datoen (standard: i dag); der "
                             "dataene ikke kan si det, står det i svaret")


def as_of(args: argparse.Namespace) -> date:
    return getattr(args, "dato", None) or date.today()
