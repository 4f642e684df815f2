"""Word documents (DOCX) for ministries and municipalities: the report and the draft forskrift.

Built with python-docx from the same layout as every other format (report/layout.py), so the Word
file tells the same story: headings, the verdict, reasons per provision, a table of the conditions,
approvers, routes, next steps and earlier trials; citations are hyperlinks to lovdata.no. Text is
inserted as text runs (python-docx escapes it), never as markup.
"""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from regelsjekk.check.verdict import Report
from regelsjekk.report.forskrift import render_forskrift
from regelsjekk.report.layout import Cite, ReasonView, layout

_HIGHLIGHT = {"32": WD_COLOR_INDEX.BRIGHT_GREEN, "36": WD_COLOR_INDEX.TURQUOISE,
              "33": WD_COLOR_INDEX.YELLOW, "31": WD_COLOR_INDEX.RED}


def _hyperlink(paragraph, text: str, url: str) -> None:  # noqa: ANN001
    """A clickable link run (python-docx has no public API for hyperlinks)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    props.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)  # noqa: SLF001 - the documented way to add a hyperlink


def _cites(paragraph, items: list[Cite]) -> None:  # noqa: ANN001
    if not items:
        return
    paragraph.add_run(" (")
    for k, c in enumerate(items):
        if k:
            paragraph.add_run(", ")
        if c.url:
            _hyperlink(paragraph, c.id, c.url)
        else:
            paragraph.add_run(c.id)
    paragraph.add_run(")")


def _reason(d, r: ReasonView, style: str) -> None:  # noqa: ANN001 - a python-docx Document
    """One reason as a bullet: its label in bold, the text, and its citations as links."""
    p = d.add_paragraph(style=style)
    p.add_run(f"{r.label}: ").bold = True
    p.add_run(r.text)
    _cites(p, r.cites)


def _document() -> docx.document.Document:
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    d.core_properties.language = "nb-NO"
    return d


def _bytes(d) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_docx(report: Report, *, made: date | None = None) -> bytes:
    """The check report as a Word document."""
    lay = layout(report)
    d = _document()
    d.core_properties.title = f"Regelsjekk: {lay.title}"
    d.add_heading(lay.title, level=0)
    if lay.applicants:
        d.add_paragraph("Søker: " + ", ".join(f"{n} ({k})" for n, k in lay.applicants))
    p = d.add_paragraph()
    run = p.add_run(f"Svar: {lay.verdict.label}{lay.verdict.sure}")
    run.bold = True
    run.font.highlight_color = _HIGHLIGHT.get(lay.verdict.color)
    d.add_paragraph(lay.summary)
    for err in lay.errors:
        d.add_paragraph(f"Feil: {err.message}" + (f" Mente du: {err.suggestions}?"
                                                   if err.suggestions else ""))

    for e in lay.exemptions:
        d.add_heading(f"Unntak {e.number}: {e.citations}", level=1)
        p = d.add_paragraph()
        p.add_run(f"{e.verdict.label}{e.verdict.sure}").bold = True
        p.add_run(f" – {e.summary}")
        if e.replacement:
            d.add_paragraph(f"Regel i stedet: {e.replacement}")
        for r in e.reasons:
            _reason(d, r, "List Bullet")
        for prov in e.provisions:
            p = d.add_paragraph()
            _hyperlink(p, prov.citation, prov.url)
            if prov.heading:
                p.add_run(f" ({prov.heading})")
            p.add_run(f" – {prov.verdict.label}{prov.verdict.sure}")
            for r in prov.reasons:
                _reason(d, r, "List Bullet 2")
        for err in e.errors:
            d.add_paragraph(f"Feil: {err.message}")
        if e.affected:
            d.add_paragraph("Berørte bestemmelser (viser til det som settes til side):")
            for a in e.affected:
                p = d.add_paragraph(style="List Bullet")
                _hyperlink(p, a.citation, a.url)
                if a.tags:
                    p.add_run(f" – {a.tags}")
                if a.limit:
                    p.add_run(f" – grense: {a.limit}").bold = True
        if e.earlier_trials:
            d.add_paragraph("Tidligere forsøk (bare som bakgrunn; påvirker ikke svaret):")
            for t in e.earlier_trials:
                p = d.add_paragraph(style="List Bullet")
                _hyperlink(p, t.title, t.url)
                p.add_run(f" – {t.line}")

    if lay.conditions:
        d.add_heading("Vilkår for forsøket", level=1)
        table = d.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        head = table.rows[0].cells
        for cell, text in zip(head, ("Vilkår", "Status", "Forklaring"), strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for c in lay.conditions:
            cells = table.add_row().cells
            cells[0].text = c.title
            cells[1].text = c.status
            cells[2].text = c.detail
            _cites(cells[2].paragraphs[0], c.cites)
    if lay.approvers:
        d.add_heading("Hvem godkjenner", level=1)
        for who, why in lay.approvers:
            p = d.add_paragraph(style="List Bullet")
            p.add_run(who).bold = True
            p.add_run(f": {why}")
    if lay.routes:
        d.add_heading("Veier videre", level=1)
        for r in lay.routes:
            p = d.add_paragraph(style="List Bullet")
            p.add_run(r.name).bold = True
            if r.exemptions:
                p.add_run(f" ({r.exemptions})")
            if r.approver:
                p.add_run(f" – godkjennes av {r.approver}")
            if r.note:
                p.add_run(f". {r.note}")
    if lay.next_steps:
        d.add_heading("Neste steg", level=1)
        for step in lay.next_steps:
            d.add_paragraph(step, style="List Number")
    d.add_heading("Om rapporten", level=2)
    if lay.earlier_trials_note:
        d.add_paragraph(f"Tidligere forsøk: {lay.earlier_trials_note}")
    d.add_paragraph(f"Kunnskapsbase: {lay.knowledge_base}. Regelverket lest per {lay.law_as_of}; "
                    f"regler: versjon {lay.rules_version}; data: {lay.data}. "
                    f"Rapporten er laget {(made or date.today()).strftime('%d.%m.%Y')}. "
                    f"{lay.disclaimer}")
    return _bytes(d)


def render_forskrift_docx(report: Report) -> bytes:
    """The draft lokal forskrift as a Word document (headings for each §)."""
    d = _document()
    lines = render_forskrift(report).split("\n")
    d.core_properties.title = "Utkast til forskrift"
    note, body = lines[0], lines[1:]
    p = d.add_paragraph()
    run = p.add_run(note)
    run.italic = True
    run.font.color.rgb = RGBColor(0x80, 0x00, 0x00)
    paragraph: list[str] = []
    title_done = False

    def flush() -> None:
        nonlocal title_done
        if not paragraph:
            return
        text = " ".join(s.strip() for s in paragraph)
        if not title_done:
            d.add_heading(text, level=0)
            title_done = True
        else:
            d.add_paragraph(text)
        paragraph.clear()

    for line in body:
        if not line.strip():
            flush()
        elif line.startswith("§ ") and title_done:
            flush()
            d.add_heading(line, level=2)
        else:
            paragraph.append(line)
    flush()
    return _bytes(d)
