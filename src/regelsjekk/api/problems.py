"""Errors as application/problem+json (RFC 9457), in Norwegian, never with a stack trace.

Every error the API gives has the same shape: `type` (a stable URI per kind), `title`, `status`,
`detail`, `instance` (the path asked), and for request files `feil` / `advarsler`: the same
structured errors the CLI prints (line, column, the line with a caret, what was expected, a hint),
plus `tekst`, exactly the lines `regelsjekk sjekk` writes to stderr.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response

from regelsjekk.check.verdict import Report
from regelsjekk.request.errors import DslError

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://regelsjekk.no/problem/"
log = logging.getLogger("regelsjekk.api")


class Problem(BaseModel):
    """An error (RFC 9457 problem details), with our own fields in Norwegian."""

    type: str = Field(description="A stable URI for the kind of error, e.g. "
                                  f"{TYPE_BASE}soknad-feil")
    title: str = Field(description="The kind of error, in Norwegian")
    status: int
    detail: str = Field(description="What went wrong here, in Norwegian")
    instance: str | None = Field(None, description="The path that was asked")
    feil: list[DslError] = Field([], description="Each error with place (line/column or JSON "
                                                 "pointer), the line with a caret, expected, hint")
    advarsler: list[DslError] = []
    tekst: str | None = Field(None, description="The errors as `regelsjekk sjekk` prints them")
    forslag: list[str] = Field([], description="'Mente du …' suggestions (look-ups)")
    rapporter: list[Report] = Field([], description="Reports the checker still made (a request "
                                                    "whose citations could not all be resolved, "
                                                    "as `regelsjekk sjekk` prints them too)")


class ApiProblem(HTTPException):
    """An error to answer with; raised anywhere in a request, turned into problem+json."""

    def __init__(self, status: int, kind: str, title: str, detail: str, *,
                 errors: list[DslError] | None = None, warnings: list[DslError] | None = None,
                 suggestions: list[str] | None = None, headers: dict[str, str] | None = None,
                 reports: list[dict] | None = None) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.kind, self.title = kind, title
        self.errors, self.warnings = errors or [], warnings or []
        self.suggestions = suggestions or []
        self.reports = reports or []


def problem_response(status: int, kind: str, title: str, detail: str, instance: str | None = None,
                     *, errors: list[DslError] | None = None,
                     warnings: list[DslError] | None = None, suggestions: list[str] | None = None,
                     headers: dict[str, str] | None = None,
                     reports: list[dict] | None = None) -> Response:
    body: dict[str, Any] = {"type": TYPE_BASE + kind, "title": title, "status": status,
                            "detail": detail, "instance": instance}
    if errors or warnings:
        body["feil"] = [e.model_dump(mode="json", warnings=False) for e in errors or []]
        body["advarsler"] = [w.model_dump(mode="json", warnings=False) for w in warnings or []]
        body["tekst"] = "\n".join(e.render() for e in [*(errors or []), *(warnings or [])])
    if suggestions:
        body["forslag"] = suggestions
    if reports:
        body["rapporter"] = reports
    return Response(json.dumps(body, ensure_ascii=False, indent=2) + "\n", status_code=status,
                    media_type=MEDIA_TYPE, headers=headers)


# What Starlette's own HTTP errors mean, for a client reading Norwegian.
_HTTP = {
    404: ("ikke-funnet", "Finnes ikke", "Adressen finnes ikke i API-et. Se /v1/docs."),
    405: ("metode", "Metoden er ikke tillatt", "Adressen finnes, men ikke med denne metoden."),
    413: ("for-stor", "For stor forespørsel", "Forespørselen er for stor."),
    415: ("medietype", "Ukjent innholdstype", "Innholdstypen støttes ikke."),
}


async def on_http_error(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, ApiProblem):
        return problem_response(exc.status_code, exc.kind, exc.title, str(exc.detail),
                                request.url.path, errors=exc.errors, warnings=exc.warnings,
                                suggestions=exc.suggestions, headers=exc.headers,
                                reports=exc.reports)
    kind, title, detail = _HTTP.get(exc.status_code, ("http", "Feil i forespørselen",
                                                      "Forespørselen kunne ikke besvares."))
    return problem_response(exc.status_code, kind, title, detail, request.url.path,
                            headers=getattr(exc, "headers", None))


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's checks of bodies and parameters, as our Norwegian errors (422)."""
    errors = [_validation_error(e) for e in exc.errors()]
    bad_json = any(e.get("type") == "json_invalid" for e in exc.errors())
    status = 400 if bad_json else 422
    detail = errors[0].message if len(errors) == 1 else f"{len(errors)} feil i forespørselen."
    return problem_response(status, "ugyldig-foresporsel",
                            "Ugyldig forespørsel", detail, request.url.path, errors=errors)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """The catch-all: a bug in regelsjekk. Logged on the server, never shown to the client."""
    log.exception("intern feil på %s %s", request.method, request.url.path)
    return problem_response(500, "intern-feil", "Intern feil",
                            "Noe gikk galt hos regelsjekk. Feilen er logget; prøv igjen, eller "
                            "meld fra med forespørselen vedlagt.", request.url.path)


def _validation_error(error: dict) -> DslError:
    loc = [str(p) for p in error.get("loc", ())]
    where, path = (loc[0], loc[1:]) if loc else ("body", [])
    name = path[-1] if path else ""
    pointer = ("/" + "/".join(path)) if where == "body" else f"?{'&'.join(path)}"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    message = _MESSAGES.get(kind, "ugyldig verdi")
    try:
        message = message.format(name=name, **ctx)
    except (KeyError, IndexError):
        pass
    code = "json_ukjent_felt" if kind == "extra_forbidden" else (
        "json_syntaks" if kind == "json_invalid" else "json_ugyldig")
    where_text = {"body": "", "query": "parameteren ", "path": "adressen ", "header": "hodet "}
    prefix = f"{where_text.get(where, '')}«{name}»: " if name else ""
    return DslError(code=code, message=prefix + message, pointer=pointer,
                    expected=_EXPECTED.get(kind))


_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukjent felt",
    "json_invalid": "ugyldig JSON",
    "string_type": "må være tekst",
    "string_too_short": "kan ikke være tom",
    "string_too_long": "er for lang (høyst {max_length} tegn)",
    "int_type": "må være et heltall",
    "int_parsing": "må være et heltall",
    "bool_parsing": "må være true eller false",
    "bool_type": "må være true eller false",
    "greater_than_equal": "må være minst {ge}",
    "less_than_equal": "kan være høyst {le}",
    "too_short": "må ha minst {min_length} element",
    "too_long": "kan ha høyst {max_length} elementer",
    "list_type": "må være en liste",
    "dict_type": "må være et objekt",
    "model_type": "må være et objekt",
    "model_attributes_type": "må være et objekt",
    "date_from_datetime_parsing": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "date_parsing": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "date_type": "må være en dato på formen ÅÅÅÅ-MM-DD",
    "literal_error": "må være en av {expected}",
    "enum": "må være en av {expected}",
    "value_error": "ugyldig verdi",
}
_EXPECTED = {
    "date_from_datetime_parsing": "en dato som 2026-01-01",
    "date_parsing": "en dato som 2026-01-01",
    "missing": "se skjemaet i /v1/openapi.json",
    "extra_forbidden": "bare feltene i /v1/openapi.json",
}
