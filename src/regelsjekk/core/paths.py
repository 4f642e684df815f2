"""Where regelsjekk finds its data: the rules/ folder, examples/ and the imported store.

Each location has a documented default and an environment variable to override it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent  # src/regelsjekk/core -> src/regelsjekk
_REPO = _PACKAGE.parent.parent  # src/regelsjekk -> repository root (editable install)


def _bundled(name: str) -> Path:
    """A data folder shipped in the wheel (_data/NAME), else the one in the repository."""
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _REPO / name


def rules_dir() -> Path:
    """REGELSJEKK_RULES, else the rules/ folder of this installation."""
    env = os.environ.get("REGELSJEKK_RULES")
    return Path(env) if env else _bundled("rules")


def examples_dir() -> Path:
    env = os.environ.get("REGELSJEKK_EXAMPLES")
    return Path(env) if env else _bundled("examples")


def default_store_path() -> Path:
    """REGELSJEKK_DB, else $XDG_DATA_HOME/regelsjekk/kunnskapsbase.sqlite (~/.local/share/…)."""
    env = os.environ.get("REGELSJEKK_DB")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "regelsjekk" / "kunnskapsbase.sqlite"


def shared_lovdata_dir() -> Path:
    """REGELSJEKK_LOVDATA, else ../shared/lovdata beside the repository (tests and benchmarks)."""
    env = os.environ.get("REGELSJEKK_LOVDATA")
    return Path(env) if env else _REPO.parent / "shared" / "lovdata"


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/regelsjekk (~/.cache/regelsjekk) for derived files such as the compiled
    grammar and parsed rules; None when it cannot be written (everything works without it)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "regelsjekk"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def derived_cache_file(name: str, kb: Any, code: list[Path]) -> Path | None:
    """Where a structure derived from a knowledge base is cached, named by what it depends on:
    every rules/ file, the knowledge base's data files (store, catalogue) and the
    code that builds it (path, mtime, size).
    None when there is no cache directory, or the knowledge base is not one of the standard ones
    (rules/ and the store file name all it holds): then the caller just builds it."""
    rulebook = getattr(kb, "rulebook", None)
    if rulebook is None or not getattr(kb, "cacheable", False):
        return None
    folder = cache_dir()
    if folder is None:
        return None
    parts = [f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}"
             for p in sorted(Path(rulebook.rules_dir).rglob("*.yaml"))]
    for data in getattr(kb, "data_files", ()):  # the store file, the catalogue
        st = Path(data).stat()
        parts.append(f"{Path(data).resolve()}:{st.st_mtime_ns}:{st.st_size}")
    # The code that decides which source answers a document shapes everything derived from the
    # knowledge base, so it is part of every key (a title index built by older code named
    # forsøksloven from its Lovtidend text after rules/ had come to answer for it).
    code = [*code, *getattr(kb, "code_files", ())]
    parts += [f"{p.name}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in code]
    key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return folder / name / f"{key}.pickle"


def load_cached(target: Path | None) -> Any:
    """A value pickled by store_cached into our own cache directory, or None (missing, stale or
    broken: the caller builds it again). The cyclic collector is off while loading: a cached
    index is hundreds of thousands of small objects."""
    if target is None or not target.is_file():
        return None
    try:
        os.utime(target)  # recently used: kept when the folder is pruned (store_cached)
    except OSError:
        pass
    enabled = gc.isenabled()
    gc.disable()
    try:
        with target.open("rb") as fh:
            return pickle.load(fh)  # only files store_cached wrote, under cache_dir()
    except Exception:
        return None
    finally:
        if enabled:
            gc.enable()


def store_cached(target: Path | None, value: Any) -> None:
    """Pickle value to target atomically (temp file, then os.replace); a cache is an
    optimisation, so any failure is ignored."""
    if target is None:
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        prune_cache(target.parent)
    except Exception:
        return


# How many entries a cache folder keeps (the most recently used): each is keyed by the rules,
# the data files and the code, so every edit, import or test run with other rules makes a new
# one, and nothing else ever removes the old ones (they had grown to 2.3 GB on a test machine).
# "regler" holds one entry per rules file (about 130 per version of rules/). A test run makes
# dozens of rules/ copies, so the folders keep enough that the real one is not pushed out.
CACHE_KEEP = {"regler": 2000, "regelbok": 32, "navn": 16, "forslag": 16}
CACHE_KEEP_DEFAULT = 8


def prune_cache(folder: Path) -> None:
    """Remove all but the CACHE_KEEP most recently used entries of one cache folder."""
    keep = CACHE_KEEP.get(folder.name, CACHE_KEEP_DEFAULT)
    entries = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".pickle"):
            try:
                entries.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    if len(entries) <= keep:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            os.unlink(path)
        except OSError:
            pass
