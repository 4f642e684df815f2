"""Batch: a ministry lawyer uploads many applications (files or a zip) and gets one table.

Each file is parsed and checked on its own; a broken file shows its errors and the rest go on.
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from regelsjekk.batch.runner import check_text
from regelsjekk.batch.uploads import UploadLimits, read_uploads
from regelsjekk.core.text import count
from regelsjekk.report.render import render_csv
from regelsjekk.web.answer import show_report
from regelsjekk.web.common import get_kb, html_table, md_escape, md_escape_lines
from regelsjekk.web.i18n import page_name, t

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
            problems.append((item.name, t("batch.internal", name=item.name, kind=exc.__class__.__name__)))
            continue
        if not parsed.requests and not parsed.errors:
            problems.append((item.name, t("draft.no_request", name=item.name)))
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
    st.header(page_name("Batch"))
    st.markdown(t("batch.intro", files=LIMITS.max_files, kb=LIMITS.max_file_bytes // 1024,
                  mb=LIMITS.max_total_bytes // (1024 * 1024)))
    files = st.file_uploader(t("batch.files"), type=["forsok", "json", "txt", "zip"],
                             accept_multiple_files=True, key="batch_files")
    if files:
        with st.spinner(t("batch.checking", files=count(len(files), t("batch.file"), t("batch.file_pl")))):
            st.session_state["batch"] = run_batch([(f.name, f.getvalue()) for f in files], kb)
    if "batch" not in st.session_state:
        return
    rows, problems, reports = st.session_state["batch"]
    for name, message in problems:
        st.error(md_escape_lines(message if message.startswith(name) else f"{name}: {message}"))
    if not rows:
        st.info(t("batch.nothing"))
        return
    verdicts = sorted({r["Konklusjon"] for r in rows})
    chosen = st.multiselect(t("batch.show"), verdicts, default=verdicts,
                            placeholder=t("batch.show.placeholder"))
    shown = [r for r in rows if r["Konklusjon"] in chosen]
    if shown:
        # An HTML table (not the canvas of st.dataframe): read by screen readers, found by
        # Ctrl+F, copied as text; the verdict comes right after the title, so it is on screen.
        columns = ("Fil", "Nr.", "Tittel", "Konklusjon", "Søker", "Unntak", "Feil", "Sammendrag")
        html_table([{t(f"col.{c}"): r[c] for c in columns} for r in shown], alt=t("batch.table.alt"))
    else:
        st.info(t("batch.none_shown"))
    c1, c2 = st.columns(2)
    # The same columns as `regelsjekk sjekk --format csv`, with cells a spreadsheet will not run.
    # Excel's dialect: ';' and a BOM, so Norwegian Excel opens it in columns with æøå intact.
    c1.download_button(t("batch.csv"),
                       render_csv(((r["Fil"], reports[_key(r)]) for r in shown), excel=True),
                       "regelsjekk-batch.csv", "text/csv")
    c2.download_button(t("batch.json"),
                       json.dumps([reports[_key(r)].model_dump(mode="json") for r in shown],
                                  ensure_ascii=False, indent=2),
                       "regelsjekk-batch.json", "application/json")
    keys = [_key(r) for r in shown]
    pick = st.selectbox(t("batch.report_for"), keys, index=None, placeholder=t("batch.report_for.placeholder"))
    if pick:
        st.markdown(f"#### {md_escape(pick)}")
        show_report(reports[pick])
