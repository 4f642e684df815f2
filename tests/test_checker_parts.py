"""A chapter or § is never more open than its parts.

Setting aside a whole chapter sets aside every § and ledd in it. If any part carries a limiting
tag (a right, a case-processing rule, basic kommunelov organisation …), a request for the whole
may never get a firm "hjemmel". Checked over every container in the built-in knowledge base.
"""

from __future__ import annotations

import pytest
from support.checking import check

from regelsjekk.check.provision import PART_LIMITS
from regelsjekk.core.model import NodeKind
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.request.model import Applicant, ApplicantKind, Exemption, Request


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def _request(citation: str) -> Request:
    return Request(tittel="Hele bestemmelsen", sokere=[Applicant(navn="Råde kommune",
                   type=ApplicantKind.KOMMUNE)], unntak=[Exemption(bestemmelser=[citation])])


def _containers_with_limited_parts(kb: KnowledgeBase):
    # The curated and built-in laws (not the catalogue of every law, whose tags are inferred).
    for doc in kb.rulebook.builtin_documents():
        for node in kb.nodes_of(doc.meta.id):
            if node.kind not in (NodeKind.CHAPTER, NodeKind.SECTION):
                continue
            own = {t.tag for t in kb.tags(node.id)}
            if own & PART_LIMITS:
                continue
            stack, below = list(kb.children(node.id)), set()
            while stack:
                child = stack.pop()
                below |= {t.tag for t in kb.tags(child.id)} & PART_LIMITS
                stack.extend(kb.children(child.id))
            if below:
                yield node.id


def test_whole_chapters_and_sections_are_never_more_open_than_their_parts(kb):
    checked = 0
    for node_id in _containers_with_limited_parts(kb):
        report = check(_request(node_id), kb)  # Lovdata ids are valid citations
        result = report.exemptions[0]
        assert not result.errors, (node_id, result.errors)
        assert result.provisions[0].id == node_id
        assert result.verdict.value != "hjemmel", node_id
        checked += 1
    assert checked > 20  # the curated laws have many mixed chapters; the test must see them


def test_the_part_that_limits_is_cited(kb):
    report = check(_request("sosialtjenesteloven kapittel 2"), kb)
    prov = report.exemptions[0].provisions[0]
    cited = {c for r in prov.reasons for c in r.cites}
    assert "lov/2009-12-18-131/§4" in cited  # the forsvarlighet right inside the chapter
    assert any("er en del av" in r.text for r in prov.reasons)
