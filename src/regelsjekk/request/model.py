"""A forsøkssøknad: who applies, why, for how long, and which provisions to set aside.

The same model is produced by the DSL parser, by the JSON form (schema: `regelsjekk skjema`) and by
the app's guided form, and it is all the checker reads. Field names are Norwegian where they mirror
the application form a municipality fills in, so the JSON form reads naturally to its users.
"""

from __future__ import annotations

import math
from typing import Any
from datetime import date
from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

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


# A trial lasts at most 4 + 4 years (forsøksloven § 7); a longer period is checked and refused by the
# checker, but one over this bound is a typo, and dates after year 9999 cannot be computed at all.
MAX_YEARS = 100
LAST_YEAR = date.max.year


def period_problem(start: date | None, years: float | None, extension: float | None) -> str | None:
    """Why a period cannot be used (Norwegian), or None: durations are finite and at most
    MAX_YEARS, and the period with its extension ends by 31.12.9999."""
    for what, value in (("varigheten", years), ("forlengelsen", extension)):
        if value is not None and not (math.isfinite(value) and value <= MAX_YEARS):
            return f"{what} er for lang; forsøksperioden kan ikke være over {MAX_YEARS} år"
    if start is not None and years is not None:
        end = start.year + math.ceil(years + (extension or 0))
        if end > LAST_YEAR:
            return (f"forsøksperioden fra {start.day}.{start.month}.{start.year} slutter etter år "
                    f"{LAST_YEAR}; kontroller startdatoen")
    return None


class Period(Model):
    start: date | None = None
    varighet_ar: float = Field(gt=0, description="Length of the trial in years")
    forlengelse_ar: float | None = Field(None, ge=0, description="Planned extension in years")
    reform: str | None = Field(None, description="A planned or decided reform the trial runs until")
    span: SourceSpan | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _bounded(self) -> Period:
        problem = period_problem(self.start, self.varighet_ar, self.forlengelse_ar)
        if problem:
            raise ValueError(problem)
        return self


class Exemption(Model):
    """One or more provisions to set aside, and what replaces them."""

    bestemmelser: list[str] = Field(min_length=1, description="Citations as written, e.g. "
                                    "'kommuneloven § 19-1 annet ledd'")
    virkning: Effect = Effect.INGEN
    virkning_oppgitt: SkipJsonSchema[bool] = Field(True, exclude=True, description="False when the request did "
                                   "not state the effect: read as «ingen», never counted as chosen")
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

    @model_validator(mode="before")
    @classmethod
    def _unstated_effect(cls, data: Any) -> Any:
        """An exemption written without «virkning» (DSL or JSON) is marked, not silently «ingen»."""
        if isinstance(data, dict) and "virkning" not in data and "virkning_oppgitt" not in data:
            return {**data, "virkning_oppgitt": False}
        return data


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
