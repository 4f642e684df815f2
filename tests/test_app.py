"""The Streamlit app, driven in-process with streamlit.testing (no browser, no server).

Each page's main path and its error paths. The app runs on the built-in knowledge base here
(REGELSJEKK_DB points at a path that does not exist), exactly as on a fresh machine.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(autouse=True)
def builtin_only(monkeypatch, tmp_path):
    monkeypatch.setenv("REGELSJEKK_DB", str(tmp_path / "ingen.sqlite"))


def _app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = page
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown_values(at: AppTest) -> list[str]:
    """Every text the app renders as Markdown: markdown, alerts, captions and expander labels."""
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    parts += [x.label for x in at.expander]
    return [str(p) for p in parts]


def _all_text(at: AppTest) -> str:
    return "\n".join(_markdown_values(at))


def _assert_no_markup(at: AppTest, echoed: str) -> None:
    """The hostile text reached the page (`echoed` is in it), but only escaped."""
    values = _markdown_values(at)
    assert any(echoed in v for v in values), "the test text never reached the page"
    for value in values:
        assert "<script" not in value and "<img" not in value
        assert "](javascript" not in value and "](<javascript" not in value


# -- Oppslag -------------------------------------------------------------------------------------


def test_oppslag_shows_provision_with_tags_link_and_graph():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("kommuneloven § 19-1 annet ledd").run()
    assert not at.exception
    text = _all_text(at)
    assert "https://lovdata.no/lov/2018-06-22-83/§19-1" in text
    assert "Merking og begrunnelse" in text
    assert not at.dataframe  # HTML tables only: a canvas is unreachable for screen readers
    tags = at.table[0].value
    assert "organisering" in " ".join(map(str, tags.to_numpy().ravel())).lower()
    # the neighbourhood graph is drawn, with the provision at its centre, its parents and the
    # trial authority; the caption says why references are missing (no import here)
    assert at.get("graphviz_chart")
    spec = at.get("graphviz_chart")[0].proto.spec
    assert "Kommuneloven" in spec and "§ 19-1 annet ledd" in spec and "Forsøksloven" in spec
    assert "Henvisninger, forskrifter og endringer vises når lovteksten er importert" in text


def test_oppslag_says_first_when_a_provision_is_not_law_and_dates_the_data():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("nye forvaltningsloven § 17").run()
    assert not at.exception
    assert at.error and "ikke i kraft ennå" in at.error[0].value
    text = _all_text(at).replace("\\", "")  # Markdown escapes
    assert "Data: Innebygd kunnskapsbase" in text and "lover per 2026-05-02" in text
    at.text_input(key="lookup_query").input("kommuneloven § 19-1").run()
    assert not at.error and "Kommuneloven: i kraft" in _all_text(at)


def test_oppslag_flags_individual_rights():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("sosialtjenesteloven § 18").run()
    assert "Gir enkeltpersoner rettigheter" in _all_text(at)


def test_oppslag_free_text_offers_hits_and_opens_one():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("oppgavefellesskap").run()
    radio = [r for r in at.radio if r.label == "Velg en bestemmelse"][0]
    assert any("§ 19-1" in option for option in radio.options)
    radio.set_value("lov/2018-06-22-83/§19-1").run()
    assert not at.exception
    assert "https://lovdata.no/lov/2018-06-22-83/§19-1" in _all_text(at)


def test_oppslag_unknown_provision_is_said_plainly():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("kommuneloven § 99-99").run()
    assert not at.exception
    text = _all_text(at)
    assert "Ingen treff" in text or "Fant ikke" in text or "finnes ikke" in text.lower()


def test_user_text_is_never_rendered_as_markup():
    at = _app("Oppslag")
    at.text_input(key="lookup_query").input("<script>alert(1)</script> [x](javascript:alert(1))").run()
    assert not at.exception
    for m in at.markdown:
        assert "<script>" not in m.value
        assert "](javascript:" not in m.value
    # the resolution message echoes the query in a caption: escaped there too
    _assert_no_markup(at, "javascript")


def test_md_escape_leaves_no_markup_for_streamlit():
    from regelsjekk.web.common import md_escape, md_escape_lines

    escaped = md_escape("<b>x</b> [l](javascript:a) ![i](u) $e=mc^2$ ~~s~~ *f* _u_ `c` # h | t &amp;")
    assert escaped == ("&lt;b&gt;x&lt;/b&gt; \\[l\\]\\(javascript:a\\) \\!\\[i\\]\\(u\\) \\$e=mc^2\\$ "
                       "\\~\\~s\\~\\~ \\*f\\* \\_u\\_ \\`c\\` \\# h \\| t &amp;amp;")
    assert md_escape("1. punkt\n\n- liste") == "1\\. punkt \\- liste"
    assert md_escape(None) == "" and md_escape("") == ""
    assert md_escape_lines("a.forsok:3:1: feil\n    [x](y)\n  hint: *z*") == (
        "a\\.forsok:3:1: feil  \n\\[x\\]\\(y\\)  \nhint: \\*z\\*")


# -- Batch ---------------------------------------------------------------------------------------


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_batch_checks_files_and_keeps_going_past_broken_ones():
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.web.batch import run_batch

    kb = KnowledgeBase.builtin()
    examples = sorted(EXAMPLES.glob("*.forsok"))[:3]
    assert examples, "examples/ must hold request files"
    items = [(p.name, p.read_bytes()) for p in examples]
    items.append(("ødelagt.forsok", "søknad \"uten slutt\"\n  søker: ???".encode()))
    items.append(("pakke.zip", _zip({"en.forsok": examples[0].read_text()})))
    items.append(("virus.exe", b"MZ"))
    rows, problems, reports = run_batch(items, kb)
    names = {r["Fil"] for r in rows}
    assert {p.name for p in examples} <= names and "en.forsok" in names
    problem_files = {name for name, _ in problems}
    assert "ødelagt.forsok" in problem_files and "virus.exe" in problem_files
    assert all(r["Konklusjon"] for r in rows)
    assert set(reports) == {f"{r['Fil']}#{r['Nr.']}" for r in rows}


def test_batch_problems_and_report_escape_user_text():
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.web.batch import run_batch

    evil = (EXAMPLES / "steinkjer-skiltmyndighet.forsok").read_text(encoding="utf-8").replace(
        "Kommunalt utvalg", "<script>x</script> [lenke](javascript:alert(1))")
    result = run_batch([("<img src=x>.forsok", evil.encode()), ("[a](javascript:b).exe", b"MZ")],
                       KnowledgeBase.builtin())
    assert result[0], "the hostile request must still be checked"
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = "Batch"
    at.session_state["batch"] = result
    at.run()
    pick = [s for s in at.selectbox if s.label == "Vis hele rapporten for"][0]
    pick.set_value(pick.options[0]).run()
    assert not at.exception
    _assert_no_markup(at, "javascript")
    assert "ukjent filtype" in "\n".join(e.value for e in at.error)


def test_batch_page_renders_table_filters_and_downloads():
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.web.batch import run_batch

    examples = sorted(EXAMPLES.glob("*.forsok"))[:4]
    result = run_batch([(p.name, p.read_bytes()) for p in examples], KnowledgeBase.builtin())
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = "Batch"
    at.session_state["batch"] = result
    at.run()
    assert not at.exception
    assert not at.dataframe  # HTML tables only: a canvas is unreachable for screen readers
    table = at.table[0].value
    assert len(table) == len(result[0])
    assert list(table.columns)[:4] == ["Fil", "Nr.", "Tittel", "Konklusjon"]
    labels = [d.label for d in at.get("download_button")]
    assert "Last ned CSV (Excel)" in labels and "Last ned JSON" in labels
    at.multiselect[0].set_value([]).run()
    assert not at.table and "Ingen søknader med de valgte" in _all_text(at)


def test_batch_csv_download_is_the_cli_format_and_safe_for_spreadsheets(monkeypatch):
    import csv

    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.report import render as report
    from regelsjekk.web import batch

    written: list[str] = []

    def render_csv(rows, excel=False):
        written.append(report.render_csv(rows, excel=excel))
        return written[-1]

    monkeypatch.setattr(batch, "render_csv", render_csv)
    request = {"tittel": "=HYPERLINK(\"http://x\")", "sokere": [{"navn": "Råde kommune", "type": "kommune"}],
               "unntak": [{"bestemmelser": ["kommuneloven § 19-1 annet ledd"], "virkning": "ingen"}]}
    result = batch.run_batch([("a.json", json.dumps(request).encode())], KnowledgeBase.builtin())
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["side"] = "Batch"
    at.session_state["batch"] = result
    at.run()
    assert not at.exception
    assert written[-1].startswith("\ufeff")  # Excel's dialect: BOM and ';'
    rows = list(csv.reader(io.StringIO(written[-1].lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == report.CSV_COLUMNS
    assert rows[1][0] == "a.json" and rows[1][1].startswith("'=")
    assert len(rows) == 1 + len(result[0])


def test_batch_json_upload_goes_through_the_json_form():
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.web.batch import run_batch

    request = {"tittel": "Test", "sokere": [{"navn": "Råde kommune", "type": "kommune"}],
               "unntak": [{"bestemmelser": ["kommuneloven § 19-1 annet ledd"], "virkning": "ingen"}]}
    rows, problems, _ = run_batch([("a.json", json.dumps(request).encode()),
                                   ("b.json", b"{not json")], KnowledgeBase.builtin())
    assert [r["Fil"] for r in rows] == ["a.json"]
    assert any(name == "b.json" and "JSON" in msg for name, msg in problems)


# -- Sjekk idé -----------------------------------------------------------------------------------


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _fill_form(title: str, applicants: str, citation: str) -> AppTest:
    """The Sjekk idé form with a title, applicants (one per line) and one provision picked."""
    at = _app("Sjekk idé")
    at.text_input(key="title").input(title).run()
    at.text_area(key="app_names").input(applicants).run()
    at.text_input(key="pick_query").input(citation).run()
    _button(at, "Legg til").click().run()
    return at


def test_sjekk_ide_form_path_gives_verdict_reasons_and_downloads():
    at = _fill_form("Oppgavefellesskap med vedtaksmyndighet", "Grong kommune\nLierne kommune",
                    "kommuneloven § 19-1 annet ledd")
    assert at.session_state["picked"] == ["lov/2018-06-22-83/§19-1/ledd/2"]
    # the request language beside the form follows the form
    dsl = next(a for a in at.text_area if a.label == "Søknadstekst").value
    assert "Grong kommune" in dsl and "19-1" in dsl
    _button(at, "Sjekk skjemaet").click().run()
    assert not at.exception
    request, report = at.session_state["last"]
    assert [a.navn for a in request.sokere] == ["Grong kommune", "Lierne kommune"]
    assert report.exemptions[0].provisions[0].id == "lov/2018-06-22-83/§19-1/ledd/2"
    text = _all_text(at)
    assert report.verdict_label in text
    assert "https://lovdata.no/lov/2018-06-22-83/§19-1" in text
    labels = [d.label for d in at.get("download_button")]
    for label in ("Søknad (.forsok)", "Søknad (JSON)", "Rapport (Markdown)", "Rapport (HTML)",
                  "Rapport (Word)", "Utkast til lokal forskrift (Word)"):
        assert label in labels


def test_sjekk_ide_incomplete_application_is_not_a_green_ja():
    """Issue 13: a bare form with a legal basis says what the application lacks, in yellow."""
    at = _fill_form("Oppgavefellesskap", "Grong kommune", "kommuneloven § 19-1 annet ledd")
    _button(at, "Sjekk skjemaet").click().run()
    _, report = at.session_state["last"]
    assert report.verdict.value == "hjemmel" and report.missing
    assert not [s for s in at.success if "Hjemmel" in s.value]
    assert any("men søknaden mangler" in w.value for w in at.warning)


def test_sjekk_ide_blocked_idea_cites_the_limit():
    at = _fill_form("Kortere klagefrist", "Råde kommune", "forvaltningsloven § 29")
    _button(at, "Sjekk skjemaet").click().run()
    _, report = at.session_state["last"]
    assert report.verdict.value == "ikke_hjemmel"
    cited = {c for ex in report.exemptions for p in ex.provisions for r in p.reasons for c in r.cites}
    assert any(c.startswith("lov/1992-06-26-87/§4") for c in cited)


def test_sjekk_ide_text_path_checks_an_example():
    at = _app("Sjekk idé")
    example = (EXAMPLES / "steinkjer-skiltmyndighet.forsok").read_text(encoding="utf-8")
    next(a for a in at.text_area if a.label == "Søknadstekst").input(example).run()
    _button(at, "Sjekk teksten").click().run()
    assert not at.exception
    request, report = at.session_state["last"]
    assert "Steinkjer" in request.sokere[0].navn
    assert report.verdict_label in _all_text(at)


def test_sjekk_ide_text_errors_show_line_and_hint():
    at = _app("Sjekk idé")
    bad = 'søknad "Test"\n  søker: Råde kommune (kommune)\n  formaal: "skrivefeil"\nslutt\n'
    next(a for a in at.text_area if a.label == "Søknadstekst").input(bad).run()
    _button(at, "Sjekk teksten").click().run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert ":3:" in errors
    # the source line and caret come preformatted, so the caret sits under the right column
    block = "\n".join(c.value for c in at.code)
    assert "formål" in block
    source, caret = next((a, b) for a, b in zip(block.splitlines(), block.splitlines()[1:])
                         if b.strip().startswith("^"))
    assert source[caret.index("^"):].startswith("formaal"), (source, caret)


def test_sjekk_ide_report_escapes_user_text():
    at = _app("Sjekk idé")
    evil = ('søknad "<script>x</script> [t](javascript:alert(1))"\n'
            '  søker: <img src=x onerror=alert> kommune (kommune)\n'
            '  unntak kommuneloven § 19-1 annet ledd\n    virkning: ingen\n'
            '  unntak [x](javascript:alert(2)) § 3\n    virkning: ingen\nslutt\n')
    next(a for a in at.text_area if a.label == "Søknadstekst").input(evil).run()
    _button(at, "Sjekk teksten").click().run()
    assert not at.exception
    assert "last" in at.session_state, [e.value for e in at.error]
    _assert_no_markup(at, "javascript")


def test_sjekk_ide_incomplete_form_says_what_is_missing():
    at = _app("Sjekk idé")
    _button(at, "Sjekk skjemaet").click().run()
    assert not at.exception
    assert "Skjemaet er ikke komplett" in "\n".join(e.value for e in at.error)
    assert "last" not in at.session_state


def test_sjekk_ide_suggests_provisions_from_an_idea_and_adds_one():
    at = _app("Sjekk idé")
    # typed and sent in one go, as in the browser: the first click answers (a form, issue 16)
    at.text_area(key="idea").input("Fire små kommuner vil drive en felles legetjeneste i et "
                                   "oppgavefellesskap som kan fatte vedtak for alle")
    _button(at, "Foreslå bestemmelser").click().run()
    assert not at.exception
    suggested = at.session_state["suggested"]
    ids = [s.node_id for s in suggested]
    assert "lov/2018-06-22-83/§19-1" in ids
    assert "Kommunalt oppgavefellesskap" in _all_text(at)
    # the routes beside the provisions (issue 14): forsøksloven § 3 for an oppgavefellesskap
    assert "Mulige veier" in _all_text(at)
    assert any(r.provision == "lov/1992-06-26-87/§3" for r in at.session_state["suggested_routes"])
    add = [b for b in at.button if b.key == "sugg_lov/2018-06-22-83/§19-1"][0]
    add.click().run()
    assert "lov/2018-06-22-83/§19-1" in at.session_state["picked"]


def test_sjekk_ide_form_states_who_cooperates():
    """Issue 13: the form, like the request language, can state what barnevernsloven § 15-13
    asks (who cooperates, and how); the check then finds the authority's purpose."""
    at = _fill_form("Felles team for ungdom", "Bodø kommune", "barnevernsloven § 15-13")
    at.text_area(key="cooperation").input(
        "Barnevernstjenesten og politiet samarbeider i et felles team").run()
    _button(at, "Sjekk skjemaet").click().run()
    assert not at.exception
    request, report = at.session_state["last"]
    assert request.samarbeid.startswith("Barnevernstjenesten")
    assert report.exemptions[0].verdict.value == "annen_hjemmel"


def test_the_server_loads_what_the_first_suggestion_needs_in_the_background(monkeypatch) -> None:
    """Issue 18: while the first page renders, a background thread loads the forslag index and
    the citation name index, so the first «Foreslå bestemmelser» is as fast as the next."""
    import threading

    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.refs import index as refs_index
    from regelsjekk.web import common

    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def start(self):  # noqa: ANN001, ANN202
        started.append(self)
        return real_start(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(common.KnowledgeBase, "open", lambda *_a, **_k: KnowledgeBase.builtin())
    kb = common.load_kb.__wrapped__(None, None)  # the function under st.cache_resource
    warm = [t for t in started if t.name == "regelsjekk-warm-up"]
    assert len(warm) == 1
    warm[0].join(timeout=120)
    assert "forslag" in kb._derived  # noqa: SLF001 - what index_for keeps on the knowledge base
    assert kb in refs_index._CACHE  # noqa: SLF001
