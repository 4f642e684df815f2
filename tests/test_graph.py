"""The knowledge base graph built from rules/ alone (the import's graph: test_check_graph.py)."""

from __future__ import annotations


def test_trial_authority_coverage_is_in_the_builtin_graph():
    """rules/hjemler.yaml's coverage becomes edges 'forsokshjemmel' (no import needed)."""
    from regelsjekk.kb.graph import covered_by
    from regelsjekk.kb.knowledge import KnowledgeBase

    g = KnowledgeBase.builtin().graph
    assert covered_by(g, "lov/1996-06-07-32") == ["lov/1996-06-07-32/§29"]
    assert covered_by(g, "lov/2018-06-22-83") == []
