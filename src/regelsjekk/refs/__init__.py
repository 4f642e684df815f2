"""Norwegian legal citations: parse them from text, resolve them to provision ids, write them.

Public API (the contract the checker, the lookup and the app code against)::

    parse_citations(text) -> list[Citation]          # free text: every citation, jf. chains
    parse_reference(text) -> list[Citation]          # one reference typed into a lookup box
    resolve_citation(text, kb, context_doc=None) -> Resolution
    resolve_all(text, kb, context_doc=None) -> list[(Citation, Resolution)]
    format_citation(node_id, kb) -> str              # "kommuneloven § 19-1 annet ledd"
"""

from regelsjekk.refs.format import format_citation, format_parsed
from regelsjekk.refs.index import TitleIndex, title_index
from regelsjekk.refs.model import Citation, LawRef, Pinpoint, Span
from regelsjekk.refs.normalize import normalize_name, normalize_text
from regelsjekk.refs.parse import parse_citations, parse_reference
from regelsjekk.refs.resolve import (
    Resolution,
    resolve_all,
    resolve_citation,
    resolve_parsed,
)

__all__ = [
    "Citation", "LawRef", "Pinpoint", "Resolution", "Span", "TitleIndex", "format_citation",
    "format_parsed", "normalize_name", "normalize_text", "parse_citations", "parse_reference",
    "resolve_all", "resolve_citation", "resolve_parsed", "title_index",
]
