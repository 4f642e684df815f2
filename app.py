"""regelsjekk in the browser: Start · Sjekk idé (municipalities) · Batch (lawyers) · Oppslag
(guidance staff) · Tidligere forsøk (the library of earlier trial regulations) · Kunnskapsbase.

Thin on purpose: each page lives in regelsjekk/web/; this file sets up the page and picks one.
The request being built is one state shared by every page (regelsjekk/web/draft.py): kept across
page switches and, through the address, across a reload. Run with `make run`.
"""

import importlib

import streamlit as st

from regelsjekk.web import draft
from regelsjekk.web.common import get_kb, kb_caption, set_page_language

PAGES = {"Start": "start", "Sjekk idé": "sjekk", "Batch": "batch", "Oppslag": "oppslag",
         "Tidligere forsøk": "tidligere", "Kunnskapsbase": "kunnskapsbase"}

st.set_page_config(page_title="regelsjekk – forsøkshjemmel", page_icon="⚖️", layout="wide")
set_page_language()
draft.restore(list(PAGES))
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
    st.caption("Kan idéen prøves som forsøk? Sjekk mot forsøksloven og sektorlovenes forsøkshjemler.")
    choice = st.radio("Side", list(PAGES), key=draft.PAGE_KEY)
    with st.spinner("Laster kunnskapsbasen …"):
        st.caption(kb_caption(get_kb()))
    st.caption("Svarene er veiledende og erstatter ikke en juridisk vurdering i departementet.")
if problem := st.session_state.pop("_draft_problem", None):
    st.warning(problem)
importlib.import_module(f"regelsjekk.web.{PAGES[choice]}").page()
draft.sync_url()  # and what the page changed
