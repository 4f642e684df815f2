"""One layout of a report: what is shown, in which order, with which labels.

Every human format (terminal text, Markdown, HTML) renders this layout and nothing else, so the
formats cannot drift apart: a section added here appears in all of them. Markdown and HTML are
Jinja2 templates (templates/), with escaping on by default; the terminal text is drawn in
render.py because it wraps and colours lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from regelsjekk.check.verdict import (
    CONDITION_LABELS,
    ConditionStatus,
    Reason,
    ReasonKind,
    Report,
    TraceNode,
    Verdict,
)
from regelsjekk.core.dates import short_date
from regelsjekk.core.ids import lovdata_url

REASON_LABELS = {
    ReasonKind.GRUNNLAG: "Grunnlag i forsøksloven",
    ReasonKind.BEGRENSNING: "Begrensning i forsøksloven",
    ReasonKind.BETINGELSE: "Må vurderes",
    ReasonKind.UTENFOR: "Utenfor forsøksloven",
    ReasonKind.UAVKLART: "Uavklart",
    ReasonKind.ANNEN_HJEMMEL: "Annen forsøkshjemmel",
    ReasonKind.INGEN_UNNTAK: "Ingen regel å fravike",
    ReasonKind.MERKNAD: "Merknad",
    ReasonKind.INNDATA: "Søknaden",
}
REASON_MARKS = {
    ReasonKind.GRUNNLAG: "+", ReasonKind.BEGRENSNING: "✗", ReasonKind.BETINGELSE: "?",
    ReasonKind.UTENFOR: "✗", ReasonKind.UAVKLART: "?", ReasonKind.ANNEN_HJEMMEL: "→",
    ReasonKind.INGEN_UNNTAK: "○", ReasonKind.MERKNAD: "·", ReasonKind.INNDATA: "!",
}
CONDITION_MARKS = {
    ConditionStatus.OPPFYLT: "✓", ConditionStatus.MANGLER: "!",
    ConditionStatus.IKKE_OPPFYLT: "✗", ConditionStatus.MA_VURDERES: "?", ConditionStatus.INFO: "i",
}
VERDICT_COLORS = {
    Verdict.HJEMMEL: "32", Verdict.ANNEN_HJEMMEL: "36", Verdict.KREVER_IKKE_FORSOK: "32",
    Verdict.DELVIS: "33", Verdict.MA_VURDERES: "33", Verdict.IKKE_HJEMMEL: "31",
}
DISCLAIMER = "Regelsjekk er et hjelpemiddel, ikke en juridisk betenkning."


def sure(verdict: Verdict, certainty) -> str:  # noqa: ANN001
    """' (sikker)' after a firm verdict; nothing after «må vurderes», which says it already."""
    return "" if verdict == Verdict.MA_VURDERES else f" ({certainty.value})"


@dataclass(frozen=True)
class Cite:
    id: str
    url: str | None


def cites(ids: Iterable[str]) -> list[Cite]:
    """Each cited id with its lovdata.no address (None for an id that has none)."""
    out = []
    for i in ids:
        try:
            out.append(Cite(i, lovdata_url(i)))
        except ValueError:
            out.append(Cite(i, None))
    return out


@dataclass(frozen=True)
class ReasonView:
    label: str
    mark: str
    text: str
    cites: list[Cite]
    rule: str | None       # the rules/ entry that produced it
    rules: str             # the entry and the tag definition, for the terminal


def reason(r: Reason) -> ReasonView:
    parts = [str(r.rule)] if r.rule else []
    if r.definition and r.definition != r.rule:
        parts.append(str(r.definition))
    return ReasonView(label=REASON_LABELS[r.kind], mark=REASON_MARKS[r.kind], text=r.text,
                      cites=cites(r.cites), rule=str(r.rule) if r.rule else None,
                      rules=("  [" + "; ".join(parts) + "]") if parts else "")


@dataclass(frozen=True)
class VerdictView:
    code: str
    label: str
    sure: str
    color: str


@dataclass(frozen=True)
class ProvisionView:
    citation: str
    url: str
    heading: str | None
    verdict: VerdictView
    reasons: list[ReasonView]


@dataclass(frozen=True)
class ErrorView:
    message: str
    suggestions: str  # "a; b" or ""
    where: str = ""


@dataclass(frozen=True)
class AffectedView:
    citation: str
    url: str
    refers_to: str
    tags: str      # "a, b" or ""
    limit: str | None


@dataclass(frozen=True)
class EarlierTrialView:
    title: str
    url: str
    line: str          # "1994 · Steinkjer kommune · fra 17.2.1994, til 1.1.1995 · satte til side …"
    replaced_by: str | None


@dataclass(frozen=True)
class ExemptionView:
    number: int
    citations: str
    verdict: VerdictView
    summary: str
    replacement: str | None
    reasons: list[ReasonView]
    provisions: list[ProvisionView]
    errors: list[ErrorView]
    affected: list[AffectedView]
    affected_more: int  # how many more than listed
    earlier_trials: list[EarlierTrialView] = ()  # type: ignore[assignment]


@dataclass(frozen=True)
class ConditionView:
    title: str
    text: str
    cites: list[Cite]
    status: str
    mark: str
    detail: str


@dataclass(frozen=True)
class RouteView:
    name: str
    exemptions: str
    approver: str | None
    note: str | None
    limits: list[str]


@dataclass(frozen=True)
class Layout:
    title: str
    applicants: list[tuple[str, str]]
    verdict: VerdictView
    summary: str
    exemptions: list[ExemptionView]
    conditions: list[ConditionView]
    approvers: list[tuple[str, str]]
    routes: list[RouteView]
    next_steps: list[str]
    errors: list[ErrorView]
    trace: TraceNode
    knowledge_base: str
    law_as_of: str
    data: str
    earlier_trials_note: str | None = None
    rules_version: str = "ukjent"
    disclaimer: str = DISCLAIMER


def _verdict(verdict: Verdict, label: str, certainty, likely: Verdict | None = None) -> VerdictView:  # noqa: ANN001
    text = label + (f", sannsynlig {likely.label.lower()}" if likely else "")
    return VerdictView(code=verdict.value, label=text, sure=sure(verdict, certainty),
                       color=VERDICT_COLORS[verdict])


def _incomplete(view: VerdictView, report: Report) -> VerdictView:
    """A «ja» for an application that still lacks conditions is shown in yellow, not green."""
    if report.missing and report.verdict in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL):
        return VerdictView(code=Verdict.MA_VURDERES.value, label=view.label, sure=view.sure,
                           color=VERDICT_COLORS[Verdict.MA_VURDERES])
    return view


def layout(report: Report) -> Layout:
    """The report as the sections every human format shows, in order."""
    exemptions = []
    for e in report.exemptions:
        exemptions.append(ExemptionView(
            number=e.number, citations=", ".join(e.citations),
            verdict=_verdict(e.verdict, e.verdict.label, report.certainty),
            summary=e.summary, replacement=e.replacement,
            reasons=[reason(r) for r in e.reasons],
            provisions=[ProvisionView(
                citation=p.citation, url=p.url, heading=p.heading,
                verdict=_verdict(p.verdict, p.verdict.label, p.certainty, p.likely),
                reasons=[reason(r) for r in p.reasons]) for p in e.provisions],
            errors=[ErrorView(err.message, "; ".join(err.suggestions)) for err in e.errors],
            affected=[AffectedView(a.citation, a.url, a.refers_to, ", ".join(a.tags), a.limit)
                      for a in e.affected],
            affected_more=max(0, e.affected_total - len(e.affected)),
            earlier_trials=[EarlierTrialView(
                title=t.title, url=t.url, replaced_by=t.replaced_by,
                line=" · ".join(x for x in (str(t.year or "?"), ", ".join(t.applicants), t.period,
                                            f"{t.how_label} ({t.set_aside})") if x))
                for t in e.earlier_trials]))
    return Layout(
        title=report.title,
        applicants=[(a.name, a.kind.replace("_", " ")) for a in report.applicants],
        verdict=_incomplete(_verdict(report.verdict, report.verdict_label, report.certainty), report),
        summary=report.summary,
        exemptions=exemptions,
        conditions=[ConditionView(title=c.title, text=c.text, cites=cites(c.cites),
                                  status=CONDITION_LABELS[c.status], mark=CONDITION_MARKS[c.status],
                                  detail=c.detail) for c in report.conditions],
        approvers=[(a.name, a.why) for a in report.approvers],
        routes=[RouteView(name=r.name, exemptions=", ".join(str(n) for n in r.exemptions),
                          approver=r.approver, note=r.note, limits=list(r.limits))
                for r in report.routes],
        next_steps=list(report.next_steps),
        errors=[ErrorView(err.message, "", ":".join(str(x) for x in (err.file, err.line, err.column)
                                                    if x is not None)) for err in report.errors],
        trace=report.trace,
        knowledge_base=report.knowledge_base,
        law_as_of=short_date(report.law_as_of), data=report.data, earlier_trials_note=report.earlier_trials_note,
        rules_version=report.rules_version or "ukjent",
    )


