"""Start: what the app does, the steps of a check, and what its answer is and is not."""

from __future__ import annotations

import streamlit as st

from regelsjekk.web import draft
from regelsjekk.web.i18n import page_name, t

STEPS = ("start.step1", "start.step2", "start.step3", "start.step4", "start.step5")


def _go(page: str) -> None:
    st.session_state[draft.PAGE_KEY] = page


def page() -> None:
    st.header(page_name("Start"))
    st.markdown(t("start.intro"))
    st.markdown("\n".join(f"{n}. **{t(step)}**: {t(step + '.text')}" for n, step in enumerate(STEPS, 1)))
    st.button(t("start.begin"), type="primary", on_click=_go, args=(draft.FORM_PAGE,))
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(t("start.is"))
        st.markdown(t("start.is.text"))
    with c2:
        st.subheader(t("start.is_not"))
        st.markdown(t("start.is_not.text"))
    st.caption(t("start.kept"))
    st.markdown(t("start.others", earlier=page_name("Tidligere forsøk")))
