"""Word (DOCX) reports and the Excel CSV: documents ministries and municipalities work in."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from support.checking import check

from regelsjekk.cli.main import main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.docx import render_docx, render_forskrift_docx
from regelsjekk.report.render import render
from regelsjekk.request.load import load_request_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def report():  # noqa: ANN201
    request = load_request_file(EXAMPLES / "indre-namdal-oppgavefellesskap.forsok").requests[0]
    return check(request, KnowledgeBase.builtin())


def _links(document) -> list[str]:  # noqa: ANN001
    """The addresses of the hyperlinks that are in the text (not just registered)."""
    rels = {k: r.target_ref for k, r in document.part.rels.items() if "hyperlink" in r.reltype}
    ids = re.findall(r'<w:hyperlink [^>]*r:id="([^"]+)"', document.element.xml)
    return [rels[i] for i in ids]


def test_the_word_report_has_verdict_conditions_table_and_lovdata_links(report) -> None:  # noqa: ANN001
    document = docx.Document(io.BytesIO(render_docx(report)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert report.verdict_label in text and report.title in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Unntak 1") for h in headings) and "Vilkår for forsøket" in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Vilkår", "Status", "Forklaring"]
    assert len(table.rows) == len(report.conditions) + 1
    links = _links(document)
    assert links and all(u.startswith("https://lovdata.no/") for u in links)
    assert f"regler: versjon {report.rules_version}" in text and "Rapporten er laget" in text
    assert document.core_properties.language == "nb-NO"


def test_the_word_forskrift_has_a_heading_per_section(report) -> None:  # noqa: ANN001
    document = docx.Document(io.BytesIO(render_forskrift_docx(report)))
    headings = [p.text for p in document.paragraphs
                if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings[0].startswith("Forskrift om forsøk med")
    assert any(h.startswith("§ 1.") for h in headings)
    assert any("Lover og forskrifter det gjøres unntak fra" in h for h in headings)


def test_cli_writes_word_files_and_refuses_word_on_a_terminal(tmp_path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "ut"
    example = str(EXAMPLES / "steinkjer-skiltmyndighet.forsok")
    assert main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", example, "-f", "docx",
                 "--out", str(out)]) in (0, 1)
    written = out / "steinkjer-skiltmyndighet.docx"
    assert docx.Document(str(written)).paragraphs
    assert main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", str(EXAMPLES), "-f", "docx"]) == 3
    assert "bruk --out MAPPE" in capsys.readouterr().err


def test_excel_csv_has_bom_semicolons_and_crlf(report) -> None:  # noqa: ANN001
    text = render(report, "csv-excel", file="a.forsok")
    assert text.startswith("\ufeff") and "\r\n" in text
    header = text.lstrip("\ufeff").split("\r\n")[0]
    assert header.startswith("fil;tittel;sokere;resultat")
    plain = render(report, "csv", file="a.forsok")
    assert plain.startswith("fil,tittel") and "\ufeff" not in plain
