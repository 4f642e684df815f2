"""Show a checker Report in Streamlit: verdict, per-provision reasons, earlier trials (background
only), conditions, routes, next steps."""

from __future__ import annotations

import streamlit as st

from regelsjekk.check.verdict import (
    CONDITION_LABELS,
    ConditionStatus,
    EarlierTrial,
    Reason,
    Report,
)
from regelsjekk.refs import format_citation
from regelsjekk.web.common import get_kb, md_escape, provision_link, verdict_box
from regelsjekk.web.tidligere import trial_link

_STATUS_ICON = {
    ConditionStatus.OPPFYLT: "✅",
    ConditionStatus.MANGLER: "⬜",
    ConditionStatus.IKKE_OPPFYLT: "⛔",
    ConditionStatus.MA_VURDERES: "⚖️",
}


def _cites(ids: list[str]) -> str:
    return ", ".join(provision_link(i, _citation(i)) for i in ids)


def _citation(node_id: str) -> str:
    """A provision id as a lawyer writes it ("kommuneloven § 19-1 annet ledd")."""
    try:
        return format_citation(node_id, get_kb())
    except Exception:  # an id outside the knowledge base still gets a link, under its id
        return node_id


def _did_you_mean(suggestions: list[str]) -> str:
    return f" Mente du: {'; '.join(suggestions)}?" if suggestions else ""


def _reason_line(reason: Reason) -> str:
    line = f"- {md_escape(reason.text)}"
    if reason.quote:
        line += f" — «{md_escape(reason.quote)}»"
    if reason.cites:
        line += f"  \n  Hjemmel/grunnlag: {_cites(reason.cites)}"
    if reason.rule:
        line += f"  \n  Regel: `{str(reason.rule).replace('`', '')}`"
    return line


def _earlier_trials(trials: list[EarlierTrial]) -> None:
    """Tidligere forsøk beside an exemption: evidence that it has been tried, never the verdict."""
    st.markdown("**Tidligere forsøk**")
    st.caption("Bare som bakgrunn: tidligere forsøk endrer ikke svaret.")
    lines = []
    for t in trials:
        who = ", ".join(t.applicants) or "søker ikke oppgitt"
        line = (f"- {trial_link(t.title, t.url)} — "
                + md_escape(f"{t.year or 'år ukjent'} · {who} · {t.period} · {t.how_label}: "
                            f"«{t.set_aside}»"))
        if t.replaced_by:
            line += f"  \n  *I stedet: «{md_escape(t.replaced_by)}»*"
        lines.append(line)
    st.markdown("\n".join(lines))


def show_report(report: Report) -> None:
    style = "ma_vurderes" if report.missing and report.verdict.value in ("hjemmel", "annen_hjemmel") \
        else report.verdict.value  # an incomplete application is never a green «ja»
    verdict_box(style, f"**{md_escape(report.verdict_label)}** — {md_escape(report.summary)}")
    if report.errors:
        st.error("Søknaden har feil som må rettes før den kan vurderes fullt ut:")
        for err in report.errors:
            where = f"linje {err.line}: " if err.line else ""
            st.markdown(f"- {md_escape(where + err.message + _did_you_mean(err.suggestions))}")

    st.subheader("Bestemmelsene det søkes unntak fra")
    for ex in report.exemptions:
        title = f"{ex.number}. {md_escape(', '.join(ex.citations))} — {ex.verdict.label}"
        with st.expander(title, expanded=len(report.exemptions) <= 3):
            st.markdown(md_escape(ex.summary))
            for err in ex.errors:
                st.warning(md_escape(err.message + _did_you_mean(err.suggestions)))
            for prov in ex.provisions:
                heading = f" ({md_escape(prov.heading)})" if prov.heading else ""
                st.markdown(f"**{provision_link(prov.id, prov.citation)}**{heading}: "
                            f"{md_escape(prov.verdict.label)} · {md_escape(prov.certainty.value)}")
                if prov.tags:
                    st.caption("Merking: " + md_escape("; ".join(
                        f"{t.label} ({t.source.value}, {t.confidence.value})" for t in prov.tags)))
                st.markdown("\n".join(_reason_line(r) for r in prov.reasons))
            if ex.reasons:
                st.markdown("\n".join(_reason_line(r) for r in ex.reasons))
            if ex.earlier_trials:
                _earlier_trials(ex.earlier_trials)
    if report.earlier_trials_note:
        st.caption(f"Tidligere forsøk: {md_escape(report.earlier_trials_note)}")

    if report.conditions:
        st.subheader("Vilkår for forsøket")
        rows = [{"": _STATUS_ICON.get(c.status, ""), "Vilkår": c.text,
                 "Status": CONDITION_LABELS[c.status], "Merknad": c.detail,
                 "Hjemmel": ", ".join(c.cites)} for c in report.conditions]
        st.dataframe(rows, hide_index=True, width="stretch")

    if report.approvers:
        st.subheader("Hvem godkjenner")
        for ap in report.approvers:
            st.markdown(f"- **{md_escape(ap.name)}** — {md_escape(ap.why)} {_cites(ap.cites)}")

    if report.routes:
        st.subheader("Veier videre")
        for route in report.routes:
            extra = f" Godkjennes av {md_escape(route.approver)}." if route.approver else ""
            prov = f" ({provision_link(route.provision)})" if route.provision else ""
            st.markdown(f"- **{md_escape(route.name)}**{prov}: {md_escape(route.allows or route.note or '')}{extra}")
            for limit in route.limits:
                st.markdown(f"    - Grense: {md_escape(limit)}")

    if report.next_steps:
        st.subheader("Neste steg")
        st.markdown("\n".join(f"{i}. {md_escape(s)}" for i, s in enumerate(report.next_steps, 1)))
