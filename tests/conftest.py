"""Fixtures shared by the whole suite: the real Lovdata archives and stores imported from them.

- ``lovdata_dir``: the shared archives (skips with a reason when they are absent).
- ``full_store``: ALL four shared .tar.bz2 archives imported once into
  ``tests/artifacts/full-<hash>.sqlite`` (gitignored). The hash covers the archives (names, sizes,
  mtimes) and the importer's source, so a change to either rebuilds it; a file lock lets the
  pytest-xdist workers share one build. Tests that use it are ``@pytest.mark.slow``.
- ``full_kb``: KnowledgeBase over ``full_store`` (rulebook included).
- ``small_store`` / ``small_kb``: the two small consolidated archives (33 laws and
  gravplassforskriften), cheap enough for any test.
- ``full_import_summary``: the JSON summary written when ``full_store`` was built.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from regelsjekk.core import paths

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
FULL_ARCHIVES = ("gjeldende-lover-utvalg.tar.bz2", "gjeldende-sentrale-forskrifter-utvalg.tar.bz2",
                 "lovtidend-1982-2000.tar.bz2", "lovtidend-avd1-2025.tar.bz2")
SMALL_ARCHIVES = ("gjeldende-lover-utvalg.tar.bz2", "gjeldende-sentrale-forskrifter-utvalg.tar.bz2")
# Changes to these files change what an import stores: they key the cached stores.
_SRC = REPO / "src" / "regelsjekk"
# The cached test stores are rebuilt when any of these change (the house move had left this list
# pointing at paths that no longer existed, so importer changes reused a stale store).
# The import also reads rules/ (trial authorities and law names in time, for Tidligere forsøk).
_IMPORTER_SOURCES = [*sorted((_SRC / "lovdata").glob("*.py")), _SRC / "kb" / "store.py",
                     _SRC / "core" / "model.py", _SRC / "core" / "ids.py",
                     *(_SRC.parent.parent / "rules" / n for n in ("hjemler.yaml", "tid.yaml",
                                                                  "aliases.yaml"))]
assert all(p.is_file() for p in _IMPORTER_SOURCES) and len(_IMPORTER_SOURCES) > 10, _IMPORTER_SOURCES


@pytest.fixture(scope="session")
def lovdata_dir() -> Path:
    """The shared Lovdata archives (REGELSJEKK_LOVDATA overrides); skip when absent."""
    directory = paths.shared_lovdata_dir()
    if not directory.is_dir() or not any(directory.glob("*.tar.bz2")):
        pytest.skip(f"Lovdata-arkivene finnes ikke i {directory} (sett REGELSJEKK_LOVDATA)")
    return directory


def _archives(lovdata_dir: Path, names: tuple[str, ...]) -> list[Path]:
    found = [lovdata_dir / n for n in names]
    missing = [p.name for p in found if not p.is_file()]
    if missing:
        pytest.skip(f"mangler arkiv i {lovdata_dir}: {', '.join(missing)}")
    return found


def _key(archives: list[Path]) -> str:
    h = hashlib.sha256()
    for p in archives:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{int(st.st_mtime)}\n".encode())
    for src in _IMPORTER_SOURCES:
        h.update(src.read_bytes())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_cached_store(prefix: str, archives: list[Path], workers: int | None = None) -> Path:
    """Import archives once into tests/artifacts/<prefix>-<hash>.sqlite, shared by all workers."""
    from regelsjekk.lovdata.load import Source, run_import

    key = _key(archives)
    target = ARTIFACTS / f"{prefix}-{key}.sqlite"
    with _locked(ARTIFACTS / f".{prefix}.lock"):
        if not (target.is_file() and target.with_suffix(".json").is_file()):
            for old in [*ARTIFACTS.glob(f"{prefix}-*.sqlite"), *ARTIFACTS.glob(f"{prefix}-*.json")]:
                old.unlink(missing_ok=True)
            summary = run_import([Source(p) for p in archives], target, fresh=True,
                                 workers=workers)
            target.with_suffix(".json").write_text(
                json.dumps(summary.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def open_kb(store: Path):  # noqa: ANN201 - KnowledgeBase
    """KnowledgeBase over an imported store, with the rulebook."""
    from regelsjekk.kb.knowledge import KnowledgeBase

    return KnowledgeBase.open(store)


@pytest.fixture(scope="session")
def full_store(lovdata_dir: Path) -> Path:
    return build_cached_store("full", _archives(lovdata_dir, FULL_ARCHIVES))


@pytest.fixture(scope="session")
def full_import_summary(full_store: Path) -> dict:
    return json.loads(full_store.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def full_kb(full_store: Path):  # noqa: ANN201 - KnowledgeBase
    return open_kb(full_store)


@pytest.fixture(scope="session")
def small_store(lovdata_dir: Path) -> Path:
    return build_cached_store("small", _archives(lovdata_dir, SMALL_ARCHIVES), workers=0)


@pytest.fixture(scope="session")
def small_kb(small_store: Path):  # noqa: ANN201 - KnowledgeBase
    return open_kb(small_store)


_THOROUGH = {"slow", "browser", "property", "evaluation", "app", "import_safety", "process"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tag every test that is none of the thorough kinds as `quick`: `pytest -m quick` is the
    inner loop (under a minute of CPU); `make test` runs everything."""
    for item in items:
        if not _THOROUGH & {m.name for m in item.iter_markers()}:
            item.add_marker(pytest.mark.quick)
