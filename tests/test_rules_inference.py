"""Inference patterns (rules/inferens.yaml) on sentences written for the tests.

The sentences are our own, shaped like statute language; they pin what the patterns must catch
(rights, duties, case processing: missing one is the expensive mistake) and what they must not.
"""

from __future__ import annotations

import pytest

from regelsjekk.core import paths
from regelsjekk.core.model import Confidence, Tag
from regelsjekk.rules.rulebook import load_rulebook


@pytest.fixture(scope="module")
def infer():
    inferencer = load_rulebook(paths.rules_dir()).inferencer
    assert inferencer is not None
    return lambda text: {h.tag for h in inferencer.infer(text)}


@pytest.mark.parametrize("text, tag", [
    ("Barn som har fylt ett år, har rett til plass i barnehage.", Tag.INDIVIDUELL_RETTIGHET),
    ("Eleven skal ha rett til skyss når skolevegen er lang.", Tag.INDIVIDUELL_RETTIGHET),
    ("Elevane har rett til spesialundervisning.", Tag.INDIVIDUELL_RETTIGHET),  # nynorsk
    ("Pasienten har krav på informasjon om behandlingen.", Tag.INDIVIDUELL_RETTIGHET),
    ("Kommunen skal tilby den enkelte et botilbud.", Tag.INDIVIDUELL_RETTIGHET),
    ("Grunnskoleopplæringa skal vere gratis for elevane.", Tag.INDIVIDUELL_RETTIGHET),
    ("Foreldrene plikter å sørge for at barnet møter.", Tag.INDIVIDUELL_PLIKT),
    ("Den som mottar stønad, har plikt til å melde fra om endringer.", Tag.INDIVIDUELL_PLIKT),
    ("Vedtak om plass er enkeltvedtak.", Tag.RETTSSIKKERHET),
    ("Søkeren kan klage til statsforvalteren.", Tag.RETTSSIKKERHET),
    ("Forvaltningsloven gjelder for saker etter loven.", Tag.RETTSSIKKERHET),
    ("Tiltak med tvang kan bare brukes når vilkårene er oppfylt.", Tag.RETTSSIKKERHET),
    ("Den som overtrer forbudet, straffes med bøter.", Tag.STRAFF),
    ("Kommunen kan kreve gebyr for behandlingen.", Tag.SKATT_AVGIFT),
    ("Reglene skal tolkes i samsvar med EØS-avtalen.", Tag.OVERORDNET_RETT),
    ("Det er forbudt å kjøre motorvogn i utmark.", Tag.PRIVAT_ATFERD),
    ("Departementet fører tilsyn med at kommunen oppfyller pliktene.", Tag.STATLIG_KONTROLL),
    ("Statsforvalteren godkjenner planen.", Tag.STATLIG_KONTROLL),
    ("Fylkeskommunen har ansvar for tannhelsetjenesten.", Tag.OPPGAVEFORDELING),
    ("Kommunen skal organisere arbeidet slik den finner best.", Tag.ORGANISERING),
    ("Kommunestyret selv vedtar planen.", Tag.ORGANISERING),
    ("Lovens formål\nLoven skal bidra til gode tjenester.", Tag.FORMAL_DEFINISJON),
    ("Departementet kan gjøre tidsavgrensede unntak fra loven for pedagogiske forsøk.",
     Tag.EGEN_FORSOKSHJEMMEL),
])
def test_pattern_catches(infer, text: str, tag: Tag) -> None:
    assert tag in infer(text)


@pytest.mark.parametrize("text", [
    "Den som har forsett om et lovbrudd og forsøker å fullføre det, straffes for forsøk.",
    "Partene skal gjøre forsøk på å løse tvisten i minnelighet.",
])
def test_false_friends_are_no_trial_authority(infer, text: str) -> None:
    assert Tag.EGEN_FORSOKSHJEMMEL not in infer(text)


def test_neutral_text_gives_nothing(infer) -> None:
    assert infer("Loven trer i kraft fra den tid Kongen bestemmer.") <= {Tag.FORMAL_DEFINISJON}
    assert infer("Kommunevåpenet skal vise et motiv fra distriktet.") == set()


def test_no_pattern_is_high_confidence() -> None:
    inferencer = load_rulebook(paths.rules_dir()).inferencer
    assert all(p.confidence != Confidence.HIGH for p in inferencer.patterns)
    assert {p.tag for p in inferencer.patterns} >= {
        Tag.INDIVIDUELL_RETTIGHET, Tag.INDIVIDUELL_PLIKT, Tag.RETTSSIKKERHET, Tag.STRAFF,
        Tag.SKATT_AVGIFT, Tag.OVERORDNET_RETT, Tag.ORGANISERING, Tag.OPPGAVEFORDELING,
        Tag.STATLIG_KONTROLL}
