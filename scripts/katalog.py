#!/usr/bin/env python3
"""Generate src/regelsjekk/data/katalog.zip: every current law and central regulation, by name.

The built-in knowledge base must resolve a citation of any current law or central regulation on a
fresh machine, without an import: "byggesaksforskriften § 7-4", "fastlegeforskriften § 24". The
catalogue holds, per document, what rules/struktur holds for the curated ones — title, short title,
abbreviation, parts, chapters, §§ with their headings and the number of ledd — and never statute
text. Built from the same normalised JSON (``normalisert-gjeldende-2026-05.tar.xz``) with the same
code (scripts/struktur.py ``build``); the documents in rules/struktur are left out (they answer
first). The documents' nodes in 64 JSON members (``dokumenter/NN.json``, by a hash of the id, read
on demand: a zip of 4,000 members costs every process 35 ms to open), ``_index.json`` with every
document's metadata and ``_ids.txt``.

Usage::

    python scripts/katalog.py                        # the shared archive (paths.shared_lovdata_dir)
    python scripts/katalog.py --kilde /some/folder   # a folder with the extracted JSON
    python scripts/katalog.py --sjekk                # exit 1 if the catalogue is out of date
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import struktur  # noqa: E402 - the sibling script: the same reading of the normalised JSON

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from regelsjekk.kb.catalogue import shard_member  # noqa: E402 - where the reader looks

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "src" / "regelsjekk" / "data" / "katalog.zip"
DATASETS = ("gjeldende-lover/", "gjeldende-sentrale-forskrifter/")
# A fixed timestamp: the zip is byte-identical when the data is (reviewable, no churn).
EPOCH = (2026, 5, 5, 0, 0, 0)


def iter_all(source: Path) -> Iterator[dict]:
    if source.is_file():
        with tarfile.open(source, "r|*") as tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".json") and \
                        any(d in member.name for d in DATASETS):
                    fh = tar.extractfile(member)
                    if fh is not None:
                        yield json.load(fh)
        return
    for pattern in ("lov-*.json", "for-*.json"):
        for path in sorted(source.rglob(pattern)):
            if any(d.rstrip("/") in path.parts for d in DATASETS):
                yield json.loads(path.read_text(encoding="utf-8"))


def build_zip(source: Path) -> tuple[bytes, int, int]:
    curated = {yaml_id for yaml_id in _struktur_ids()}
    docs: dict[str, dict] = {}
    for doc in iter_all(source):
        doc_id = doc.get("lovdata_refid")
        if not doc_id or doc_id in curated or doc_id in docs:
            continue
        data, _warnings = struktur.build(doc, {})
        data["dokument"]["kilde"] = data["dokument"]["kilde"]
        docs[doc_id] = data
    buf = io.BytesIO()
    sections = 0
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        index = []
        shards: dict[str, dict[str, list]] = {}
        for doc_id in sorted(docs):
            data = docs[doc_id]
            index.append(data["dokument"])
            sections += sum(1 for n in data["noder"] if n["id"].startswith("§"))
            shards.setdefault(shard_member(doc_id), {})[doc_id] = data["noder"]
        for name in sorted(shards):
            info = zipfile.ZipInfo(name, EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, json.dumps(shards[name], ensure_ascii=False, separators=(",", ":")))
        info = zipfile.ZipInfo("_index.json", EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, json.dumps(index, ensure_ascii=False, separators=(",", ":")))
        info = zipfile.ZipInfo("_ids.txt", EPOCH)  # read at every start: ids only, small
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, "\n".join(sorted(docs)))
    return buf.getvalue(), len(docs), sections


def _struktur_ids() -> set[str]:
    ids = set()
    for path in (REPO / "rules" / "struktur").glob("*.yaml"):
        if path.name == "LISTE.yaml":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  id: "):
                ids.add(line.split(": ", 1)[1].strip())
                break
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilde", type=Path, help="normalisert-gjeldende-*.tar.xz eller en mappe")
    parser.add_argument("--ut", type=Path, default=TARGET)
    parser.add_argument("--sjekk", action="store_true", help="bare sjekk at katalogen er oppdatert")
    args = parser.parse_args(argv)
    source = args.kilde or struktur.default_source()
    if not source.exists():
        print(f"Fant ikke kilden {source}. Tips: oppgi arkivet eller mappen med --kilde.",
              file=sys.stderr)
        return 3
    data, n_docs, n_sections = build_zip(source)
    if args.sjekk:
        same = args.ut.is_file() and args.ut.read_bytes() == data
        print("katalogen er oppdatert" if same else f"utdatert: {args.ut}")
        return 0 if same else 1
    args.ut.parent.mkdir(parents=True, exist_ok=True)
    args.ut.write_bytes(data)
    print(f"{args.ut}: {n_docs} dokumenter, {n_sections} §§, {len(data) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
