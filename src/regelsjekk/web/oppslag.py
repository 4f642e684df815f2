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
from regelsjekk.core.ids import human_label
from regelsjekk.lookup.provisions import NOTE_KINDS, ProvisionView, lookup
from regelsjekk.web.common import (
    for_users,
    get_kb,
    html_table,
    md_escape,
    provision_link,
)
from regelsjekk.web.i18n import page_name, t
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
        st.caption(t("opp.earlier") + md_escape(for_users(listing.note)))  # stale or empty library
        return
    if not listing.hits:
        st.caption(t("opp.earlier.none") + md_escape(for_users(listing.note)))
        return

    def line(hit) -> str:
        trial = hit.trial
        who = ", ".join(trial.get("søkere") or []) or t("ans.no_applicant")
        out = (f"- {trial_link(trial.get('tittel'), trial.get('lenke'))} — "
               + md_escape(f"{trial.get('år') or t('ans.year_unknown')} · {who} · {hit.how_label}"))
        if hit.replaced_by:
            out += f"  \n  *{t('ans.instead')}: «{md_escape(hit.replaced_by)}»*"
        return out

    st.markdown(t("opp.earlier.count", n=len(listing.hits)) + "\n\n"
                + "\n".join(line(h) for h in listing.hits[:shown]))
    if len(listing.hits) > shown:
        with st.expander(t("opp.earlier.more", n=len(listing.hits) - shown)):
            st.markdown("\n".join(line(h) for h in listing.hits[shown:]))
    st.caption(t("opp.background") + md_escape(for_users(listing.note)))


def show_provision(kb, view: ProvisionView) -> None:
    st.markdown(f"### {provision_link(view.id, view.citation)}"
                + (f" — {md_escape(view.heading)}" if view.heading else ""))
    if view.path:
        st.caption(md_escape(" › ".join(view.path)))
    if view.summary:
        st.markdown(t("opp.summary") + md_escape(view.summary))
    if view.keywords:
        st.caption(t("opp.keywords") + md_escape(", ".join(view.keywords)))
    flags = sorted({t.tag for t in view.tags} & BLOCKING)
    if "individuell_rettighet" in flags:
        st.warning(t("opp.rights"))
    if "individuell_plikt" in flags:
        st.warning(t("opp.duties"))
    if view.text:
        with st.expander(t("opp.text"), expanded=True):
            st.text(view.text)
    if view.notes:
        with st.expander(t("opp.notes", n=len(view.notes)), expanded=False):
            st.caption(t("opp.notes.lead"))
            for note in view.notes:
                kind = t(f"note.{note.kind}") if note.kind in NOTE_KINDS else note.kind
                where = "" if note.node_id == view.id else f" ({human_label(note.node_id)})"
                st.markdown(f"**{md_escape(kind + (' ' + note.label if note.label else '') + where)}:** "
                            + md_escape(note.text))
    if view.tags:
        st.markdown(t("opp.tags"))
        inherited = t("col.Arvet fra")
        html_table([{t("col.Merke"): tag.label or tag.tag, t("col.Virkning"): tag.effect or "",
                     t("col.Kilde"): tag.source, t("col.Sikkerhet"): tag.confidence,
                     inherited: provision_link(tag.inherited_from) if tag.inherited_from else "",
                     t("col.Begrunnelse"): tag.rationale or ""} for tag in view.tags],
                   alt=t("opp.tags.alt", citation=view.citation), markdown=(inherited,))
        rules = [f"{tag.label or tag.tag}: {tag.rule}" for tag in view.tags if tag.rule]
        if rules:
            with st.expander(t("opp.lawyers")):
                st.markdown(md_escape(f"Id: {view.id}") + "  \n"
                            + "  \n".join(md_escape(r) for r in rules))
    else:
        st.info(t("opp.untagged"))
    authorities = _trial_authorities(kb, view.id)
    if authorities:
        st.markdown(t("opp.authorities"))
        for a in authorities:
            st.markdown(f"- {provision_link(a.provision, a.name)}: {md_escape(a.allows)} "
                        + t("opp.approved_by", who=md_escape(a.approver)))
    _earlier_trials(kb, view.id)
    if view.children:
        with st.expander(t("opp.children", n=len(view.children))):
            st.markdown("\n".join(f"- {provision_link(c.id, c.label)}" for c in view.children))
    refs = [(t("opp.refs_out"), view.references_out), (t("opp.refs_in"), view.references_in),
            (t("opp.regulations"), view.regulations)]
    for title, items in refs:
        if items:
            with st.expander(f"{title} ({len(items)})"):
                st.markdown("\n".join(f"- {provision_link(r.node_id, r.citation)}" for r in items))
    if view.neighbourhood is not None:
        st.markdown(t("opp.graph"))
        st.graphviz_chart(to_dot(view.neighbourhood), width="stretch")
        for note in view.neighbourhood.notes:
            st.caption(md_escape(for_users(note)))


def page() -> None:
    kb = get_kb()
    st.header(page_name("Oppslag"))
    query = st.text_input(t("opp.query"), placeholder="kommuneloven § 19-1 annet ledd, "
                          "«fvl. § 28» eller «oppgavefellesskap»", key="lookup_query")
    if not query:
        st.caption(t("opp.query.help"))
        return
    with st.spinner(t("opp.looking")):
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
        st.warning(t("opp.not_found")
                   + md_escape("; ".join(result.resolution.suggestions)) + "?")
    with st.spinner(t("opp.searching")):
        hits = kb.search_text(query, limit=15)
    if not hits:
        st.info(t("opp.none"))
        return
    st.markdown(t("opp.hits", n=len(hits)))
    choice = st.radio(t("opp.pick"), [h.node_id for h in hits],
                      format_func=lambda i: provision_label(kb, i), index=None)
    if choice:
        with st.spinner(t("opp.looking")):
            found = lookup(choice, kb, with_neighbourhood=True)
        if found.found:
            show_provision(kb, found.provisions[0])
