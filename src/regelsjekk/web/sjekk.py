"""Sjekk idé: a guided form for municipalities, the request as text beside it, and the verdict.

The form builds a Request; the same Request is shown in the request language (editable), checked,
and offered for download with the report and a draft lokal forskrift.
"""

from __future__ import annotations

import datetime as dt
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
from regelsjekk.request.load import format_request
from regelsjekk.request.model import (
    Aim,
    Applicant,
    ApplicantKind,
    Effect,
    Exemption,
    Period,
    Request,
)
from regelsjekk.web.answer import show_report
from regelsjekk.web.common import get_kb, md_escape, md_escape_lines, provision_link

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KIND_LABELS = {ApplicantKind.KOMMUNE: "Kommune", ApplicantKind.FYLKESKOMMUNE: "Fylkeskommune",
               ApplicantKind.STATLIG_REGIONAL: "Statlig organ, regionalt eller lokalt (f.eks. statsforvalteren)",
               ApplicantKind.STATLIG_SENTRAL: "Statlig organ, sentralt (departement, direktorat)",
               ApplicantKind.STATLIG_ORGAN: "Statlig organ (nivå ikke oppgitt)",
               ApplicantKind.PRIVAT: "Privat virksomhet"}
AIM_LABELS = {Aim.ORGANISERING: "Bedre organisering og drift", Aim.OPPGAVEFORDELING: "Bedre oppgavefordeling",
              Aim.TJENESTEYTING: "Bedre tjenester til innbyggerne", Aim.RESSURSUTNYTTELSE: "Bedre ressursutnyttelse",
              Aim.DEMOKRATI: "Gode demokratiske styringsformer"}
EFFECT_LABELS = {Effect.INGEN: "Ingen virkning for enkeltpersoner",
                 Effect.UTVIDER_RETTIGHET: "Gir enkeltpersoner flere rettigheter",
                 Effect.INNSKRENKER_RETTIGHET: "Innskrenker rettigheter",
                 Effect.LETTER_PLIKT: "Letter plikter for enkeltpersoner",
                 Effect.UTVIDER_PLIKT: "Gir enkeltpersoner nye eller større plikter"}


def _state() -> dict:
    ss = st.session_state
    ss.setdefault("picked", [])  # list of node ids to set aside
    return ss


def _suggestions(kb) -> None:
    """Step one for most municipalities: describe the idea, get the provisions it likely meets."""
    ss = _state()
    st.markdown("**Usikker på hvilke regler idéen støter mot?** Beskriv den med egne ord.")
    idea = st.text_area("Beskriv idéen", key="idea", height=80,
                        placeholder="Fire små kommuner vil drive en felles legetjeneste som kan "
                                    "fatte vedtak for alle fire.")
    if st.button("Foreslå bestemmelser", disabled=not idea.strip()):
        ss["suggested"] = suggest(idea, kb, limit=8)
        ss["suggested_routes"] = suggest_routes(idea, ss["suggested"], kb)
    for cand in ss.get("suggested", []):
        cols = st.columns([5, 1])
        tags = f" · {', '.join(cand.tag_labels)}" if cand.tag_labels else ""
        cols[0].markdown(f"{provision_link(cand.node_id, cand.citation)}"
                         f"{' – ' + md_escape(cand.heading) if cand.heading else ''}{md_escape(tags)}  \n"
                         f"*{md_escape(cand.reason)}*")
        if cols[1].button("Legg til", key=f"sugg_{cand.node_id}", disabled=cand.node_id in ss.picked):
            ss.picked.append(cand.node_id)
            st.rerun()
    routes = ss.get("suggested_routes", [])
    if routes and ss.get("suggested"):
        st.markdown("**Mulige veier** (forsøkshjemler som kan bære idéen; sjekken avgjør)")
        st.markdown("\n".join(
            f"- {provision_link(r.provision, r.name)}: {md_escape(r.reason)}"
            + (f" *Godkjenner: {md_escape(r.approver)}*" if r.approver else "") for r in routes))


def _picker(kb) -> None:
    ss = _state()
    st.markdown("**Bestemmelser dere vil ha unntak fra**")
    query = st.text_input("Søk etter bestemmelse (f.eks. «kommuneloven § 19-1» eller «oppgavefellesskap»)",
                          key="pick_query")
    if query:
        candidates = find_provisions(query, kb, limit=8)
        if not candidates:
            st.info("Fant ingen bestemmelse som passer. Prøv lovens navn og paragrafnummer.")
        for cand in candidates:
            cols = st.columns([5, 1])
            cols[0].markdown(md_escape(cand.label))
            if cols[1].button("Legg til", key=f"add_{cand.node_id}", disabled=cand.node_id in ss.picked):
                ss.picked.append(cand.node_id)
                st.rerun()
    for node_id in list(ss.picked):
        with st.container(border=True):
            cols = st.columns([5, 1])
            cols[0].markdown(f"**{md_escape(format_citation(node_id, kb))}**")
            if cols[1].button("Fjern", key=f"del_{node_id}"):
                ss.picked.remove(node_id)
                st.rerun()
            st.selectbox("Virkning for enkeltpersoner", list(Effect), key=f"eff_{node_id}",
                         format_func=lambda e: EFFECT_LABELS[e])
            st.text_area("Hva skal gjelde i stedet (erstatningsregel)?", key=f"rep_{node_id}", height=80)
            st.text_area("Hvordan ivaretas rettssikkerheten (for saksbehandlingsregler)?",
                         key=f"saf_{node_id}", height=68)


def _request_from_form(kb) -> Request:
    ss = st.session_state
    applicants = [Applicant(navn=line.strip(), type=ss.get("app_kind", ApplicantKind.KOMMUNE))
                  for line in (ss.get("app_names") or "").splitlines() if line.strip()]
    period = None
    if ss.get("years"):
        period = Period(start=ss.get("start"), varighet_ar=float(ss["years"]),
                        forlengelse_ar=float(ss["ext"]) if ss.get("ext") else None,
                        reform=ss.get("reform") or None)
    exemptions = [Exemption(bestemmelser=[format_citation(node_id, kb)],
                            virkning=ss.get(f"eff_{node_id}", Effect.INGEN),
                            erstatning=ss.get(f"rep_{node_id}") or None,
                            rettssikkerhet=ss.get(f"saf_{node_id}") or None)
                  for node_id in ss.get("picked", [])]
    return Request(tittel=ss.get("title") or "Uten tittel", sokere=applicants,
                   formal=ss.get("purpose") or None, mal=list(ss.get("aims") or []), periode=period,
                   enheter=int(ss["units"]) if ss.get("units") else None,
                   enheter_begrunnelse=ss.get("units_why") or None,
                   evaluering=ss.get("evaluation") or None,
                   # An unticked box means "not documented yet", not "no".
                   reversibel=ss.get("reversible") or None,
                   vedtak_kommunestyre=ss.get("council") or None,
                   horing=ss.get("hearing") or None, unntak=exemptions)


def _downloads(request: Request, report) -> None:
    slug = "".join(ch if ch.isalnum() else "-" for ch in request.tittel.lower()).strip("-")[:40] or "soknad"
    cols = st.columns(4)
    cols[0].download_button("Rapport (Word)", render_bytes(report, "docx"), f"{slug}-rapport.docx",
                            DOCX_MIME)
    cols[1].download_button("Utkast til lokal forskrift (Word)", render_bytes(report, "forskrift-docx"),
                            f"{slug}-forskrift.docx", DOCX_MIME)
    cols[2].download_button("Søknad (.forsok)", format_request(request), f"{slug}.forsok", "text/plain")
    cols[3].download_button("Søknad (JSON)", request.model_dump_json(indent=2), f"{slug}.json",
                            "application/json")
    more = st.columns(3)
    more[0].download_button("Rapport (Markdown)", render(report, "md"), f"{slug}-rapport.md",
                            "text/markdown")
    more[1].download_button("Rapport (HTML)", render(report, "html"), f"{slug}-rapport.html",
                            "text/html")
    more[2].download_button("Utkast til forskrift (tekst)", render(report, "forskrift"),
                            f"{slug}-forskrift.txt", "text/plain")


def page() -> None:
    kb = get_kb()
    st.header("Sjekk idé")
    st.markdown("Beskriv forsøket dere vil søke om, velg bestemmelsene dere vil ha unntak fra, "
                "og få svar på om forsøksloven (eller en annen forsøkshjemmel) gir hjemmel — med begrunnelse.")
    left, right = st.columns([3, 2])
    with left:
        st.text_input("Tittel på forsøket", key="title")
        st.text_area("Søker(e): én per linje", key="app_names", height=68,
                     placeholder="Grong kommune\nLierne kommune")
        st.selectbox("Type søker", list(ApplicantKind), key="app_kind", format_func=lambda k: KIND_LABELS[k])
        st.text_area("Formål: hva vil dere oppnå?", key="purpose", height=80)
        st.multiselect("Mål etter forsøksloven § 1", list(Aim), key="aims", format_func=lambda a: AIM_LABELS[a])
        c1, c2, c3 = st.columns(3)
        c1.date_input("Oppstart", key="start", value=None, min_value=dt.date(2020, 1, 1))
        c2.number_input("Varighet (år)", key="years", min_value=0.0, max_value=10.0, step=0.5, value=4.0)
        c3.number_input("Planlagt forlengelse (år)", key="ext", min_value=0.0, max_value=10.0, step=0.5)
        st.text_input("Reform forsøket venter på (valgfritt)", key="reform")
        c1, c2 = st.columns([1, 3])
        c1.number_input("Antall forsøksenheter", key="units", min_value=0, step=1, value=1)
        c2.text_input("Hvorfor så mange enheter?", key="units_why")
        st.text_area("Evalueringsplan", key="evaluation", height=68)
        c1, c2, c3 = st.columns(3)
        c1.checkbox("Forsøket kan reverseres", key="reversible")
        c2.checkbox("Vedtas av kommunestyret/fylkestinget", key="council")
        c3.checkbox("Lokal forskrift sendes på høring", key="hearing")
        _suggestions(kb)
        _picker(kb)

    try:
        form_request = _request_from_form(kb)
        form_error = None
    except ValidationError as exc:
        form_request, form_error = None, exc

    with right:
        st.markdown("**Søknaden som tekst** (kan redigeres og sjekkes direkte)")
        generated = format_request(form_request) if form_request else ""
        # No key: a new generated text (the form changed) replaces the box; edits survive reruns.
        text = st.text_area("Søknadstekst", value=generated, height=420, label_visibility="collapsed")

    c1, c2 = st.columns(2)
    check_form = c1.button("Sjekk skjemaet", type="primary")
    check_text_clicked = c2.button("Sjekk teksten")
    request = None
    if check_form:
        if form_error is not None:
            st.error("Skjemaet er ikke komplett: " + md_escape("; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in form_error.errors())))
            st.info("Fyll inn minst tittel og én søker.")
        else:
            request = form_request
    report = None
    if check_text_clicked:
        done = check_text(text, "søknad.forsok", kb, today=date.today())
        for message in done.errors:
            st.error(md_escape_lines(message))
        for message in done.warnings:
            st.warning(md_escape_lines(message))
        if done.reports:
            request, report = done.result.requests[0], done.reports[0]
            if len(done.reports) > 1:
                st.info(f"Teksten inneholder {len(done.reports)} søknader; den første sjekkes her. "
                        "Bruk Batch-siden for flere.")
    elif request is not None:
        report = check(request, kb, today=date.today())
    if request is not None and report is not None:
        st.session_state["last"] = (request, report)
    if "last" in st.session_state:
        request, report = st.session_state["last"]
        st.divider()
        show_report(report)
        _downloads(request, report)
