"""The checker on the full import gives the same verdicts as on the built-in knowledge base.

An import adds statute text and many documents, but must never make a request more open: a law
known only as promulgated in Lovtidend (forsøksloven 1992, kommuneloven 2018) must not hide its
current structure from rules/, and no example may turn into "hjemmel" because of the import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.checking import check

from regelsjekk.core.model import Origin
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.request.load import load_request_file

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.forsok"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def builtin() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def test_current_structure_beats_a_lovtidend_original(full_kb):
    # forsøksloven § 3 første ledd bokstav d (enhetsfylke) came in 2003; the 1992 original lacks it
    assert full_kb.node("lov/1992-06-26-87/§3/ledd/1/bokstav/d") is not None
    assert full_kb.document("lov/1992-06-26-87").origin == Origin.BUILTIN
    assert full_kb.node("lov/2018-06-22-83/§7-12") is not None  # added to kommuneloven after 2018
    # a consolidated import still answers with its text
    assert full_kb.document("lov/1967-02-10").origin == Origin.CONSOLIDATED


# Examples that cite law no longer in force: the import knows why, and says so as an input error.
REFUSED_WITH_IMPORT = {"vega-fiskerinemnd": "er opphevet"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_keep_their_verdict_with_the_full_import(path, builtin, full_kb):
    requests = load_request_file(path).requests
    assert requests
    for request in requests:
        before = check(request, builtin)
        after = check(request, full_kb)
        if path.stem in REFUSED_WITH_IMPORT:
            assert any(REFUSED_WITH_IMPORT[path.stem] in e.message for e in after.errors), after.errors
        else:
            assert not after.errors, after.errors
        assert after.verdict == before.verdict, (path.name, before.verdict, after.verdict)
