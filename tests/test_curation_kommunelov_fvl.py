"""Legal facts about kommuneloven and both forvaltningslover, pinned through the rulebook.

These tests read the tags the way the checker does (KnowledgeBase.builtin().tags), so a change
in rules/lover/{kommuneloven,forvaltningsloven,forvaltningsloven-2025}.yaml that flips a
forsøksloven verdict fails here. The slow test compares our files with the real statute text.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from support.curation import curated_tags as tags_of
from support.normalized import law_sections

from regelsjekk.core.model import NodeKind, Tag
from regelsjekk.kb.knowledge import KnowledgeBase

KL = "lov/2018-06-22-83"
FVL = "lov/1967-02-10"
FVL25 = "lov/2025-06-20-81"
DOCS = (KL, FVL, FVL25)
FILES = {KL: "lover/kommuneloven.yaml", FVL: "lover/forvaltningsloven.yaml",
         FVL25: "lover/forvaltningsloven-2025.yaml"}
FORSOKSLOVEN = "lov/1992-06-26-87"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def law(kb: KnowledgeBase, doc: str):
    [found] = [c for c in kb.rulebook.laws if c.file.dokument == doc]
    assert found.name == FILES[doc]
    return found


def entry(kb: KnowledgeBase, node_id: str):
    [found] = [e for e in law(kb, node_id.split("/§")[0].split("/kapittel")[0]).file.tagger
               if e.id == node_id]
    return found


# -- forvaltningsloven: case-processing rules block (forsøksloven § 4 første ledd bokstav b) ----

@pytest.mark.parametrize("node_id", [
    f"{FVL}/§24", f"{FVL}/§28", f"{FVL}/§28/ledd/2", f"{FVL}/§6", f"{FVL}/§11", f"{FVL}/§13",
    f"{FVL}/§16", f"{FVL}/§18", f"{FVL}/§25", f"{FVL}/§29", f"{FVL}/§35", f"{FVL}/§37",
    f"{FVL}/§41", f"{FVL}/§51",
    f"{FVL25}/§14", f"{FVL25}/§26", f"{FVL25}/§30", f"{FVL25}/§42", f"{FVL25}/§46",
    f"{FVL25}/§56", f"{FVL25}/§61", f"{FVL25}/§62", f"{FVL25}/§63", f"{FVL25}/§74",
    f"{FVL25}/§95",
])
def test_forvaltningsloven_case_processing_rules_block(kb: KnowledgeBase, node_id: str) -> None:
    assert Tag.FORVALTNINGSLOV_SAKSBEHANDLING in tags_of(kb, node_id)


def test_the_blocking_tag_rests_on_forsoksloven_4_b(kb: KnowledgeBase) -> None:
    definition = kb.rulebook.tag_definition(Tag.FORVALTNINGSLOV_SAKSBEHANDLING)
    assert definition.effect == "blokkert"
    assert definition.ground_or_limit == f"{FORSOKSLOVEN}/§4/ledd/1/bokstav/b"


@pytest.mark.parametrize("node_id", [
    f"{FVL}/§12", f"{FVL}/§16", f"{FVL}/§18", f"{FVL}/§21", f"{FVL}/§24", f"{FVL}/§28",
    f"{FVL}/§29", f"{FVL}/§36",
    f"{FVL25}/§18", f"{FVL25}/§42", f"{FVL25}/§46", f"{FVL25}/§54", f"{FVL25}/§56",
    f"{FVL25}/§61", f"{FVL25}/§63",
])
def test_party_rights_are_individual_rights(kb: KnowledgeBase, node_id: str) -> None:
    """Klagerett, innsynsrett, rett til begrunnelse: § 4 annet ledd as well as bokstav b."""
    tags = tags_of(kb, node_id)
    assert Tag.INDIVIDUELL_RETTIGHET in tags
    assert Tag.FORVALTNINGSLOV_SAKSBEHANDLING in tags


@pytest.mark.parametrize("node_id", [f"{FVL}/§1", f"{FVL}/§2", f"{FVL}/§3", f"{FVL25}/§2",
                                     f"{FVL25}/§7"])
def test_scope_and_definitions_keep_the_blocking_tag(kb: KnowledgeBase, node_id: str) -> None:
    """Redefining enkeltvedtak or the law's reach would change case processing: still blocked."""
    assert {Tag.FORMAL_DEFINISJON, Tag.FORVALTNINGSLOV_SAKSBEHANDLING} <= tags_of(kb, node_id)


@pytest.mark.parametrize("node_id", [f"{FVL}/§13", f"{FVL25}/§30", f"{FVL25}/§36"])
def test_confidentiality_is_a_duty_on_individuals(kb: KnowledgeBase, node_id: str) -> None:
    assert Tag.INDIVIDUELL_PLIKT in tags_of(kb, node_id)


def test_no_provision_of_either_forvaltningslov_is_open_without_a_blocking_tag(
        kb: KnowledgeBase) -> None:
    """Only §§ 86-87 of the 2025 act (state nemnd appointments) are organisation, and then only
    together with rettssikkerhet and at low confidence; nothing else gives a plain § 3 ground."""
    open_tags = {Tag.ORGANISERING, Tag.OPPGAVEFORDELING, Tag.STATLIG_KONTROLL}
    for doc in (FVL, FVL25):
        for node in kb.nodes_of(doc):
            if node.kind != NodeKind.SECTION:
                continue
            effective = kb.tags(node.id)
            tags = {t.tag for t in effective}
            if tags & open_tags:
                assert node.id in (f"{FVL25}/§86", f"{FVL25}/§87"), node.id
                assert Tag.RETTSSIKKERHET in tags
                assert all(t.assignment.confidence == "lav" for t in effective)


def test_new_forvaltningslov_rationale_matches_its_in_force_status(kb: KnowledgeBase) -> None:
    """When Lovdata gives the 2025 act a date in force, the 'ikke satt i kraft' notes must go."""
    meta = kb.document(FVL25)
    assert meta is not None
    rationale = entry(kb, f"{FVL25}/kapittel/1").begrunnelse or ""
    not_in_force = not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.date_in_force or "")
    assert ("ikke satt i kraft" in rationale) == not_in_force


# -- kommuneloven ------------------------------------------------------------------------------

def test_oppgavefellesskap_decision_authority_is_organisation(kb: KnowledgeBase) -> None:
    """§ 19-1 annet ledd: organisering (§ 3 a), as in the trials selected in 2024."""
    node_id = f"{KL}/§19-1/ledd/2"
    assert tags_of(kb, node_id) == {Tag.ORGANISERING}
    curated = entry(kb, node_id)
    sources = " ".join(curated.kilder)
    assert "2024" in sources and "Grong" in sources and "Vestvågøy" in sources
    assert kb.rulebook.tag_definition(Tag.ORGANISERING).effect == "tillatt"


@pytest.mark.parametrize("node_id", [
    f"{KL}/§5-1", f"{KL}/§5-3", f"{KL}/§5-3/ledd/1", f"{KL}/§5-5", f"{KL}/§5-6/ledd/1",
    f"{KL}/§5-7/ledd/2", f"{KL}/kapittel/14",
    f"{KL}/§7-4", f"{KL}/§7-6", f"{KL}/§11-9", f"{KL}/§13-1/ledd/1", f"{KL}/§14-2",
    f"{KL}/§22-1", f"{KL}/§23-1", f"{KL}/§10-1",
])
def test_basic_organisation_blocks(kb: KnowledgeBase, node_id: str) -> None:
    """Kommunestyret as highest body, elected bodies, elections, kommunedirektør (§ 4 a)."""
    tags = tags_of(kb, node_id)
    assert Tag.KOMMUNELOV_GRUNNLEGGENDE in tags
    assert Tag.ORGANISERING not in tags


def test_basic_organisation_rests_on_forsoksloven_4_a(kb: KnowledgeBase) -> None:
    definition = kb.rulebook.tag_definition(Tag.KOMMUNELOV_GRUNNLEGGENDE)
    assert definition.effect == "blokkert"
    assert definition.ground_or_limit == f"{FORSOKSLOVEN}/§4/ledd/1/bokstav/a"


@pytest.mark.parametrize("node_id", [
    f"{KL}/§5-7/ledd/1", f"{KL}/§5-10", f"{KL}/§5-14", f"{KL}/§6-1/ledd/4", f"{KL}/§9-8",
    f"{KL}/§11-7", f"{KL}/§13-1/ledd/6", f"{KL}/§14-6", f"{KL}/§17-1/ledd/1", f"{KL}/§20-2",
    f"{KL}/§25-1",
])
def test_internal_organisation_and_delegation_is_open(kb: KnowledgeBase, node_id: str) -> None:
    tags = tags_of(kb, node_id)
    assert Tag.ORGANISERING in tags
    assert Tag.KOMMUNELOV_GRUNNLEGGENDE not in tags


@pytest.mark.parametrize("node_id", [
    f"{KL}/§16-1", f"{KL}/§27-2", f"{KL}/§27-1/ledd/2", f"{KL}/§28-3", f"{KL}/§30-2",
    f"{KL}/§30-4", f"{KL}/§14-3/ledd/5",
])
def test_state_control_is_section_3_c(kb: KnowledgeBase, node_id: str) -> None:
    tags = tags_of(kb, node_id)
    assert Tag.STATLIG_KONTROLL in tags
    assert not tags & {Tag.KOMMUNELOV_GRUNNLEGGENDE, Tag.FORVALTNINGSLOV_SAKSBEHANDLING}


def test_legality_review_on_members_request_also_protects(kb: KnowledgeBase) -> None:
    assert tags_of(kb, f"{KL}/§27-1/ledd/1") == {Tag.STATLIG_KONTROLL, Tag.RETTSSIKKERHET}


def test_kostra_reporting_is_state_control_and_organisation(kb: KnowledgeBase) -> None:
    assert tags_of(kb, f"{KL}/§16-1") == {Tag.STATLIG_KONTROLL, Tag.ORGANISERING}


def test_habilitet_refers_to_forvaltningsloven_only_in_first_ledd(kb: KnowledgeBase) -> None:
    """§§ 11-10 and 13-3: the reference to fvl kap. II is § 4 b; the special rules are § 4 c."""
    for section in ("§11-10", "§13-3"):
        first = tags_of(kb, f"{KL}/{section}/ledd/1")
        second = tags_of(kb, f"{KL}/{section}/ledd/2")
        assert Tag.FORVALTNINGSLOV_SAKSBEHANDLING in first
        assert Tag.RETTSSIKKERHET in second
        assert Tag.FORVALTNINGSLOV_SAKSBEHANDLING not in second


@pytest.mark.parametrize("node_id", [f"{KL}/§20-5", f"{KL}/§20-6"])
def test_appeal_arrangements_in_vertskommune_are_rettssikkerhet(kb: KnowledgeBase,
                                                                node_id: str) -> None:
    assert Tag.RETTSSIKKERHET in tags_of(kb, node_id)


@pytest.mark.parametrize("node_id,tag", [
    (f"{KL}/§12-1", Tag.INDIVIDUELL_RETTIGHET),      # innbyggerforslag
    (f"{KL}/§11-5", Tag.INDIVIDUELL_RETTIGHET),      # møteoffentlighet
    (f"{KL}/§11-3/ledd/3", Tag.INDIVIDUELL_RETTIGHET),
    (f"{KL}/§8-2", Tag.INDIVIDUELL_RETTIGHET),       # fri fra arbeid
    (f"{KL}/§8-4", Tag.INDIVIDUELL_RETTIGHET),       # arbeidsgodtgjøring
    (f"{KL}/§7-2", Tag.INDIVIDUELL_PLIKT),           # plikt til å ta imot valg
    (f"{KL}/§8-1/ledd/1", Tag.INDIVIDUELL_PLIKT),    # møteplikt
    (f"{KL}/§15-1", Tag.INDIVIDUELL_PLIKT),          # selvkost caps fees
])
def test_rights_and_duties_of_individuals_are_marked(kb: KnowledgeBase, node_id: str,
                                                     tag: Tag) -> None:
    assert tag in tags_of(kb, node_id)


@pytest.mark.parametrize("node_id", [f"{KL}/§8-1/ledd/2", f"{KL}/§11-13", f"{KL}/§10-9"])
def test_rights_held_as_member_of_an_organ_are_not_personal_rights(kb: KnowledgeBase,
                                                                   node_id: str) -> None:
    """Møte-, tale- og forslagsrett and the organ's innsynsrett are powers of the office."""
    tags = tags_of(kb, node_id)
    assert Tag.KOMMUNELOV_GRUNNLEGGENDE in tags
    assert Tag.INDIVIDUELL_RETTIGHET not in tags


def test_mayoral_election_is_flagged_uncertain(kb: KnowledgeBase) -> None:
    """Direct mayoral elections were tried under forsøksloven (1999-2003): low confidence."""
    [effective] = kb.tags(f"{KL}/§6-2")
    assert effective.tag == Tag.KOMMUNELOV_GRUNNLEGGENDE
    assert effective.assignment.confidence == "lav"
    assert entry(kb, f"{KL}/§6-2").kilder


@pytest.mark.parametrize("node_id", [f"{KL}/§17-1/ledd/3", f"{KL}/§2-1"])
def test_superior_law_is_marked(kb: KnowledgeBase, node_id: str) -> None:
    assert Tag.OVERORDNET_RETT in tags_of(kb, node_id)


# -- completeness and hygiene -----------------------------------------------------------------

_RANK = {"info": 0, "tillatt": 1, "betinget": 2, "utenfor": 2, "blokkert": 3}


def _openness_rank(kb: KnowledgeBase, node_id: str) -> int:
    """How closed a node is: 0 info, 1 allowed, 2 conditional/outside/direction, 3 blocked."""
    rank = 0
    for t in kb.tags(node_id):
        d = kb.rulebook.tag_definition(t.tag)
        rank = max(rank, 2 if d.direction_sensitive else _RANK[d.effect])
    return rank


@pytest.mark.parametrize("doc", DOCS)
def test_no_chapter_or_section_is_more_open_than_its_parts(kb: KnowledgeBase, doc: str) -> None:
    """A request to set aside a whole chapter or § is read from that node's tags: it must not
    say "hjemmel" when one of its ledd is blocked (the nearest curated node wins wholly)."""
    too_open = []

    def walk(node_id: str) -> int:
        worst = 0
        for child in kb.children(node_id):
            worst = max(worst, walk(child.id), _openness_rank(kb, child.id))
        if kb.tags(node_id) and worst > _openness_rank(kb, node_id):
            too_open.append(node_id)
        return worst

    walk(doc)
    assert not too_open


@pytest.mark.parametrize("doc", DOCS)
def test_every_section_and_ledd_has_a_curated_tag(kb: KnowledgeBase, doc: str) -> None:
    sections = 0
    for node in kb.nodes_of(doc):
        if node.kind in (NodeKind.SECTION, NodeKind.LEDD, NodeKind.CHAPTER):
            tags_of(kb, node.id)
            sections += node.kind == NodeKind.SECTION
    assert sections == {KL: 187, FVL: 68, FVL25: 100}[doc]


@pytest.mark.parametrize("doc", DOCS)
def test_every_id_in_our_files_exists(kb: KnowledgeBase, doc: str) -> None:
    curated = law(kb, doc)
    for e in curated.file.tagger:
        assert kb.node(e.id) is not None, e.id
    for node_id in curated.summaries:
        assert kb.node(node_id) is not None, node_id
    assert not {n for n in kb.rulebook.synthetic_nodes if n.startswith(doc + "/")}


@pytest.mark.parametrize("doc,minimum", [(KL, 30), (FVL, 15), (FVL25, 15)])
def test_summaries_for_the_sections_municipalities_meet_most(kb: KnowledgeBase, doc: str,
                                                             minimum: int) -> None:
    summaries = law(kb, doc).summaries
    assert len(summaries) >= minimum
    bad = []
    for node_id, text in summaries.items():
        node = kb.node(node_id)
        assert node is not None and node.kind == NodeKind.SECTION, node_id
        assert node.summary == text
        if not 20 <= len(text) <= 200:
            bad.append((node_id, "lengde"))
        if text.rstrip(".").lower() == (node.heading or "").strip(" ().").lower():
            bad.append((node_id, "gjentar overskriften"))
    assert not bad


@pytest.mark.parametrize("doc", DOCS)
def test_every_entry_is_reasoned_and_reviewed(kb: KnowledgeBase, doc: str) -> None:
    curated = law(kb, doc)
    assert curated.file.vurdert <= date.today()
    thin = [e.id for e in curated.file.tagger
            if not e.begrunnelse or len(e.begrunnelse.split()) < 6]
    assert not thin, "for korte begrunnelser"
    for e in curated.file.tagger:
        if e.sikkerhet == "lav":  # say why it is uncertain: a source or the open question
            assert e.kilder or "uavklart" in (e.begrunnelse or ""), e.id


# -- against the statute text (shared archive) ------------------------------------------------

def _statute_texts() -> dict[str, list[dict]]:
    """The three laws' current sections from the normalised archive, streamed."""
    found = law_sections([KL, FVL, FVL25])
    assert set(found) == {KL, FVL, FVL25}
    return found


@pytest.mark.slow
def test_against_the_statute_text(kb: KnowledgeBase) -> None:
    """Our structure has exactly the §§ of the current law (our own words are checked for every
    curated law in tests/test_rules_own_words.py)."""
    for doc, sections in _statute_texts().items():
        refs = {s["provision_ref"].replace("§ ", "§").replace(" ", "") for s in sections}
        ours = {n.id.removeprefix(doc + "/") for n in kb.nodes_of(doc)
                if n.kind == NodeKind.SECTION}
        assert refs == ours, (doc, sorted(refs ^ ours))