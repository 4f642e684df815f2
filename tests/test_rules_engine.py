"""The rulebook's tag semantics: inheritance, nearest level wins, curated beats inferred,
inferred is never high confidence; and the built-in knowledge base it provides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from _rules_kit import TESTLOVEN, make_rules

from regelsjekk.core.model import Confidence, Document, Node, NodeKind, Tag, TagSource
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.sources import MemorySource
from regelsjekk.rules.rulebook import load_rulebook

T = TESTLOVEN


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase.builtin(make_rules(tmp_path / "rules"))


def tags(kb: KnowledgeBase, node_id: str) -> dict[Tag, tuple[TagSource, str | None]]:
    return {t.tag: (t.assignment.source, t.inherited_from) for t in kb.tags(node_id)}


def test_tags_are_inherited_downwards(kb: KnowledgeBase) -> None:
    assert tags(kb, f"{T}/§1-2/ledd/2") == {
        Tag.FORMAL_DEFINISJON: (TagSource.CURATED, f"{T}/kapittel/1")}
    assert tags(kb, f"{T}/§2-2") == {
        Tag.INDIVIDUELL_RETTIGHET: (TagSource.CURATED, f"{T}/kapittel/2"),
        Tag.RETTSSIKKERHET: (TagSource.CURATED, f"{T}/kapittel/2")}


def test_nearest_level_wins_wholly(kb: KnowledgeBase) -> None:
    # § 2-3 has its own entry: the chapter's rights tags do not reach it.
    assert tags(kb, f"{T}/§2-3") == {Tag.ORGANISERING: (TagSource.CURATED, None)}
    assert tags(kb, f"{T}/§2-3/ledd/1") == {Tag.ORGANISERING: (TagSource.CURATED, f"{T}/§2-3")}
    # A ledd override wins over the chapter only for that ledd.
    assert set(tags(kb, f"{T}/§2-1/ledd/3")) == {Tag.OPPGAVEFORDELING}
    assert set(tags(kb, f"{T}/§2-1/ledd/1")) == {Tag.INDIVIDUELL_RETTIGHET, Tag.RETTSSIKKERHET}
    assert set(tags(kb, f"{T}/§2-1")) == {Tag.INDIVIDUELL_RETTIGHET, Tag.RETTSSIKKERHET}


def test_curated_bokstav_is_added_under_its_ledd(kb: KnowledgeBase) -> None:
    node_id = f"{T}/§2-1/ledd/2/bokstav/b"
    node = kb.node(node_id)
    assert node is not None and node.kind == NodeKind.BOKSTAV
    assert node.parent_id == f"{T}/§2-1/ledd/2"
    assert node_id in kb.rulebook.synthetic_nodes
    assert tags(kb, node_id) == {Tag.INDIVIDUELL_PLIKT: (TagSource.CURATED, None)}


def test_assignment_carries_rule_reference_and_review_date(kb: KnowledgeBase) -> None:
    [ledd3] = kb.tags(f"{T}/§2-1/ledd/3")
    a = ledd3.assignment
    assert a.rule.file == "lover/testloven.yaml" and a.rule.key == "tagger[3]" and a.rule.line == 15
    assert a.reviewed == date(2026, 2, 1)  # entry's own date overrides the file's
    [org] = kb.tags(f"{T}/§2-3")
    assert org.assignment.reviewed == date(2026, 1, 15)
    assert org.assignment.rationale.startswith("Hvordan kommunen")


def test_inferred_tags_where_nothing_is_curated(kb: KnowledgeBase) -> None:
    [hit] = kb.tags(f"{T}/§3-1")  # heading "Straff", nobody curated chapter 3
    assert hit.tag == Tag.STRAFF
    assert hit.assignment.source == TagSource.INFERRED
    assert hit.assignment.confidence == Confidence.MEDIUM
    assert hit.assignment.pattern == "straffes"
    assert hit.assignment.rule.file == "inferens.yaml"
    # A ledd without text or heading borrows its §'s inference, and says so.
    [inherited] = kb.tags(f"{T}/§3-1/ledd/1")
    assert inherited.tag == Tag.STRAFF and inherited.inherited_from == f"{T}/§3-1"


def test_uavklart_when_nothing_matches(kb: KnowledgeBase) -> None:
    assert kb.tags(f"{T}/§3-2") == []


def _with_text(kb: KnowledgeBase, texts: dict[str, str]) -> KnowledgeBase:
    """The same rules over an 'imported' copy of the law whose §§ carry text."""
    nodes = [n.model_copy(update={"text": texts.get(n.id)}) for n in kb.nodes_of(T)]
    imported = MemorySource([Document(meta=kb.document(T), nodes=nodes)])
    return KnowledgeBase([imported, *kb.sources], kb.rulebook)


def test_curated_beats_inferred(kb: KnowledgeBase) -> None:
    full = _with_text(kb, {f"{T}/§2-3": "Alle innbyggere har rett til å bli hørt, og straffes ikke."})
    assert tags(full, f"{T}/§2-3") == {Tag.ORGANISERING: (TagSource.CURATED, None)}


def test_inference_reads_statute_text_when_imported(kb: KnowledgeBase) -> None:
    full = _with_text(kb, {f"{T}/§3-2": "Den enkelte har rett til et tilbud."})
    [hit] = full.tags(f"{T}/§3-2")
    assert hit.tag == Tag.INDIVIDUELL_RETTIGHET and hit.assignment.source == TagSource.INFERRED
    assert "har rett til" in hit.assignment.matched_text
    assert kb.tags(f"{T}/§3-2") == []  # the built-in knowledge base is unchanged (cache per kb)


def test_inference_reads_the_text_of_the_ledd(kb: KnowledgeBase) -> None:
    # As imported from Lovdata: the § has no text of its own, its ledd do.
    full = _with_text(kb, {f"{T}/§3-2/ledd/1": "Kommunen fører register.",
                           f"{T}/§3-2/ledd/2": "Overtredelse straffes med bøter."})
    assert {t.tag for t in full.tags(f"{T}/§3-2")} == {Tag.STRAFF}
    [own] = full.tags(f"{T}/§3-2/ledd/2")
    assert own.tag == Tag.STRAFF and own.inherited_from is None
    assert full.tags(f"{T}/§3-2/ledd/1") == []  # its own text decides
    # A node without any text of its own borrows its §'s hint, and says so.
    partial = _with_text(kb, {f"{T}/§3-2/ledd/2": "Overtredelse straffes med bøter."})
    [borrowed] = partial.tags(f"{T}/§3-2/ledd/1")
    assert borrowed.tag == Tag.STRAFF and borrowed.inherited_from == f"{T}/§3-2"


def test_exception_pattern_suppresses_a_hit(kb: KnowledgeBase) -> None:
    full = _with_text(kb, {f"{T}/§3-2": "Kommunen kan organisere dette, men salg er forbudt."})
    assert full.tags(f"{T}/§3-2") == []


def test_inferred_is_never_high_confidence(kb: KnowledgeBase) -> None:
    from regelsjekk.core.model import RuleRef
    from regelsjekk.rules.inference import InferenceHit

    hit = InferenceHit(Tag.STRAFF, Confidence.HIGH, "test", "p", "straffes", RuleRef(file="x"))
    assert kb.rulebook._inferred_assignment("n", hit).confidence == Confidence.MEDIUM


def test_inferred_is_never_high_confidence_in_the_real_rules() -> None:
    kb = KnowledgeBase.builtin()
    seen = 0
    for meta in kb.documents():
        for node in kb.nodes_of(meta.id):
            if node.kind != NodeKind.SECTION:
                continue
            for t in kb.rulebook.inferred_tags(node.id, kb):
                seen += 1
                assert t.assignment.confidence != Confidence.HIGH
                assert t.assignment.source == TagSource.INFERRED
    assert seen > 100


def test_unknown_node_falls_back_to_id_ancestry(kb: KnowledgeBase) -> None:
    # Not in the built-in structure (an import might have it): tags follow the id's parents.
    assert set(tags(kb, f"{T}/§2-1/ledd/9")) == {Tag.INDIVIDUELL_RETTIGHET, Tag.RETTSSIKKERHET}


def test_summaries_are_laid_over_nodes(kb: KnowledgeBase) -> None:
    assert kb.node(f"{T}/§2-1").summary.startswith("Kommunen skal tilby")
    assert kb.rulebook.summaries() == {
        f"{T}/§2-1": "Kommunen skal tilby tjenesten til alle som trenger den."}


def test_repealed_section_has_no_ledd(kb: KnowledgeBase) -> None:
    assert kb.node(f"{T}/§3-3") is not None
    assert kb.children(f"{T}/§3-3") == []


def test_load_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    rules = make_rules(tmp_path / "rules")
    first = load_rulebook(rules)
    assert load_rulebook(rules) is first
    path = rules / "lover" / "testloven.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    assert load_rulebook(rules) is not first


# -- the real rules/ -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> KnowledgeBase:
    return KnowledgeBase.builtin()


FL = "lov/1992-06-26-87"


@pytest.mark.parametrize("node_id", [
    *(f"{FL}/§{n}" for n in range(1, 9)),
    *(f"{FL}/§3/ledd/1/bokstav/{b}" for b in "abcd"),
    *(f"{FL}/§4/ledd/1/bokstav/{b}" for b in "abc"),
    f"{FL}/§3/ledd/2", f"{FL}/§3/ledd/3", f"{FL}/§4/ledd/2", f"{FL}/§5/ledd/2",
])
def test_forsoksloven_nodes_exist(real: KnowledgeBase, node_id: str) -> None:
    assert real.node(node_id) is not None
    assert node_id not in real.rulebook.synthetic_nodes  # generated, not added by a curated file


def test_every_tag_is_defined_and_cites_forsoksloven(real: KnowledgeBase) -> None:
    for tag in Tag:
        d = real.rulebook.tag_definition(tag)
        assert d.ground_or_limit.startswith(FL + "/"), tag
        for cited in (d.ground_or_limit, *d.also_cites):
            if cited.startswith(FL):
                assert real.node(cited) is not None, (tag, cited)
        assert d.label and d.explanation and d.rule.file == "tags.yaml"
    assert real.rulebook.tag_definition("individuell_rettighet").direction_sensitive
    assert real.rulebook.tag_definition("organisering").effect == "tillatt"
    assert real.rulebook.tag_definition("rettssikkerhet").effect == "betinget"


def test_trial_authorities_exist_and_are_verified(real: KnowledgeBase) -> None:
    authorities = real.rulebook.trial_authorities()
    assert {a.provision for a in authorities} >= {
        "lov/2023-06-09-30/§29-3", "lov/2003-07-04-84/§2-5", "lov/2025-06-20-99/§20",
        "lov/2018-06-08-28/§40", "lov/2024-03-08-9/§17-1", "lov/2021-06-18-97/§15-13",
        "lov/2020-11-06-127/§38", "lov/1997-02-28-19/§25-13", "lov/1996-06-07-32/§29",
        "lov/2023-06-16-62/§21-1", "lov/2004-12-10-76/§12/ledd/3",
        "lov/2004-12-10-76/§13/ledd/4"}
    for a in authorities:
        assert real.node(a.provision) is not None, a.id
        assert a.law == a.provision.split("/§")[0]
        assert a.covers and a.approver and a.allows
    friends = {f.provision for f in real.rulebook.false_friends()}
    assert {"lov/2005-05-20-28/§16", "lov/2005-06-17-90/§5-4", "lov/2008-06-27-71/§16-8"} <= friends
    assert not friends & {a.provision for a in authorities}


def test_trial_conditions(real: KnowledgeBase) -> None:
    cond = real.rulebook.forsoksloven()
    assert (cond.max_years, cond.max_extension_years, cond.reform_extension) == (4, 2, True)
    assert [a.short for a in cond.approvers] == ["KDD", "DFD", "Kongen i statsråd"]
    # § 2 covers public administration only; every kind it covers has an approver
    assert "privat" not in cond.applicant_kinds
    assert {k for a in cond.approvers for k in a.applicants} == set(cond.applicant_kinds)
    ids = {c.id for c in cond.conditions}
    assert {"formal", "forsvarlig", "varighet", "erstatningsregler", "vedtak_i_kommunestyret",
            "horing", "godkjenning"} <= ids
    for c in cond.conditions:
        assert c.cites and c.rule.file == "forsoksloven.yaml"


def test_builtin_knowledge_base_has_the_listed_laws(real: KnowledgeBase) -> None:
    docs = {m.id for m in real.documents()}
    assert len(docs) >= 40
    assert {"lov/2018-06-22-83", "lov/1967-02-10", "lov/2025-06-20-81", FL} <= docs
    node = real.node("lov/2018-06-22-83/§19-1")
    assert node.heading and node.parent_id == "lov/2018-06-22-83/kapittel/19"
    assert real.node("lov/2018-06-22-83/kapittel/19").parent_id == "lov/2018-06-22-83/del/6"
    assert all(n.text is None for n in real.nodes_of(FL))  # never statute text
