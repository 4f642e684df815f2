"""The evaluation sets (tests/forslag/*.yaml) and floors on recall, so regressions fail.

Three sets (regelsjekk.forslag.evaluate.SETS): "utvikling" (ideer.yaml) has been looked at while
ranking and rules/ were improved; "kontroll" (ideer_kontroll.yaml) was written blind and measured
once before its misses were seen; "kontroll2" (ideer_kontroll2.yaml) was written blind after the
last change and is the honest measure. The floors are what the current code
reaches on the built-in knowledge base, minus a margin for curation changes in rules/ (new
rationales and stikkord move rankings a little both ways). The figures themselves are printed by
bench/forslag.py. Nothing here or in the code knows the gold ids.
"""

from __future__ import annotations

import pytest

from regelsjekk.core.ids import doc_of
from regelsjekk.forslag.evaluate import baseline_ranker, evaluate, load_sets

pytestmark = pytest.mark.evaluation

# Measured 2026-11-22 with bench/forslag.py (README, "From an idea to provisions"): built-in
# recall@10 / @5 and full import @10 were utvikling 0.917 / 0.875 / 0.917, kontroll 0.856 / 0.656 /
# 0.856, kontroll2 0.829 / 0.743 / 0.886. The floors sit about five points lower.
FLOORS = {  # set -> (built-in recall@10, built-in recall@5, full import recall@10)
    "utvikling": (0.86, 0.82, 0.86),
    "kontroll": (0.80, 0.60, 0.80),
    "kontroll2": (0.77, 0.69, 0.83),
    # Measured once 2026-12-07 (issue 14), provisions and routes together, after the forskrifter
    # and the routes came in and before anyone looked at its misses: 0.731 / 0.69 / 0.748.
    "kontroll3": (0.68, 0.64, 0.70),
}

REQUIRED_AREAS = {"organisering", "oppgavefordeling", "statlig_kontroll", "skole",
                  "helse_omsorg", "planlegging", "rettigheter"}
SETS = load_sets()


@pytest.fixture(scope="module")
def kb():  # noqa: ANN201
    from regelsjekk.kb.knowledge import KnowledgeBase

    return KnowledgeBase.builtin()


def test_every_set_exists() -> None:
    assert set(SETS) == {"utvikling", "kontroll", "kontroll2", "kontroll3"}


# kontroll3 (issue 14) lies outside the municipal core on purpose: state agencies, Nav, elections,
# forskrifter, sector trial authorities; its own areas, and gold that is partly outside what the
# curated base holds (5 of 103: skatteforvaltningsloven, two forskrifter and selvkjørende
# kjøretøy are only in the catalogue: they resolve, but forslag does not propose catalogue
# provisions), which its floors take into account.
OUTSIDE_CORE = {"kontroll3"}
KONTROLL3_AREAS = {"skole", "stat", "nav", "valg", "helse", "gravplass", "motorferdsel"}
KONTROLL3_NOT_BUILT_IN = 0  # 5 before the catalogue of every current law (issue 14)


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_set_is_big_and_broad_enough(name: str) -> None:
    ideas = SETS[name]
    assert len(ideas) >= 24
    assert (KONTROLL3_AREAS if name in OUTSIDE_CORE else REQUIRED_AREAS) <= {i.area for i in ideas}
    for idea in ideas:
        assert idea.gold, idea.id
        assert len(idea.description.split()) >= 8, f"{idea.id}: skriv ideen som en kommune ville"
        assert idea.source, idea.id
    if name in OUTSIDE_CORE:
        assert sum(bool(i.routes) for i in ideas) >= 20  # ideas with a route to find
        return
    # Drawn from the forsøksordning (2023–) and from historic vedtekter, not only invented. All
    # ten 2024 selections are in the first set, so the blind set has fewer of them.
    assert sum("Forsøksordningen" in i.source for i in ideas) >= 2
    assert sum("Historisk" in i.source for i in ideas) >= 3


def test_no_idea_is_in_both_sets() -> None:
    ids = [i.id for ideas in SETS.values() for i in ideas]
    assert len(set(ids)) == len(ids)
    texts = [i.description for ideas in SETS.values() for i in ideas]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_gold_provision_exists_in_the_builtin_knowledge_base(kb, name: str) -> None:  # noqa: ANN001
    missing = [(i.id, g) for i in SETS[name] for g in i.gold if kb.node(g) is None]
    assert len(missing) == (KONTROLL3_NOT_BUILT_IN if name in OUTSIDE_CORE else 0), missing


@pytest.mark.parametrize("name", sorted(SETS))
def test_recall_floor_on_the_builtin_knowledge_base(kb, name: str) -> None:  # noqa: ANN001
    result = evaluate(kb, SETS[name])
    misses = {r.idea.id: [g for g in r.idea.gold if g not in r.found_at(10)]
              for r in result.results if r.recall(10) < 1}
    floor10, floor5, _ = FLOORS[name]
    assert result.recall(10) >= floor10, misses
    assert result.recall(5) >= floor5, misses


@pytest.mark.parametrize("name", sorted(SETS))
def test_forslag_beats_plain_text_search(kb, name: str) -> None:  # noqa: ANN001
    ours = evaluate(kb, SETS[name])
    plain = evaluate(kb, SETS[name], baseline_ranker)
    assert ours.recall(10) > plain.recall(10) + 0.3


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_with_every_shared_archive_imported(full_kb, name: str) -> None:  # noqa: ANN001
    ideas = SETS[name]
    missing = [(i.id, g) for i in ideas for g in i.gold if full_kb.node(g) is None]
    assert len(missing) <= (KONTROLL3_NOT_BUILT_IN if name in OUTSIDE_CORE else 0), missing
    result = evaluate(full_kb, ideas)
    assert result.recall(10) >= FLOORS[name][2]
    # Suggestions come from current law only: no Lovtidend-only or local documents.
    for r in result.results:
        for node_id in r.ranked:
            meta = full_kb.document(doc_of(node_id))
            assert meta is not None and not meta.local, node_id
