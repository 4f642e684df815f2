"""Batch: a ministry lawyer uploads many applications (files or a zip) and gets one table.

Each file is parsed and checked on its own; a broken file shows its errors and the rest go on.
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from regelsjekk.batch.runner import check_text
from regelsjekk.batch.uploads import UploadLimits, read_uploads
from regelsjekk.report.render import render_csv
from regelsjekk.web.answer import show_report
from regelsjekk.web.common import get_kb, html_table, md_escape, md_escape_lines

LIMITS = UploadLimits()


def run_batch(items: list[tuple[str, bytes]], kb) -> tuple[list[dict], list[tuple[str, str]], dict]:
    """Check uploaded files; returns table rows, refusals/errors per file, and reports by row key."""
    upload = read_uploads(items, LIMITS)
    rows: list[dict] = []
    problems: list[tuple[str, str]] = list(upload.refused)
    reports: dict = {}
    for item in upload.files:
        try:
            done = check_text(item.text, item.name, kb, today=date.today())
            problems.extend((item.name, message) for message in [*done.errors, *done.warnings])
            parsed, checked = done.result, done.reports
        except Exception as exc:  # one broken file never stops the batch
            problems.append((item.name, f"{item.name}: intern feil under sjekken ({exc.__class__.__name__}). "
                                        "Meld gjerne fra med filen vedlagt."))
            continue
        if not parsed.requests and not parsed.errors:
            problems.append((item.name, f"{item.name}: filen inneholder ingen søknad."))
        for i, report in enumerate(checked, 1):
            row = {
                "Fil": item.name,
                "Nr.": i,
                "Tittel": report.title,
                "Søker": ", ".join(a.name for a in report.applicants),
                "Konklusjon": report.verdict_label,
                "Unntak": len(report.exemptions),
                "Feil": len(report.errors),
                "Sammendrag": report.summary,
            }
            rows.append(row)
            reports[_key(row)] = report
    return rows, problems, reports


def _key(row: dict) -> str:
    """A table row's key into the reports: file name and the request's number in it."""
    return f"{row['Fil']}#{row['Nr.']}"


def page() -> None:
    kb = get_kb()
    st.header("Batch")
    st.markdown(f"Last opp søknader (`.forsok` eller `.json`, eller en `.zip` med slike). "
                f"Inntil {LIMITS.max_files} filer, {LIMITS.max_file_bytes // 1024} kB per fil og "
                f"{LIMITS.max_total_bytes // (1024 * 1024)} MB totalt.")
    files = st.file_uploader("Søknadsfiler (.forsok, .json eller .zip)", type=["forsok", "json", "txt", "zip"],
                             accept_multiple_files=True, key="batch_files")
    if files:
        with st.spinner(f"Sjekker {len(files)} filer …"):
            st.session_state["batch"] = run_batch([(f.name, f.getvalue()) for f in files], kb)
    if "batch" not in st.session_state:
        return
    rows, problems, reports = st.session_state["batch"]
    for name, message in problems:
        st.error(md_escape_lines(message if message.startswith(name) else f"{name}: {message}"))
    if not rows:
        st.info("Ingen søknader kunne sjekkes.")
        return
    verdicts = sorted({r["Konklusjon"] for r in rows})
    chosen = st.multiselect("Vis konklusjoner", verdicts, default=verdicts,
                            placeholder="Velg konklusjoner som skal vises")
    shown = [r for r in rows if r["Konklusjon"] in chosen]
    if shown:
        # An HTML table (not the canvas of st.dataframe): read by screen readers, found by
        # Ctrl+F, copied as text; the verdict comes right after the title, so it is on screen.
        html_table([{"Fil": r["Fil"], "Nr.": r["Nr."], "Tittel": r["Tittel"],
                     "Konklusjon": r["Konklusjon"], "Søker": r["Søker"], "Unntak": r["Unntak"],
                     "Feil": r["Feil"], "Sammendrag": r["Sammendrag"]} for r in shown],
                   alt="Søknadene som er sjekket, med konklusjon")
    else:
        st.info("Ingen søknader med de valgte konklusjonene.")
    c1, c2 = st.columns(2)
    # The same columns as `regelsjekk sjekk --format csv`, with cells a spreadsheet will not run.
    # Excel's dialect: ';' and a BOM, so Norwegian Excel opens it in columns with æøå intact.
    c1.download_button("Last ned CSV (Excel)",
                       render_csv(((r["Fil"], reports[_key(r)]) for r in shown), excel=True),
                       "regelsjekk-batch.csv", "text/csv")
    c2.download_button("Last ned JSON",
                       json.dumps([reports[_key(r)].model_dump(mode="json") for r in shown],
                                  ensure_ascii=False, indent=2),
                       "regelsjekk-batch.json", "application/json")
    keys = [_key(r) for r in shown]
    pick = st.selectbox("Vis hele rapporten for", keys, index=None, placeholder="Velg en søknad")
    if pick:
        st.markdown(f"#### {md_escape(pick)}")
        show_report(reports[pick])
