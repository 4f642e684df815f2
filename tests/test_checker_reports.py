"""Renderers: every format tells the same story, and nothing user-supplied becomes markup."""

from __future__ import annotations

import csv
import io
import json

import pytest
from _checker_kit import ex, make_kb, request
from support.checking import check

from regelsjekk.report.forskrift import formal_document_name, render_forskrift
from regelsjekk.report.render import (
    CSV_COLUMNS,
    join_html_pages,
    render,
    render_csv,
    render_html,
    render_markdown,
    render_text,
)
from regelsjekk.request.model import Applicant, Effect, Period

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return make_kb(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def mixed(kb):
    return check(request(
        ex("testloven § 2", erstatning="Komité for oppvekst avgjør saker etter § 2."),
        ex("testloven § 5"),
        ex("testloven § 7", rettssikkerhet="Klage til en uavhengig nemnd."),
        tittel="Forsøk med ny komitéstruktur",
        periode=Period(start="2026-01-01", varighet_ar=4, forlengelse_ar=2)), kb)


def test_text_report_leads_with_verdict_and_ends_with_next_steps(mixed):
    text = render_text(mixed)
    assert text.splitlines()[0] == "Forsøk med ny komitéstruktur"
    assert "Resultat: DELVIS" in text
    assert "Neste steg" in text and "forsøksloven § 4 første ledd bokstav a" in text
    assert "\033[" not in text
    assert "\033[" in render_text(mixed, color=True)
    assert "Subsumsjon" in render_text(mixed, trace=True)


def test_markdown_and_html_escape_user_text(kb):
    report = check(request(ex("testloven § 2", erstatning=EVIL), tittel=EVIL,
                           formal=EVIL, sokere=[Applicant(navn=EVIL, type="kommune")]), kb)
    page = render_html(report)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    md = render_markdown(report)
    assert "<script" not in md and "<img" not in md
    assert "# &lt;script&gt;alert(\"x\")&lt;/script&gt;" in md
    joined = join_html_pages([page, page])
    assert joined.count("<article>") == 2 and "<script" not in joined


def test_markdown_escaping_rules_are_pinned():
    """The downloaded Markdown's escaping (the app adds its own characters through `extra`)."""
    from regelsjekk.report.render import md_escape

    assert md_escape("<b> & [l](u) *x* _y_ `z` # h | t \\ a\n\n  b. - c") == (
        "&lt;b&gt; &amp; \\[l\\](u) \\*x\\* \\_y\\_ \\`z\\` \\# h \\| t \\\\ a b. - c")
    assert md_escape("a.b (c)", extra=".()") == "a\\.b \\(c\\)"
    assert md_escape(None) == "" and md_escape("") == ""


def test_html_links_to_lovdata(mixed):
    page = render_html(mixed)
    assert 'href="https://lovdata.no/lov/2000-01-01-1/§2"' in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_csv_rows_are_safe_for_spreadsheets(kb, mixed):
    evil = check(request(ex("testloven § 2"), tittel="=HYPERLINK(\"http://x\")"), kb)
    text = render_csv([("a.forsok", mixed), ("b.forsok", evil)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS
    assert rows[1][0] == "a.forsok" and rows[1][3] == "delvis"
    assert rows[1][CSV_COLUMNS.index("ikke_hjemmel")] == "1"
    assert rows[2][1].startswith("'=")


def test_json_format_is_the_model(mixed):
    data = json.loads(render(mixed, "json"))
    assert data["schema_version"] == "1"
    assert data["verdict"] == "delvis" and data["verdict_label"] == "Delvis"
    assert [e["verdict"] for e in data["exemptions"]] == ["hjemmel", "ikke_hjemmel", "ma_vurderes"]


def test_forskrift_draft_follows_historic_shape(mixed):
    raw = render_forskrift(mixed)
    lines = raw.splitlines()
    assert lines[2] == "Forskrift om forsøk med ny komitéstruktur, Testby kommune"
    text = " ".join(raw.split())
    assert "lov 26. juni 1992 nr. 87 om forsøk i offentlig forvaltning" in text
    assert "§ 1. Formål og virkeområde" in text
    assert "Komité for oppvekst avgjør saker etter § 2." in text
    assert "gjelder fram til 1. januar 2030" in text
    assert "Denne forskrift kommer i stedet for følgende bestemmelser:" in text
    assert ("Forskriften § 2 – testloven § 2 (lov 1. januar 2000 nr. 1 om prøving av regelsjekk "
            "(testloven))") in text
    # the blocked exemption is left out, with the reason; the uncertain one is marked
    assert "unntak 2 (testloven § 5) er ikke tatt med" in text and "er til hinder" in text
    assert "[Må vurderes før vedtak:" in text
    assert "Rettssikkerheten ivaretas slik: Klage til en uavhengig nemnd." in text
    assert [x for x in lines if x.startswith("  Forskriften §")][-1].startswith(
        "  Forskriften § 3 – testloven § 7")


def test_forskrift_without_replacement_leaves_a_placeholder(kb):
    report = check(request(ex("testloven § 3", erstatning=None), periode=None), kb)
    text = render_forskrift(report)
    assert "[Skriv regelen som skal gjelde" in text
    assert "[antall, inntil fire]" in text


def test_formal_document_name():
    assert formal_document_name("lov/2018-06-22-83", "Lov om kommuner og fylkeskommuner "
                                "(kommuneloven)") == ("lov 22. juni 2018 nr. 83 om kommuner og "
                                                      "fylkeskommuner (kommuneloven)")
    assert formal_document_name("lov/1967-02-10", "Lov om behandlingsmåten i forvaltningssaker "
                                "(forvaltningsloven)").startswith("lov 10. februar 1967 om ")


def test_all_formats_render(mixed):
    for fmt in ("text", "json", "md", "html", "csv", "forskrift"):
        assert render(mixed, fmt).strip()
    with pytest.raises(ValueError):
        render(mixed, "pdf")


def test_effect_words_reach_the_report(kb):
    report = check(request(ex("testloven § 8", virkning=Effect.INNSKRENKER_RETTIGHET)), kb)
    assert "innskrenker rettigheter" in render_text(report)
