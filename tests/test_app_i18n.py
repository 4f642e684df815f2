"""The app in nynorsk (sidebar «Språk / Målform»): one catalogue (regelsjekk/web/i18n.py), every
word of our pages switches; what the checker writes stays bokmål (README says so)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from support.apptest import page_strings

from regelsjekk.web import i18n

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["Start", "Sjekk idé", "Batch", "Oppslag", "Tidligere forsøk", "Kunnskapsbase"]
ID_19_1 = "lov/2018-06-22-83/§19-1/ledd/2"
# Bokmål forms whose nynorsk differs (nynorsk in brackets): none may be on a nynorsk page.
BOKMAL_ONLY = ("ikke",  # ikkje
               "hva", "hvem", "hvordan", "hvorfor", "hvilke",  # kva, kven, korleis, kvifor, kva
               "jeg", "dere", "noen", "noe",  # eg, de, nokre, noko
               "bestemmelse", "bestemmelser", "bestemmelsen", "bestemmelsene",  # føresegn(er/a/ene)
               "hjemmel", "hjemler", "forsøkshjemmel", "forsøkshjemler",  # heimel, heimlar
               "søker", "søkere",  # søkjar(ar)
               "velg", "fra", "åpne", "uten", "være", "hele", "flere", "bare",  # vel, frå, opne, utan, vere, heile, fleire, berre
               "tidligere", "begrunnelse", "virkning", "enheter", "tjenester",  # tidlegare, grunngjeving, verknad, einingar, tenester
               "filen", "siden", "adressen", "kilde", "sammendrag", "mulige", "veier",  # fila, sida, adressa, kjelde, samandrag, moglege, vegar
               "laster", "sjekker", "lager", "ble", "vises", "sjekkes", "lagres", "brukes")
_BOKMAL = re.compile(r"\b(?:" + "|".join(BOKMAL_ONLY) + r")\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def builtin_only(monkeypatch, tmp_path):
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "ingen.sqlite"))
    monkeypatch.delenv("REGELSJEKK_ADMIN", raising=False)


def _app(page: str, lang: str = "nn") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = page
    at.session_state[i18n.LANG_KEY] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _lower_layer_texts(at: AppTest) -> set[str]:
    """Texts that come from below the app, in bokmål by design: the knowledge base's data note and
    the library's coverage sentence (shown as they are), and the request text (a file format)."""
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.kb.trials import library
    from regelsjekk.web.common import for_users, md_escape

    kb = KnowledgeBase.builtin()
    texts = {md_escape(for_users(library(kb).coverage.sentence())), md_escape(kb.data_note())}
    texts |= {a.value for a in at.text_area if a.key is None}  # Søknadstekst: the request language
    return texts


def _bokmal_words(at: AppTest, lang: str = "nn") -> dict[str, list[str]]:
    skip = _lower_layer_texts(at) | {i18n.page_script(lang)}
    found: dict[str, list[str]] = {}
    for text in page_strings(at):
        if any(s and s in text for s in skip):
            continue
        for word in _BOKMAL.findall(text):
            found.setdefault(word.lower(), []).append(text[:120])
    return found


def test_the_catalogue_has_both_forms_with_the_same_placeholders():
    for key, forms in i18n.MESSAGES.items():
        assert isinstance(forms, tuple) and len(forms) == 2 and all(forms), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in forms]
        assert fields[0] == fields[1], key
        assert not _BOKMAL.search(forms[1]), (key, _BOKMAL.findall(forms[1]))
    for english, forms in i18n.STREAMLIT.items():
        assert len(forms) == 2 and all(forms), english


@pytest.mark.parametrize("page", PAGES)
def test_a_nynorsk_page_has_no_bokmal_only_words(page):
    at = _app(page)
    if page == "Sjekk idé":  # the form with a provision picked and a problem to report
        at.text_input(key="title").input("Felles legevakt").run()
        at.text_input(key="pick_query").input("kommuneloven § 19-1 annet ledd").run()
        next(b for b in at.button if b.label == "Legg til").click().run()
        next(b for b in at.button if b.label == "Sjekk skjemaet").click().run()
        assert any("Fyll inn minst éin søkjar" in e.value for e in at.error)
    if page == "Oppslag":
        at.text_input(key="lookup_query").input("xyzzy plugh").run()  # nothing found: our words only
        assert any("Ingen treff" in i.value for i in at.info)
    assert not at.exception, at.exception
    found = _bokmal_words(at)
    assert not found, found
    assert at.radio(key="side").options == ["Start", "Sjekk idé", "Batch", "Oppslag",
                                           "Tidlegare forsøk", "Kunnskapsbase"]


def test_nynorsk_labels_are_shown_and_bokmal_is_the_default():
    nn = _app("Sjekk idé")
    labels = {w.label for w in [*nn.text_input, *nn.text_area, *nn.selectbox, *nn.multiselect]}
    assert {"Søkjar(ar): éin per linje", "Føremål: kva vil de oppnå?", "Type søkjar"} <= labels
    assert [h.value for h in nn.header] == ["Sjekk idé"]
    assert nn.radio(key=i18n.LANG_KEY).label == "Språk / Målform"
    nb = _app("Sjekk idé", lang="nb")
    labels = {w.label for w in [*nb.text_input, *nb.text_area]}
    assert "Søker(e): én per linje" in labels and "Søkjar(ar): éin per linje" not in labels
    fresh = AppTest.from_file(APP, default_timeout=120).run()
    assert fresh.session_state[i18n.LANG_KEY] == "nb"


def test_the_answer_is_framed_in_nynorsk_and_the_checker_text_stays_bokmal():
    at = _app("Sjekk idé")
    at.text_input(key="title").input("Felles legevakt").run()
    at.text_area(key="app_names").input("Grong kommune").run()
    at.text_input(key="pick_query").input("kommuneloven § 19-1 annet ledd").run()
    next(b for b in at.button if b.label == "Legg til").click().run()
    next(b for b in at.button if b.label == "Sjekk skjemaet").click().run()
    assert not at.exception, at.exception
    headings = [h.value for h in at.subheader]
    assert "Føresegnene det blir søkt unntak frå" in headings and "Vilkår for forsøket" in headings
    assert "Kven godkjenner" in headings
    assert [e.label for e in at.expander if e.label.startswith("For juristar")]


def test_the_malform_survives_a_reload_through_the_address():
    at = _app("Start")
    assert at.query_params.get(i18n.LANG_KEY) == "nn"
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params.update({i18n.LANG_KEY: "nn", "side": "Batch"})
    again.run()
    assert again.session_state[i18n.LANG_KEY] == "nn"
    assert [h.value for h in again.header] == ["Batch"]
    assert any("Søknadsfiler" in u.label for u in again.get("file_uploader"))


def test_the_page_script_sets_the_language_and_carries_our_words_only():
    nn, nb = i18n.page_script("nn"), i18n.page_script("nb")
    assert 'document.documentElement.lang = "nn"' in nn and 'lang = "nb"' in nb
    assert "Vel fil" in nn and "Velg fil" in nb and "Hopp til hovudinnhaldet" in nn
