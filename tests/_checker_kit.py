"""A small, self-contained rules folder for the checker's unit tests.

Two invented laws ("testloven" and "sektorloven") with one § per tag, so each rule of the
decision procedure can be pinned without depending on how the real laws are curated. The
vocabulary (tags.yaml) and forsøksloven's conditions are the real ones: they are the contract.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from regelsjekk.core import paths
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.request.model import Applicant, Exemption, Period, Request

TEST_LAW = "lov/2000-01-01-1"
SECTOR_LAW = "lov/2000-01-02-2"

# § number -> (heading, tags or None, sikkerhet)
TEST_SECTIONS = {
    "1": ("Formål", ["formal_definisjon"], "høy"),
    "2": ("Interne organer", ["organisering"], "høy"),
    "3": ("Statens oppgaver", ["oppgavefordeling"], "høy"),
    "4": ("Godkjenning fra staten", ["statlig_kontroll"], "høy"),
    "5": ("Kommunestyret", ["kommunelov_grunnleggende"], "høy"),
    "6": ("Forhåndsvarsel", ["forvaltningslov_saksbehandling"], "høy"),
    "7": ("Klage på vedtak", ["rettssikkerhet"], "høy"),
    "8": ("Rett til tjeneste", ["individuell_rettighet"], "høy"),
    "9": ("Meldeplikt", ["individuell_plikt"], "høy"),
    "10": ("Forbud mot kjøring", ["privat_atferd"], "høy"),
    "11": ("EØS-krav", ["overordnet_rett"], "høy"),
    "12": ("Straff", ["straff"], "høy"),
    "13": ("Diverse", None, "høy"),
    "14": ("Arbeidsmåter", ["organisering"], "lav"),
    "15": ("Regionalt organ", ["enhetsfylke", "kommunelov_grunnleggende"], "høy"),
    "16": ("Utvalg", None, "høy"),  # inherits organisering from kapittel 2
    "17": ("Klagenemnd", ["rettssikkerhet"], "høy"),  # overrides kapittel 2
    "18": ("Tjenester", None, "høy"),  # untagged; our summary triggers inference
    "19": ("Gebyr", ["skatt_avgift"], "høy"),
    "20": ("Delegering", ["organisering", "individuell_rettighet"], "høy"),
}
SECTOR_SECTIONS = {
    "1": ("Skolens organisering", ["organisering"], "høy"),
    "2": ("Rett til opplæring", ["individuell_rettighet"], "høy"),
    "3": ("Timetall", None, "høy"),
    "4": ("Taushetsplikt", ["forvaltningslov_saksbehandling"], "høy"),
    "5": ("Skolepenger", ["skatt_avgift"], "høy"),
    "9": ("Forsøk", ["egen_forsokshjemmel"], "høy"),
}


def _struktur(doc: str, title: str, short: str, ministry: str, sections: dict) -> str:
    lines = ["dokument:", f"  id: {doc}", f"  tittel: {title}", f"  korttittel: {short}",
             "  forkortelse: null", "  departement:", f"  - {ministry}",
             "  ikrafttredelse: '2000-01-01'", "noder:"]
    if doc == TEST_LAW:
        lines.append('  - {"id": "kapittel/1", "tittel": "Alminnelige regler"}')
        lines.append('  - {"id": "kapittel/2", "tittel": "Organer"}')
    for num, (heading, _, _) in sections.items():
        under = ', "under": "kapittel/2"' if doc == TEST_LAW and int(num) in (16, 17) else (
            ', "under": "kapittel/1"' if doc == TEST_LAW else "")
        lines.append(f'  - {{"id": "§{num}", "tittel": "{heading}"{under}, "ledd": 2}}')
    return "\n".join(lines) + "\n"


def _curated(doc: str, name: str, sections: dict, extra: list[str] | None = None) -> str:
    lines = [f"dokument: {doc}", f"navn: {name}", "vurdert: 2026-11-01", "tagger:"]
    for num, (_, tags, conf) in sections.items():
        if tags:
            lines += [f"  - id: {doc}/§{num}", f"    tagger: [{', '.join(tags)}]",
                      f"    begrunnelse: Testbegrunnelse for § {num}.", f"    sikkerhet: {conf}"]
    lines += extra or []
    return "\n".join(lines) + "\n"


HJEMLER = f"""\
hjemler:
  - id: sektorloven-9
    bestemmelse: {SECTOR_LAW}/§9
    navn: sektorloven § 9 (forsøk)
    godkjenner: Sektordepartementet.
    tillater: Tidsavgrensede unntak fra sektorloven for pedagogiske forsøk.
    begrensninger:
      - Forsøket kan ikke svekke grunnleggende rettigheter.
    omfatter: [{SECTOR_LAW}]
    søkere: [kommune]
    formål:
      - id: pedagogisk
        tekst: Forsøket må være pedagogisk eller organisatorisk.
        spørsmål: Hva skal prøves ut?
        nøkkelord: [[pedagog, organis]]
    grenser:
      - id: grunnleggende_rettigheter
        type: ingen_innskrenking_rettigheter
        tekst: Forsøket kan ikke svekke grunnleggende rettigheter.
        kilde: {SECTOR_LAW}/§9
    sikkerhet: høy
    kontrollert: 2026-11-01
"""

INFERENS = """\
mønstre:
  - id: har-rett-til
    tag: individuell_rettighet
    mønster: '\\bhar\\s+rett\\s+til\\b'
    sikkerhet: middels
    begrunnelse: Teksten sier at noen har rett til noe.
"""


def build_rules(root: Path) -> Path:
    """Write the test rules folder under root and return it."""
    rules = root / "rules"
    (rules / "struktur").mkdir(parents=True)
    (rules / "lover").mkdir()
    real = paths.rules_dir()
    shutil.copy(real / "tags.yaml", rules / "tags.yaml")
    shutil.copy(real / "forsoksloven.yaml", rules / "forsoksloven.yaml")
    for name in ("lov_1992-06-26-87.yaml", "lov_1977-06-10-82.yaml"):
        shutil.copy(real / "struktur" / name, rules / "struktur" / name)
    (rules / "struktur" / "lov_2000-01-01-1.yaml").write_text(_struktur(
        TEST_LAW, "Lov om prøving av regelsjekk (testloven)", "Testloven",
        "Kommunal- og distriktsdepartementet", TEST_SECTIONS), encoding="utf-8")
    (rules / "struktur" / "lov_2000-01-02-2.yaml").write_text(_struktur(
        SECTOR_LAW, "Lov om sektoren (sektorloven)", "Sektorloven", "Sektordepartementet",
        SECTOR_SECTIONS), encoding="utf-8")
    kap2 = [f"  - id: {TEST_LAW}/kapittel/2", "    tagger: [organisering]",
            "    begrunnelse: Kapitlet gjelder kommunens egne organer.", "    sikkerhet: høy",
            "sammendrag:", f"  {TEST_LAW}/§18: Innbyggeren har rett til tjenester fra kommunen."]
    (rules / "lover" / "testloven.yaml").write_text(
        _curated(TEST_LAW, "Testloven", TEST_SECTIONS, kap2), encoding="utf-8")
    (rules / "lover" / "sektorloven.yaml").write_text(
        _curated(SECTOR_LAW, "Sektorloven", SECTOR_SECTIONS), encoding="utf-8")
    (rules / "hjemler.yaml").write_text(HJEMLER, encoding="utf-8")
    (rules / "inferens.yaml").write_text(INFERENS, encoding="utf-8")
    return rules


def make_kb(root: Path) -> KnowledgeBase:
    return KnowledgeBase.builtin(build_rules(root))


def request(*exemptions: Exemption, **fields) -> Request:
    """A complete, well-documented request around the given exemptions."""
    base = dict(
        tittel="Prøveforsøk", sokere=[Applicant(navn="Testby kommune", type="kommune")],
        formal="Prøve en ny måte å organisere tjenestene på.", mal=["organisering"],
        periode=Period(varighet_ar=4), enheter=1, enheter_begrunnelse="Én kommune holder.",
        evaluering="Ekstern evaluering.", reversibel=True, vedtak_kommunestyre=True, horing=True,
        unntak=list(exemptions))
    base.update(fields)
    return Request(**base)


def ex(*citations: str, **fields) -> Exemption:
    fields.setdefault("erstatning", "En ny regel gjelder i stedet.")
    fields.setdefault("virkning", "ingen")  # a complete request states the effect
    return Exemption(bestemmelser=list(citations), **fields)
