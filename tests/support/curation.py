"""Helpers shared by the curation tests (tests/test_curation_*.py).

They read tags the way the checker does (KnowledgeBase.tags) and insist that a node's tags are
curated, so a rule that silently falls back to inference or to uavklart fails the test.
"""

from __future__ import annotations

import functools

import yaml

from regelsjekk.core.model import EffectiveTag, NodeKind, Tag, TagSource
from regelsjekk.core.paths import rules_dir
from regelsjekk.kb.knowledge import KnowledgeBase


def sections(kb: KnowledgeBase, parent_id: str) -> list[str]:
    """All § ids under a document, part or chapter (chapters may sit under parts)."""
    out: list[str] = []
    for child in kb.children(parent_id):
        if child.kind == NodeKind.SECTION:
            out.append(child.id)
        elif child.kind in (NodeKind.PART, NodeKind.CHAPTER):
            out.extend(sections(kb, child.id))
    return out


def curated_effective(kb: KnowledgeBase, node_id: str) -> list[EffectiveTag]:
    """The node's effective tags; fails when it is uavklart or any tag is only inferred."""
    found = kb.tags(node_id)
    assert found, f"{node_id} er uavklart"
    assert all(t.assignment.source == TagSource.CURATED for t in found), node_id
    return found


def curated_tags(kb: KnowledgeBase, node_id: str) -> set[Tag]:
    """The tags of curated_effective, as a set."""
    return {t.tag for t in curated_effective(kb, node_id)}


@functools.cache
def law_file(name: str, doc_id: str) -> dict:
    """rules/lover/<name> as plain YAML (read once per process); it must be about doc_id."""
    data = yaml.safe_load((rules_dir() / "lover" / name).read_text(encoding="utf-8"))
    assert data["dokument"] == doc_id, name
    return data
