"""Start: what the app does, the steps of a check, and what its answer is and is not."""

from __future__ import annotations

import streamlit as st

from regelsjekk.web import draft

STEPS = [
    ("Idé", "Beskriv hva dere vil prøve ut, med egne ord. Appen foreslår bestemmelser idéen kan "
            "støte mot."),
    ("Bestemmelser", "Velg bestemmelsene dere vil ha unntak fra, og si hva som skal gjelde i "
                     "stedet og hvordan det påvirker innbyggerne."),
    ("Detaljer", "Søkere, formål, mål etter forsøksloven § 1, periode, antall forsøksenheter og "
                 "evaluering: det en søknad må vise."),
    ("Svar", "Hjemmel i forsøksloven, en annen forsøkshjemmel, delvis, må vurderes eller ikke "
             "hjemmel, med begrunnelse per bestemmelse, vilkårene og hvem som godkjenner."),
    ("Søknad", "Last ned rapporten og et utkast til lokal forskrift (Word), og bruk dem i "
               "søknaden til departementet."),
]


def _go(page: str) -> None:
    st.session_state[draft.PAGE_KEY] = page


def page() -> None:
    st.header("Start")
    st.markdown("**regelsjekk** sjekker om en regel dere vil fravike kan prøves ut som et forsøk, "
                "etter forsøksloven eller en sektorlovs egen forsøkshjemmel.")
    st.markdown("\n".join(f"{n}. **{name}**: {text}" for n, (name, text) in enumerate(STEPS, 1)))
    st.button("Begynn: sjekk en idé", type="primary", on_click=_go, args=("Sjekk idé",))
    c1, c2 = st.columns(2)
    with c1:
        st.subheader("Hva svaret er")
        st.markdown("- En veiledning: hvilke regler idéen berører, om forsøksloven gir hjemmel, og "
                    "hvorfor, med henvisning til lovene på lovdata.no.\n"
                    "- En liste over det søknaden må vise, og hvem som godkjenner.\n"
                    "- Et utgangspunkt for søknaden og den lokale forskriften.")
    with c2:
        st.subheader("Hva svaret ikke er")
        st.markdown("- Ikke et vedtak: departementet (KDD, DFD, sektordepartementet) eller Kongen i "
                    "statsråd avgjør søknaden.\n"
                    "- Ikke en fullstendig juridisk vurdering: svar merket «Må vurderes» trenger en "
                    "jurist.\n"
                    "- Ikke bedre enn dataene: datoen for lovdataene står på siden Kunnskapsbase.")
    st.caption("Arbeidet ditt tas vare på når du bytter side, og adressen til siden holder utkastet: "
               "last inn siden på nytt eller bokmerk den, så får du skjemaet tilbake.")
    st.markdown("Andre sider: **Batch** sjekker mange søknadsfiler på en gang, **Oppslag** slår opp "
                "en bestemmelse, **Tidligere forsøk** viser forsøk som er godkjent før.")
