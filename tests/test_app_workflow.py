"""The app as a case officer's workflow (issue 16), in-process with streamlit.testing: nothing
lost between pages or across a reload, honest suggestions, Norwegian throughout, internals folded
away, and the Kunnskapsbase page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from support.apptest import page_strings

from regelsjekk.web import i18n
from regelsjekk.web.common import english_words

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["Start", "Sjekk idé", "Batch", "Oppslag", "Tidligere forsøk", "Kunnskapsbase"]
ID_19_1 = "lov/2018-06-22-83/§19-1/ledd/2"


@pytest.fixture(autouse=True)
def builtin_only(monkeypatch, tmp_path):
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "ingen.sqlite"))
    monkeypatch.delenv("REGELSJEKK_ADMIN", raising=False)


def _app(page: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    if page:
        at.session_state["side"] = page
    at.run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    parts += [x.label for x in at.expander]
    return "\n".join(str(p) for p in parts)


def _fill(at: AppTest) -> AppTest:
    at.text_input(key="title").input("Felles legevakt").run()
    at.text_area(key="app_names").input("Grong kommune\nLierne kommune").run()
    at.text_area(key="purpose").input("Samle legevakten").run()
    at.text_input(key="pick_query").input("kommuneloven § 19-1 annet ledd").run()
    _button(at, "Legg til").click().run()
    at.text_area(key=f"rep_{ID_19_1}").input("Oppgavefellesskapet treffer vedtak").run()
    effect = at.selectbox(key=f"eff_{ID_19_1}")
    effect.set_value(next(o for o in effect.options if o.startswith(("Letter ", "Lettar ")))).run()
    assert not at.exception, at.exception
    return at


def _form_values(at: AppTest) -> dict:
    ss = at.session_state
    return {"title": ss["title"], "app_names": ss["app_names"], "purpose": ss["purpose"],
            "picked": list(ss["picked"]), "rep": ss[f"rep_{ID_19_1}"],
            "eff": str(ss[f"eff_{ID_19_1}"])}


WANTED = {"title": "Felles legevakt", "app_names": "Grong kommune\nLierne kommune",
          "purpose": "Samle legevakten", "picked": [ID_19_1], "rep": "Oppgavefellesskapet treffer vedtak",
          "eff": "letter_plikt"}


def test_a_page_switch_loses_nothing():
    at = _fill(_app("Sjekk idé"))
    assert _form_values(at) == WANTED, _form_values(at)
    at.sidebar.radio(key="side").set_value("Oppslag").run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Oppslag"]
    at.sidebar.radio(key="side").set_value("Sjekk idé").run()
    assert _form_values(at) == WANTED
    # and the widgets show it again
    assert at.text_input(key="title").value == "Felles legevakt"
    assert at.text_area(key=f"rep_{ID_19_1}").value == WANTED["rep"]


def test_a_reload_restores_the_draft_from_the_address():
    at = _fill(_app("Sjekk idé"))
    params = dict(at.query_params)
    assert params.get("side") == ["Sjekk idé"] or params.get("side") == "Sjekk idé"
    encoded = params["utkast"]
    encoded = encoded[0] if isinstance(encoded, list) else encoded
    assert len(encoded) < 400  # compact: zlib + base64url of only what differs from the defaults
    # a reload is a new session with the same address
    fresh = _app(query={"side": "Sjekk idé", "utkast": encoded})
    assert _form_values(fresh) == WANTED
    assert fresh.text_input(key="title").value == "Felles legevakt"


def test_a_broken_address_starts_empty_and_says_so():
    at = _app(query={"side": "Sjekk idé", "utkast": "ikke-et-utkast"})
    assert any("kunne ikke leses" in w.value for w in at.warning)
    assert at.session_state["title"] == ""


def test_an_idea_unrelated_to_any_law_is_said_to_be_weak():
    at = _app("Sjekk idé")
    at.text_area(key="idea").input("gratis kaffe til ansatte")
    _button(at, "Foreslå bestemmelser").click().run()
    assert at.session_state["suggested"], "weak hits are shown, but marked"
    assert any(w.value.startswith("Svake treff") for w in at.warning)
    at.text_area(key="idea").input("Fire små kommuner vil drive en felles legetjeneste i et "
                                   "oppgavefellesskap som kan fatte vedtak for alle")
    _button(at, "Foreslå bestemmelser").click().run()
    assert not any(w.value.startswith("Svake treff") for w in at.warning)
    at.text_area(key="idea").input("qwxz zyxq")
    _button(at, "Foreslå bestemmelser").click().run()
    assert any(i.value.startswith("Ingen treff") for i in at.info)


def test_an_empty_form_is_answered_in_norwegian():
    at = _app("Sjekk idé")
    at.text_input(key="start").input("31.2.2025").run()
    _button(at, "Sjekk skjemaet").click().run()
    errors = "\n".join(e.value for e in at.error)
    assert "Fyll inn minst én søker" in errors
    for english in ("List should", "at least", "validation", "Input should", "sokere"):
        assert english not in errors, errors
    at.text_area(key="app_names").input("Grong kommune").run()
    _button(at, "Sjekk skjemaet").click().run()
    assert "Oppstart «31.2.2025» er ikke en dato" in "\n".join(e.value for e in at.error).replace("\\", "")


def test_citations_carry_their_id_on_hover_and_rule_files_are_for_lawyers_only():
    at = _fill(_app("Sjekk idé"))
    _button(at, "Sjekk skjemaet").click().run()
    assert not at.exception
    main = "\n".join(m.value for m in at.markdown if True)
    lawyers = [x for x in at.expander if x.label.startswith("For jurister")]
    assert lawyers, "an expandable 'For jurister' part"
    inside = "\n".join(m.value for x in lawyers for m in x.markdown)
    assert "Regel:" in inside and ".yaml:" in inside
    outside = "\n".join(m.value for m in at.markdown if m.value not in inside)
    assert ".yaml:" not in outside and "Regel:" not in outside
    # the citation is the link text, the id its title (hover)
    assert f'(https://lovdata.no/{ID_19_1.replace("/ledd/2", "")}' in main
    assert f'"{ID_19_1}")' in main
    assert "· sikker" not in main and "· sannsynlig" not in main


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_english_widget_text_on_any_page(page, lang):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = page
    at.session_state[i18n.LANG_KEY] = lang
    at.run()
    assert not at.exception, at.exception
    if page == "Sjekk idé":  # the answer and its downloads too
        _fill(at)
        _button(at, "Sjekk skjemaet").click().run()
    if page == "Batch":
        from regelsjekk.kb.knowledge import KnowledgeBase
        from regelsjekk.web.batch import run_batch

        examples = sorted((Path(APP).parent / "examples").glob("*.forsok"))[:2]
        at.session_state["batch"] = run_batch([(p.name, p.read_bytes()) for p in examples],
                                              KnowledgeBase.builtin())
        at.run()
    if page == "Oppslag":
        at.text_input(key="lookup_query").input("kommuneloven § 19-1").run()
    # The page script carries the table from Streamlit's English to ours: not shown text.
    strings = [s for s in page_strings(at) if s != i18n.page_script(lang)]
    assert len(strings) > 10
    found = sorted({w for s in strings for w in english_words(s)})
    assert not found, found


def test_kunnskapsbase_says_what_data_is_loaded_and_hides_the_import_from_users():
    at = _app("Kunnskapsbase")
    text = _texts(at).replace("\\", "")
    assert "Innebygd kunnskapsbase" in text and "lover per" in text
    cells = " ".join(map(str, at.table[0].value.to_numpy().ravel()))
    from regelsjekk.kb.knowledge import KnowledgeBase

    assert KnowledgeBase.builtin().rulebook.version in cells
    assert "Be administratoren importere Lovdata-data" in text
    assert not [b for b in at.button if "importer" in b.label.lower()]
    assert "regelsjekk import" not in text


def test_the_administrator_starts_an_import_that_does_not_block_the_server(monkeypatch):
    from regelsjekk.web import kunnskapsbase

    monkeypatch.setenv("REGELSJEKK_ADMIN", "1")
    # nothing listens here: the download fails fast, as it would without network
    monkeypatch.setenv("REGELSJEKK_LOVDATA_URL", "http://127.0.0.1:9/v1/publicData")
    kunnskapsbase.import_job.clear()
    at = _app("Kunnskapsbase")
    start = time.monotonic()
    _button(at, "Last ned og importer Lovdata-data").click().run()
    assert time.monotonic() - start < 10  # the page came back while the import runs or ran
    job = kunnskapsbase.import_job()
    assert job.proc is not None and job.proc.args[-2:] == ["import", "--download"]
    job.proc.wait(timeout=60)
    at.run()
    statuses = [s.label for s in at.status]
    assert any("Importen stoppet" in s for s in statuses), statuses
    assert "Feil:" in "\n".join(c.value for c in at.code)  # the importer's own Norwegian message
    kunnskapsbase.import_job.clear()


def test_start_page_explains_the_steps_and_leads_to_the_form():
    at = _app()
    assert [h.value for h in at.header] == ["Start"]
    text = _texts(at)
    for step in ("Idé", "Bestemmelser", "Detaljer", "Svar", "Søknad"):
        assert f"**{step}**" in text
    assert "Ikke et vedtak" in text
    _button(at, "Begynn: sjekk en idé").click().run()
    assert [h.value for h in at.header] == ["Sjekk idé"]
