"""regelsjekk in the browser: Sjekk idé (municipalities) · Batch (lawyers) · Oppslag (guidance staff)
· Tidligere forsøk (the library of earlier trial regulations).

Thin on purpose: each page lives in regelsjekk/web/; this file sets up the page and picks one.
Run with `make run` (or `streamlit run app.py`).
"""

import importlib

import streamlit as st

from regelsjekk.web.common import get_kb, kb_caption

PAGES = {"Sjekk idé": "sjekk", "Batch": "batch", "Oppslag": "oppslag",
         "Tidligere forsøk": "tidligere"}

st.set_page_config(page_title="regelsjekk – forsøkshjemmel", page_icon="⚖️", layout="wide")
with st.sidebar:
    st.title("regelsjekk")
    st.caption("Kan idéen prøves som forsøk? Sjekk mot forsøksloven og sektorlovenes forsøkshjemler.")
    choice = st.radio("Side", list(PAGES), key="side")
    st.caption(kb_caption(get_kb()))
    st.caption("Svarene er veiledende og erstatter ikke en juridisk vurdering i departementet.")
importlib.import_module(f"regelsjekk.web.{PAGES[choice]}").page()
