"""regelsjekk in the browser: Start · Sjekk idé (municipalities) · Batch (lawyers) · Oppslag
(guidance staff) · Tidligere forsøk (the library of earlier trial regulations) · Kunnskapsbase.

Thin on purpose: each page lives in regelsjekk/web/; this file sets up the page and picks one.
The app speaks bokmål or nynorsk (sidebar «Språk / Målform»; every word in regelsjekk/web/i18n.py).
The request being built is one state shared by every page (regelsjekk/web/draft.py): kept across
page switches and, through the address, across a reload. Run with `make run`.
"""

import importlib

import streamlit as st

from regelsjekk.web import draft
from regelsjekk.web.common import get_kb, kb_caption
from regelsjekk.web.i18n import choose_language, page_name, set_page_language, t

PAGES = {"Start": "start", "Sjekk idé": "sjekk", "Batch": "batch", "Oppslag": "oppslag",
         "Tidligere forsøk": "tidligere", "Kunnskapsbase": "kunnskapsbase"}

draft.restore(list(PAGES))  # the page, the draft and the målform from the address
st.set_page_config(page_title=t("app.title"), page_icon="⚖️", layout="wide")
set_page_language()
# Only a run that follows one which drew the form can carry what the user typed in it: after
# another page the browser may send the form's widgets back empty, and that must not overwrite
# the draft (it emptied the form on the way back, about one time in three).
if st.session_state.get(draft.DRAWN_KEY) in (draft.FORM_PAGE, None):
    draft.remember()
if st.session_state.get(draft.PAGE_KEY) == draft.FORM_PAGE != st.session_state.get(draft.DRAWN_KEY):
    draft.reseed()  # back on the form from another page
# Set when the run starts: a run another click interrupts still counts as the other page.
st.session_state[draft.DRAWN_KEY] = st.session_state.get(draft.PAGE_KEY)
draft.defaults()
draft.sync_url()  # at once: what the user entered is in session state before the run
with st.sidebar:
    st.title("regelsjekk")
    st.caption(t("app.tagline"))
    # The options are the pages' fixed ids (in the address and session state); shown in the målform.
    # Labels are looked up now, not in format_func: Streamlit may call it outside this run.
    choice = st.radio(t("app.page"), list(PAGES), key=draft.PAGE_KEY, 
                      format_func={p: page_name(p) for p in PAGES}.__getitem__)
    choose_language()
    with st.spinner(t("app.loading_kb")):
        st.caption(kb_caption(get_kb()))
    st.caption(t("app.disclaimer"))
if st.session_state.pop("_draft_problem", None):
    st.warning(t("app.draft_unreadable"))
importlib.import_module(f"regelsjekk.web.{PAGES[choice]}").page()
draft.sync_url()  # and what the page changed
