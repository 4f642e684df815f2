"""Oppslag: guidance staff look a provision up by citation or free text during counselling.

A citation goes through regelsjekk.lookup.provisions (the same function as `regelsjekk slå-opp`); anything
else is searched in headings and text (FTS5 when imported). The provision view shows text, our
summary, tags with provenance, trial authorities, earlier trials that set it aside (from the
imported library; background only), and its neighbourhood as a graph.
"""

from __future__ import annotations

import streamlit as st

from regelsjekk.check.cache import cache_for
from regelsjekk.lookup.neighbourhood import to_dot
from regelsjekk.lookup.picker import provision_label
from regelsjekk.lookup.precedents import precedents_for
from regelsjekk.lookup.provisions import ProvisionView, lookup
from regelsjekk.web.common import for_users, get_kb, html_table, md_escape, provision_link
from regelsjekk.web.tidligere import trial_link

BLOCKING = {"individuell_rettighet", "individuell_plikt", "rettssikkerhet",
            "forvaltningslov_saksbehandling", "kommunelov_grunnleggende", "overordnet_rett",
            "straff", "skatt_avgift"}


def _trial_authorities(kb, node_id: str) -> list:
    """Sector trial authorities that cover this provision (the checker's own rule for it)."""
    if kb.rulebook is None:
        return []
    return cache_for(kb).covering_authorities(node_id)


def _earlier_trials(kb, node_id: str, shown: int = 5) -> None:
    """Trials that set this provision (a part, what contains it, its predecessor) aside."""
    if not kb.has_import:
        return  # the built-in knowledge base has no library; the Tidligere forsøk page says so
    listing = precedents_for([node_id], kb)
    if not (listing.coverage.get("forsøk") or listing.coverage.get("endringer")):
        st.caption("Tidligere forsøk: " + md_escape(for_users(listing.note)))  # stale or empty library
        return
    if not listing.hits:
        st.caption("Tidligere forsøk: ingen i biblioteket har satt denne bestemmelsen til side. "
                   + md_escape(for_users(listing.note)))
        return

    def line(hit) -> str:
        t = hit.trial
        who = ", ".join(t.get("søkere") or []) or "søker ikke oppgitt"
        out = (f"- {trial_link(t.get('tittel'), t.get('lenke'))} — "
               + md_escape(f"{t.get('år') or 'år ukjent'} · {who} · {hit.how_label}"))
        if hit.replaced_by:
            out += f"  \n  *I stedet: «{md_escape(hit.replaced_by)}»*"
        return out

    st.markdown(f"**Tidligere forsøk ({len(listing.hits)})**\n\n"
                + "\n".join(line(h) for h in listing.hits[:shown]))
    if len(listing.hits) > shown:
        with st.expander(f"Flere tidligere forsøk ({len(listing.hits) - shown})"):
            st.markdown("\n".join(line(h) for h in listing.hits[shown:]))
    st.caption("Bare som bakgrunn. " + md_escape(for_users(listing.note)))


def show_provision(kb, view: ProvisionView) -> None:
    st.markdown(f"### {provision_link(view.id, view.citation)}"
                + (f" — {md_escape(view.heading)}" if view.heading else ""))
    if view.path:
        st.caption(md_escape(" › ".join(view.path)))
    if view.summary:
        st.markdown(f"**Kort fortalt:** {md_escape(view.summary)}")
    if view.keywords:
        st.caption("Stikkord: " + md_escape(", ".join(view.keywords)))
    flags = sorted({t.tag for t in view.tags} & BLOCKING)
    if "individuell_rettighet" in flags:
        st.warning("Gir enkeltpersoner rettigheter: et forsøk kan ikke innskrenke dem (forsøksloven § 4 annet ledd).")
    if "individuell_plikt" in flags:
        st.warning("Legger plikter på enkeltpersoner: et forsøk kan ikke utvide dem (forsøksloven § 4 annet ledd).")
    if view.text:
        with st.expander("Lovtekst (fra Lovdata-importen)", expanded=True):
            st.text(view.text)
    if view.tags:
        st.markdown("**Merking og begrunnelse**")
        html_table([{"Merke": t.label or t.tag, "Virkning": t.effect or "", "Kilde": t.source,
                     "Sikkerhet": t.confidence,
                     "Arvet fra": provision_link(t.inherited_from) if t.inherited_from else "",
                     "Begrunnelse": t.rationale or ""} for t in view.tags],
                   alt=f"Merkingen av {view.citation}", markdown=("Arvet fra",))
        rules = [f"{t.label or t.tag}: {t.rule}" for t in view.tags if t.rule]
        if rules:
            with st.expander("For jurister: id og regelgrunnlag"):
                st.markdown(md_escape(f"Id: {view.id}") + "  \n"
                            + "  \n".join(md_escape(r) for r in rules))
    else:
        st.info("Uavklart: ingen merking i regelverket for denne bestemmelsen ennå.")
    authorities = _trial_authorities(kb, view.id)
    if authorities:
        st.markdown("**Forsøkshjemler som kan gjelde**")
        for a in authorities:
            st.markdown(f"- {provision_link(a.provision, a.name)}: {md_escape(a.allows)} "
                        f"(godkjennes av {md_escape(a.approver)})")
    _earlier_trials(kb, view.id)
    if view.children:
        with st.expander(f"Underliggende ledd og bestemmelser ({len(view.children)})"):
            st.markdown("\n".join(f"- {provision_link(c.id, c.label)}" for c in view.children))
    refs = [("Viser til", view.references_out), ("Vises til fra", view.references_in),
            ("Forskrifter med hjemmel her", view.regulations)]
    for title, items in refs:
        if items:
            with st.expander(f"{title} ({len(items)})"):
                st.markdown("\n".join(f"- {provision_link(r.node_id, r.citation)}" for r in items))
    if view.neighbourhood is not None:
        st.markdown("**Nabolaget i lovverket**")
        st.graphviz_chart(to_dot(view.neighbourhood), width="stretch")
        for note in view.neighbourhood.notes:
            st.caption(md_escape(for_users(note)))


def page() -> None:
    kb = get_kb()
    st.header("Oppslag")
    query = st.text_input("Sitat eller fritekst", placeholder="kommuneloven § 19-1 annet ledd, "
                          "«fvl. § 28» eller «oppgavefellesskap»", key="lookup_query")
    if not query:
        st.caption("Skriv en henvisning slik jurister skriver den, eller noen ord fra overskrift eller tekst.")
        return
    with st.spinner("Slår opp …"):
        result = lookup(query, kb, with_neighbourhood=True)
    for n, message in enumerate(result.resolution.messages):
        if n == 0 and not result.current:  # repealed, not yet in force, or unknown: say it first
            st.error(md_escape(message))
        else:
            st.caption(md_escape(message))
    if result.document is not None:
        d = result.document
        st.caption(md_escape(f"{d.short_title or d.title}: {d.in_force}. {d.in_force_basis}"))
    st.caption(md_escape(f"Data: {kb.data_note()}."))
    if result.found:
        for view in result.provisions[:5]:
            show_provision(kb, view)
            st.divider()
        for hint in result.hints:
            st.info(md_escape(for_users(hint)))
        return
    if result.resolution.suggestions:
        st.warning("Fant ikke bestemmelsen. Mente du: "
                   + md_escape("; ".join(result.resolution.suggestions)) + "?")
    with st.spinner("Søker i overskrifter og tekst …"):
        hits = kb.search_text(query, limit=15)
    if not hits:
        st.info("Ingen treff. Prøv lovens navn og paragrafnummer, eller andre ord.")
        return
    st.markdown(f"**Treff i overskrifter og tekst ({len(hits)})**")
    choice = st.radio("Velg en bestemmelse", [h.node_id for h in hits],
                      format_func=lambda i: provision_label(kb, i), index=None)
    if choice:
        with st.spinner("Slår opp …"):
            found = lookup(choice, kb, with_neighbourhood=True)
        if found.found:
            show_provision(kb, found.provisions[0])
