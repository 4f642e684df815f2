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
from regelsjekk.web.common import (
    for_users,
    html_table,
    md_escape,
    provision_link,
    verdict_box,
)
from regelsjekk.web.i18n import t
from regelsjekk.web.tidligere import trial_link

# How sure a firm answer is, in words (Må vurderes carries no certainty: it is the doubt).
CERTAINTY = ("sikker", "sannsynlig", "usikker")


def certainty_word(value: str) -> str:
    return t(f"ans.sure.{value}") if value in CERTAINTY else value

_STATUS_ICON = {
    ConditionStatus.OPPFYLT: "✅",
    ConditionStatus.MANGLER: "⬜",
    ConditionStatus.IKKE_OPPFYLT: "⛔",
    ConditionStatus.MA_VURDERES: "⚖️",
}


def _cites(ids: list[str]) -> str:
    return ", ".join(provision_link(i) for i in ids)


def _did_you_mean(suggestions: list[str]) -> str:
    return t("ans.did_you_mean", what="; ".join(suggestions)) if suggestions else ""


def _reason_line(reason: Reason) -> str:
    """A reason for everyone: the text, the quote and the provisions it rests on (the rules/
    entry behind it is for lawyers, in _for_lawyers)."""
    line = f"- {md_escape(reason.text)}"
    if reason.quote:
        line += f" — «{md_escape(reason.quote)}»"
    if reason.cites:
        line += f"  \n  {t('ans.grounds')}{_cites(reason.cites)}"
    return line


def _for_lawyers(ex) -> None:
    """The exemption's internals, folded away: ids, tags with provenance, and the rules/ entries
    (file:line) each reason rests on."""
    lines: list[str] = []
    for prov in ex.provisions:
        lines.append(f"- **{md_escape(prov.citation)}**: id {md_escape(prov.id)}; "
                     f"{t('ans.certainty')}: {md_escape(prov.certainty.value)}")
        if prov.tags:
            lines.append("  \n  " + t("ans.tags") + md_escape("; ".join(
                f"{t.label} ({t.source.value}, {t.confidence.value})" for t in prov.tags)))
        rules = [str(r.rule) for r in prov.reasons if r.rule]
        if rules:
            lines.append("  \n  " + t("ans.rule") + md_escape("; ".join(dict.fromkeys(rules))))
    rules = [str(r.rule) for r in ex.reasons if r.rule]
    if rules:
        lines.append("- " + t("ans.rule_exemption") + md_escape("; ".join(dict.fromkeys(rules))))
    if lines:
        with st.expander(t("ans.lawyers")):
            st.markdown("".join(ln if ln.startswith("  ") else "\n" + ln for ln in lines).strip())


def _earlier_trials(trials: list[EarlierTrial]) -> None:
    """Tidligere forsøk beside an exemption: evidence that it has been tried, never the verdict."""
    st.markdown(f"**{t('ans.earlier')}**")
    st.caption(t("ans.earlier.background"))
    lines = []
    for trial in trials:
        who = ", ".join(trial.applicants) or t("ans.no_applicant")
        line = (f"- {trial_link(trial.title, trial.url)} — "
                + md_escape(f"{trial.year or t('ans.year_unknown')} · {who} · {trial.period} · "
                            f"{trial.how_label}: «{trial.set_aside}»"))
        if trial.replaced_by:
            line += f"  \n  *{t('ans.instead')}: «{md_escape(trial.replaced_by)}»*"
        lines.append(line)
    st.markdown("\n".join(lines))


def show_report(report: Report) -> None:
    style = "ma_vurderes" if report.missing and report.verdict.value in ("hjemmel", "annen_hjemmel") \
        else report.verdict.value  # an incomplete application is never a green «ja»
    verdict_box(style, f"**{md_escape(report.verdict_label)}** — {md_escape(report.summary)}")
    if report.errors:
        st.error(t("ans.errors"))
        for err in report.errors:
            where = t("ans.line", n=err.line) if err.line else ""
            st.markdown(f"- {md_escape(where + err.message + _did_you_mean(err.suggestions))}")

    st.subheader(t("ans.exemptions"))
    for ex in report.exemptions:
        # Containers, not expanders: an expander cannot hold the "For jurister" expander.
        with st.container(border=True):
            st.markdown(f"**{ex.number}. {md_escape(', '.join(ex.citations))} — "
                        f"{md_escape(ex.verdict.label)}**")
            st.markdown(md_escape(ex.summary))
            for err in ex.errors:
                st.warning(md_escape(err.message + _did_you_mean(err.suggestions)))
            for prov in ex.provisions:
                heading = f" ({md_escape(prov.heading)})" if prov.heading else ""
                certainty = (f" ({md_escape(certainty_word(prov.certainty.value))})"
                             if prov.verdict.value != "ma_vurderes" else "")
                st.markdown(f"**{provision_link(prov.id, prov.citation)}**{heading}: "
                            f"{md_escape(prov.verdict.label)}{certainty}")
                st.markdown("\n".join(_reason_line(r) for r in prov.reasons))
            if ex.reasons:
                st.markdown("\n".join(_reason_line(r) for r in ex.reasons))
            if ex.earlier_trials:
                _earlier_trials(ex.earlier_trials)
            _for_lawyers(ex)
    if report.earlier_trials_note:
        st.caption(f"{t('ans.earlier')}: {md_escape(for_users(report.earlier_trials_note))}")

    if report.conditions:
        st.subheader(t("ans.conditions"))
        authority = t("col.authority")
        rows = [{t("col.status"): f"{_STATUS_ICON.get(c.status, '')} {CONDITION_LABELS[c.status]}",
                 t("col.condition"): c.text, t("col.note"): c.detail or "",
                 authority: _cites(c.cites)} for c in report.conditions]
        html_table(rows, alt=t("ans.conditions.alt"), markdown=(authority,))

    if report.approvers:
        st.subheader(t("ans.approvers"))
        for ap in report.approvers:
            st.markdown(f"- **{md_escape(ap.name)}** — {md_escape(ap.why)} {_cites(ap.cites)}")

    if report.routes:
        st.subheader(t("ans.routes"))
        for route in report.routes:
            extra = t("ans.approved_by", who=md_escape(route.approver)) if route.approver else ""
            prov = f" ({provision_link(route.provision)})" if route.provision else ""
            st.markdown(f"- **{md_escape(route.name)}**{prov}: {md_escape(route.allows or route.note or '')}{extra}")
            for limit in route.limits:
                st.markdown(f"    - {t('ans.limit')}{md_escape(limit)}")

    if report.next_steps:
        st.subheader(t("ans.next"))
        st.markdown("\n".join(f"{i}. {md_escape(s)}" for i, s in enumerate(report.next_steps, 1)))
