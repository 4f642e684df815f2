"""Reports for people and programs: terminal text, JSON, Markdown, HTML and CSV rows.

Every renderer reads only the Report (verdict.py), so all formats tell the same story. HTML
escapes everything that came from a request or from rules/: nothing user-supplied is ever
emitted as markup. The draft lokal forskrift lives in report/forskrift.py.
"""

from __future__ import annotations

import csv
import html
import io
import textwrap
from collections.abc import Iterable
from pathlib import Path

from regelsjekk.check.verdict import Report, TraceNode, Verdict
from regelsjekk.report.formats import (  # noqa: F401 (re-exported)
    BINARY_FORMATS,
    CSV_FORMATS,
    EXCEL_BOM,
    EXTENSIONS,
    FORMATS,
)
from regelsjekk.report.layout import (
    layout,
)

WIDTH = 100





def render(report: Report, fmt: str, **kwargs) -> str:
    """One report in one of FORMATS."""
    if fmt == "text":
        return render_text(report, **kwargs)
    if fmt == "json":
        return render_json(report)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt in CSV_FORMATS:
        return render_csv([(kwargs.get("file") or "", report)], excel=fmt == "csv-excel")
    if fmt in BINARY_FORMATS:
        raise ValueError(f"«{fmt}» er et binært format: bruk render_bytes")
    if fmt == "forskrift":
        from regelsjekk.report.forskrift import render_forskrift

        return render_forskrift(report)
    raise ValueError(f"ukjent format «{fmt}»; velg blant {', '.join(FORMATS)}")


def render_bytes(report: Report, fmt: str) -> bytes:
    """One report in a binary format (Word)."""
    from regelsjekk.report.docx import render_docx, render_forskrift_docx

    if fmt == "docx":
        return render_docx(report)
    if fmt == "forskrift-docx":
        return render_forskrift_docx(report)
    return render(report, fmt).encode("utf-8")


# -- JSON --------------------------------------------------------------------------------------


def report_dict(report: Report) -> dict:
    return report.model_dump(mode="json")


def render_json(report: Report) -> str:
    """Stable JSON: field order from the model, UTF-8 text, two-space indent, final newline.

    pydantic's serializer writes exactly what json.dumps(..., ensure_ascii=False, indent=2) would,
    an order of magnitude faster (the reports carry their whole trace).
    """
    return report.model_dump_json(indent=2) + "\n"


# -- terminal text -----------------------------------------------------------------------------


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [first or indent]


def render_text(report: Report, color: bool = False, trace: bool = False) -> str:
    """A report for the terminal (the layout in layout.py, wrapped and optionally coloured)."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if color else text

    lay = layout(report)
    out: list[str] = [paint(lay.title, "1")]
    out.append("Søker: " + ", ".join(f"{name} ({kind})" for name, kind in lay.applicants))
    out.append("")
    verdict = paint(lay.verdict.label.upper(), "1;" + lay.verdict.color)
    out.append(f"Resultat: {verdict}{lay.verdict.sure}")
    out.extend(_wrap(lay.summary, "  "))
    for e in lay.exemptions:
        out.append("")
        out.append(paint(f"Unntak {e.number}: {e.citations}", "1")
                   + f"  →  {paint(e.verdict.label, e.verdict.color)}")
        out.extend(_wrap(e.summary, "    ", "  "))
        for r in e.reasons:
            out.extend(_wrap(r.text, "      ", f"  {r.mark} "))
        for p in e.provisions:
            head = f"  • {p.citation}" + (f" ({p.heading})" if p.heading else "")
            out.append(head + f" — {paint(p.verdict.label, p.verdict.color)}{p.verdict.sure}")
            for r in p.reasons:
                out.extend(_wrap(r.text + r.rules, "        ", f"      {r.mark} {r.label}: "))
        for err in e.errors:
            out.extend(_wrap(err.message, "      ", "  ! "))
            if err.suggestions:
                out.extend(_wrap("Mente du: " + err.suggestions + "?", "      "))
        if e.affected:
            out.append("  Berørte bestemmelser (viser til det som settes til side):")
            for a in e.affected:
                what = f" [{a.tags}]" if a.tags else ""
                flag = f" — grense: {a.limit}" if a.limit else ""
                out.extend(_wrap(f"{a.citation}{what}{flag}", "        ", "    - "))
            if e.affected_more:
                out.append(f"    … og {e.affected_more} til")
        if e.earlier_trials:
            out.append("  Tidligere forsøk (bare som bakgrunn; påvirker ikke svaret):")
            for t in e.earlier_trials:
                out.extend(_wrap(f"{t.title} — {t.line}", "        ", "    - "))
                if t.replaced_by:
                    out.extend(_wrap(f"I stedet: «{t.replaced_by}»", "        ", "        "))
                out.extend(_wrap(t.url, "        ", "        "))
    if lay.conditions:
        out.append("")
        out.append(paint("Vilkår for forsøket (forsøksloven)", "1"))
        for c in lay.conditions:
            out.extend(_wrap(f"{c.title}: {c.detail}", "      ", f"  [{c.mark}] "))
    if lay.approvers:
        out.append("")
        out.append(paint("Godkjenning", "1"))
        for name, why in lay.approvers:
            out.extend(_wrap(f"{name}: {why}", "    ", "  - "))
    if lay.routes:
        out.append("")
        out.append(paint("Veier videre", "1"))
        for r in lay.routes:
            line = f"{r.name} (unntak {r.exemptions})" + (
                f": godkjennes av {r.approver}" if r.approver else "")
            out.extend(_wrap(line, "    ", "  - "))
            for lim in r.limits:
                out.extend(_wrap(f"grense: {lim}", "        ", "      "))
            if r.note:
                out.extend(_wrap(r.note, "      "))
    if lay.next_steps:
        out.append("")
        out.append(paint("Neste steg", "1"))
        for i, step in enumerate(lay.next_steps, 1):
            out.extend(_wrap(step, "     ", f"  {i}. "))
    if lay.errors:
        out.append("")
        out.append(paint("Feil i søknaden", "1;31"))
        for err in lay.errors:
            out.extend(_wrap((f"{err.where}: " if err.where else "") + err.message, "      ", "  ! "))
    if trace:
        out.append("")
        out.append(paint("Subsumsjon (hvilken regel ble brukt på hvilke fakta)", "1"))
        out.extend(render_trace(lay.trace).splitlines())
    out.append("")
    if lay.earlier_trials_note:
        out.extend(_wrap(f"Tidligere forsøk: {lay.earlier_trials_note}", ""))
    out.append(f"Kunnskapsbase: {lay.knowledge_base}. Regelverket lest per {lay.law_as_of}; "
               f"regler: versjon {lay.rules_version}; data: {lay.data}. {lay.disclaimer}")
    return "\n".join(out) + "\n"


def render_trace(node: TraceNode, prefix: str = "", last: bool = True, root: bool = True) -> str:
    """The subsumsjon as a tree: rule → facts → result, one line per step."""
    lines: list[str] = []
    branch = "" if root else ("└─ " if last else "├─ ")
    text = node.label + (f" ⇒ {node.result}" if node.result else "")
    if node.rule:
        text += f"  [{node.rule}]"
    lines.append(prefix + branch + text)
    child_prefix = prefix + ("" if root else ("   " if last else "│  "))
    for fact in node.facts:
        lines.append(child_prefix + ("   " if not node.children else "│  ") + "· " + fact)
    for i, child in enumerate(node.children):
        lines.append(render_trace(child, child_prefix, i == len(node.children) - 1, False))
    return "\n".join(lines)


# -- Markdown ------------------------------------------------------------------------------------


_MD_MARKUP = "\\`*_[]#|"


def md_escape(text: str | None, extra: str = "") -> str:
    """Escape user or rules text for Markdown, so none of it becomes markup, a link or raw HTML.

    <, > and & become entities; the characters in _MD_MARKUP and in `extra` get a backslash;
    whitespace runs become one space, so the text stays on the line it is put in (a heading, list
    item or table cell). The app adds what Streamlit's Markdown also reads as markup in `extra`
    (web.common.md_escape).
    """
    if not text:
        return ""
    text = html.escape(str(text), quote=False)
    for ch in _MD_MARKUP + extra:  # the backslash first, so added backslashes stay single
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


class _Raw(str):
    """Text the Markdown template may emit as it is (our own addresses and markup)."""


def _md_finalize(value: object) -> str:
    return value if isinstance(value, _Raw) else md_escape(None if value is None else str(value))


_TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENVIRONMENTS: dict[str, object] = {}


def _environment(kind: str):  # noqa: ANN202 - jinja2 is imported here, only by the template formats
    """The Jinja2 environment for markdown or HTML, made on first use (a text or JSON report,
    the CLI's default, never imports Jinja2: start-up time)."""
    env = _ENVIRONMENTS.get(kind)
    if env is None:
        import jinja2

        loader = jinja2.FileSystemLoader(_TEMPLATES)
        if kind == "md":
            env = jinja2.Environment(loader=loader, autoescape=False, finalize=_md_finalize,
                                     trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
            env.filters["raw"] = lambda value: _Raw("" if value is None else str(value))
        else:
            env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True,
                                     lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        _ENVIRONMENTS[kind] = env
    return env


def render_markdown(report: Report) -> str:
    """Markdown from templates/report.md.j2; every value escaped (md_escape) unless ours."""
    return _environment("md").get_template("report.md.j2").render(l=layout(report))


# -- HTML --------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1b1b1b}h1{font-size:1.6rem}.verdict{display:inline-block;padding:.2rem .6rem;
border-radius:.3rem;font-weight:600}.hjemmel,.krever_ikke_forsok{background:#d8f0dc}.annen_hjemmel{
background:#d6eef5}.delvis,.ma_vurderes{background:#fbeccb}.ikke_hjemmel{background:#f6d5d3}
.reason{margin:.2rem 0}.kind{font-weight:600}.rule{color:#555;font-size:.85em}table{border-collapse:
collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f5f5;padding:.6rem;overflow:auto}"""


def _html_page(title: str, bodies: list[str]) -> str:
    h = html.escape(title, quote=True)
    return "\n".join(["<!DOCTYPE html>", '<html lang="no"><head><meta charset="utf-8">',
                      f"<title>{h} – regelsjekk</title><style>{_CSS}</style></head><body>",
                      *bodies, "</body></html>"]) + "\n"


_BODY_START, _BODY_END = "<!--rapport-->", "<!--/rapport-->"


def render_html(report: Report) -> str:
    """A standalone page. Every piece of text goes through html.escape."""
    return _html_page(report.title, [_html_body(report)])


def join_html_pages(pages: list[str]) -> str:
    """Several rendered reports as one page (for a batch written to stdout)."""
    bodies = [p[p.index(_BODY_START):p.index(_BODY_END) + len(_BODY_END)] for p in pages]
    return _html_page(f"{len(pages)} søknader", bodies)


def _html_body(report: Report) -> str:
    """templates/report.html.j2 with autoescape: no text from a request or rules/ becomes markup."""
    return _environment("html").get_template("report.html.j2").render(
        l=layout(report), trace_text=render_trace(report.trace)).rstrip("\n")


# -- CSV (one row per request, for batches) ---------------------------------------------------

CSV_COLUMNS = ["fil", "tittel", "sokere", "resultat", "resultat_tekst", "sikkerhet", "unntak",
               "hjemmel", "annen_hjemmel", "ma_vurderes", "ikke_hjemmel", "krever_ikke_forsok",
               "feil", "sammendrag", "neste_steg"]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection), on any of its lines.

    Every CR and CRLF becomes LF first: csv.writer(lineterminator="\\n") quotes a cell only for
    the characters of its own line terminator, so a bare CR went out unquoted and a spreadsheet
    read what followed it as a new row ("x\\r@SUM(…)" ran as a formula). A cell with LF is
    quoted by the writer, and each of its lines is guarded like the first.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join("'" + line if line[:1] in _FORMULA_START else line
                     for line in text.split("\n"))


def csv_row(file: str, report: Report) -> list[str]:
    counts = {v: sum(1 for e in report.exemptions if e.verdict == v) for v in Verdict}
    return [_cell(x) for x in (
        file, report.title, "; ".join(a.name for a in report.applicants), report.verdict.value,
        report.verdict_label, report.certainty.value, len(report.exemptions),
        counts[Verdict.HJEMMEL], counts[Verdict.ANNEN_HJEMMEL], counts[Verdict.MA_VURDERES],
        counts[Verdict.IKKE_HJEMMEL], counts[Verdict.KREVER_IKKE_FORSOK], len(report.errors),
        report.summary, report.next_steps[0] if report.next_steps else "")]


def csv_error_row(file: str, errors: list[str]) -> list[str]:
    """The row for a file that gave no report (it could not be read or parsed)."""
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(fil=file, resultat="feil", resultat_tekst="Feil i filen",
               feil=str(len(errors) or 1), sammendrag=" | ".join(errors)[:500])
    return [_cell(row[c]) for c in CSV_COLUMNS]


def csv_writer(buf: io.StringIO, excel: bool = False):  # noqa: ANN201 - a csv writer
    """The CSV dialect: RFC 4180 with ','; for Excel ';' (Norwegian Excel reads ',' as the
    decimal sign) — the caller writes EXCEL_BOM first, so Excel reads UTF-8."""
    return csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")


def render_csv(rows: Iterable[tuple[str, Report]], header: bool = True, excel: bool = False) -> str:
    buf = io.StringIO()
    if excel and header:
        buf.write(EXCEL_BOM)
    writer = csv_writer(buf, excel)
    if header:
        writer.writerow(CSV_COLUMNS)
    for file, report in rows:
        writer.writerow(csv_row(file, report))
    return buf.getvalue()
