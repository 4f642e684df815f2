"""Helpers shared by the subcommands: opening the knowledge base from the global flags."""

from __future__ import annotations

import argparse
from pathlib import Path

from regelsjekk.kb import KnowledgeBase


def open_kb(args: argparse.Namespace) -> KnowledgeBase:
    """The knowledge base named by --db/--regler (or the defaults), opened once per process."""
    from regelsjekk.kb import default_kb

    db = getattr(args, "db", None)
    rules = getattr(args, "regler", None)
    return default_kb(str(Path(db)) if db else None, str(Path(rules)) if rules else None)
