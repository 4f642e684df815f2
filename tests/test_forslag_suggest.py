"""`suggest()` on the built-in knowledge base: what a suggestion carries, and why it was ranked."""

from __future__ import annotations

import pytest

from regelsjekk.core.model import Tag
from regelsjekk.forslag.index import FORSOKSLOVEN, TAG_FACTOR, index_for, section_of
from regelsjekk.forslag.suggest import Suggestion, analyse, suggest
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import format_citation

KL = "lov/2018-06-22-83"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def test_the_issue_example_finds_the_task_community_rules(kb: KnowledgeBase) -> None:
    found = suggest("vi vil at fire små kommuner skal drive én felles legetjeneste som kan "
                    "fatte vedtak for alle sammen", kb, limit=10)
    ids = [s.node_id for s in found]
    assert f"{KL}/§19-1" in ids  # kommunalt oppgavefellesskap (no enkeltvedtak)
    assert f"{KL}/§5-4" in ids  # delegating decisions to another legal subject


def test_a_suggestion_explains_itself(kb: KnowledgeBase) -> None:
    s = suggest("Vi vil prøve vurdering uten karakterer på 8. trinn", kb, limit=3)[0]
    assert isinstance(s, Suggestion)
    # the grading rule itself lives in opplæringsforskrifta § 9-3 (karakterar), made under § 2-3
    assert s.node_id in ("lov/2023-06-09-30/§2-3", "forskrift/2024-06-03-900/§9-3")
    assert s.citation == format_citation(s.node_id, kb) in ("opplæringslova § 2-3",
                                                              "opplæringsforskrifta § 9-3")
    assert s.url.startswith("https://lovdata.no/")
    assert "karakterer" in s.matched
    assert s.matched_in and set(s.matched_in) <= {"overskrift", "sammendrag", "stikkord",
                                                   "begrunnelse", "lovtekst", "kapittel"}
    assert "individuell_rettighet" in s.tags
    assert s.tag_labels and all(lbl[0].isupper() for lbl in s.tag_labels)
    assert s.reason.startswith("Treff på «") and s.reason.endswith(".")
    assert "\n" not in s.reason


def test_matched_words_come_from_the_description(kb: KnowledgeBase) -> None:
    text = "Planavdelingen vil endre og oppheve gamle reguleringsplaner med kortere høring"
    words = set(text.lower().split())
    for s in suggest(text, kb):
        assert set(s.matched) <= words, s.matched


def test_synonyms_are_shown_as_concepts(kb: KnowledgeBase) -> None:
    # "fylkesmannen" is the old name; the laws say "statsforvalteren" (rules/synonymer.yaml).
    query = analyse("fylkesmannen skal ikke føre tilsyn med barnehagene", index_for(kb))
    term = query.terms[next(s for s in query.terms if s.startswith("statsforvalt"))]
    assert any("≈" in c for c in term.concepts)
    found = suggest("fylkesmannen skal ikke føre tilsyn med barnehagene", kb, limit=5)
    assert any(any("fylkesmannen ≈" in c for c in s.concepts) for s in found)


def test_nynorsk_description_finds_the_same_provisions(kb: KnowledgeBase) -> None:
    bokmal = [s.node_id for s in suggest("Vi vil ha felles barnevernstjeneste og tilsette "
                                         "leder uten mastergrad", kb, limit=5)]
    nynorsk = [s.node_id for s in suggest("Vi vil ha felles barnevernsteneste og tilsetje "
                                          "leiar utan mastergrad", kb, limit=5)]
    assert "lov/2021-06-18-97/§15-6" in bokmal
    assert "lov/2021-06-18-97/§15-6" in nynorsk


def test_deterministic_and_limited(kb: KnowledgeBase) -> None:
    text = "Kommunen vil slippe å rapportere tjenestedata til staten hvert år"
    first = [s.model_dump() for s in suggest(text, kb, limit=7)]
    second = [s.model_dump() for s in suggest(text, kb, limit=7)]
    assert first == second
    assert len(first) == 7
    scores = [s["score"] for s in first]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("text", ["", "   ", "og i på", "vi ønsker å prøve"])
def test_nothing_to_search_for_gives_nothing(kb: KnowledgeBase, text: str) -> None:
    assert suggest(text, kb) == []


def test_only_current_sections_outside_forsoksloven_are_candidates(kb: KnowledgeBase) -> None:
    index = index_for(kb)
    assert index.units and all(section_of(u.id) == u.id for u in index.units)
    assert not any(u.doc_id == FORSOKSLOVEN for u in index.units)
    repealed = kb.rulebook.repealed
    assert not any(u.id in repealed for u in index.units)


def test_prior_prefers_obstacles_over_purpose_sections(kb: KnowledgeBase) -> None:
    index = index_for(kb)
    prior = {u.id: u.prior for u in index.units}
    assert prior[f"{KL}/§1-1"] == pytest.approx(TAG_FACTOR[Tag.FORMAL_DEFINISJON])  # formål
    assert prior[f"{KL}/§19-1"] == pytest.approx(TAG_FACTOR[Tag.ORGANISERING])
    assert prior[f"{KL}/§28-3"] > 1.0  # state approval of loans
    assert prior[f"{KL}/§31-1"] < 1.0  # ikrafttredelse
    assert prior["lov/2023-06-09-30/§29-3"] < 1.0  # the education act's own trial authority


def test_purpose_section_loses_to_the_rule_itself(kb: KnowledgeBase) -> None:
    found = [s.node_id for s in suggest("kommunalt selvstyre og lokaldemokrati: folkevalgte "
                                        "skal kunne delegere vedtak", kb, limit=10)]
    assert f"{KL}/§1-1" not in found[:3]


def test_synonym_groups_are_usable(kb: KnowledgeBase) -> None:
    """Every group in rules/synonymer.yaml has two or more members that carry content words."""
    from regelsjekk.forslag.stemming import phrase_stems

    groups = kb.rulebook.synonyms()
    assert len(groups) >= 50
    for g in groups:
        assert len(g) >= 2, g
        assert all(phrase_stems(m) for m in g), g


def test_stikkord_make_a_section_findable_by_the_words_people_use(tmp_path) -> None:  # noqa: ANN001
    """A word that is only in a §'s stikkord (rules/lover/*.yaml) finds that §, says so in the
    reason, and shows up in lookup; without the stikkord the word finds nothing there."""
    from _rules_kit import make_rules

    from regelsjekk.lookup.provisions import lookup

    rules = make_rules(tmp_path / "rules")
    law = rules / "lover" / "testloven.yaml"
    idea = "Vi vil at helsestasjonen skal drives sammen med nabokommunen"
    before = suggest(idea, KnowledgeBase.builtin(rules), limit=10)
    assert "lov/2000-01-01-1/§2-3" not in [s.node_id for s in before]

    law.write_text(law.read_text(encoding="utf-8")
                   + "stikkord:\n  lov/2000-01-01-1/§2-3: [helsestasjon, jordmor]\n",
                   encoding="utf-8")
    kb2 = KnowledgeBase.builtin(rules)
    top = suggest(idea, kb2, limit=3)[0]
    assert top.node_id == "lov/2000-01-01-1/§2-3"
    assert "helsestasjonen" in top.matched and "stikkord" in top.matched_in
    assert "stikkordene" in top.reason
    view = lookup("lov/2000-01-01-1/§2-3", kb2).provisions[0]
    assert view.keywords == ["helsestasjon", "jordmor"]


def test_the_index_is_built_once_and_rebuilt_when_rules_change(tmp_path, monkeypatch) -> None:
    """Issue 14: the index is cached on disk, keyed by rules/, the store and the code."""
    import os
    import shutil

    from regelsjekk.core import paths
    from regelsjekk.forslag import index as index_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    builds = []
    real_build = index_module.build_index
    monkeypatch.setattr(index_module, "build_index", lambda kb: builds.append(1) or real_build(kb))
    first = suggest("vurdering uten karakterer", KnowledgeBase.builtin(rules), limit=5)
    again = suggest("vurdering uten karakterer", KnowledgeBase.builtin(rules), limit=5)
    assert len(builds) == 1 and [s.node_id for s in again] == [s.node_id for s in first]
    assert list((tmp_path / "cache" / "regelsjekk" / "forslag").glob("*.pickle"))
    synonyms = rules / "synonymer.yaml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(synonyms, ns=(1, 1))  # a changed file, whatever the clock's resolution
    suggest("vurdering uten karakterer", KnowledgeBase.builtin(rules), limit=5)
    assert len(builds) == 2


def test_a_loaded_index_ranks_exactly_as_the_built_one() -> None:
    """The index is stored compact (packed postings, derived idf and vocabulary) so a CLI call
    loads it in milliseconds; loaded from a pickle it must rank every idea of every evaluation
    set exactly as the index built in memory: the same §§, scores, matched words and fields."""
    import pickle

    from regelsjekk.forslag import index as index_module
    from regelsjekk.forslag.evaluate import load_sets

    kb = KnowledgeBase.builtin()
    built = index_module.build_index(kb)
    loaded = pickle.loads(pickle.dumps(built))
    ideas = [idea for ideas in load_sets().values() for idea in ideas]
    assert len(ideas) > 100
    for idea in ideas:
        a = [(s.node_id, s.score, s.matched, s.concepts, s.matched_in)
             for s in _ranked(idea.description, kb, built)]
        b = [(s.node_id, s.score, s.matched, s.concepts, s.matched_in)
             for s in _ranked(idea.description, kb, loaded)]
        assert a == b, idea.id
    # What the compact form must keep: a part posted through a linking -s- is no word of the
    # vocabulary (it must not make the decompounder split query words differently).
    assert built._posted_only and all(s not in loaded.vocabulary for s in built._posted_only)  # noqa: SLF001


def _ranked(description: str, kb: KnowledgeBase, index) -> list[Suggestion]:  # noqa: ANN001
    from unittest import mock

    from regelsjekk.forslag import suggest as suggest_module

    with mock.patch.object(suggest_module, "index_for", lambda _kb: index):
        return suggest(description, kb)
