"""Every rationale and summary in rules/lover/ is in our own words, never statute text.

Statute text is shown from the Lovdata import at run time; rules/ holds what we wrote. Eight words
in a row shared with the law the entry is about counts as copying, not citing. Reads the current
text of every curated law from the shared normalised archive (slow; streamed, never copied).
"""

from __future__ import annotations

import re

import pytest
import yaml
from support.normalized import law_sections

from regelsjekk.core.paths import rules_dir

pytestmark = pytest.mark.slow
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
    return {doc: _ngrams("\n".join(x.get("text") or "" for x in sections))
            for doc, sections in law_sections(curated).items()}


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
