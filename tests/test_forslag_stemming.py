"""The Norwegian analysis behind `forslag`: stems, nynorsk forms, compounds, stop words, motives."""

from __future__ import annotations

import pytest

from regelsjekk.forslag.stemming import (
    STOPWORDS,
    Decompounder,
    content_words,
    normalise,
    phrase_stems,
    stem,
    weighted_content_words,
)


@pytest.mark.parametrize("forms", [
    ["skole", "skolen", "skoler", "skolene", "skule", "skulen", "skular", "skulane"],
    ["kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "kommunens"],
    ["karakter", "karakteren", "karakterer", "karakterane"],
    ["vurdering", "vurderinga", "vurderingen", "vurdere", "vurderes"],
    ["fravær", "fraværet", "fråvær", "fråveret"],
    ["myndighet", "myndigheten", "myndigheit", "myndigheita"],
    ["tjeneste", "tjenesten", "tjenester", "teneste", "tenesta", "tenester"],
    ["statsforvalter", "statsforvalteren", "statsforvaltar", "statsforvaltaren"],
    ["vedtak", "vedtaket", "vedtakene", "vedtaka"],
    ["lege", "legen", "leger", "legane"],
    ["rettighet", "rettigheten", "rettigheter", "rettighetene"],
    ["gravplass", "gravplassen", "gravplassene"],
])
def test_inflections_and_nynorsk_forms_share_a_stem(forms: list[str]) -> None:
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


@pytest.mark.parametrize("a, b", [
    ("fastlege", "fast"),       # Snowball's "-leg" rule would make these one stem
    ("vedtak", "vedta"),
    ("omsorgsbolig", "omsorg"),
    ("styre", "stor"),
])
def test_different_words_keep_different_stems(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_nynorsk_adjectives_fold_but_the_noun_lege_does_not() -> None:
    assert normalise("forsvarleg") == "forsvarlig"
    assert normalise("fagleg") == "faglig"
    assert normalise("fastlege") == "fastlege"
    assert normalise("helsetenesta") == "helsetjenesta"


def test_compounds_split_into_known_parts() -> None:
    vocab = {stem(w) for w in "oppgave fellesskap skole fravær vedtak myndighet leder "
             "oppvekst regler lege kommune styre".split()}
    d = Decompounder(vocab)
    assert d.parts("oppgavefellesskapet") == (stem("oppgave"), stem("fellesskap"))
    assert d.parts("skolefraværet") == (stem("skole"), stem("fravær"))
    assert d.parts("vedtaksmyndigheten") == (stem("vedtak"), stem("myndighet"))
    assert d.parts("oppvekstlederen") == (stem("oppvekst"), stem("leder"))
    assert d.parts("kommunestyret") == (stem("kommune"), stem("styre"))
    # A linking -s- before a known word is enough even when the head is unknown.
    assert d.parts("fartsreglene") == ("fart", stem("regler"))


def test_short_or_unknown_parts_do_not_split() -> None:
    d = Decompounder({stem(w) for w in "søk for skap".split()})
    assert d.parts("forsøk") == ()
    assert d.parts("barnehage") == ()


def test_stop_words_and_idea_boilerplate_are_dropped() -> None:
    words = content_words("Vi ønsker å prøve et forsøk der kommunen får gjøre dette raskere")
    assert words == ["kommunen"]
    assert {"og", "ikkje", "ønskjer", "dei"} <= STOPWORDS


def test_purpose_and_cause_clauses_weigh_less() -> None:
    weighted = dict(weighted_content_words(
        "For å få budsjettet i balanse vil vi innføre tak på timer, så vi slipper venteliste.",
        0.5))
    assert weighted["budsjettet"] == weighted["balanse"] == 0.5
    assert weighted["tak"] == weighted["timer"] == 1.0
    assert weighted["venteliste"] == 0.5
    plain = dict(weighted_content_words("Kommunen vil selv bestemme fartsgrensene.", 0.5))
    assert set(plain.values()) == {1.0}


def test_phrase_stems_skip_stop_words() -> None:
    assert phrase_stems("myndighet til å avgjøre") == (stem("myndighet"), stem("avgjøre"))
    assert phrase_stems("og") == ()


@pytest.mark.parametrize("forms", [
    ("helsestasjon", "helsestasjonen", "helsestasjonene", "helsestasjoner"),
    ("institusjon", "institusjonen", "institusjonar", "institusjonane"),
])
def test_sjon_nouns_keep_their_stem(forms: tuple[str, ...]) -> None:
    # "-sjonen" was once cut as a whole ending: "helsestasjonen" became "helsesta" and never met
    # "helsestasjon".
    assert len({stem(f) for f in forms}) == 1


@pytest.mark.parametrize("nynorsk,bokmal", [
    ("folkerøystinga", "folkeavstemningen"), ("veljarane", "velgerne"), ("fleirtalet", "flertallet"),
    ("mindretalet", "mindretallet"), ("utvalet", "utvalget"), ("innbyggjarane", "innbyggerne"),
    ("sjukehuset", "sykehuset"), ("eigedomsskatten", "eiendomsskatten"), ("brukarane", "brukerne"),
    ("røysterett", "stemmerett"), ("einskildvedtak", "enkeltvedtak"), ("tilskotet", "tilskuddet"),
])
def test_nynorsk_words_of_municipal_language_meet_bokmal(nynorsk: str, bokmal: str) -> None:
    assert stem(nynorsk) == stem(bokmal)


@pytest.mark.parametrize("word", ["mindretall", "utvalg", "utvalget", "flertall"])
def test_bokmal_words_are_not_bent_by_the_nynorsk_rules(word: str) -> None:
    assert normalise(word) == word
