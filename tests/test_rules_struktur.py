"""The built-in structure (rules/struktur) is generated from the normalised JSON and up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from regelsjekk.core.paths import shared_lovdata_dir

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import struktur  # noqa: E402


def test_headings_parse() -> None:
    assert struktur.parse_part("Første del. Generelle bestemmelser") == ("1", "Generelle bestemmelser")
    assert struktur.parse_part("Sjuande del – forskjellige reglar") == ("7", "forskjellige reglar")
    assert struktur.parse_part("Del IX. Avsluttende bestemmelser") == ("IX", "Avsluttende bestemmelser")
    assert struktur.parse_part("I. Innledende bestemmelser") is None
    assert struktur.parse_chapter("Kapittel 19. Interkommunale politiske råd") == (
        "19", "Interkommunale politiske råd")
    assert struktur.parse_chapter("Kapittel 2A. Noe") == ("2A", "Noe")
    assert struktur.parse_chapter("Kapittel 1 Formål og virkeområde") == ("1", "Formål og virkeområde")
    assert struktur.parse_chapter("Kap. IV. Fører av kjøretøy m.m.") == ("IV", "Fører av kjøretøy m.m.")
    assert struktur.parse_chapter("Kapitel I. Om ferdsel m.v.") == ("I", "Om ferdsel m.v.")
    assert struktur.parse_chapter("Kapittel V A. Behandling av opplysninger") == (
        "VA", "Behandling av opplysninger")
    assert struktur.parse_chapter("Kapittel I Innledning") == ("I", "Innledning")
    assert struktur.section_number("§ 4 a") == "4a"
    assert struktur.section_number("§ 19-1") == "19-1"
    assert struktur.section_number("document") is None


def test_build_counts_ledd_and_keeps_no_text() -> None:
    doc = {"lovdata_refid": "lov/2000-01-01-1", "short_title": "Testloven – tl", "title": "Lov om test",
           "sections": [
               {"provision_ref": "§ 1", "heading": "Formål", "path": ["Kapittel 1. Innledning"],
                "text": "Første ledd.\nAndre ledd:a) ettb) to"},
               {"provision_ref": "§ 2", "heading": "Opphevet", "path": ["Kapittel 1. Innledning"],
                "text": "– – –"}]}
    data, warnings = struktur.build(doc, {"bokstaver": {"§1/ledd/2": ["a", "b"]}})
    assert warnings == []
    assert data["dokument"]["korttittel"] == "Testloven" and data["dokument"]["forkortelse"] == "tl"
    assert data["noder"] == [
        {"id": "kapittel/1", "tittel": "Innledning"},
        {"id": "§1", "tittel": "Formål", "under": "kapittel/1", "ledd": 2,
         "punkter": {"ledd/2": {"bokstav": ["a", "b"]}}},
        {"id": "§2", "tittel": "Opphevet", "under": "kapittel/1", "opphevet": True},
    ]
    assert "ledd." not in struktur.render(data)


@pytest.mark.slow
def test_generated_files_are_up_to_date() -> None:
    archive = shared_lovdata_dir() / struktur.ARCHIVE_NAME
    if not archive.exists():
        pytest.skip(f"{archive} mangler")
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "struktur.py"), "--sjekk",
                             "--kilde", str(archive)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
