"""Tidligere forsøk: the library of earlier trial regulations, searched and filtered.

Counsellors ask "has this been tried before, and by whom?". The page says first what the library
covers (so that an empty result is never read as "never tried"), then filters the trials by free
text, area, period, trial authority and applicant. Everything shown from the library is data read
from Lovtidend, so every text is escaped; only lovdata.no addresses become links.
"""

from __future__ import annotations

import re

import streamlit as st

from regelsjekk.core import ids
from regelsjekk.kb.trials import Trial, TrialLibrary, library
from regelsjekk.refs import format_citation
from regelsjekk.web.common import for_users, get_kb, md_escape, provision_link
from regelsjekk.web.i18n import page_name, t

ALL = "*"  # the filters' «alle» (shown in the målform)
LIMIT = 100
# A link target we are willing to put in Markdown: lovdata.no, nothing that can end the link early.
_SAFE_URL = re.compile(r"https://lovdata\.no/[^\s()<>\[\]\\`]*")


def trial_link(title: str | None, url: str | None) -> str:
    """A trial's title as a Markdown link to lovdata.no; any other address is not linked."""
    label = md_escape(title or url or "")
    if url and _SAFE_URL.fullmatch(url):
        return f"[{label}]({url})"
    return label


def _doc_link(lib: TrialLibrary, doc_id: str) -> str:
    """Another regulation in the library (an amendment) by title, else by its id."""
    other = lib.get(doc_id)
    if other is not None:
        return trial_link(other.title, other.url)
    return provision_link(doc_id)


def _citation(kb, node_id: str) -> str:
    try:
        return format_citation(node_id, kb)
    except ids.InvalidId:  # an id we cannot read is shown as it is
        return node_id


def _set_aside_lines(kb, lib: TrialLibrary, trial: Trial) -> list[str]:
    lines: list[str] = []
    for item in trial.set_aside:
        line = f"- «{md_escape(item.text)}»"
        if item.target:
            line += f" — {provision_link(item.target, _citation(kb, item.target))}"
        else:
            line += " — " + t("tid.no_id")
        if item.uncertain:
            line += " · " + t("tid.uncertain")
        if item.reason:
            line += f" ({md_escape(item.reason)})"
        if item.today:
            line += "  \n  " + t("tid.today") + ", ".join(provision_link(t, _citation(kb, t))
                                                for t in item.today)
        if item.today_note:
            line += f"  \n  *{md_escape(item.today_note)}*"
        lines.append(line)
    if not trial.set_aside:
        why = trial.none_reason or t("tid.none_named")
        lines.append(f"- {t('tid.none_with_id')}{md_escape(why)}")
    if trial.amends:
        lines.append("- " + t("tid.amends") + ", ".join(_doc_link(lib, a) for a in trial.amends))
    if trial.amended_by:
        lines.append("- " + t("tid.amended_by") + ", ".join(_doc_link(lib, a) for a in trial.amended_by))
    return lines


def show_trial(kb, lib: TrialLibrary, trial: Trial) -> None:
    kind = " " + t("tid.amendment") if trial.kind == "endring" else ""
    who = ", ".join(trial.applicants) or t("ans.no_applicant")
    meta = " · ".join(md_escape(str(p)) for p in (trial.year or t("ans.year_unknown"), who, trial.period))
    extra = []
    if trial.authority:
        extra.append(t("tid.authority_is") + ", ".join(provision_link(a, _citation(kb, a))
                                             for a in trial.authority))
    if trial.approver:
        extra.append(t("tid.approved_by", who=md_escape(trial.approver)))
    if trial.areas:
        extra.append(t("tid.areas") + md_escape(", ".join(trial.areas)))
    with st.container(border=True):
        st.markdown(f"**{trial_link(trial.title, trial.url)}**{kind}  \n{meta}")
        if extra:
            st.caption(" · ".join(extra))
        count = len(trial.set_aside)
        label = t("tid.set_aside", n=count) if count else t("tid.set_aside.none")
        with st.expander(f"{label} — {md_escape(trial.id)}"):
            st.markdown("\n".join(_set_aside_lines(kb, lib, trial)))


def _filters(kb, lib: TrialLibrary) -> dict:
    years = sorted({t.year for t in lib.trials.values() if t.year})
    everyone = t("tid.all")  # bound now: format_func may run outside this run
    c1, c2 = st.columns([3, 2])
    text = c1.text_input(t("tid.text"), key="trial_text", placeholder=t("tid.text.placeholder"))
    area = c2.selectbox(t("tid.area"), [ALL, *lib.areas()], key="trial_area",
                        placeholder=t("tid.area.placeholder"),
                        format_func=lambda a: everyone if a == ALL else a)
    c1, c2, c3 = st.columns([2, 2, 2])
    applicant = c1.text_input(t("tid.applicant"), key="trial_applicant")
    authority = c2.selectbox(t("tid.authority"), [ALL, *lib.authorities()], key="trial_authority",
                             placeholder=t("tid.authority.placeholder"),
                             format_func=lambda a: everyone if a == ALL else _citation(kb, a))
    span = (years[0], years[-1]) if years else (None, None)
    if years and years[0] < years[-1]:
        span = c3.slider(t("tid.years"), years[0], years[-1], (years[0], years[-1]),
                         key="trial_years")
    kostra = st.checkbox(t("tid.kostra"),
                         key="trial_kostra", value=False)
    return {"text": text or "", "area": None if area == ALL else area,
            # The whole span is no filter: trials whose year is unknown stay in.
            "year_from": span[0] if years and span[0] != years[0] else None,
            "year_to": span[1] if years and span[1] != years[-1] else None,
            "authority": None if authority == ALL else authority,
            "applicant": (applicant or "").strip() or None, "include_kostra": kostra}


def page() -> None:
    kb = get_kb()
    st.header(page_name("Tidligere forsøk"))
    lib = library(kb)
    st.info(md_escape(for_users(lib.coverage.sentence())))
    if not len(lib):
        if not kb.has_import:
            st.warning(t("tid.empty_builtin"))
        return
    st.caption(t("tid.background"))
    found = lib.search(**_filters(kb, lib))
    if not found:
        st.warning(t("tid.no_match"))
        return
    shown = found[:LIMIT]
    how = (t("tid.some", shown=len(shown), found=len(found)) if len(found) > LIMIT
           else t("tid.newest"))
    st.markdown(t("tid.count", n=len(found), how=how))
    for trial in shown:
        show_trial(kb, lib, trial)

