"""Reports for people and programs: terminal text, JSON, Markdown, HTML and CSV rows.

Every renderer reads only the Report (verdict.py), so all formats tell the same story. HTML
escapes everything that came from a request or from rules/: nothing user-supplied is ever
emitted as markup. The draft lokal forskrift lives in report_forskrift.py.
"""

from __future__ import annotations

import csv
import html
import io
import textwrap
from collections.abc import Iterable, Iterator

from regelsjekk.check.verdict import (
    CONDITION_LABELS, ConditionStatus, ProvisionResult, Reason, ReasonKind, Report, TraceNode,
    Verdict,
)

FORMATS = ("text", "json", "md", "html", "csv", "forskrift")
EXTENSIONS = {"text": "txt", "json": "json", "md": "md", "html": "html", "csv": "csv",
              "forskrift": "forskrift.txt"}

REASON_LABELS = {
    ReasonKind.GRUNNLAG: "Grunnlag i forsøksloven",
    ReasonKind.BEGRENSNING: "Begrensning i forsøksloven",
    ReasonKind.BETINGELSE: "Må vurderes",
    ReasonKind.UTENFOR: "Utenfor forsøksloven",
    ReasonKind.UAVKLART: "Uavklart",
    ReasonKind.ANNEN_HJEMMEL: "Annen forsøkshjemmel",
    ReasonKind.INGEN_UNNTAK: "Ingen regel å fravike",
    ReasonKind.MERKNAD: "Merknad",
    ReasonKind.INNDATA: "Søknaden",
}
REASON_MARKS = {
    ReasonKind.GRUNNLAG: "+", ReasonKind.BEGRENSNING: "✗", ReasonKind.BETINGELSE: "?",
    ReasonKind.UTENFOR: "✗", ReasonKind.UAVKLART: "?", ReasonKind.ANNEN_HJEMMEL: "→",
    ReasonKind.INGEN_UNNTAK: "○", ReasonKind.MERKNAD: "·", ReasonKind.INNDATA: "!",
}
CONDITION_MARKS = {
    ConditionStatus.OPPFYLT: "✓", ConditionStatus.MANGLER: "!",
    ConditionStatus.IKKE_OPPFYLT: "✗", ConditionStatus.MA_VURDERES: "?", ConditionStatus.INFO: "i",
}
VERDICT_COLORS = {
    Verdict.HJEMMEL: "32", Verdict.ANNEN_HJEMMEL: "36", Verdict.KREVER_IKKE_FORSOK: "32",
    Verdict.DELVIS: "33", Verdict.MA_VURDERES: "33", Verdict.IKKE_HJEMMEL: "31",
}
WIDTH = 100


def _sure(verdict: Verdict, certainty) -> str:
    """' (sikker)' after a firm verdict; nothing after «må vurderes», which says it already."""
    return "" if verdict == Verdict.MA_VURDERES else f" ({certainty.value})"


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
    if fmt == "csv":
        return render_csv([(kwargs.get("file") or "", report)])
    if fmt == "forskrift":
        from regelsjekk.report.forskrift import render_forskrift

        return render_forskrift(report)
    raise ValueError(f"ukjent format «{fmt}»; velg blant {', '.join(FORMATS)}")


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


def _rule(r: Reason) -> str:
    parts = [str(r.rule)] if r.rule else []
    if r.definition and r.definition != r.rule:
        parts.append(str(r.definition))
    return ("  [" + "; ".join(parts) + "]") if parts else ""


def render_text(report: Report, color: bool = False, trace: bool = False) -> str:
    """A report for the terminal: verdict first, then why, then what to do."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if color else text

    out: list[str] = [paint(report.title, "1")]
    out.append("Søker: " + ", ".join(f"{a.name} ({a.kind.replace('_', ' ')})" for a in report.applicants))
    out.append("")
    verdict = paint(report.verdict_label.upper(), "1;" + VERDICT_COLORS[report.verdict])
    out.append(f"Resultat: {verdict}{_sure(report.verdict, report.certainty)}")
    out.extend(_wrap(report.summary, "  "))
    for e in report.exemptions:
        out.append("")
        head = f"Unntak {e.number}: {', '.join(e.citations)}"
        out.append(paint(head, "1") + f"  →  {paint(e.verdict.label, VERDICT_COLORS[e.verdict])}")
        out.extend(_wrap(e.summary, "    ", "  "))
        for r in e.reasons:
            out.extend(_wrap(r.text, "      ", f"  {REASON_MARKS[r.kind]} "))
        for p in e.provisions:
            out.extend(_provision_text(p, paint))
        for err in e.errors:
            out.extend(_wrap(err.message, "      ", "  ! "))
            if err.suggestions:
                out.extend(_wrap("Mente du: " + "; ".join(err.suggestions) + "?", "      "))
    if report.conditions:
        out.append("")
        out.append(paint("Vilkår for forsøket (forsøksloven)", "1"))
        for c in report.conditions:
            out.extend(_wrap(f"{c.title}: {c.detail}", "      ",
                             f"  [{CONDITION_MARKS[c.status]}] "))
    if report.approvers:
        out.append("")
        out.append(paint("Godkjenning", "1"))
        for a in report.approvers:
            out.extend(_wrap(f"{a.name}: {a.why}", "    ", "  - "))
    if report.routes:
        out.append("")
        out.append(paint("Veier videre", "1"))
        for r in report.routes:
            nums = ", ".join(str(n) for n in r.exemptions)
            line = f"{r.name} (unntak {nums})" + (f": godkjennes av {r.approver}" if r.approver else "")
            out.extend(_wrap(line, "    ", "  - "))
            for lim in r.limits:
                out.extend(_wrap(f"grense: {lim}", "        ", "      "))
            if r.note:
                out.extend(_wrap(r.note, "      "))
    if report.next_steps:
        out.append("")
        out.append(paint("Neste steg", "1"))
        for i, step in enumerate(report.next_steps, 1):
            out.extend(_wrap(step, "     ", f"  {i}. "))
    if report.errors:
        out.append("")
        out.append(paint("Feil i søknaden", "1;31"))
        for err in report.errors:
            where = ":".join(str(x) for x in (err.file, err.line, err.column) if x is not None)
            out.extend(_wrap((f"{where}: " if where else "") + err.message, "      ", "  ! "))
    if trace:
        out.append("")
        out.append(paint("Subsumsjon (hvilken regel ble brukt på hvilke fakta)", "1"))
        out.extend(render_trace(report.trace).splitlines())
    out.append("")
    out.append(f"Kunnskapsbase: {report.knowledge_base}. Regelsjekk er et hjelpemiddel, ikke en "
               f"juridisk betenkning.")
    return "\n".join(out) + "\n"


def _provision_text(p: ProvisionResult, paint) -> list[str]:
    head = f"  • {p.citation}" + (f" ({p.heading})" if p.heading else "")
    label = p.verdict.label + (f", sannsynlig {p.likely.label.lower()}" if p.likely else "")
    out = [head + f" — {paint(label, VERDICT_COLORS[p.verdict])}{_sure(p.verdict, p.certainty)}"]
    for r in p.reasons:
        out.extend(_wrap(r.text + _rule(r), "        ",
                         f"      {REASON_MARKS[r.kind]} {REASON_LABELS[r.kind]}: "))
    return out


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
    (webapp.common.md_escape).
    """
    if not text:
        return ""
    text = html.escape(str(text), quote=False)
    for ch in _MD_MARKUP + extra:  # the backslash first, so added backslashes stay single
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _cite_urls(ids: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Each cited id with its lovdata.no address (None for an id that has none)."""
    from regelsjekk.core.ids import lovdata_url

    for i in ids:
        try:
            yield i, lovdata_url(i)
        except ValueError:
            yield i, None


def _md_cites(ids: Iterable[str]) -> str:
    return ", ".join(f"[{md_escape(i)}]({url})" if url else md_escape(i) for i, url in _cite_urls(ids))


def render_markdown(report: Report) -> str:
    out: list[str] = [f"# {md_escape(report.title)}", ""]
    out.append("**Søker:** " + ", ".join(f"{md_escape(a.name)} ({a.kind.replace('_', ' ')})"
                                         for a in report.applicants) + "  ")
    out.append(f"**Resultat:** {report.verdict_label}{_sure(report.verdict, report.certainty)}")
    out.extend(["", md_escape(report.summary), ""])
    for e in report.exemptions:
        out.append(f"## Unntak {e.number}: {md_escape(', '.join(e.citations))} — {e.verdict.label}")
        out.extend(["", md_escape(e.summary), ""])
        if e.replacement:
            out.extend([f"*Erstatningsregel:* {md_escape(e.replacement)}", ""])
        for r in e.reasons:
            out.append(f"- **{REASON_LABELS[r.kind]}:** {md_escape(r.text)}")
        for p in e.provisions:
            label = p.verdict.label + (f", sannsynlig {p.likely.label.lower()}" if p.likely else "")
            out.append(f"### [{md_escape(p.citation)}]({p.url}) — {label}{_sure(p.verdict, p.certainty)}")
            if p.heading:
                out.append(f"*{md_escape(p.heading)}*")
            out.append("")
            for r in p.reasons:
                rule = f" — `{md_escape(str(r.rule))}`" if r.rule else ""
                cites = f" ({_md_cites(r.cites)})" if r.cites else ""
                out.append(f"- **{REASON_LABELS[r.kind]}:** {md_escape(r.text)}{cites}{rule}")
            out.append("")
        for err in e.errors:
            sugg = f" Mente du: {md_escape('; '.join(err.suggestions))}?" if err.suggestions else ""
            out.append(f"- **Feil:** {md_escape(err.message)}{sugg}")
        out.append("")
    if report.conditions:
        out.extend(["## Vilkår for forsøket (forsøksloven)", "", "| Vilkår | Status | Merknad |",
                    "|---|---|---|"])
        for c in report.conditions:
            out.append(f"| **{md_escape(c.title)}** {md_escape(c.text)} ({_md_cites(c.cites)}) | "
                       f"{CONDITION_LABELS[c.status]} | {md_escape(c.detail)} |")
        out.append("")
    if report.approvers:
        out.extend(["## Godkjenning", ""])
        out.extend(f"- **{md_escape(a.name)}:** {md_escape(a.why)}" for a in report.approvers)
        out.append("")
    if report.routes:
        out.extend(["## Veier videre", ""])
        for r in report.routes:
            nums = ", ".join(str(n) for n in r.exemptions)
            out.append(f"- **{md_escape(r.name)}** (unntak {nums})"
                       + (f": godkjennes av {md_escape(r.approver)}" if r.approver else "")
                       + (f". {md_escape(r.note)}" if r.note else ""))
            out.extend(f"  - grense: {md_escape(lim)}" for lim in r.limits)
        out.append("")
    if report.next_steps:
        out.extend(["## Neste steg", ""])
        out.extend(f"{i}. {md_escape(s)}" for i, s in enumerate(report.next_steps, 1))
        out.append("")
    out.extend(["## Subsumsjon", "", *_md_trace(report.trace), ""])
    out.append(f"*Kunnskapsbase: {report.knowledge_base}. Regelsjekk er et hjelpemiddel, ikke en "
               f"juridisk betenkning.*")
    return "\n".join(out) + "\n"


def _md_trace(node: TraceNode, depth: int = 0) -> list[str]:
    """The trace as a nested list (escaped like the rest, so no user text becomes markup)."""
    pad = "  " * depth
    line = f"{pad}- {md_escape(node.label)}" + (f" ⇒ **{md_escape(node.result)}**" if node.result else "")
    if node.rule:
        line += f" — `{md_escape(str(node.rule))}`"
    out = [line]
    out.extend(f"{pad}  - *{md_escape(fact)}*" for fact in node.facts)
    for child in node.children:
        out.extend(_md_trace(child, depth + 1))
    return out


# -- HTML --------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1b1b1b}h1{font-size:1.6rem}.verdict{display:inline-block;padding:.2rem .6rem;
border-radius:.3rem;font-weight:600}.hjemmel,.krever_ikke_forsok{background:#d8f0dc}.annen_hjemmel{
background:#d6eef5}.delvis,.ma_vurderes{background:#fbeccb}.ikke_hjemmel{background:#f6d5d3}
.reason{margin:.2rem 0}.kind{font-weight:600}.rule{color:#555;font-size:.85em}table{border-collapse:
collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f5f5;padding:.6rem;overflow:auto}"""


def _h(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _cite_links(ids: Iterable[str]) -> str:
    return ", ".join(f'<a href="{_h(url)}">{_h(i)}</a>' if url else _h(i) for i, url in _cite_urls(ids))


def _reason_html(r: Reason) -> str:
    cites = f' <span class="rule">({_cite_links(r.cites)})</span>' if r.cites else ""
    rule = f' <span class="rule">[{_h(r.rule)}]</span>' if r.rule else ""
    return (f'<li class="reason"><span class="kind">{_h(REASON_LABELS[r.kind])}:</span> '
            f"{_h(r.text)}{cites}{rule}</li>")


def _html_page(title: str, bodies: list[str]) -> str:
    return "\n".join(["<!DOCTYPE html>", '<html lang="no"><head><meta charset="utf-8">',
                      f"<title>{_h(title)} – regelsjekk</title><style>{_CSS}</style></head><body>",
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
    v = report.verdict
    out = [_BODY_START, f"<article><h1>{_h(report.title)}</h1>",
           "<p>Søker: " + ", ".join(f"{_h(a.name)} ({_h(a.kind.replace('_', ' '))})"
                                    for a in report.applicants) + "</p>",
           f'<p><span class="verdict {_h(v.value)}">{_h(report.verdict_label)}</span> '
           f"{_h(_sure(report.verdict, report.certainty))}</p>", f"<p>{_h(report.summary)}</p>"]
    for e in report.exemptions:
        out.append(f'<section><h2>Unntak {e.number}: {_h(", ".join(e.citations))} '
                   f'<span class="verdict {_h(e.verdict.value)}">{_h(e.verdict.label)}</span></h2>')
        out.append(f"<p>{_h(e.summary)}</p>")
        if e.replacement:
            out.append(f"<p><em>Erstatningsregel:</em> {_h(e.replacement)}</p>")
        if e.reasons:
            out.append("<ul>" + "".join(_reason_html(r) for r in e.reasons) + "</ul>")
        for p in e.provisions:
            label = p.verdict.label + (f", sannsynlig {p.likely.label.lower()}" if p.likely else "")
            out.append(f'<h3><a href="{_h(p.url)}">{_h(p.citation)}</a>'
                       + (f" – {_h(p.heading)}" if p.heading else "")
                       + f' <span class="verdict {_h(p.verdict.value)}">{_h(label)}</span></h3>')
            out.append("<ul>" + "".join(_reason_html(r) for r in p.reasons) + "</ul>")
        for err in e.errors:
            sugg = f" Mente du: {_h('; '.join(err.suggestions))}?" if err.suggestions else ""
            out.append(f'<p class="error"><strong>Feil:</strong> {_h(err.message)}{sugg}</p>')
        out.append("</section>")
    if report.conditions:
        out.append("<h2>Vilkår for forsøket (forsøksloven)</h2><table><tr><th>Vilkår</th>"
                   "<th>Status</th><th>Merknad</th></tr>")
        for c in report.conditions:
            out.append(f"<tr><td><strong>{_h(c.title)}</strong> {_h(c.text)} "
                       f'<span class="rule">({_cite_links(c.cites)})</span></td>'
                       f"<td>{_h(CONDITION_LABELS[c.status])}</td>"
                       f"<td>{_h(c.detail)}</td></tr>")
        out.append("</table>")
    if report.approvers:
        out.append("<h2>Godkjenning</h2><ul>" + "".join(
            f"<li><strong>{_h(a.name)}:</strong> {_h(a.why)}</li>" for a in report.approvers) + "</ul>")
    if report.routes:
        out.append("<h2>Veier videre</h2><ul>")
        for r in report.routes:
            nums = ", ".join(str(n) for n in r.exemptions)
            limits = "".join(f"<li>grense: {_h(lim)}</li>" for lim in r.limits)
            out.append(f"<li><strong>{_h(r.name)}</strong> (unntak {_h(nums)})"
                       + (f": godkjennes av {_h(r.approver)}" if r.approver else "")
                       + (f". {_h(r.note)}" if r.note else "")
                       + (f"<ul>{limits}</ul>" if limits else "") + "</li>")
        out.append("</ul>")
    if report.next_steps:
        out.append("<h2>Neste steg</h2><ol>" + "".join(f"<li>{_h(s)}</li>"
                                                       for s in report.next_steps) + "</ol>")
    out.append("<details><summary>Subsumsjon</summary><pre>"
               f"{_h(render_trace(report.trace))}</pre></details>")
    out.append(f'<p class="rule">Kunnskapsbase: {_h(report.knowledge_base)}. Regelsjekk er et '
               f"hjelpemiddel, ikke en juridisk betenkning.</p></article>{_BODY_END}")
    return "\n".join(out)


# -- CSV (one row per request, for batches) ---------------------------------------------------

CSV_COLUMNS = ["fil", "tittel", "sokere", "resultat", "resultat_tekst", "sikkerhet", "unntak",
               "hjemmel", "annen_hjemmel", "ma_vurderes", "ikke_hjemmel", "krever_ikke_forsok",
               "feil", "sammendrag", "neste_steg"]


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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


def render_csv(rows: Iterable[tuple[str, Report]], header: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for file, report in rows:
        writer.writerow(csv_row(file, report))
    return buf.getvalue()
