"""Shared helpers for the rules engine tests: a small rules folder built from fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

from regelsjekk.core import paths

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
REAL_RULES = paths.rules_dir()
TESTLOVEN = "lov/2000-01-01-1"


def header(path: Path) -> dict[str, str]:
    """The '# key: value' lines at the top of a fixture file."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        out[key.strip()] = value.strip()
    return out


def make_rules(target: Path, *, complete: bool = False) -> Path:
    """The base fixture folder (an invented law); complete=True adds the real tag vocabulary,
    forsøksloven conditions and the structures they cite, so lint has everything it needs."""
    shutil.copytree(FIXTURES / "base", target)
    if complete:
        for name in ("tags.yaml", "forsoksloven.yaml"):
            shutil.copy(REAL_RULES / name, target / name)
        for doc in ("lov_1992-06-26-87.yaml", "lov_1967-02-10.yaml"):
            shutil.copy(REAL_RULES / "struktur" / doc, target / "struktur" / doc)
    return target
