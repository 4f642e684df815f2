"""The checker's answer: verdicts, reasons, conditions, routes and the trace that produced them.

A Report is plain data (pydantic) so that every renderer (terminal, JSON, Markdown/HTML, CSV, the
draft lokal forskrift) and the app read the same thing, and so that golden files can pin it.
Field names are English like the rest of the model; codes and user-facing texts are Norwegian.
The JSON form is stable: ``SCHEMA_VERSION`` changes when a field changes meaning or goes away.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import ConfigDict, Field

from regelsjekk.core.model import Confidence, Model, RuleRef, Tag, TagSource
from regelsjekk.request.model import Effect

SCHEMA_VERSION = "1"


class Verdict(StrEnum):
    """Outcome for one provision, one exemption or a whole request."""

    HJEMMEL = "hjemmel"
    DELVIS = "delvis"
    IKKE_HJEMMEL = "ikke_hjemmel"
    ANNEN_HJEMMEL = "annen_hjemmel"
    KREVER_IKKE_FORSOK = "krever_ikke_forsok"
    MA_VURDERES = "ma_vurderes"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]

    @property
    def granted(self) -> bool:
        """True when the request can go ahead as it stands (exit code 0 in the CLI)."""
        return self in (Verdict.HJEMMEL, Verdict.ANNEN_HJEMMEL, Verdict.KREVER_IKKE_FORSOK)


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.HJEMMEL: "Hjemmel i forsøksloven",
    Verdict.DELVIS: "Delvis",
    Verdict.IKKE_HJEMMEL: "Ikke hjemmel",
    Verdict.ANNEN_HJEMMEL: "Annen forsøkshjemmel",
    Verdict.KREVER_IKKE_FORSOK: "Krever ikke forsøk",
    Verdict.MA_VURDERES: "Må vurderes",
}


class Certainty(StrEnum):
    """How firmly the knowledge base supports a verdict."""

    SIKKER = "sikker"  # curated tags with high or medium confidence decided it
    SANNSYNLIG = "sannsynlig"  # inferred or low-confidence tags point one way
    USIKKER = "usikker"  # nothing in rules/ decides it


class ReasonKind(StrEnum):
    GRUNNLAG = "grunnlag"  # a § 3 ground that allows the deviation
    BEGRENSNING = "begrensning"  # a § 4 limit (or lex superior) that blocks it
    BETINGELSE = "betingelse"  # allowed only if something is shown (a lawyer must look)
    UTENFOR = "utenfor"  # outside what forsøksloven is for (private conduct)
    UAVKLART = "uavklart"  # nobody has assessed the provision
    ANNEN_HJEMMEL = "annen_hjemmel"  # a sector law's own trial authority
    INGEN_UNNTAK = "ingen_unntak"  # nothing to deviate from
    MERKNAD = "merknad"  # context worth knowing, decides nothing
    INNDATA = "inndata"  # the request itself is incomplete or wrong


class Reason(Model):
    """One step of the legal reasoning, with the provisions and the rules/ entry behind it."""

    model_config = ConfigDict(frozen=True)

    kind: ReasonKind
    text: str = Field(description="Norwegian, plain language")
    cites: list[str] = Field([], description="Provision ids the reason rests on")
    rule: RuleRef | None = Field(None, description="The rules/ entry that produced the reason")
    definition: RuleRef | None = Field(None, description="The tags.yaml entry giving the tag "
                                       "its effect under forsøksloven")
    tag: Tag | None = None
    source: TagSource | None = Field(None, description="Curated or inferred tag behind it")
    confidence: Confidence | None = None
    quote: str | None = Field(None, description="Words quoted from the request (a safeguard)")
    # The provision of forsøksloven (or other authority) the reason is a ground or a limit under,
    # named so that code never has to guess it from a position in `cites`. Not in the JSON: the
    # published report lists it among `cites` already.
    basis: str | None = Field(None, exclude=True)


class TagInfo(Model):
    """An effective tag as the checker used it (for display and for the trace)."""

    tag: Tag
    label: str
    source: TagSource
    confidence: Confidence
    inherited_from: str | None = None
    rationale: str
    rule: RuleRef | None = None
    pattern: str | None = None


class ProvisionResult(Model):
    """The assessment of one resolved provision inside an exemption."""

    id: str
    citation: str = Field(description="As a lawyer writes it: 'kommuneloven § 19-1 annet ledd'")
    heading: str | None = None
    document: str | None = Field(None, description="Full title of the law or regulation")
    url: str
    verdict: Verdict
    certainty: Certainty
    likely: Verdict | None = Field(None, description="Where an uncertain verdict probably lands")
    tags: list[TagInfo] = []
    reasons: list[Reason] = []
    routes: list[str] = Field([], description="Ids of other trial authorities that cover it")


class InputError(Model):
    """Something in the request the checker could not use, with where it was written."""

    message: str
    citation: str | None = None
    suggestions: list[str] = []
    exemption: int | None = Field(None, description="1-based number of the exemption")
    file: str | None = None
    line: int | None = None
    column: int | None = None


class AffectedProvision(Model):
    """A provision elsewhere that refers to what the exemption sets aside ("berørt bestemmelse")."""

    id: str
    citation: str
    url: str
    refers_to: str = Field(description="The provision set aside (or a part of it) it refers to")
    tags: list[str] = Field([], description="Labels of its tags (curated or inferred)")
    limit: str | None = Field(None, description="A forsøksloven § 4 limit among its tags")
    edge: str = Field(description="The graph edge used: 'viser_til: source → target'")


class EarlierTrial(Model):
    """A trial regulation that set this provision (or its predecessor) aside — evidence only."""

    id: str
    title: str
    url: str
    year: int | None = None
    applicants: list[str] = []
    period: str
    set_aside: str = Field(description="What it set aside, as the trial wrote it")
    set_aside_id: str | None = Field(None, description="…and as the id it had then, where known")
    how: str = Field(description="same / part / whole / before (predecessor, via rules/tid.yaml)")
    how_label: str
    replaced_by: str | None = Field(None, description="One line from the trial's own text on what "
                                                      "replaced the rule (shown from the import)")


class ExemptionResult(Model):
    number: int = Field(description="1-based, in the order of the request")
    citations: list[str] = Field(description="The provisions as written in the request")
    effect: Effect = Field(description="virkning for enkeltpersoner, from the request")
    replacement: str | None = None
    safeguard: str | None = None
    justification: str | None = None
    verdict: Verdict
    certainty: Certainty
    summary: str
    provisions: list[ProvisionResult] = []
    reasons: list[Reason] = Field([], description="Reasons about the exemption as a whole")
    errors: list[InputError] = []
    affected: list[AffectedProvision] = Field(
        [], description="Provisions that refer to what is set aside, with their tags")
    affected_total: int = Field(0, description="How many there are in all (the list is capped)")
    earlier_trials: list[EarlierTrial] = Field(
        [], description="Tidligere forsøk: trials that set these provisions aside (evidence only, "
                        "never part of the verdict); newest first, capped")
    line: int | None = None


class ConditionStatus(StrEnum):
    OPPFYLT = "oppfylt"  # the request shows it
    MANGLER = "mangler"  # the request does not say; must be documented before applying
    IKKE_OPPFYLT = "ikke_oppfylt"  # the request contradicts it
    MA_VURDERES = "ma_vurderes"  # a judgement the checker cannot make
    INFO = "info"  # a step of the procedure, for the applicant's information


CONDITION_LABELS = {
    ConditionStatus.OPPFYLT: "Oppfylt",
    ConditionStatus.MANGLER: "Mangler",
    ConditionStatus.IKKE_OPPFYLT: "Ikke oppfylt",
    ConditionStatus.MA_VURDERES: "Må vurderes",
    ConditionStatus.INFO: "Til orientering",
}


class ConditionResult(Model):
    """A condition on the trial as a whole (forsøksloven §§ 1, 3 annet og tredje ledd, 5, 6)."""

    id: str
    title: str = Field(description="Short Norwegian name of the condition")
    text: str
    status: ConditionStatus
    detail: str
    cites: list[str] = []
    rule: RuleRef | None = None


class ApproverResult(Model):
    name: str
    short: str | None = None
    why: str
    # The body the King's authority under forsøksloven is delegated to (KDD, DFD), as opposed to
    # a sector ministry taking part: named, so nothing relies on its place in the list.
    under_forsoksloven: bool = Field(False, exclude=True)
    cites: list[str] = []
    rule: RuleRef | None = None


class RouteKind(StrEnum):
    FORSOKSLOVEN = "forsoksloven"
    SEKTORLOV = "sektorlov"
    LOVENDRING = "lovendring"
    DAGENS_REGLER = "dagens_regler"  # current law may already allow it: no trial needed


class Route(Model):
    """A way to reach the goal: forsøksloven, a sector trial authority, or a change of the rules."""

    kind: RouteKind
    id: str
    name: str
    provision: str | None = Field(None, description="The provision that gives the authority")
    approver: str | None = None
    allows: str | None = None
    limits: list[str] = []
    exemptions: list[int] = Field([], description="Numbers of the exemptions it concerns")
    note: str | None = None
    cites: list[str] = []
    rule: RuleRef | None = None


class TraceNode(Model):
    """One step of the subsumsjon: which rule ran on which facts, and what came out."""

    label: str
    facts: list[str] = []
    result: str | None = None
    cites: list[str] = []
    rule: RuleRef | None = None
    children: list[TraceNode] = []


class ApplicantInfo(Model):
    name: str
    kind: str


class PeriodInfo(Model):
    start: str | None = None
    years: float
    extension_years: float | None = None
    reform: str | None = None


class Report(Model):
    """The checker's full answer for one request."""

    schema_version: str = SCHEMA_VERSION
    title: str
    applicants: list[ApplicantInfo]
    purpose: str | None = None
    aims: list[str] = []
    period: PeriodInfo | None = None
    evaluation: str | None = None
    verdict: Verdict
    verdict_label: str
    missing: list[str] = Field([], description="Conditions the application does not show yet "
                                                "(titles); named in verdict_label after a «ja»")
    certainty: Certainty
    summary: str
    exemptions: list[ExemptionResult] = []
    conditions: list[ConditionResult] = []
    approvers: list[ApproverResult] = []
    routes: list[Route] = []
    next_steps: list[str] = []
    errors: list[InputError] = []
    knowledge_base: str = Field(description="'innebygd' (rules/ only) or 'importert'")
    law_as_of: str = Field(description="The date the law was read at (ISO), from the caller")
    data: str = Field(description="Where the statute data comes from and its date")
    rules_version: str | None = Field(None, description="Content hash of the rules/ files the "
                                                        "answer rests on (12 hex digits)")
    earlier_trials_note: str | None = Field(None, description="What the library of earlier trials "
                                                              "covers (absence is not evidence)")
    trace: TraceNode

    @property
    def exit_code(self) -> int:
        """0 granted, 1 not (yet) granted, 2 input errors — as the CLI documents."""
        if self.errors:
            return 2
        return 0 if self.verdict.granted else 1


def report_schema() -> dict:
    """The JSON schema of the report (stable; versioned by SCHEMA_VERSION)."""
    schema = Report.model_json_schema()
    schema["$id"] = f"https://regelsjekk.no/schema/rapport-v{SCHEMA_VERSION}.json"
    schema["title"] = "Regelsjekk-rapport"
    return schema
