"""Status in time: repeal read from the text, curated successions, and no provision that is not law
answered as current (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from regelsjekk.core.model import DocState, Origin, RefKind
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.kb.status import in_force_dates
from regelsjekk.lovdata.repeal import repealed_by, repealed_in
from regelsjekk.refs import resolve_citation
from support.checking import TODAY

ARKIV92 = "lov/1992-12-04-126"
ARKIV25 = "lov/2025-06-20-96"


# -- reading repeal from the text ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Lov 1. juni 1934 nr. 1 om foreningsregister oppheves.", ["lov/1934-06-01-1"]),
    ("Fra den tid loven trer i kraft, oppheves lov 12. november 1954 nr. 1 om styret i herreder.",
     ["lov/1954-11-12-1"]),
    ("Frå same tid vert lov 26. mars 1999 nr. 14 om skatt oppheva.", ["lov/1999-03-26-14"]),
    ("Forskriften gjelder fra 1. januar 1991. Fra samme tidspunkt oppheves forskrift av "
     "17. november 1989 nr. 1165 om x.", ["forskrift/1989-11-17-1165"]),
    # a part of a law, not the law
    ("I lov 24. juni 1933 nr. 8 om havnevesenet oppheves § 41,3. ledd.", []),
    ("§ 16-3 første ledd siste punktum oppheves.", []),
    ("Lov 5. juni 1981 nr. 49 om planlegging § 4 annet ledd oppheves.", []),
    # no repeal at all
    ("Lov 1. juni 1934 nr. 1 om foreningsregister skal lyde:", []),
    # a text noting its own repeal names the repealing act, which is not the repealed one
    ("Loven oppheves ved lov 20 juni 2025 nr. 81 (i kraft fra den tiden Kongen bestemmer).", []),
])
def test_whole_documents_repealed_in_a_text(text, expected):
    assert [doc for doc, _ in repealed_in(text)] == expected


def test_a_consolidated_text_names_the_act_that_repeals_it():
    found = repealed_by("Loven oppheves ved lov 20 juni 2025 nr. 81 (i kraft fra den tiden "
                        "Kongen bestemmer).")
    assert [act for act, _ in found] == ["lov/2025-06-20-81"]
    assert repealed_by("Lov 1. juni 1934 nr. 1 oppheves.") == []


@pytest.mark.parametrize(("raw", "dates", "king"), [
    ("2019-11-01", [date(2019, 11, 1)], False),
    ("2023-12-20, 2024-01-01, Kongen bestemmer", [date(2023, 12, 20), date(2024, 1, 1)], True),
    ("Kongen fastset", [], True),
    ("0000-00-00", [], False),  # seen in old metadata: no date, not an error
    (None, [], False),
])
def test_in_force_dates(raw, dates, king):
    assert in_force_dates(raw) == (dates, king)


# -- the built-in knowledge base -------------------------------------------------------------------


def test_builtin_laws_are_in_force_and_say_on_what_data():
    kb = KnowledgeBase.builtin()
    st = kb.status("lov/2018-06-22-83/§19-1", TODAY)
    assert st.state == DocState.I_KRAFT and "rules/struktur" in st.basis and "2026" in st.basis
    # the new forvaltningsloven is curated in rules/ but waits for the King
    st = kb.status("lov/2025-06-20-81/§17", TODAY)
    assert st.state == DocState.IKKE_ENNA and "Kongen bestemmer" in st.basis
    res = resolve_citation("nye forvaltningsloven § 17", kb, today=TODAY)
    assert not res.ok and res.ids == ["lov/2025-06-20-81/§17"]


def test_curated_successions_load_and_point_somewhere_else():
    kb = KnowledgeBase.builtin()
    laws = kb.rulebook.time.laws
    assert laws["lov/1998-07-17-61"].new == "lov/2023-06-09-30"
    assert all(s.new != s.old for s in laws.values())
    assert kb.rulebook.time.sections["lov/1992-09-25-107/§8"].new == ["lov/2018-06-22-83/§5-6"]


@pytest.mark.parametrize(("text", "instead"), [
    # the curated name, with or without «av», and the formal citation: a § with a curated mapping
    ("kommuneloven 1992 § 6", "kommuneloven § 5-3"),
    ("kommuneloven av 1992 § 8", "kommuneloven § 5-6"),
    ("lov 25. september 1992 nr. 107 § 6", "kommuneloven § 5-3"),
    # a § without a mapping: the successor law
    ("kommuneloven 1992 § 10", "kommuneloven (lov/2018-06-22-83)"),
    ("opplæringslova 1998 § 2-1", "opplæringslova (lov/2023-06-09-30)"),
])
def test_a_repealed_law_the_store_has_no_text_of_is_an_error_naming_its_successor(text, instead):
    """rules/tid.yaml knows these laws are repealed, and what took over, even where neither the
    built-in base nor an import has their text (red-team case: «kommuneloven 1992 § 10» was
    «no law by that name», and lov/1992-09-25-107 «not in the knowledge base — import»)."""
    kb = KnowledgeBase.builtin()
    res = resolve_citation(text, kb, today=TODAY)
    assert not res.ok and res.status is not None and res.status.state == DocState.OPPHEVET
    assert "er opphevet" in res.messages[0] and f"Tilsvarende regel: {instead}" in res.messages[0]
    assert not any("regelsjekk import" in m for m in res.messages)  # importing would not help


@pytest.mark.parametrize(("as_of", "state", "words"), [
    # after the list of current laws rules/ was curated against: repealed, as above
    (date(2026, 5, 2), DocState.OPPHEVET, "er opphevet"),
    # before it, the curated repeal has no date: the 1992 law may still have applied then
    (date(2015, 1, 1), DocState.UKJENT, "kan regelsjekk ikke avgjøre"),
    (date(2026, 5, 1), DocState.UKJENT, "kan regelsjekk ikke avgjøre"),
    # before the law was passed (the date in its id)
    (date(1980, 1, 1), DocState.IKKE_ENNA, "vedtatt 25.9.1992"),
])
def test_an_undated_curated_repeal_is_not_read_back_into_the_past(as_of, state, words):
    """--dato 2015-01-01 said «kommuneloven 1992 … er opphevet (per 1.1.2015)»: rules/tid.yaml
    knows the law is gone from the list of current laws (2.5.2026), not since when."""
    kb = KnowledgeBase.builtin()
    assert kb.list_date() == date(2026, 5, 2)
    res = resolve_citation("kommuneloven 1992 § 6", kb, today=as_of)
    assert not res.ok and res.status is not None and res.status.state == state
    assert words in res.messages[0]
    if state == DocState.UKJENT:  # today's rule is named as today's, not as the rule back then
        assert "Tilsvarende regel i dag: kommuneloven § 5-3" in res.messages[0]
    assert not any("regelsjekk import" in m for m in res.messages)  # importing would not help


def test_a_report_for_an_earlier_date_says_the_curation_is_todays():
    """--dato reads each provision's status in time, but tags, trial authorities and approvers
    are curated against the law of the list date: the report must not pass them off as the law
    of 2022."""
    from support.checking import dsl_request

    from regelsjekk.check.checker import check

    kb = KnowledgeBase.builtin()
    request = dsl_request("kommuneloven § 5-3")
    then = check(request, kb, today=date(2022, 1, 1))
    assert "ikke justert til 1.1.2022" in then.data and "per 2.5.2026" in then.data
    assert "ikke justert" not in check(request, kb, today=TODAY).data


# -- with the shared archives imported ------------------------------------------------------------


@pytest.mark.slow
def test_no_document_that_is_not_law_is_answered_as_current(full_kb):
    """Walk every document in the store: 'current' only where the data vouches for it, and every
    document that is not current is refused when cited."""
    current_sources = {Origin.CONSOLIDATED, Origin.BUILTIN}
    curated_current = full_kb.rulebook.time.current
    refused = checked = 0
    for meta in full_kb.documents():
        st = full_kb.status(meta.id, TODAY)
        assert st is not None and st.basis and st.edge, meta.id
        if st.state.current:
            # vouched for by the consolidated text, rules/, or Lovdata's list of current law
            # with its in-force date (a law the store has only as promulgated)
            listed = full_kb.listed_current(meta.id)
            assert meta.origin in current_sources or meta.id in curated_current or (
                listed is not None and in_force_dates(listed.date_in_force)[0]), (meta.id, st)
            dates, king = in_force_dates(meta.date_in_force)
            assert not dates or dates[0] <= TODAY, (meta.id, st)
        else:
            # Every 25th (deterministic) through the resolver, as a request would cite it.
            checked += 1
            if checked % 25 == 0:
                res = resolve_citation(f"https://lovdata.no/{meta.id}", full_kb, today=TODAY)
                assert not res.ok and res.status is not None, (meta.id, res.messages)
                refused += 1
    assert refused > 500


@pytest.mark.slow
def test_a_law_the_store_has_only_as_promulgated_is_current_when_lovdatas_list_says_so(full_kb):
    """personopplysningsloven (lov/2018-06-15-38) is in the archives only as promulgated («fra den
    tid Kongen bestemmer»); Lovdata's list of current law has it in force from 20.7.2018. It was
    «ikke i kraft ennå» with the import and «i kraft» without (red-team round 2, k23)."""
    meta = full_kb.document("lov/2018-06-15-38")
    assert meta is not None and meta.origin == Origin.LOVTIDEND
    st = full_kb.status("lov/2018-06-15-38/§1", TODAY)
    assert st.state == DocState.I_KRAFT and "Lovdatas liste over gjeldende lover" in st.basis
    assert resolve_citation("personopplysningsloven § 1", full_kb, today=TODAY).ok
    # a law on the list but not yet in force stays so (the list's own date decides)
    assert full_kb.status("lov/2025-06-20-40", TODAY).state == DocState.IKKE_ENNA


@pytest.mark.slow
def test_repeal_read_from_the_text_has_a_date_and_a_successor(full_kb):
    before = full_kb.status(ARKIV92, date(2025, 6, 1))
    assert before.state == DocState.I_KRAFT
    after = full_kb.status(f"{ARKIV92}/§6", TODAY)
    assert after.state == DocState.OPPHEVET and after.since == "2026-01-01"
    assert after.successors == [ARKIV25]
    assert after.edge.startswith("opphever: lov/2025-06-20-96")
    kinds = {r.kind for r in full_kb.references_from(ARKIV92)}
    assert RefKind.SUCCEEDED_BY in kinds


@pytest.mark.slow
def test_planned_repeal_keeps_the_law_in_force_and_says_so(full_kb):
    st = full_kb.status("lov/1967-02-10/§28", TODAY)
    assert st.state == DocState.I_KRAFT and "Vedtatt opphevet ved" in st.basis
    assert "lov/2025-06-20-81" in st.basis


@pytest.mark.slow
@pytest.mark.parametrize(("text", "words"), [
    ("lov 11. juni 1982 nr. 42 § 6", ["er opphevet", "Kuratert"]),
    ("lov 20. juni 2025 nr. 40 § 44", ["ikke i kraft ennå", "Kongen bestemmer"]),
    ("lov 4. desember 1992 nr. 126 § 6", ["opphevet fra 1.1.2026", "Tilsvarende regel: arkivlova"]),
    ("lov 8. juni 1984 nr. 62", ["kan ikke sjekkes som gjeldende rett", "Norsk Lovtidend"]),
])
def test_citing_what_is_not_law_is_an_input_error_naming_why(full_kb, text, words):
    res = resolve_citation(text, full_kb, today=TODAY)
    assert not res.ok and res.status is not None
    for word in words:
        assert word in res.messages[0], res.messages


@pytest.mark.slow
def test_dato_on_the_command_line(full_store):
    env = {**os.environ, "REGELSJEKK_DB": str(full_store)}
    cmd = [sys.executable, "-m", "regelsjekk.cli.main", "slå-opp", "lov 4. desember 1992 nr. 126 § 6",
           "--uten-tekst", "--json"]
    now = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert now.returncode == 2, now.stderr
    out = json.loads(now.stdout)
    assert out["resolution"]["status"]["state"] == "opphevet"
    assert "Tilsvarende regel" in out["resolution"]["messages"][0]
    then = subprocess.run([*cmd, "--dato", "2025-06-01"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert then.returncode == 0, then.stdout
    out = json.loads(then.stdout)
    assert out["resolution"]["ok"] and out["document"]["in_force"] == "i kraft"
    assert "konsolidert" in out["document"]["in_force_basis"]
    bad = subprocess.run([*cmd, "--dato", "2025-13-01"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert bad.returncode != 0 and "ÅÅÅÅ-MM-DD" in bad.stderr


def test_every_lookup_shows_status_basis_and_data_date(capsys):
    from regelsjekk.cli.main import main

    code = main(["slå-opp", "kommuneloven § 19-1", "--uten-tekst", "--dato", "2026-01-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Status per 1.1.2026: i kraft." in out and "rules/struktur" in out
    assert "Data: Innebygd kunnskapsbase" in out
    code = main(["slå-opp", "nye forvaltningsloven § 17", "--uten-tekst", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2 and data["data"].startswith("Innebygd") and data["as_of"]
    assert data["resolution"]["status"]["state"] == "ikke_i_kraft_ennå"


def test_repeal_candidates_are_the_words_the_full_text_index_would_match(full_store):
    """The repeal pass reads its candidate texts without the full-text index (which is built
    beside it: lovdata.fulltext.SideIndex): exactly the nodes the index finds for oppheve* /
    oppheva* / opphevast / opphevest — not «oppheving», not «gjenopphevet»."""
    import sqlite3

    from regelsjekk.lovdata.repeal import _CANDIDATE

    con = sqlite3.connect(full_store)
    indexed = {nid for (nid,) in con.execute(
        "SELECT rowid FROM node_fts WHERE node_fts MATCH "
        "'text: (oppheve* OR oppheva* OR opphevast OR opphevest)'")}
    read = {nid for nid, text in con.execute(
        "SELECT nid, text FROM nodes WHERE text LIKE '%opphev%'") if _CANDIDATE.search(text)}
    assert len(indexed) > 1000 and read == indexed
    assert not _CANDIDATE.search("oppheving av loven") and not _CANDIDATE.search("gjenopphevet")
    assert _CANDIDATE.search("Loven OPPHEVES.") and _CANDIDATE.search("vert opphevast")


def test_repeals_read_beside_the_post_pass_are_those_read_from_the_store(full_store, tmp_path):
    """A fresh import reads repeals in a forked child from the rows it has just written
    (repeal.rows_in_memory); an import into an existing store reads them from the store
    (find_repeals without `found`). Both must give the same edges, in the same order."""
    import shutil
    import sqlite3

    from regelsjekk.lovdata.repeal import DERIVED, find_repeals
    from regelsjekk.lovdata.summary import Summary

    copy = tmp_path / "kb.sqlite"
    shutil.copyfile(full_store, copy)
    con = sqlite3.connect(copy, isolation_level=None)
    query = "SELECT source, target, kind, text, doc_id FROM refs WHERE derived = ? ORDER BY rowid"
    imported = con.execute(query, (DERIVED,)).fetchall()
    con.execute("BEGIN")
    find_repeals(con, Summary(db_path=str(copy)))
    assert len(imported) > 500 and con.execute(query, (DERIVED,)).fetchall() == imported
    con.execute("ROLLBACK")
