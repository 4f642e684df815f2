"""Defect 10 (issue 19): the store grew ~19 % on each `--tving` re-import (197 → 221 → 259 → 297
MB): replacing every document in a copied store left the full-text index's delete markers and
half-empty index pages behind. Now an import that replaced stored content merges the index and
rewrites the file, so the store is the size of a fresh import."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from _hostile_kit import article, lovdata_xml

from regelsjekk.lovdata.load import Source, run_import

pytestmark = pytest.mark.import_safety

TEXT = ("kommunen skal sørge for tjenester etter denne loven og forskrifter gitt i medhold av "
        "loven samt føre tilsyn med virksomheten innenfor sitt område")
WORDS = TEXT.split()


def _archive(tmp_path: Path, docs: int = 150, sections: int = 20) -> Path:
    path = tmp_path / "utvalg.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for d in range(docs):
            body = "".join(article(str(s + 1), " ".join(WORDS[(d + s + k) % len(WORDS)]
                                                        for k in range(60)) + f" nr{d}x{s}")
                           for s in range(sections))
            data = lovdata_xml(f"forskrift/2001-01-01-{d + 1}", body)
            info = tarfile.TarInfo(f"utvalg/f{d}.xml")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_tving_leaves_the_store_the_size_of_a_fresh_import(tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    fresh, again = tmp_path / "fresh.sqlite", tmp_path / "again.sqlite"
    run_import([Source(archive)], fresh, fresh=True, workers=0)
    run_import([Source(archive)], again, fresh=True, workers=0)
    for _ in range(2):
        summary = run_import([Source(archive)], again, workers=0, force=True)
        assert summary.updated == 150
    size, grown = fresh.stat().st_size, again.stat().st_size
    assert grown <= size * 1.03, f"fresh {size} bytes, after two --tving {grown} bytes"
