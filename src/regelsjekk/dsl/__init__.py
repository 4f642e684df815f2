"""The request language (forsøkssøknad): parse, format, load, and the JSON form's schema.

    parse_requests(text, filename=None) -> ParseResult   # never raises on user input
    format_request(req) -> str                           # canonical text; parse(format(r)) == r
    load_request_file(path) -> ParseResult               # .forsok (this language) or .json
"""

from __future__ import annotations

from regelsjekk.dsl.errors import DslError, citation_error, error_at
from regelsjekk.dsl.parser import ParseResult, parse_requests

__all__ = ["DslError", "ParseResult", "citation_error", "error_at", "parse_requests"]
