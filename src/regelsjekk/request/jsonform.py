"""The JSON form of a forsøkssøknad, for other systems: reading it, and its published schema.

A JSON file holds one request object or an array of them, with the field names of
`regelsjekk.request.model.Request`. Unknown field names are errors (with "mente du …?"), so a typo is
not silently ignored; the schema says the same (additionalProperties: false).
"""

from __future__ import annotations

import json
import math
import re

from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz, process

from regelsjekk.request.errors import DslError, context_at, line_col
from regelsjekk.request.keywords import quoted
from regelsjekk.request.model import Applicant, Exemption, Period, Request, SourceSpan
from regelsjekk.request.parser import ParseResult, normalize_source
from regelsjekk.request.pointers import escape_key, pointer_offsets

SCHEMA_ID = "urn:regelsjekk:schema:forsokssoknad:1"
SPAN_FIELDS = {"span", "citation_spans", "field_spans"}  # where things were written; not JSON
_NESTED: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    Request: {"sokere": Applicant, "periode": Period, "unntak": Exemption},
}


def _fields(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in SPAN_FIELDS]


_JSON_MESSAGES = {
    "Expecting value": "forventet en verdi",
    "Expecting ',' delimiter": "forventet «,» mellom elementene",
    "Expecting ':' delimiter": "forventet «:» etter feltnavnet",
    "Expecting property name enclosed in double quotes": "forventet et feltnavn i anførselstegn",
    "Unterminated string starting at": "teksten mangler avsluttende anførselstegn",
    "Extra data": "mer innhold etter slutten av JSON-verdien",
    "Invalid control character at": "ugyldig kontrolltegn i tekst (linjeskift skrives \\n)",
    "Invalid \\escape": "ugyldig \\-kode i tekst",
}


def _reject_constant(name: str) -> float:
    raise ValueError(name)


# The form nests four levels deep; anything past this limit is refused before json.loads, whose
# recursion (and pydantic's, and pointer_offsets') would otherwise end in RecursionError.
MAX_JSON_DEPTH = 64
MAX_NUMBER_DIGITS = 30  # no field needs more; int() of a 5,000-digit number is refused by Python
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)|[\[\]{}]', re.DOTALL)


def _too_deep(text: str) -> int | None:
    """The offset where brackets (outside strings) nest deeper than MAX_JSON_DEPTH, or None.
    One pass over the text; an unterminated string runs to the end, as json.loads reads it."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return m.start()
        elif ch in "]}":
            depth -= 1
    return None


def _parse_int(raw: str) -> int:
    if len(raw.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(raw[:12] + "…")
    return int(raw)


def _parse_float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):  # 1e400: too large for a number
        raise ValueError(raw if len(raw) <= 24 else raw[:12] + "…")
    return value


def load_json(text: str, filename: str | None = None) -> ParseResult:
    """Requests from JSON text; never raises on user input."""
    text = normalize_source(text)
    result = ParseResult(source=text, filename=filename)
    deep = _too_deep(text)
    if deep is not None:
        line, column = line_col(text, deep)
        result.errors.append(DslError(
            code="json_syntaks", message=f"JSON-en er nestet for dypt (over {MAX_JSON_DEPTH} "
            "nivåer)", file=filename, line=line, column=column, context=context_at(text, deep),
            expected="JSON etter skjemaet (regelsjekk skjema): søknaden har fire nivåer"))
        return result
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int,
                          parse_float=_parse_float)
    except json.JSONDecodeError as e:
        result.errors.append(DslError(
            code="json_syntaks", message="ugyldig JSON: " + _JSON_MESSAGES.get(e.msg, e.msg),
            file=filename, line=e.lineno, column=e.colno, context=context_at(text, e.pos),
            expected="JSON etter skjemaet (regelsjekk skjema)"))
        return result
    except ValueError as e:
        result.errors.append(DslError(
            code="json_syntaks", message=f"ugyldig tall «{e}» i JSON", file=filename,
            expected="et vanlig tall"))
        return result
    if isinstance(data, dict):
        items, pointers = [data], [""]
    elif isinstance(data, list):
        items, pointers = data, [f"/{i}" for i in range(len(data))]
    else:
        result.errors.append(DslError(
            code="json_form", message="JSON-filen må inneholde en søknad (et objekt) eller en "
            "liste av søknader", file=filename, line=1, column=1,
            expected='{"tittel": …, "sokere": […], …} eller [{…}, {…}]'))
        return result
    if not items:
        result.errors.append(DslError(code="ingen_soknad", message="fant ingen søknad",
                                      file=filename, expected="minst én søknad i listen"))
    problems: list[tuple[str, str, str | None, str | None]] = []  # pointer, message, exp, hint
    for item, pointer in zip(items, pointers):
        if not isinstance(item, dict):
            problems.append((pointer, "en søknad må være et JSON-objekt", "{…}", None))
            continue
        unknown = list(_unknown_keys(item, Request, pointer))
        problems.extend(unknown)
        try:
            req = Request.model_validate(item)
        except ValidationError as exc:
            problems.extend(_translate(e, pointer) for e in exc.errors())
            continue
        if not unknown:
            result.requests.append(_with_pointers(req, filename, pointer))
    if problems:
        offsets = pointer_offsets(text)
        for pointer, message, expected, hint in problems:
            result.errors.append(_error(text, filename, offsets, pointer, message, expected, hint))
    return result


def _unknown_keys(obj: dict, model: type[BaseModel], pointer: str):
    known = _fields(model)
    nested = _NESTED.get(model, {})
    for key, value in obj.items():
        where = f"{pointer}/{escape_key(key)}"
        if key not in known:
            hit = process.extractOne(key, known, scorer=fuzz.WRatio, score_cutoff=75)
            yield (where, f"ukjent felt «{key}»", "ett av " + ", ".join(known),
                   f"mente du «{hit[0]}»?" if hit else None)
        elif key in nested:
            sub = nested[key]
            if isinstance(value, dict):
                yield from _unknown_keys(value, sub, where)
            elif isinstance(value, list):
                for i, elem in enumerate(value):
                    if isinstance(elem, dict):
                        yield from _unknown_keys(elem, sub, f"{where}/{i}")


_TYPE_WORDS = {
    "string_type": "forventet tekst", "int_type": "forventet et helt tall",
    "int_parsing": "forventet et helt tall", "int_from_float": "forventet et helt tall",
    "float_type": "forventet et tall", "float_parsing": "forventet et tall",
    "bool_type": "forventet true eller false", "bool_parsing": "forventet true eller false",
    "list_type": "forventet en liste", "dict_type": "forventet et objekt",
    "model_type": "forventet et objekt", "date_type": "forventet en dato (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ugyldig dato; skriv ÅÅÅÅ-MM-DD",
    "date_from_datetime_parsing": "ugyldig dato; skriv ÅÅÅÅ-MM-DD",
    "date_from_datetime_inexact": "forventet en dato uten klokkeslett",
}


def _translate(e: dict, pointer: str) -> tuple[str, str, str | None, str | None]:
    where = pointer + "".join(f"/{escape_key(str(p))}" for p in e["loc"])
    kind, ctx, value = e["type"], e.get("ctx") or {}, e.get("input")
    name = str(e["loc"][-1]) if e["loc"] else "søknad"
    if kind == "missing":
        return where, f"mangler feltet «{name}»", None, None
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hit = process.extractOne(str(value), allowed, scorer=fuzz.WRatio, score_cutoff=70) \
            if allowed else None
        return (where, f"ugyldig verdi «{value}»", quoted(allowed) or None,
                f"mente du «{hit[0]}»?" if hit else None)
    if kind == "too_short":
        what = "kan ikke være tom" if isinstance(value, str) else "må ha minst ett element"
        return where, f"«{name}» {what}", None, None
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        rel = "større enn" if kind == "greater_than" else "minst"
        return where, f"«{name}» må være {rel} {bound}, ikke {value}", None, None
    if kind == "value_error" and ctx.get("error") is not None:  # our own checks (Period)
        return where, str(ctx["error"]), None, None
    if kind in _TYPE_WORDS:
        return where, f"«{name}»: {_TYPE_WORDS[kind]}", None, None
    return where, f"ugyldig verdi i «{name}»: {e['msg']}", None, None


def _error(text: str, filename: str | None, offsets: dict[str, int], pointer: str, message: str,
           expected: str | None, hint: str | None) -> DslError:
    probe = pointer
    while probe and probe not in offsets:  # a missing field: point at the object it belongs in
        probe = probe.rsplit("/", 1)[0]
    pos = offsets.get(probe, 0)
    line, column = line_col(text, pos)
    code = "json_ukjent_felt" if message.startswith("ukjent felt") else "json_ugyldig"
    return DslError(code=code, message=message, file=filename, line=line, column=column,
                    pointer=pointer or "/", context=context_at(text, pos, _width(text, pos)),
                    expected=expected, hint=hint)


def _width(text: str, pos: int) -> int:
    """Underline a whole key ("navn") rather than its opening quote."""
    if text[pos:pos + 1] != '"':
        return 1
    try:
        end = json.decoder.scanstring(text, pos + 1)[1]
    except ValueError:
        return 1
    return end - pos if "\n" not in text[pos:end] else 1



def _with_pointers(req: Request, filename: str | None, pointer: str) -> Request:
    """Spans for a JSON request: JSON pointers (line numbers only where errors need them)."""
    def span(p: str) -> SourceSpan:
        return SourceSpan(file=filename, pointer=p or "/")

    req.span = span(pointer)
    req.field_spans = {name: span(f"{pointer}/{name}") for name in req.model_fields_set
                       if name not in SPAN_FIELDS}
    for i, app in enumerate(req.sokere):
        app.span = span(f"{pointer}/sokere/{i}")
    if req.periode is not None:
        req.periode.span = span(f"{pointer}/periode")
    for i, ex in enumerate(req.unntak):
        base = f"{pointer}/unntak/{i}"
        ex.span = span(base)
        ex.citation_spans = [span(f"{base}/bestemmelser/{k}") for k in range(len(ex.bestemmelser))]
        ex.field_spans = {name: span(f"{base}/{name}") for name in ex.model_fields_set
                          if name not in SPAN_FIELDS}
    return req
