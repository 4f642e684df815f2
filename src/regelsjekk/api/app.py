"""The HTTP API under /v1 (FastAPI): the CLI's answers for case-management systems.

Thin like the CLI: every answer comes from the same library call the CLI makes — a request goes
through batch.check_source (check_text, then the renderers), so POST /v1/sjekk gives byte for
byte what `regelsjekk sjekk --format json` prints. The knowledge base is opened read-only once
per worker process at start-up and warmed (title index, checker cache, forslag index, graph,
trial library, Jinja templates) before the first request is accepted; requests only read it.
Work runs in a thread with a time limit, except a small request to /v1/sjekk (see
Settings.inline_max_body); errors are problem+json in Norwegian (api.problems).

`create_app()` is what `regelsjekk serve` starts in each worker (through uvicorn's factory
string, so cli/ never imports this package); tests pass a knowledge base of their own.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import anyio
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.responses import Response

from regelsjekk.api import problems
from regelsjekk.api.limits import LimitsMiddleware
from regelsjekk.api.models import (
    BatchBody,
    BatchResponse,
    FileReport,
    ForslagBody,
    ForslagResponse,
    Limits,
    ServiceStatus,
    Worker,
)
from regelsjekk.api.problems import ApiProblem, Problem
from regelsjekk.api.settings import Settings
from regelsjekk.batch.runner import FileOutcome, check_source, combine
from regelsjekk.check.verdict import SCHEMA_VERSION, Report, report_schema
from regelsjekk.lookup.precedents import (
    PrecedentListing,
    precedents_for,
    precedents_for_citation,
)
from regelsjekk.lookup.provisions import LookupResult, lookup
from regelsjekk.report.formats import BINARY_FORMATS
from regelsjekk.request.errors import DslError
from regelsjekk.request.load import decode_source, json_schema

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

log = logging.getLogger("regelsjekk.api")
T = TypeVar("T")

Format = Literal["json", "md", "html", "text", "csv", "csv-excel", "forskrift", "docx",
                 "forskrift-docx"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json", "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8", "text": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8", "csv-excel": "text/csv; charset=utf-8",
    "forskrift": "text/plain; charset=utf-8", "docx": DOCX, "forskrift-docx": DOCX,
}
_ACCEPT = {"application/json": "json", "text/markdown": "md", "text/html": "html",
           "text/plain": "text", "text/csv": "csv", "*/*": "json", "application/*": "json",
           "text/*": "text", DOCX: "docx"}
TEXT_OPTIONS = {"color": False, "trace": False}  # what `sjekk -f text` gives when not a terminal
UNREADABLE = {"json_syntaks", "json_form", "ikke_utf8"}  # 400; any other error in a request: 422
WARM_EXAMPLE = "indre-namdal-oppgavefellesskap.forsok"
PROBLEM = {"model": Problem, "content": {problems.MEDIA_TYPE: {}}}


# -- start-up: open once, warm everything --------------------------------------------------------


def open_kb(settings: Settings) -> KnowledgeBase:
    from regelsjekk.kb.knowledge import KnowledgeBase

    return KnowledgeBase.open(Path(settings.db) if settings.db else None,
                              Path(settings.rules) if settings.rules else None)


def warm(kb: KnowledgeBase) -> dict[str, float]:
    """Build every structure a request would otherwise build on first use, and run one request of
    each kind, so that no request pays for an index. Returns seconds per step."""
    from regelsjekk.check.cache import cache_for
    from regelsjekk.core.paths import examples_dir
    from regelsjekk.forslag.index import index_for
    from regelsjekk.forslag.routes import suggest_routes
    from regelsjekk.forslag.suggest import suggest
    from regelsjekk.kb.trials import library
    from regelsjekk.refs.index import title_index

    steps: dict[str, float] = {}

    def step(name: str, fn: Callable[[], object]) -> None:
        t = time.perf_counter()
        fn()
        steps[name] = round(time.perf_counter() - t, 3)

    step("titler", lambda: title_index(kb))
    step("sjekk-cache", lambda: cache_for(kb))
    step("forslag-indeks", lambda: index_for(kb))
    step("graf", lambda: kb.graph)
    step("tidligere-forsok", lambda: library(kb))
    example = examples_dir() / WARM_EXAMPLE
    if example.is_file():
        text = example.read_text(encoding="utf-8")
        for fmt in MEDIA_TYPES:  # compiles the templates too
            step(f"sjekk-{fmt}", lambda fmt=fmt: check_source(text, example.name, fmt, kb,
                                                              _options(fmt), today=date.today()))
    idea = "fire kommuner vil ha én felles legetjeneste"
    step("forslag", lambda: suggest_routes(idea, suggest(idea, kb), kb))
    step("oppslag", lambda: lookup("kommuneloven § 19-1", kb, with_neighbourhood=True))
    step("presedens", lambda: precedents_for_citation("vegtrafikkloven § 6", kb))
    # Millions of long-lived objects: freeze them so collector pauses do not land on requests.
    gc.collect()
    gc.freeze()
    return steps


def _rules_fingerprint(kb: KnowledgeBase) -> dict[str, str | int]:
    rules_dir = Path(kb.rulebook.rules_dir) if kb.rulebook is not None else None
    if rules_dir is None or not rules_dir.is_dir():
        return {"hash": "", "filer": 0}
    h = hashlib.sha256()
    files = sorted(rules_dir.rglob("*.yaml"))
    for f in files:
        h.update(f.relative_to(rules_dir).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return {"hash": h.hexdigest()[:16], "filer": len(files)}


def _counts(kb: KnowledgeBase) -> dict[str, int]:
    from regelsjekk.kb.trials import library
    from regelsjekk.lookup.provisions import known_document_count

    rb = kb.rulebook
    coverage = library(kb).coverage
    return {"dokumenter": known_document_count(kb),
            "forsokshjemler": len(rb.trial_authorities()) if rb else 0,
            "merkinger": len(rb.assignments()) if rb else 0,
            "tidligere_forsok": coverage.trials}


@functools.cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("regelsjekk")
    except PackageNotFoundError:
        return "ukjent"


def _rss_kib() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# -- the application -----------------------------------------------------------------------------


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    """The app; `settings` default to the environment (Settings.from_env), `kb` to opening the
    knowledge base the settings name — at start-up (lifespan), once per worker process."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        t = time.perf_counter()
        if app.state.kb is None:
            try:
                app.state.kb = open_kb(settings)
            except Exception as exc:
                log.error("Kunne ikke åpne kunnskapsbasen: %s", exc)
                raise
        steps = warm(app.state.kb) if settings.warm else {}
        app.state.started = datetime.now(UTC).isoformat(timespec="seconds")
        app.state.warm_seconds = round(time.perf_counter() - t, 3)
        app.state.rules = _rules_fingerprint(app.state.kb)
        app.state.counts = _counts(app.state.kb)
        log.info("arbeider %d klar på %.1f s: %s; oppvarming %s", os.getpid(),
                 app.state.warm_seconds, app.state.kb.data_note(), steps)
        yield

    app = FastAPI(
        title="regelsjekk API",
        version="1",
        summary="Kan et unntak fra lov eller forskrift prøves som forsøk? Det samme svaret som "
                "`regelsjekk sjekk`, for saksbehandlingssystemer.",
        description="Svarene er veiledning til en søknad, ikke et vedtak. Feil gis som "
                    "application/problem+json (RFC 9457) med norske meldinger.",
        openapi_url="/v1/openapi.json", docs_url="/v1/docs", redoc_url=None,
        lifespan=lifespan)
    app.state.kb, app.state.settings = kb, settings
    app.add_exception_handler(HTTPException, problems.on_http_error)
    app.add_exception_handler(RequestValidationError, problems.on_validation_error)
    app.add_exception_handler(Exception, problems.on_unexpected)
    app.add_middleware(LimitsMiddleware, max_body=settings.max_body,
                       per_client=settings.per_client)
    if settings.cors_origins:  # off unless origins are named (REGELSJEKK_API_CORS)
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"])
    _routes(app)
    app.openapi = partial(_openapi, app)  # type: ignore[method-assign]
    return app


def _kb(request: Request) -> KnowledgeBase:
    kb = request.app.state.kb
    if kb is None:  # only without the lifespan (a test client used without `with`)
        raise ApiProblem(503, "starter", "Tjenesten starter", "Kunnskapsbasen er ikke åpnet ennå.",
                         headers={"Retry-After": "5"})
    return kb


async def _work(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` in a worker thread, within the time limit (503 after it). The thread is
    abandoned, not killed, on time-out: it finishes in the background and its answer is dropped."""
    limit = request.app.state.settings.timeout
    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs),
                                                  abandon_on_cancel=True)
    except TimeoutError:
        raise ApiProblem(503, "tidsavbrudd", "Tok for lang tid",
                         f"Svaret tok mer enn tidsgrensen på {limit:g} s. Prøv igjen litt senere, "
                         "eller del opp forespørselen.", headers={"Retry-After": "5"}) from None


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON as the CLI prints it: UTF-8, two-space indent, final newline."""
    return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", status_code=status,
                    media_type="application/json", headers=headers)


def _options(fmt: str) -> dict:
    return dict(TEXT_OPTIONS) if fmt == "text" else {}


def negotiate(fmt: str | None, accept: str | None) -> str:
    """?format= wins; else the Accept header's best known type (q-values honoured); else JSON."""
    if fmt:
        return fmt
    if not accept:
        return "json"
    best, best_q = None, -1.0
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        chosen = _ACCEPT.get(media.strip().lower())
        if chosen and q > best_q and q > 0:
            best, best_q = chosen, q
    if best is None:
        raise ApiProblem(406, "kan-ikke-levere", "Formatet finnes ikke",
                         f"Kan ikke svare som «{accept}». Velg application/json, text/markdown, "
                         "text/html, text/plain eller text/csv, eller bruk ?format=.")
    return best


def _request_problem(outcome: FileOutcome, errors: list[DslError], warnings: list[DslError],
                     reports: list[Report] | None = None) -> ApiProblem:
    """422 (400 when unreadable) with the CLI's errors, and any reports the checker still made:
    a citation that cannot be resolved leaves a report that says so (the CLI prints both)."""
    if not errors:  # no structured error: the text held no request at all
        errors = [DslError(code="ingen_soknad", message="fant ingen søknad", file=outcome.path,
                           expected="«søknad …» … «slutt», eller JSON etter /v1/skjema/request")]
    status = 400 if any(e.code in UNREADABLE for e in errors) else 422
    first = errors[0]
    more = f" (og {len(errors) - 1} feil til)" if len(errors) > 1 else ""
    return ApiProblem(status, "soknad-feil", "Søknaden har feil", f"{first.place}: "
                      f"{first.message}{more}", errors=errors, warnings=warnings,
                      reports=[r.model_dump(mode="json") for r in reports or []])


def _form_for(content_type: str | None) -> str | None:
    """The file suffix a Content-Type means (the name decides how a text is read)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return ".json"
    if media in ("text/plain", "text/x-forsok", "application/x-forsok"):
        return ".forsok"
    if media in ("", "application/octet-stream"):
        return ""  # read by its first character, as for a file without a known suffix
    raise ApiProblem(415, "medietype", "Ukjent innholdstype",
                     f"Kan ikke lese «{media}». Send søknaden som application/json (JSON-formen) "
                     "eller text/plain (.forsok-tekst).")


def _routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return _json({"tjeneste": "regelsjekk", "dokumentasjon": "/v1/docs",
                      "openapi": "/v1/openapi.json", "status": "/v1/status"})

    @app.post(
        "/v1/sjekk", tags=["sjekk"], summary="Sjekk en søknad",
        description="Søknaden som JSON-formen (`application/json`, skjema i GET "
                    "/v1/skjema/request) eller `.forsok`-tekst (`text/plain`). Svaret er rapporten "
                    "slik `regelsjekk sjekk --format json` skriver den (en liste "
                    "`[{fil, rapport}]` når teksten har flere søknader); andre formater med "
                    "`?format=` eller `Accept`. Utfallet står også i hodet `Regelsjekk-Utfall`.",
        response_class=Response,
        responses={200: {"model": Report | list[FileReport], "content": {
            "text/markdown": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}}}},
            400: PROBLEM, 406: PROBLEM, 413: PROBLEM, 415: PROBLEM, 422: PROBLEM, 429: PROBLEM,
            503: PROBLEM},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SoknadEllerListe"}},
            "text/plain": {"schema": {"type": "string",
                                      "description": "Søknaden i forespørselsspråket (.forsok)"}},
        }}})
    async def sjekk(
        request: Request,
        format: Annotated[Format | None, Query(description="Rapportformat; ellers Accept")] = None,
        dato: Annotated[date | None, Query(description="Les regelverket slik det var denne "
                                                       "dagen (standard: i dag)")] = None,
        navn: Annotated[str | None, Query(max_length=300, description="Navn i feilmeldinger, "
                                                                      "f.eks. filnavnet")] = None,
    ) -> Response:
        fmt = negotiate(format, request.headers.get("accept"))
        suffix = _form_for(request.headers.get("content-type"))
        name = navn or f"soknad{suffix}"
        if suffix and not name.lower().endswith(suffix):
            name += suffix  # the Content-Type decides the form, whatever the name
        kb = _kb(request)
        body = await request.body()
        text, problem = decode_source(body, name)
        if problem is not None:
            raise _request_problem(FileOutcome(path=name), [problem], [])
        settings: Settings = request.app.state.settings
        if len(body) <= settings.inline_max_body and fmt not in BINARY_FORMATS:
            # A few KiB of request text is checked in milliseconds (the worst found: ~75 ms for
            # 4 KiB of unresolvable citations), far below any time limit: on the event loop, which
            # saves the two thread wake-ups of _work (bench/api.py: 0.2-0.5 ms a request).
            outcome, checked = check_source(text or "", name, fmt, kb, _options(fmt),
                                            today=dato or date.today())
        else:
            outcome, checked = await _work(request, check_source, text or "", name, fmt, kb,
                                           _options(fmt), today=dato or date.today())
        if outcome.errors:
            raise _request_problem(outcome, checked.result.errors, checked.result.warnings,
                                   checked.reports)
        headers = {"Regelsjekk-Utfall": ",".join(i.verdict for i in outcome.items)}
        if checked.result.warnings:
            headers["Regelsjekk-Advarsler"] = str(len(checked.result.warnings))
        if fmt in BINARY_FORMATS:
            if len(outcome.items) != 1:
                raise ApiProblem(406, "kan-ikke-levere", "Word-format gjelder én søknad",
                                 f"«{fmt}» lager én Word-fil per søknad: send én søknad om gangen, "
                                 "eller velg et annet format.")
            return Response(outcome.items[0].data or b"", media_type=MEDIA_TYPES[fmt],
                            headers=headers)
        return Response(combine([outcome], fmt), media_type=MEDIA_TYPES[fmt], headers=headers)

    @app.post(
        "/v1/sjekk/batch", tags=["sjekk"], summary="Sjekk mange søknader",
        description="Inntil grensen i /v1/status (`grenser.maks_batch`, standard 100) søknader i "
                    "ett kall. Hver får sin status (200, 400, 422 eller 500), rapporter (JSON) og "
                    "feil; én søknad med feil stopper ikke de andre.",
        response_class=Response,
        responses={200: {"model": BatchResponse}, 400: PROBLEM, 413: PROBLEM, 422: PROBLEM,
                   429: PROBLEM, 503: PROBLEM})
    async def sjekk_batch(request: Request, body: BatchBody,
                          dato: Annotated[date | None, Query()] = None) -> Response:
        limit = request.app.state.settings.max_batch
        if len(body.soknader) > limit:
            raise ApiProblem(422, "for-mange-soknader", "For mange søknader",
                             f"Høyst {limit} søknader per kall (fikk {len(body.soknader)}). Del "
                             "dem opp i flere kall.", errors=[DslError(
                                 code="json_ugyldig", pointer="/soknader",
                                 message=f"høyst {limit} søknader per kall")])
        kb = _kb(request)
        text = await _work(request, _batch, body, kb, dato or date.today())
        return Response(text, media_type="application/json")

    @app.post("/v1/forslag", tags=["forslag"], summary="Foreslå bestemmelser for en idé",
              description="Det samme som `regelsjekk forslag --json`: bestemmelsene idéen mest "
                          "sannsynlig må gjøre unntak fra, og forsøkshjemlene som kan bære den.",
              response_class=Response,
              responses={200: {"model": ForslagResponse}, 422: PROBLEM, 429: PROBLEM,
                         503: PROBLEM})
    async def forslag(request: Request, body: ForslagBody) -> Response:
        description = body.beskrivelse.strip()
        if not description:
            raise ApiProblem(422, "ugyldig-foresporsel", "Ugyldig forespørsel",
                             "Beskrivelsen er tom. Skriv idéen med vanlige ord.", errors=[DslError(
                                 code="json_ugyldig", pointer="/beskrivelse",
                                 message="«beskrivelse»: kan ikke være tom")])
        kb = _kb(request)
        return _json(await _work(request, _forslag, description, body.antall, kb))

    @app.get("/v1/bestemmelser/{node_id:path}", tags=["oppslag"],
             summary="Slå opp en bestemmelse med id",
             description="En id i Lovdatas skjema (`lov/2018-06-22-83/§19-1/ledd/2`), som "
                         "`regelsjekk slå-opp --json`: teksten (når importert), våre merkinger, "
                         "henvisninger og nabolaget i lovverket.",
             response_class=Response,
             responses={200: {"model": LookupResult}, 404: PROBLEM, 422: PROBLEM})
    async def bestemmelse(
        request: Request,
        node_id: Annotated[str, PathParam(description="Bestemmelsens id")],
        dato: Annotated[date | None, Query()] = None,
        uten_tekst: Annotated[bool, Query(description="Uten lovteksten")] = False,
    ) -> Response:
        return await _lookup(request, node_id, None, dato, uten_tekst)

    @app.get("/v1/oppslag", tags=["oppslag"], summary="Slå opp en henvisning",
             description="En henvisning slik jurister skriver den («kl. § 19-1 (3)», «fvl. §§ 24 "
                         "og 25», en Lovdata-lenke), som `regelsjekk slå-opp --json`.",
             response_class=Response,
             responses={200: {"model": LookupResult}, 404: PROBLEM, 422: PROBLEM})
    async def oppslag(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="Henvisningen")],
        i: Annotated[str | None, Query(description="Les «§ 4» som i dette dokumentet (id)")] = None,
        dato: Annotated[date | None, Query()] = None,
        uten_tekst: Annotated[bool, Query()] = False,
    ) -> Response:
        return await _lookup(request, q, i, dato, uten_tekst)

    @app.get("/v1/presedens", tags=["oppslag"], summary="Tidligere forsøk",
             description="Forsøksforskrifter som satte en bestemmelse (en del av den, det som "
                         "rommer den, eller forgjengeren) til side, som `regelsjekk presedens "
                         "--json`. Spør med `id` (én eller flere) eller en henvisning i `q`.",
             response_class=Response,
             responses={200: {"model": PrecedentListing}, 404: PROBLEM, 422: PROBLEM})
    async def presedens(
        request: Request,
        id: Annotated[list[str] | None, Query(description="Bestemmelsens id (kan gjentas)")] = None,
        q: Annotated[str | None, Query(max_length=500, description="En henvisning")] = None,
        uten_kostra: Annotated[bool, Query(description="Uten de mange KOSTRA-forsøkene")] = False,
        dato: Annotated[date | None, Query()] = None,
    ) -> Response:
        if bool(id) == bool(q and q.strip()):
            raise ApiProblem(422, "ugyldig-foresporsel", "Ugyldig forespørsel",
                             "Oppgi enten id (én eller flere) eller q (en henvisning).")
        kb = _kb(request)
        if id:
            unknown = [i for i in id if kb.node(i) is None]
            if unknown:
                raise ApiProblem(404, "ikke-funnet", "Fant ikke bestemmelsen",
                                 f"Fant ingen bestemmelse med id «{unknown[0]}».")
            listing = await _work(request, precedents_for, list(id), kb, "", not uten_kostra)
        else:
            listing = await _work(request, precedents_for_citation, q.strip(), kb,
                                  dato or date.today(), not uten_kostra)
            if not listing.found:
                raise ApiProblem(404, "ikke-funnet", "Fant ikke bestemmelsen",
                                 " ".join(listing.messages) or f"Fant ikke «{q}».")
        return _json(listing.model_dump(mode="json"))

    @app.get("/v1/skjema/request", tags=["skjema"], summary="JSON-skjemaet for søknaden",
             response_class=Response)
    async def skjema_request() -> Response:
        return _json(json_schema())

    @app.get("/v1/skjema/report", tags=["skjema"], summary="JSON-skjemaet for rapporten",
             response_class=Response)
    async def skjema_report() -> Response:
        return _json(report_schema())

    @app.get("/v1/status", tags=["status"], summary="Data, regler og grenser",
             response_model=ServiceStatus)
    async def status(request: Request) -> ServiceStatus:
        kb, s, st = _kb(request), request.app.state.settings, request.app.state
        from regelsjekk.kb.store import SCHEMA_VERSION as STORE_SCHEMA

        return ServiceStatus(
            versjon=_version(), data=kb.data_note(), importert=kb.has_import,
            regler=st.rules, skjema={"rapport": SCHEMA_VERSION, "kunnskapsbase": STORE_SCHEMA},
            antall=st.counts,
            grenser=Limits(maks_kropp_bytes=s.max_body, maks_batch=s.max_batch,
                           maks_samtidige_per_klient=s.per_client, tidsgrense_sekunder=s.timeout,
                           direkte_maks_kropp_bytes=s.inline_max_body),
            arbeider=Worker(pid=os.getpid(), startet=st.started,
                            oppvarming_sekunder=st.warm_seconds, minne_rss_kib=_rss_kib()))


async def _lookup(request: Request, query: str, context: str | None, dato: date | None,
                  without_text: bool) -> Response:
    kb = _kb(request)
    result = await _work(request, partial(lookup, query, kb, context, today=dato or date.today(),
                                          with_text=not without_text, with_neighbourhood=True))
    if not result.found:
        res = result.resolution
        raise ApiProblem(404, "ikke-funnet", "Fant ikke bestemmelsen",
                         " ".join(res.messages) or f"Fant ikke «{query}».",
                         suggestions=list(res.suggestions))
    return _json(result.model_dump(mode="json"))


def _forslag(description: str, limit: int, kb: KnowledgeBase) -> dict:
    from regelsjekk.forslag.routes import suggest_routes
    from regelsjekk.forslag.suggest import suggest

    found = suggest(description, kb, limit=limit)
    routes = suggest_routes(description, found, kb)
    return {"beskrivelse": description, "importert": kb.has_import,
            "forslag": [s.model_dump(mode="json") for s in found],
            "ruter": [r.model_dump(mode="json") for r in routes]}


def _batch(body: BatchBody, kb: KnowledgeBase, today: date) -> str:
    """Every request of a batch through the one path; the reports are spliced in as rendered."""
    entries: list[str] = []
    ok = 0
    for nr, item in enumerate(body.soknader, 1):
        status, entry = _batch_item(nr, item, kb, today)
        entries.append(entry)
        ok += status == 200
    head = json.dumps({"antall": len(entries), "ok": ok, "med_feil": len(entries) - ok},
                      ensure_ascii=False)
    return head[:-1] + ', "resultater": [\n' + ",\n".join(entries) + "\n]}\n"


def _batch_item(nr: int, item: Any, kb: KnowledgeBase, today: date) -> tuple[int, str]:
    if (item.tekst is None) == (item.soknad is None):
        name = item.navn or f"soknad-{nr}"
        err = DslError(code="json_form", pointer=f"/soknader/{nr - 1}",
                       message="oppgi enten «tekst» eller «soknad» (ikke begge, ikke ingen)")
        return _item_json(nr, name, 400, [], [], [err], [])
    if item.soknad is not None:
        text, suffix = json.dumps(item.soknad, ensure_ascii=False, indent=2), ".json"
    else:
        text, suffix = item.tekst, ""
    name = item.navn or f"soknad-{nr}{suffix or '.forsok'}"
    try:
        outcome, checked = check_source(text, name, "json", kb, today=today)
    except Exception:
        log.exception("intern feil i batch, søknad %d", nr)
        err = DslError(code="uventet", message="intern feil under sjekken (logget hos regelsjekk)")
        return _item_json(nr, name, 500, [], [], [err], [])
    if outcome.errors:
        problem = _request_problem(outcome, checked.result.errors, checked.result.warnings)
        return _item_json(nr, name, problem.status_code, [i.verdict for i in outcome.items],
                          [i.rendered for i in outcome.items], problem.errors,
                          checked.result.warnings)
    return _item_json(nr, name, 200, [i.verdict for i in outcome.items],
                      [i.rendered for i in outcome.items], [], checked.result.warnings)


def _item_json(nr: int, name: str, status: int, verdicts: list[str], reports: list[str],
               errors: list[DslError], warnings: list[DslError]) -> tuple[int, str]:
    head = json.dumps({"nr": nr, "navn": name, "status": status, "utfall": verdicts},
                      ensure_ascii=False)
    rest = json.dumps({"feil": [e.model_dump(mode="json", warnings=False) for e in errors],
                       "advarsler": [w.model_dump(mode="json", warnings=False) for w in warnings]},
                      ensure_ascii=False)
    return status, (head[:-1] + ', "rapporter": [' + ",".join(r.rstrip("\n") for r in reports)
                    + "], " + rest[1:])


# -- OpenAPI: the request's published JSON Schema as components ----------------------------------


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                         description=app.description, routes=app.routes)
    request = json_schema()
    defs = request.pop("$defs", {})
    for key in ("$schema", "$id"):
        request.pop(key, None)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    clash = set(defs) & set(components)
    assert not clash, f"request schema names clash with the API's: {clash}"
    components.update(_rewrite_refs(defs))
    components["SoknadEllerListe"] = _rewrite_refs(request)
    app.openapi_schema = schema
    return schema


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" and
                    isinstance(v, str) else _rewrite_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node
