"""Tidligere forsøk in the app: the library page, and the same listing beside provisions in
Oppslag and beside exemptions in the Sjekk idé answer.

In-process (streamlit.testing) on the store imported from all four shared archives, which holds
the library (Steinkjer's trials with vegtrafikkloven § 6 among them), and on the built-in knowledge
base, where the library is empty and the page must say how to fill it. One real-browser test opens
the page on the imported store (screenshot `tidligere-forsok.png`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from support.streamlit_server import (
    CHROMIUM,
    SHOTS,
    app_page,
    run_with_log,
    streamlit_server,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EXAMPLES = ROOT / "examples"
STEINKJER = "forskrift/1994-02-17-263"
STEINKJER_URL = f"https://lovdata.no/dokument/LTII/{STEINKJER}"


def _app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["side"] = page
    at.run()
    assert not at.exception, at.exception
    return at


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    parts += [x.label for x in at.expander]
    return "\n".join(str(p) for p in parts)


def _plain(text: str) -> str:
    """Markdown escapes removed, for comparing with what a reader sees."""
    return text.replace("\\", "")


@pytest.fixture
def imported(monkeypatch, full_store):
    monkeypatch.setenv("REGELSJEKK_DB", str(full_store))
    return full_store


@pytest.fixture
def builtin(monkeypatch, tmp_path):
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "ingen.sqlite"))


# -- the page --------------------------------------------------------------------------------------


@pytest.mark.app
@pytest.mark.slow
def test_page_says_what_it_covers_and_finds_steinkjer_by_area(imported, full_kb):
    from regelsjekk.kb.trials import library

    at = _app("Tidligere forsøk")
    sentence = library(full_kb).coverage.sentence()
    assert "forsøksforskrifter" in sentence
    assert at.info and _plain(at.info[0].value) == sentence  # the coverage comes first
    at.selectbox(key="trial_area").set_value("samferdsel").run()
    assert not at.exception
    text = _all_text(at)
    assert "[Forskrift om vedtekter vedrørende fartsgrenser og skiltmyndighet, Steinkjer kommune" \
           in _plain(text)
    assert f"]({STEINKJER_URL})" in text
    # what it set aside, with the id, and that it was amended (extended)
    assert any(STEINKJER in _plain(x.label) for x in at.expander)
    assert "lov/1965-06-18-4/§6" in text and "Endret av" in text
    assert "(forlenget)" in _plain(text)
    # KOSTRA look-alikes are left out unless asked for
    count = int(_plain(text).split(" forsøk**")[0].rsplit("**", 1)[1])
    at.checkbox(key="trial_kostra").check().run()
    with_kostra = int(_plain(_all_text(at)).split(" forsøk**")[0].rsplit("**", 1)[1])
    assert with_kostra >= count


@pytest.mark.app
@pytest.mark.slow
def test_page_free_text_and_cap(imported):
    at = _app("Tidligere forsøk")
    at.text_input(key="trial_text").input("skilt").run()
    assert not at.exception
    assert "Steinkjer kommune" in _plain(_all_text(at)) and STEINKJER_URL in _all_text(at)
    at.text_input(key="trial_text").input("").run()
    at.checkbox(key="trial_kostra").check().run()
    text = _plain(_all_text(at))
    assert "viser 100 av" in text  # 235 with KOSTRA: capped, and says so
    at.text_input(key="trial_text").input("finnes-ikke-i-noe-forsøk").run()
    assert any("Ingen forsøk passer filtrene" in w.value for w in at.warning)


@pytest.mark.app
def test_page_on_the_builtin_knowledge_base_says_the_library_is_empty(builtin):
    at = _app("Tidligere forsøk")
    text = _all_text(at)
    assert "er tomt" in text
    # what to do, for an app user: ask the administrator; never a terminal command (issue 16)
    assert "Be administratoren importere Lovdata-data" in text
    assert "regelsjekk import" not in text and "REGELSJEKK_DB" not in text
    assert not at.text_input and not at.selectbox  # no filters over an empty library


# -- beside provisions and exemptions ----------------------------------------------------------------


@pytest.mark.app
@pytest.mark.slow
def test_oppslag_lists_earlier_trials_beside_the_provision(imported):
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("vegtrafikkloven § 6").run()
    assert not at.exception
    text = _all_text(at)
    assert "**Tidligere forsøk (" in text
    assert "Steinkjer kommune" in _plain(text) and STEINKJER_URL in text
    assert "satte til side denne bestemmelsen" in text
    assert "I stedet: «Formannskapets myndighet etter veitrafikkloven" in _plain(text)


@pytest.mark.app
def test_oppslag_on_the_builtin_knowledge_base_has_no_trial_section(builtin):
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("kommuneloven § 19-1").run()
    assert not at.exception
    assert "Tidligere forsøk" not in _all_text(at)


@pytest.mark.app
@pytest.mark.slow
def test_sjekk_ide_answer_shows_earlier_trials_as_background(imported):
    at = _app("Sjekk idé")
    example = (EXAMPLES / "steinkjer-skiltmyndighet.forsok").read_text(encoding="utf-8")
    next(a for a in at.text_area if a.label == "Søknadstekst").input(example).run()
    next(b for b in at.button if b.label == "Sjekk teksten").click().run()
    assert not at.exception
    _, report = at.session_state["last"]
    assert any(t.id == STEINKJER for ex in report.exemptions for t in ex.earlier_trials)
    text = _all_text(at)
    assert "**Tidligere forsøk**" in text and STEINKJER_URL in text
    assert "tidligere forsøk endrer ikke svaret" in text
    notes = [c.value for c in at.caption if c.value.startswith("Tidligere forsøk: ")]
    assert len(notes) == 1  # the coverage note once, not per exemption


# -- in a real browser -------------------------------------------------------------------------------



@pytest.fixture
def server_on_store(full_store):
    with streamlit_server(full_store) as running:
        yield running


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium mangler (scripts/ensure-browser installerer "
                    "det fra Debian når testen kjøres som root)")
def test_tidligere_forsok_in_a_real_browser(server_on_store):
    run_with_log(server_on_store, _library_page)


def _library_page(server: str) -> None:
    from playwright.sync_api import expect

    with app_page(server) as page:
        page.get_by_test_id("stSidebar").get_by_text("Tidligere forsøk", exact=True).click()
        expect(page.get_by_role("heading", name="Tidligere forsøk")).to_be_visible()
        expect(page.get_by_text("forsøksforskrifter og").first).to_be_visible()
        field = page.get_by_label("Fritekst (tittel, søker, det som ble satt til side)")
        field.fill("skilt")
        field.press("Enter")
        # the search's run has finished: a trial opened during the run is closed by its redraw
        # (the unfiltered list can already show the same link)
        page.wait_for_timeout(300)
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        trial = page.locator(f'a[href="{STEINKJER_URL}"]:visible').first
        expect(trial).to_be_visible()
        assert "Steinkjer" in (trial.text_content() or "")
        page.get_by_text(f"— {STEINKJER}").first.click()  # open what it set aside
        expect(page.locator("li:visible", has_text="om vegtrafikk § 6").first).to_be_visible()
        expect(page.locator("li:visible", has_text="Endret av").first).to_be_visible()
        # the page from the top: coverage, filters and the results with one trial opened
        page.set_viewport_size({"width": 1400, "height": 1500})
        page.get_by_role("heading", name="Tidligere forsøk").scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # let the expander finish opening
        page.screenshot(path=str(SHOTS / "tidligere-forsok.png"), full_page=False)
