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
from regelsjekk.web.answer import show_report
from regelsjekk.web import draft
from regelsjekk.web.common import (
    error_block,
    get_kb,
    md_escape,
    md_escape_lines,
    provision_link,
    validation_messages,
)

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
    st.markdown("**Usikker på hvilke regler idéen støter mot?** Beskriv den med egne ord.")
    # A form: the text is sent with the button, so the first click works (no wait for blur).
    with st.form("forslag_skjema", border=False):
        st.text_area("Beskriv idéen", key="idea", height=80,
                     placeholder="Fire små kommuner vil drive en felles legetjeneste som kan "
                                 "fatte vedtak for alle fire.")
        asked = st.form_submit_button("Foreslå bestemmelser")
    if asked:
        idea = (ss.get("idea") or "").strip()
        if not idea:
            st.warning("Skriv noen ord om idéen først.")
            ss.pop("suggested", None)
        else:
            with st.spinner("Leter etter bestemmelser som kan passe …"):
                ss["suggested"] = suggest(idea, kb, limit=8)
                ss["suggested_routes"] = suggest_routes(idea, ss["suggested"], kb)
            ss["suggested_for"] = idea
    if "suggested" not in ss:
        return
    found = ss["suggested"]
    if not found:
        st.info("Ingen treff: ingen bestemmelse i kunnskapsbasen passer ordene. Beskriv idéen med "
                "andre ord, eller søk etter bestemmelsen under.")
        return
    if found[0].score < WEAK_SCORE:
        st.warning("Svake treff: forslagene passer dårlig til beskrivelsen og er trolig ikke "
                   "bestemmelsene idéen støter mot. Beskriv hva som skal gjøres annerledes enn "
                   "reglene sier, eller søk etter bestemmelsen under.")
    for cand in found:
        cols = st.columns([5, 1])
        tags = f" · {', '.join(cand.tag_labels)}" if cand.tag_labels else ""
        cols[0].markdown(f"{provision_link(cand.node_id, cand.citation)}"
                         f"{' – ' + md_escape(cand.heading) if cand.heading else ''}{md_escape(tags)}  \n"
                         f"*{md_escape(cand.reason)}*")
        if cols[1].button("Legg til", key=f"sugg_{cand.node_id}", disabled=cand.node_id in ss.picked,
                          help=f"Legg til {cand.citation}"):
            ss.picked.append(cand.node_id)
            st.rerun()
    routes = ss.get("suggested_routes", [])
    if routes:
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
        with st.spinner("Søker …"):
            candidates = find_provisions(query, kb, limit=8)
        if not candidates:
            st.info("Ingen treff. Prøv lovens navn og paragrafnummer, f.eks. «kommuneloven § 19-1».")
        for cand in candidates:
            cols = st.columns([5, 1])
            cols[0].markdown(md_escape(cand.label))
            if cols[1].button("Legg til", key=f"add_{cand.node_id}", disabled=cand.node_id in ss.picked,
                              help=f"Legg til {cand.label}"):
                ss.picked.append(cand.node_id)
                draft.defaults()
                st.rerun()
    for node_id in list(ss.picked):
        eff, rep, saf = draft.exemption_keys(node_id)
        with st.container(border=True):
            cols = st.columns([5, 1])
            cited = format_citation(node_id, kb)
            cols[0].markdown(f"**{provision_link(node_id, cited)}**")
            if cols[1].button("Fjern", key=f"del_{node_id}", help=f"Fjern {cited}"):
                ss.picked.remove(node_id)
                st.rerun()
            st.selectbox(f"Virkning for enkeltpersoner ({cited})", list(Effect), key=eff, placeholder="Velg virkning",
                         format_func=lambda e: EFFECT_LABELS[e])
            st.text_area(f"Hva skal gjelde i stedet for {cited} (erstatningsregel)?", key=rep, height=80)
            st.text_area(f"Hvordan ivaretas rettssikkerheten (for saksbehandlingsregler i {cited})?",
                         key=saf, height=68)


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
        raise ValueError(f"Oppstart «{text}» er ikke en dato; skriv f.eks. 2025-01-01 eller 1.1.2025.") from None


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
    return Request(tittel=ss.get("title") or "Uten tittel", sokere=applicants,
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
        ss["draft_messages"] = [("error", f"{upload.name}: filen er ikke UTF-8-tekst.")]
        return
    result = load_request_text(text, upload.name)
    if result.errors or not result.requests:
        problems = [str(e) for e in result.errors] or [f"{upload.name}: filen inneholder ingen søknad."]
        ss["draft_messages"] = [("code", p) for p in problems]
        return
    notes = draft.apply_request(result.requests[0], get_kb(), today=date.today())
    if len(result.requests) > 1:
        notes.insert(0, f"Filen har {len(result.requests)} søknader; den første er åpnet. "
                        "Bruk Batch-siden for å sjekke alle.")
    ss["draft_messages"] = [("success", f"Åpnet «{result.requests[0].tittel}» fra {upload.name}.")]
    ss["draft_messages"] += [("warning", n) for n in notes]
    ss["draft_messages"] += [("warning", str(w)) for w in result.warnings]
    ss.pop("last", None)


def _draft_files(form_request: Request | None) -> None:
    """Lagre utkast / Åpne utkast, at the top of the form."""
    with st.expander("Lagre eller åpne utkast", expanded=bool(st.session_state.get("draft_messages"))):
        st.caption("Utkastet lagres også i adressen til siden: last inn siden på nytt eller bokmerk "
                   "den, så får du skjemaet tilbake.")
        c1, c2 = st.columns(2)
        if form_request is not None:
            slug = _slug(form_request)
            c1.download_button("Lagre utkast (.forsok)", format_request(form_request), f"{slug}.forsok",
                               "text/plain", key="save_forsok")
            c2.download_button("Lagre utkast (JSON)", form_request.model_dump_json(indent=2),
                               f"{slug}.json", "application/json", key="save_json")
        else:
            st.caption("Fyll inn minst én søker for å lagre utkastet som fil.")
        st.file_uploader("Åpne utkast (.forsok eller .json)", type=["forsok", "json", "txt"],
                         key="open_draft", on_change=_open_draft)
        st.caption("Velg en søknadsfil fra maskinen din; skjemaet fylles ut fra den.")
        for kind, message in st.session_state.get("draft_messages", []):
            if kind == "code":
                error_block(message)
            else:
                getattr(st, kind)(md_escape(message))


def _downloads(request: Request, report) -> None:
    slug = _slug(request)
    st.subheader("Last ned")
    with st.spinner("Lager dokumentene …"):
        report_docx = render_bytes(report, "docx")
        forskrift_docx = render_bytes(report, "forskrift-docx")
    cols = st.columns(4)
    cols[0].download_button("Rapport (Word)", report_docx, f"{slug}-rapport.docx",
                            DOCX_MIME)
    cols[1].download_button("Utkast til lokal forskrift (Word)", forskrift_docx,
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
    _state()
    st.header("Sjekk idé")
    st.markdown("Beskriv forsøket dere vil søke om, velg bestemmelsene dere vil ha unntak fra, "
                "og få svar på om forsøksloven (eller en annen forsøkshjemmel) gir hjemmel — med begrunnelse.")
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
        st.text_input("Tittel på forsøket", key="title")
        st.text_area("Søker(e): én per linje", key="app_names", height=68,
                     placeholder="Grong kommune\nLierne kommune")
        st.selectbox("Type søker", list(ApplicantKind), key="app_kind", placeholder="Velg type", format_func=lambda k: KIND_LABELS[k])
        st.text_area("Formål: hva vil dere oppnå?", key="purpose", height=80)
        st.multiselect("Mål etter forsøksloven § 1", list(Aim), key="aims", format_func=lambda a: AIM_LABELS[a],
                       placeholder="Velg ett eller flere mål")
        c1, c2, c3 = st.columns(3)
        # A text field, not st.date_input: its calendar speaks English and cannot be translated.
        c1.text_input("Oppstart (dato)", key="start", placeholder="f.eks. 2025-01-01")
        c2.number_input("Varighet (år)", key="years", min_value=0.0, max_value=10.0, step=0.5)
        c3.number_input("Planlagt forlengelse (år)", key="ext", min_value=0.0, max_value=10.0, step=0.5)
        st.text_input("Reform forsøket venter på (valgfritt)", key="reform")
        c1, c2 = st.columns([1, 3])
        c1.number_input("Antall forsøksenheter", key="units", min_value=0, step=1)
        c2.text_input("Hvorfor så mange enheter?", key="units_why")
        st.text_area("Evalueringsplan", key="evaluation", height=68)
        st.text_area("Samarbeid: hvem samarbeider i forsøket, og hvordan? (valgfritt)",
                     key="cooperation", height=68)
        # Not help=: Streamlit labels its tooltip button in English ("Help for …").
        st.caption("Det noen forsøkshjemler i sektorlover spør om, for eksempel barnevernsloven "
                   "§ 15-13 (samarbeid mellom barnevernstjenesten og andre).")
        c1, c2, c3 = st.columns(3)
        c1.checkbox("Forsøket kan reverseres", key="reversible")
        c2.checkbox("Vedtas av kommunestyret/fylkestinget", key="council")
        c3.checkbox("Lokal forskrift sendes på høring", key="hearing")
        _suggestions(kb)
        _picker(kb)

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
        if form_request is None:
            st.error("Skjemaet er ikke komplett:  \n" + "  \n".join(md_escape(p) for p in form_problems))
        else:
            request = form_request
    report = None
    if check_text_clicked:
        with st.spinner("Sjekker søknaden …"):
            done = check_text(text, "søknad.forsok", kb, today=date.today())
        for message in done.errors:
            error_block(message)
        for message in done.warnings:
            st.warning(md_escape_lines(message))
        if done.reports:
            request, report = done.result.requests[0], done.reports[0]
            if len(done.reports) > 1:
                st.info(f"Teksten inneholder {len(done.reports)} søknader; den første sjekkes her. "
                        "Bruk Batch-siden for flere.")
    elif request is not None:
        with st.spinner("Sjekker søknaden …"):
            report = check(request, kb, today=date.today())
    if request is not None and report is not None:
        st.session_state["last"] = (request, report)
    if "last" in st.session_state:
        request, report = st.session_state["last"]
        st.divider()
        show_report(report)
        _downloads(request, report)
