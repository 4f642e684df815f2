"""A forsøkssøknad: who applies, why, for how long, and which provisions to set aside.

The same model is produced by the DSL parser, by the JSON form (schema: `regelsjekk skjema`) and by
the app's guided form, and it is all the checker reads. Field names are Norwegian where they mirror
the application form a municipality fills in, so the JSON form reads naturally to its users.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import ConfigDict, Field

from regelsjekk.core.model import ApplicantKind, Model


class Aim(StrEnum):
    """The aims forsøksloven § 1 names; a trial must pursue at least one."""

    ORGANISERING = "organisering"  # functional and efficient ways of organising and running
    OPPGAVEFORDELING = "oppgavefordeling"  # sensible division of tasks between bodies and levels
    TJENESTEYTING = "tjenesteyting"  # better public services to citizens
    RESSURSUTNYTTELSE = "ressursutnyttelse"  # best possible use of resources
    DEMOKRATI = "demokrati"  # good democratic governance (trials involving elected bodies)


class Effect(StrEnum):
    """What setting the provision aside does to individuals (decides forsøksloven § 4 annet ledd)."""

    INGEN = "ingen"
    UTVIDER_RETTIGHET = "utvider_rettighet"
    INNSKRENKER_RETTIGHET = "innskrenker_rettighet"
    LETTER_PLIKT = "letter_plikt"
    UTVIDER_PLIKT = "utvider_plikt"


class SourceSpan(Model):
    """Where something was written (DSL line/column, or a JSON pointer), for error messages."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    pointer: str | None = Field(None, description="JSON pointer, for requests given as JSON")


class Applicant(Model):
    navn: str = Field(min_length=1)
    type: ApplicantKind
    span: SourceSpan | None = Field(None, exclude=True)


class Period(Model):
    start: date | None = None
    varighet_ar: float = Field(gt=0, description="Length of the trial in years")
    forlengelse_ar: float | None = Field(None, ge=0, description="Planned extension in years")
    reform: str | None = Field(None, description="A planned or decided reform the trial runs until")
    span: SourceSpan | None = Field(None, exclude=True)


class Exemption(Model):
    """One or more provisions to set aside, and what replaces them."""

    bestemmelser: list[str] = Field(min_length=1, description="Citations as written, e.g. "
                                    "'kommuneloven § 19-1 annet ledd'")
    virkning: Effect = Effect.INGEN
    erstatning: str | None = Field(None, description="The replacement rule (forsøksloven § 5)")
    rettssikkerhet: str | None = Field(None, description="For case-processing rules: the "
                                       "alternative procedure that protects individuals as well")
    begrunnelse: str | None = None
    span: SourceSpan | None = Field(None, exclude=True)
    citation_spans: list[SourceSpan] = Field(
        [], exclude=True, description="Where each of bestemmelser was written (same order), so "
        "that an unknown law name is reported with a caret under the citation")
    field_spans: dict[str, SourceSpan] = Field(
        {}, exclude=True, description="Where each field was written, by field name")


class Request(Model):
    """One application for a trial (a forsøkssøknad)."""

    model_config = ConfigDict(title="Forsøkssøknad")

    tittel: str = Field(min_length=1)
    sokere: list[Applicant] = Field(min_length=1, description="Applicants; several = a joint trial")
    formal: str | None = Field(None, description="The purpose in the applicant's words")
    mal: list[Aim] = Field([], description="Aims under forsøksloven § 1")
    periode: Period | None = None
    enheter: int | None = Field(None, ge=1, description="Number of trial units")
    enheter_begrunnelse: str | None = None
    evaluering: str | None = Field(None, description="The evaluation plan")
    samarbeid: str | None = Field(None, description="Who cooperates in the trial, and how (what a "
                                  "sector trial authority for cooperation asks for)")
    reversibel: bool | None = Field(None, description="Can the trial be wound up and reversed?")
    vedtak_kommunestyre: bool | None = Field(None, description="Adopted (or to be adopted) by "
                                              "every participating council")
    horing: bool | None = Field(None, description="The draft lokal forskrift will be consulted on")
    unntak: list[Exemption] = []
    merknad: str | None = None
    span: SourceSpan | None = Field(None, exclude=True)
    field_spans: dict[str, SourceSpan] = Field(
        {}, exclude=True, description="Where each field was written, by field name (for messages "
        "that point at e.g. the periode line)")
