"""The request language (forsøkssøknad): parse, format, load files, and the JSON form's schema.

    parse_requests(text, filename=None) -> ParseResult   # never raises on user input
    format_request(req) -> str                           # canonical text; parse(format(r)) == r
    load_request_file(path) -> ParseResult               # .forsok (this language) or .json
    load_request_text(text, filename) -> ParseResult     # the same for text already read (uploads)
    read_source(path) -> (text | None, DslError | None)  # a file's text, or why it is unreadable
    decode_source(data, name) -> (text | None, DslError | None)  # the same for bytes (HTTP)
    json_schema() -> dict                                # the published schema of the JSON form

Requests that parse cleanly are in `ParseResult.requests`; every problem (syntax, values, JSON
validation) is a `DslError` in `ParseResult.errors` with file, line, column, the line with a caret,
what was expected and a hint. Citations are kept as written, with their spans
(`Exemption.citation_spans`); resolving them is the checker's job, and `check_citations` /
`citation_error` turn a failed resolution into the same kind of error ("mente du …?").
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from regelsjekk.core.ids import doc_of
from regelsjekk.core.textcodec import decode_text
from regelsjekk.request.errors import DslError, citation_error, error_at
from regelsjekk.request.formatter import format_request, format_requests
from regelsjekk.request.jsonform import load_json
from regelsjekk.request.parser import MAX_ERRORS, ParseResult, parse_requests
from regelsjekk.request.schema import json_schema, schema_text

__all__ = [
    "DslError", "ParseResult", "check_citations", "citation_error", "decode_source", "error_at",
    "format_request", "format_requests", "format_source", "json_schema", "load_json",
    "load_request_file", "load_request_text", "parse_requests", "read_source", "schema_text",
]

DSL_SUFFIXES = (".forsok", ".forsøk", ".txt")
MiB = 1024 * 1024
# A request file is a few kB; a file of many requests (a JSON list) a few hundred. Anything far
# over that is a mistake or an attack: it is refused before it is read whole.
MAX_REQUEST_FILE_BYTES = 4 * MiB


def load_request_text(text: str, filename: str | None = None, *,
                      keep_comments: bool = False) -> ParseResult:
    """Requests from text in either form: JSON by name (.json) or by its first character."""
    suffix = Path(filename).suffix.lower() if filename else ""
    first = text.lstrip("\ufeff \t\r\n")[:1]
    if suffix == ".json" or (suffix not in DSL_SUFFIXES and first in ("{", "[")):
        return load_json(text, filename)
    return parse_requests(text, filename, keep_comments=keep_comments)


def load_request_file(path: str | Path, *, keep_comments: bool = False) -> ParseResult:
    """Requests from a .forsok or .json file; unreadable files are errors, not exceptions."""
    text, problem = read_source(path)
    if problem is not None:
        return ParseResult(filename=str(path), errors=[problem])
    return load_request_text(text or "", str(path), keep_comments=keep_comments)


# Why a file could not be opened, in Norwegian (the OS's own words are English), with a hint.
_OS_REASONS = {
    errno.ENOENT: ("den finnes ikke", "sjekk filnavnet og mappen"),
    errno.EACCES: ("mangler lesetilgang", "sjekk rettighetene til filen"),
    errno.EPERM: ("mangler lesetilgang", "sjekk rettighetene til filen"),
    errno.EISDIR: ("det er en mappe", "oppgi en søknadsfil (.forsok eller .json)"),
}


def read_source(path: str | Path) -> tuple[str | None, DslError | None]:
    """(text as written, None), or (None, the DslError that stops reading the file)."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "is a directory")
            if not stat.S_ISREG(mode):  # a FIFO or a device: reading could wait, or never end
                return None, DslError(
                    code="kan_ikke_lese", file=name,
                    message="kan ikke lese filen: den er ikke en vanlig fil (kanskje en FIFO "
                    "eller en enhet)", hint="oppgi en søknadsfil (.forsok eller .json)")
            data = fh.read(MAX_REQUEST_FILE_BYTES + 1)
    except OSError as e:
        reason, hint = _OS_REASONS.get(e.errno or 0, (e.strerror or str(e), None))
        return None, DslError(code="kan_ikke_lese", message=f"kan ikke lese filen: {reason}",
                              file=name, hint=hint)
    if len(data) > MAX_REQUEST_FILE_BYTES:
        return None, DslError(
            code="kan_ikke_lese", file=name,
            message=f"kan ikke lese filen: den er over grensen på {MAX_REQUEST_FILE_BYTES // MiB} "
            "MB for en søknadsfil", hint="del søknadene opp i flere filer")
    return decode_source(data, name)


def decode_source(data: bytes, name: str | None = None) -> tuple[str | None, DslError | None]:
    """(the text, None): UTF-8, or UTF-8/UTF-16/UTF-32 with a byte-order mark (removed); or
    (None, the ikke_utf8 error, at the first bad byte of a file meant as UTF-8)."""
    text, problem = decode_text(data)
    if problem is None:
        return text, None
    line = column = None
    if problem.offset is not None:
        line = data.count(b"\n", 0, problem.offset) + 1
        column = problem.offset - (data.rfind(b"\n", 0, problem.offset) + 1) + 1
    return None, DslError(
        code="ikke_utf8", message=problem.message, file=name, line=line, column=column,
        hint="lagre filen som UTF-8 (æ, ø og å må være UTF-8)")


def format_source(text: str, filename: str | None = None) -> tuple[str | None, ParseResult]:
    """The canonical form of a whole file, comments kept; None if the file has errors."""
    result = load_request_text(text, filename, keep_comments=True)
    if not result.ok:
        return None, result
    return format_requests(result.requests, result.comments), result


def check_citations(result: ParseResult, resolve: Callable[[str, str | None], object],
                    ) -> list[DslError]:
    """Resolve every citation with ``resolve(text, context_doc)`` — the one citation-error path.

    The CLI, the app and the error fixtures all go through here (via batch.check_text), so a
    citation reads the same wherever it is checked. ``context_doc`` is the document the previous
    citation in the same exemption resolved to, so "kommuneloven § 19-1; § 19-2" works as the
    checker reads it. Each citation that is not found becomes a DslError at the citation, with the
    resolver's suggestions as "mente du …?"; one the resolver found but had to choose for
    (ambiguous) becomes a warning. Both are added to `result`; the errors are returned. As in the
    parser, at most MAX_ERRORS errors are written out, then one «stoppet etter …» (a file of
    16,000 failing citations made 16,000 errors, each with its line and caret).
    """
    found: list[DslError] = []
    room = max(0, MAX_ERRORS - len(result.errors))
    more = False
    for req in result.requests:
        for ex in req.unntak:
            context: str | None = None
            for k, text in enumerate(ex.bestemmelser):
                res = resolve(text, context)
                ok, ambiguous = getattr(res, "ok", False), getattr(res, "ambiguous", False)
                ids = getattr(res, "ids", None) or []
                if ok:  # as the checker does: the next bare "§ 2" is in this document
                    context = getattr(res, "doc_id", None) or (doc_of(ids[0]) if ids else context)
                if ok and not ambiguous:
                    continue
                if ok and len(result.warnings) >= MAX_ERRORS:
                    continue
                if not ok and len(found) >= room:
                    more = True
                    continue
                span = ex.citation_spans[k] if k < len(ex.citation_spans) else ex.span
                err = citation_error(span, text, res, result.source)
                if ok:
                    err.severity, err.expected = "advarsel", None
                    result.warnings.append(err)
                else:
                    found.append(err)
    if more and not any(e.code == "for_mange_feil" for e in result.errors):
        found.append(DslError(
            code="for_mange_feil", message=f"stoppet etter {MAX_ERRORS} feil; det kan være flere",
            file=result.filename, hint="rett feilene over og kjør på nytt"))
    result.errors.extend(found)
    return found
