"""The API's own bodies and answers. Everything else in the contract is the library's models
(Report, Suggestion, RouteSuggestion, LookupResult, PrecedentListing, DslError), so the OpenAPI
document and the CLI's JSON come from the same pydantic classes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from regelsjekk.check.verdict import Report
from regelsjekk.forslag.routes import RouteSuggestion
from regelsjekk.forslag.suggest import Suggestion
from regelsjekk.request.errors import DslError


class FileReport(BaseModel):
    """One report of a body that held several requests (as `regelsjekk sjekk` prints them)."""

    fil: str
    rapport: Report


class BatchItem(BaseModel):
    """One request in a batch: `.forsok` text (or JSON as text) in `tekst`, or the JSON form in
    `soknad` — exactly one of the two."""

    model_config = ConfigDict(extra="forbid")
    navn: str | None = Field(None, max_length=300,
                             description="A name for messages, e.g. the file name")
    tekst: str | None = Field(None, description="The request as .forsok text (or JSON as text)")
    soknad: dict | list | None = Field(None, description="The request in the JSON form "
                                                          "(GET /v1/skjema/request)")


class BatchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    soknader: list[BatchItem] = Field(description="The requests (at most the limit in "
                                                  "GET /v1/status: grenser.maks_batch)")


class BatchResult(BaseModel):
    nr: int = Field(description="1-based place in the batch")
    navn: str
    status: int = Field(description="200 checked, 400 unreadable, 422 errors in the request, "
                                    "500 internal error")
    utfall: list[str] = Field([], description="The verdict of each report")
    rapporter: list[Report] = []
    feil: list[DslError] = []
    advarsler: list[DslError] = []


class BatchResponse(BaseModel):
    antall: int
    ok: int = Field(description="Requests checked without errors")
    med_feil: int
    resultater: list[BatchResult]


class ForslagBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    beskrivelse: str = Field(min_length=1, max_length=10_000,
                             description="The idea in ordinary Norwegian (bokmål or nynorsk)")
    antall: int = Field(10, ge=1, le=100, description="How many provisions to propose")


class ForslagResponse(BaseModel):
    """What `regelsjekk forslag --json` prints."""

    beskrivelse: str
    importert: bool
    forslag: list[Suggestion]
    ruter: list[RouteSuggestion]


class Limits(BaseModel):
    maks_kropp_bytes: int
    maks_batch: int
    maks_samtidige_per_klient: int
    tidsgrense_sekunder: float
    direkte_maks_kropp_bytes: int = Field(
        description="En søknad til /v1/sjekk på høyst så mange byte sjekkes direkte, uten egen tråd "
                    "og tidsgrense (den er ferdig på millisekunder); 0: alltid med tidsgrense")


class Worker(BaseModel):
    pid: int
    startet: str
    oppvarming_sekunder: float
    minne_rss_kib: int | None = None


class ServiceStatus(BaseModel):
    """GET /v1/status: what this worker serves."""

    tjeneste: str = "regelsjekk"
    versjon: str = Field(description="The regelsjekk package version")
    data: str = Field(description="Where the statute data comes from and its date")
    importert: bool
    regler: dict[str, str | int] = Field(description="rules/: hash of its files and their count")
    skjema: dict[str, str] = Field(description="Versions of the report and store schemas")
    antall: dict[str, int] = Field(description="Documents, trial authorities, tagged provisions, "
                                               "earlier trials")
    grenser: Limits
    arbeider: Worker
