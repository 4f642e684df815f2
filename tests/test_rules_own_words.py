"""Every rationale and summary in rules/lover/ is in our own words, never statute text.

Statute text is shown from the Lovdata import at run time; rules/ holds what we wrote. Eight words
in a row shared with the law the entry is about counts as copying, not citing. Reads the current
text of every curated law from the shared normalised archive (slow; streamed, never copied).
"""

from __future__ import annotations

import json
import re
import tarfile

import pytest
import yaml

from regelsjekk.paths import rules_dir, shared_lovdata_dir

pytestmark = pytest.mark.slow
_ARCHIVE = "normalisert-gjeldende-2026-05.tar.xz"
_WORD = re.compile(r"[\wæøåÆØÅ§-]+")
_NGRAM = 8


def _ngrams(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i:i + _NGRAM]) for i in range(len(words) - _NGRAM + 1)}


@pytest.fixture(scope="module")
def curated() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted((rules_dir() / "lover").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["dokument"]] = {"file": path.name, **data}
    return out


@pytest.fixture(scope="module")
def statutes(curated) -> dict[str, set]:
    archive = shared_lovdata_dir() / _ARCHIVE
    if not archive.exists():
        pytest.skip(f"mangler {archive}")
    wanted = {"lov-" + doc.split("/", 1)[1] + ".json": doc for doc in curated}
    found: dict[str, set] = {}
    with tarfile.open(archive, mode="r|xz") as tar:
        for member in tar:
            base = member.name.rsplit("/", 1)[-1]
            if member.isfile() and "gjeldende-lover/" in member.name and base in wanted:
                fh = tar.extractfile(member)
                if fh is not None:
                    sections = json.load(fh)["sections"]
                    found[wanted[base]] = _ngrams("\n".join(s.get("text") or "" for s in sections))
            if len(found) == len(wanted):
                break
    return found


def test_every_curated_law_is_found_in_the_archive(curated, statutes):
    assert set(statutes) == set(curated)


def test_rationales_and_summaries_do_not_copy_statute_text(curated, statutes):
    copied = []
    for doc_id, data in curated.items():
        statute = statutes.get(doc_id, set())
        own = [(e["id"], e.get("begrunnelse") or "") for e in data.get("tagger") or []]
        own += list((data.get("sammendrag") or {}).items())
        for node_id, text in own:
            overlap = _ngrams(str(text)) & statute
            if overlap:
                copied.append((data["file"], node_id, " ".join(sorted(overlap)[0])))
    assert not copied, "\n".join(f"{f}: {i}: «{w}»" for f, i, w in copied)
