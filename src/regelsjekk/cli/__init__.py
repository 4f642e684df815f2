"""The command line: `regelsjekk KOMMANDO …` (thin; one module per command)."""

from regelsjekk.cli.main import main

__all__ = ["main"]
