"""`lookup()` and `regelsjekk slå-opp`: what guidance staff see, on the built-in knowledge base
and (when the import engineer's ``full_kb`` fixture is available) on a full import."""

from __future__ import annotations

import json
from datetime import date

import pytest

from regelsjekk.cli.main import main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.lookup.provisions import IMPORT_TEXT_HINT, lookup

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def test_lookup_shows_heading_tags_with_provenance_and_link(kb):
    result = lookup("opplæringslova § 29-3", kb, today=TODAY)
    assert result.found and result.resolution.ok
    (p,) = result.provisions
    assert p.id == "lov/2023-06-09-30/§29-3"
    assert p.heading == "Forsøksverksemd"
    assert p.citation == "opplæringslova § 29-3"
    assert p.url == "https://lovdata.no/lov/2023-06-09-30/§29-3"
    tags = {t.tag: t for t in p.tags}
    assert "egen_forsokshjemmel" in tags
    assert tags["egen_forsokshjemmel"].source == "kuratert"
    assert tags["egen_forsokshjemmel"].rule and "opplaeringslova.yaml" in tags["egen_forsokshjemmel"].rule
    assert result.document and result.document.in_force == "i kraft"


def test_lookup_without_import_says_how_to_get_the_text(kb):
    result = lookup("kommuneloven § 19-1 annet ledd", kb, today=TODAY)
    (p,) = result.provisions
    assert p.text is None and IMPORT_TEXT_HINT in result.hints
    assert p.path[0] == "Kommuneloven" and any("kapittel 19" in s for s in p.path)


def test_lookup_of_a_document_lists_its_contents(kb):
    result = lookup("forsøksloven", kb, today=TODAY)
    (p,) = result.provisions
    assert p.kind == "dokument"
    assert [c.label for c in p.children][:3] == ["§ 1", "§ 2", "§ 3"]


def test_lookup_reports_the_ambiguity_of_forvaltningsloven(kb):
    result = lookup("forvaltningsloven § 17", kb, today=TODAY)
    assert result.provisions[0].id == "lov/1967-02-10/§17"
    assert result.resolution.ambiguous and result.resolution.alternatives == ["lov/2025-06-20-81"]


def test_lookup_of_a_law_only_in_the_catalogue(kb):
    """Every current law resolves on a fresh machine: straffeloven is not curated, but the
    catalogue knows its §§ (no text, and it says where the structure comes from)."""
    result = lookup("straffeloven § 16", kb, today=TODAY)
    assert result.found and result.resolution.ids == ["lov/2005-05-20-28/§16"]
    assert not result.provisions[0].text
    assert "Katalogen over gjeldende lover" in (result.document.in_force_basis or "")


# -- the command ----------------------------------------------------------------------------------


def run(capsys, tmp_path, *argv: str) -> tuple[int, str]:
    code = main(["--db", str(tmp_path / "ingen.sqlite"), *argv])
    return code, capsys.readouterr().out


def test_cli_prints_the_provision(capsys, tmp_path):
    code, out = run(capsys, tmp_path, "slå-opp", "kl.", "§", "19-1", "(3)")
    assert code == 0
    assert "lov/2018-06-22-83/§19-1/ledd/3" in out
    assert "https://lovdata.no/lov/2018-06-22-83/§19-1" in out


def test_cli_ascii_alias_and_json(capsys, tmp_path):
    code, out = run(capsys, tmp_path, "sla-opp", "--json", "fvl. §§ 24 og 25")
    assert code == 0
    data = json.loads(out)
    assert data["resolution"]["ids"] == ["lov/1967-02-10/§24", "lov/1967-02-10/§25"]
    assert [p["heading"] for p in data["provisions"]] == ["(når enkeltvedtak skal grunngis).",
                                                          "(begrunnelsens innhold)."]


def test_cli_unknown_provision_is_an_input_error(capsys, tmp_path):
    code, out = run(capsys, tmp_path, "slå-opp", "kommuneloven § 2-30")
    assert code == 2
    assert "§ 2-30 finnes ikke i kommuneloven" in out


def test_cli_suggests_names(capsys, tmp_path):
    code, out = run(capsys, tmp_path, "slå-opp", "kommunestyreloven § 5-1")
    assert code == 2
    assert "Mente du" in out and "kommuneloven § 5-1" in out


# -- on a full import -------------------------------------------------------------------------------


_SELECTION: dict[str, KnowledgeBase] = {}


@pytest.fixture
def imported(request, tmp_path_factory):
    """The shared full import when tests/conftest.py offers it, else the 33-law selection
    (imported once per process)."""
    try:
        return request.getfixturevalue("full_kb")
    except pytest.FixtureLookupError:
        pass
    if "kb" not in _SELECTION:
        from regelsjekk.core.paths import shared_lovdata_dir
        from regelsjekk.lovdata.load import Source, run_import

        archive = shared_lovdata_dir() / "gjeldende-lover-utvalg.tar.bz2"
        if not archive.exists():
            pytest.skip(f"mangler {archive}")
        db = tmp_path_factory.mktemp("refs_import") / "kb.sqlite"
        run_import([Source(archive)], db, workers=1)
        _SELECTION["kb"] = KnowledgeBase.open(db)
    return _SELECTION["kb"]


@pytest.mark.slow
def test_lookup_on_full_import_shows_text_and_references(imported):
    result = lookup("forvaltningsloven § 17 første ledd", imported, today=TODAY)
    assert result.found, result.resolution.messages
    (p,) = result.provisions
    assert p.id == "lov/1967-02-10/§17/ledd/1"
    assert p.text and "forvaltningsorganet" in p.text.lower()
    assert IMPORT_TEXT_HINT not in result.hints
    whole = lookup("fvl. § 2", imported, today=TODAY).provisions[0]
    assert whole.references_in_total > 0  # § 2 (definitions) is cited elsewhere in the act
    assert all(r.in_kb for r in whole.references_in)


@pytest.mark.slow
def test_free_text_on_full_import(imported):
    from regelsjekk.refs import resolve_all

    found = resolve_all("Etter forvaltningsloven § 11 a, jf. § 12, og husleieloven § 9-5 tredje ledd",
                        imported, today=TODAY)
    assert [r.ids for _c, r in found] == [["lov/1967-02-10/§11a"], ["lov/1967-02-10/§12"],
                                          ["lov/1999-03-26-17/§9-5/ledd/3"]]


def test_title_index_is_built_once_per_data_and_rules_version(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """The names of every document are read once and kept on disk (a CLI call used to spend
    seconds on them with an import); a rules edit builds them again."""
    import os
    import shutil

    from regelsjekk.core import paths
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.refs import index as index_module
    from regelsjekk.refs import resolve_citation

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    builds = []
    real_init = index_module.TitleIndex.__init__
    monkeypatch.setattr(index_module.TitleIndex, "__init__",
                        lambda self, *a: builds.append(1) or real_init(self, *a))
    first = resolve_citation("kl. § 19-1", KnowledgeBase.builtin(rules))
    again = resolve_citation("kl. § 19-1", KnowledgeBase.builtin(rules))
    assert len(builds) == 1 and first.ids == again.ids == ["lov/2018-06-22-83/§19-1"]
    assert list((tmp_path / "cache" / "regelsjekk" / "navn").glob("*.pickle"))
    aliases = rules / "aliases.yaml"
    aliases.write_text(aliases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(aliases, ns=(1, 1))
    resolve_citation("kl. § 19-1", KnowledgeBase.builtin(rules))
    assert len(builds) == 2
