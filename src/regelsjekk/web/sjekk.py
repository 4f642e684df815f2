"""Sjekk idé: a guided form for municipalities, the request as text beside it, and the verdict.

The form builds a Request; the same Request is shown in the request language (editable), checked,
and offered for download with the report and a draft lokal forskrift.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from pydantic import ValidationError

from regelsjekk.batch.runner import check_text
from regelsjekk.check.checker import check
from regelsjekk.forslag.routes import suggest_routes
from regelsjekk.forslag.suggest import suggest
from regelsjekk.lookup.picker import find_provisions
from regelsjekk.refs import format_citation
from regelsjekk.report.render import render, render_bytes
from regelsjekk.request.load import format_request, load_request_text
from regelsjekk.request.model import (
    Aim,
    Applicant,
    ApplicantKind,
    Effect,
    Exemption,
    Period,
    Request,
)
from regelsjekk.web import draft
from regelsjekk.web.answer import show_report
from regelsjekk.web.common import (
    error_block,
    get_kb,
    md_escape,
    md_escape_lines,
    provision_link,
    validation_messages,
)
from regelsjekk.web.i18n import page_name, t

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

def kind_label(kind: ApplicantKind) -> str:
    return t(f"kind.{kind.value}")


def aim_label(aim: Aim) -> str:
    return t(f"aim.{aim.value}")


def effect_label(effect: Effect) -> str:
    return t(f"effect.{effect.value}")


# forslag's BM25F scores are for ordering only, but the best one says how well the idea met the
# rules at all. On the four evaluation sets (tests/forslag, 141 ideas) 9 have a best score under 5
# (most missing what a lawyer expected); "gratis kaffe til ansatte" scores 4.6, ideas that name
# their area ("barnehage åpningstid", "felles legevakt") 9-11. Under this line: "Svake treff".
WEAK_SCORE = 5.0


def _state() -> dict:
    draft.defaults()
    return st.session_state


def _suggestions(kb) -> None:
    """Step one for most municipalities: describe the idea, get the provisions it likely meets."""
    ss = _state()
    st.markdown(t("sugg.lead"))
    # A form: the text is sent with the button, so the first click works (no wait for blur).
    with st.form("forslag_skjema", border=False):
        st.text_area(t("sugg.idea"), key="idea", height=80, placeholder=t("sugg.idea.placeholder"))
        asked = st.form_submit_button(t("sugg.ask"))
    if asked:
        idea = (ss.get("idea") or "").strip()
        if not idea:
            st.warning(t("sugg.empty_idea"))
            ss.pop("suggested", None)
        else:
            with st.spinner(t("sugg.searching")):
                ss["suggested"] = suggest(idea, kb, limit=8)
                ss["suggested_routes"] = suggest_routes(idea, ss["suggested"], kb)
            ss["suggested_for"] = idea
    if "suggested" not in ss:
        return
    found = ss["suggested"]
    if not found:
        st.info(t("sugg.none"))
        return
    if found[0].score < WEAK_SCORE:
        st.warning(t("sugg.weak"))
    for cand in found:
        cols = st.columns([5, 1])
        tags = f" · {', '.join(cand.tag_labels)}" if cand.tag_labels else ""
        cols[0].markdown(f"{provision_link(cand.node_id, cand.citation)}"
                         f"{' – ' + md_escape(cand.heading) if cand.heading else ''}{md_escape(tags)}  \n"
                         f"*{md_escape(cand.reason)}*")
        if cols[1].button(t("sugg.add"), key=f"sugg_{cand.node_id}", disabled=cand.node_id in ss.picked,
                          help=t("sugg.add.help", what=cand.citation)):
            ss.picked.append(cand.node_id)
            st.rerun()
    routes = ss.get("suggested_routes", [])
    if routes:
        st.markdown(t("sugg.routes"))
        st.markdown("\n".join(
            f"- {provision_link(r.provision, r.name)}: {md_escape(r.reason)}"
            + (f" *{t('sugg.approver', who=md_escape(r.approver))}*" if r.approver else "")
            for r in routes))


def _picker(kb) -> None:
    ss = _state()
    st.markdown(t("pick.lead"))
    query = st.text_input(t("pick.search"), key="pick_query")
    if query:
        with st.spinner(t("pick.searching")):
            candidates = find_provisions(query, kb, limit=8)
        if not candidates:
            st.info(t("pick.none"))
        for cand in candidates:
            cols = st.columns([5, 1])
            cols[0].markdown(md_escape(cand.label))
            if cols[1].button(t("sugg.add"), key=f"add_{cand.node_id}", disabled=cand.node_id in ss.picked,
                              help=t("sugg.add.help", what=cand.label)):
                ss.picked.append(cand.node_id)
                draft.defaults()
                st.rerun()
    for node_id in list(ss.picked):
        eff, rep, saf = draft.exemption_keys(node_id)
        with st.container(border=True):
            cols = st.columns([5, 1])
            cited = format_citation(node_id, kb)
            cols[0].markdown(f"**{provision_link(node_id, cited)}**")
            if cols[1].button(t("pick.remove"), key=f"del_{node_id}", help=t("pick.remove.help", what=cited)):
                ss.picked.remove(node_id)
                st.rerun()
            st.selectbox(t("pick.effect", cited=cited), list(Effect), key=eff,
                         placeholder=t("pick.effect.placeholder"), 
                         format_func={e: effect_label(e) for e in Effect}.__getitem__)
            st.text_area(t("pick.replacement", cited=cited), key=rep, height=80)
            st.text_area(t("pick.safeguard", cited=cited), key=saf, height=68)


def parse_start(text: str | None) -> date | None:
    """The start date as typed: 2025-01-01, 1.1.2025 or 01.01.2025; ValueError in Norwegian."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if "." in text:
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(t("sjekk.start.bad", text=text)) from None


def _request_from_form(kb) -> Request:
    ss = st.session_state
    applicants = [Applicant(navn=line.strip(), type=ss.get("app_kind", ApplicantKind.KOMMUNE))
                  for line in (ss.get("app_names") or "").splitlines() if line.strip()]
    period = None
    if ss.get("years"):
        try:
            start = parse_start(ss.get("start"))
        except ValueError:
            start = None  # page() reports it beside the other problems
        period = Period(start=start, varighet_ar=float(ss["years"]),
                        forlengelse_ar=float(ss["ext"]) if ss.get("ext") else None,
                        reform=ss.get("reform") or None)
    exemptions = []
    for node_id in ss.get("picked", []):
        eff, rep, saf = draft.exemption_keys(node_id)
        exemptions.append(Exemption(bestemmelser=[format_citation(node_id, kb)],
                                    virkning=ss.get(eff, Effect.INGEN),
                                    erstatning=ss.get(rep) or None,
                                    rettssikkerhet=ss.get(saf) or None))
    return Request(tittel=ss.get("title") or t("sjekk.untitled"), sokere=applicants,
                   formal=ss.get("purpose") or None, mal=list(ss.get("aims") or []), periode=period,
                   enheter=int(ss["units"]) if ss.get("units") else None,
                   enheter_begrunnelse=ss.get("units_why") or None,
                   evaluering=ss.get("evaluation") or None,
                   samarbeid=ss.get("cooperation") or None,
                   # An unticked box means "not documented yet", not "no".
                   reversibel=ss.get("reversible") or None,
                   vedtak_kommunestyre=ss.get("council") or None,
                   horing=ss.get("hearing") or None, unntak=exemptions)


def _slug(request: Request) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in request.tittel.lower()).strip("-")[:40] or "soknad"


def _open_draft() -> None:
    """«Åpne utkast»: a .forsok or .json file into the form (a callback: runs before the widgets)."""
    ss = st.session_state
    upload = ss.get("open_draft")
    ss["draft_messages"] = []
    if upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        ss["draft_messages"] = [("error", t("draft.not_utf8", name=upload.name))]
        return
    result = load_request_text(text, upload.name)
    if result.errors or not result.requests:
        problems = [str(e) for e in result.errors] or [t("draft.no_request", name=upload.name)]
        ss["draft_messages"] = [("code", p) for p in problems]
        return
    notes = draft.apply_request(result.requests[0], get_kb(), today=date.today())
    if len(result.requests) > 1:
        notes.insert(0, t("draft.many", n=len(result.requests)))
    ss["draft_messages"] = [("success", t("draft.opened", title=result.requests[0].tittel, name=upload.name))]
    ss["draft_messages"] += [("warning", n) for n in notes]
    ss["draft_messages"] += [("warning", str(w)) for w in result.warnings]
    ss.pop("last", None)


def _draft_files(form_request: Request | None) -> None:
    """Lagre utkast / Åpne utkast, at the top of the form."""
    with st.expander(t("draft.box"), expanded=bool(st.session_state.get("draft_messages"))):
        st.caption(t("draft.in_address"))
        c1, c2 = st.columns(2)
        if form_request is not None:
            slug = _slug(form_request)
            c1.download_button(t("draft.save_forsok"), format_request(form_request), f"{slug}.forsok",
                               "text/plain", key="save_forsok")
            c2.download_button(t("draft.save_json"), form_request.model_dump_json(indent=2),
                               f"{slug}.json", "application/json", key="save_json")
        else:
            st.caption(t("draft.need_applicant"))
        st.file_uploader(t("draft.open"), type=["forsok", "json", "txt"],
                         key="open_draft", on_change=_open_draft)
        st.caption(t("draft.open.help"))
        for kind, message in st.session_state.get("draft_messages", []):
            if kind == "code":
                error_block(message)
            else:
                getattr(st, kind)(md_escape(message))


def _downloads(request: Request, report) -> None:
    slug = _slug(request)
    st.subheader(t("dl.heading"))
    with st.spinner(t("dl.making")):
        report_docx = render_bytes(report, "docx")
        forskrift_docx = render_bytes(report, "forskrift-docx")
    cols = st.columns(4)
    cols[0].download_button(t("dl.report_docx"), report_docx, f"{slug}-rapport.docx",
                            DOCX_MIME)
    cols[1].download_button(t("dl.forskrift_docx"), forskrift_docx,
                            f"{slug}-forskrift.docx", DOCX_MIME)
    cols[2].download_button(t("dl.request_forsok"), format_request(request), f"{slug}.forsok", "text/plain")
    cols[3].download_button(t("dl.request_json"), request.model_dump_json(indent=2), f"{slug}.json",
                            "application/json")
    more = st.columns(3)
    more[0].download_button(t("dl.report_md"), render(report, "md"), f"{slug}-rapport.md",
                            "text/markdown")
    more[1].download_button(t("dl.report_html"), render(report, "html"), f"{slug}-rapport.html",
                            "text/html")
    more[2].download_button(t("dl.forskrift_text"), render(report, "forskrift"),
                            f"{slug}-forskrift.txt", "text/plain")


def page() -> None:
    kb = get_kb()
    _state()
    st.header(page_name(draft.FORM_PAGE))
    st.markdown(t("sjekk.intro"))
    # Session state holds the form's values before its widgets are drawn, so the request (and
    # "Lagre utkast") can be made first.
    try:
        form_request, form_problems = _request_from_form(kb), []
    except ValidationError as exc:
        form_request, form_problems = None, validation_messages(exc)
    try:
        parse_start(st.session_state.get("start"))
    except ValueError as exc:  # the start date as typed
        form_request, form_problems = None, [*form_problems, str(exc)]
    left, right = st.columns([3, 2])
    with left:
        _draft_files(form_request)
        st.text_input(t("sjekk.title"), key="title")
        st.text_area(t("sjekk.applicants"), key="app_names", height=68,
                     placeholder="Grong kommune\nLierne kommune")
        st.selectbox(t("sjekk.kind"), list(ApplicantKind), key="app_kind",
                     placeholder=t("sjekk.kind.placeholder"), 
                     format_func={k: kind_label(k) for k in ApplicantKind}.__getitem__)
        st.text_area(t("sjekk.purpose"), key="purpose", height=80)
        st.multiselect(t("sjekk.aims"), list(Aim), key="aims", 
                       format_func={a: aim_label(a) for a in Aim}.__getitem__,
                       placeholder=t("sjekk.aims.placeholder"))
        c1, c2, c3 = st.columns(3)
        # A text field, not st.date_input: its calendar speaks English and cannot be translated.
        c1.text_input(t("sjekk.start"), key="start", placeholder=t("sjekk.start.placeholder"))
        c2.number_input(t("sjekk.years"), key="years", min_value=0.0, max_value=10.0, step=0.5)
        c3.number_input(t("sjekk.ext"), key="ext", min_value=0.0, max_value=10.0, step=0.5)
        st.text_input(t("sjekk.reform"), key="reform")
        c1, c2 = st.columns([1, 3])
        c1.number_input(t("sjekk.units"), key="units", min_value=0, step=1)
        c2.text_input(t("sjekk.units_why"), key="units_why")
        st.text_area(t("sjekk.evaluation"), key="evaluation", height=68)
        st.text_area(t("sjekk.cooperation"), key="cooperation", height=68)
        # Not help=: Streamlit labels its tooltip button in English ("Help for …").
        st.caption(t("sjekk.cooperation.help"))
        c1, c2, c3 = st.columns(3)
        c1.checkbox(t("sjekk.reversible"), key="reversible")
        c2.checkbox(t("sjekk.council"), key="council")
        c3.checkbox(t("sjekk.hearing"), key="hearing")
        _suggestions(kb)
        _picker(kb)

    with right:
        st.markdown(t("sjekk.as_text"))
        generated = format_request(form_request) if form_request else ""
        # No key: a new generated text (the form changed) replaces the box; edits survive reruns.
        text = st.text_area(t("sjekk.text"), value=generated, height=420, label_visibility="collapsed")

    c1, c2 = st.columns(2)
    check_form = c1.button(t("sjekk.check_form"), type="primary")
    check_text_clicked = c2.button(t("sjekk.check_text"))
    request = None
    if check_form:
        if form_request is None:
            st.error(t("sjekk.incomplete") + "  \n" + "  \n".join(md_escape(p) for p in form_problems))
        else:
            request = form_request
    report = None
    if check_text_clicked:
        with st.spinner(t("sjekk.checking")):
            done = check_text(text, "søknad.forsok", kb, today=date.today())
        for message in done.errors:
            error_block(message)
        for message in done.warnings:
            st.warning(md_escape_lines(message))
        if done.reports:
            request, report = done.result.requests[0], done.reports[0]
            if len(done.reports) > 1:
                st.info(t("sjekk.many_in_text", n=len(done.reports)))
    elif request is not None:
        with st.spinner(t("sjekk.checking")):
            report = check(request, kb, today=date.today())
    if request is not None and report is not None:
        st.session_state["last"] = (request, report)
    if "last" in st.session_state:
        request, report = st.session_state["last"]
        st.divider()
        show_report(report)
        _downloads(request, report)
