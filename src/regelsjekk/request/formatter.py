"""Request → canonical text: one spelling (bokmål), one field order, one way to quote.

`parse_requests(format_request(r))` gives back `r` (compare with `model_dump()`, spans differ),
and formatting a formatted file changes nothing. Text with line breaks is written triple-quoted;
other text is quoted and, when long, continued on the next lines (the reader joins the parts
with one space, so the value is unchanged). Comments in a file survive `regelsjekk fmt`: each one
stays with the line it stood above (or ended).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from regelsjekk.request import keywords as kw
from regelsjekk.request import texts
from regelsjekk.request.model import (
    ApplicantKind,
    Exemption,
    Period,
    Request,
    SourceSpan,
)
from regelsjekk.request.parser import Comment

WIDTH = 100
INDENT = "  "

# What may stay unquoted: the grammar's NAME and CITE terminals, without surrounding spaces or
# quote characters (kept in step with grammar.lark; the round-trip tests hold them together).
_SAFE_NAME = re.compile(r'[^\s"«»#:;(),\\][^#;\n(),"«»]*')
_SAFE_CITE = re.compile(r'[^\s"«»#:;][^#;\n"«»]*')
_NEWLINE_RUN = re.compile(r"\s*\n\s*")


@dataclass
class _Elem:
    """Output lines for one statement, and the source lines it came from (to place comments)."""

    lines: list[str]
    indent: str
    start: int | None = None
    end: int | None = None
    before: list[str] = field(default_factory=list)  # own-line comments above
    after: list[str] = field(default_factory=list)  # comments that end its last line
    blank_before: bool = False  # exemptions are set apart by a blank line


def format_request(req: Request) -> str:
    """The canonical text of one request (ends with a newline)."""
    return "\n".join(line for e in _elements(req)
                     for line in ([""] if e.blank_before else []) + e.lines) + "\n"


def format_requests(requests: Sequence[Request], comments: Iterable[Comment] = ()) -> str:
    """Canonical text of a file: requests separated by a blank line, comments kept."""
    blocks = [_elements(r) for r in requests]
    trailer = _place_comments([e for b in blocks for e in b], comments)
    out: list[str] = []
    for k, block in enumerate(blocks):
        if k:
            out.append("")
        for e in block:
            if e.blank_before:
                out.append("")
            out.extend(e.indent + c for c in e.before)
            lines = list(e.lines)
            if e.after:
                lines[-1] += "  " + "  ".join(e.after)
            out.extend(lines)
    if trailer:
        if out:
            out.append("")
        out.extend(trailer)
    return "\n".join(out) + "\n" if out else ""


def _place_comments(elems: list[_Elem], comments: Iterable[Comment]) -> list[str]:
    placed = [e for e in elems if e.start is not None]
    trailer: list[str] = []
    for c in sorted(comments, key=lambda c: (c.line, c.column)):
        if not c.own_line:
            host = next((e for e in placed if e.start <= c.line <= e.end), None)  # type: ignore[operator]
            if host is None:
                host = max((e for e in placed if e.start <= c.line), key=lambda e: e.start,  # type: ignore[operator]
                           default=None)
            if host is not None:
                host.after.append(c.text)
                continue
        nxt = min((e for e in placed if e.start > c.line), key=lambda e: e.start,  # type: ignore[operator]
                  default=None)
        if nxt is None:
            trailer.append(c.text)
        else:
            nxt.before.append(c.text)
    return trailer


def _elements(req: Request) -> list[_Elem]:
    spans = req.field_spans
    rs = req.span
    title = spans.get("tittel")
    out = [_Elem(_text_lines("søknad ", req.tittel, INDENT), "",
                 rs.line if rs else None, (title.end_line if title else None) or (rs.line if rs else None))]

    def add(name: str, lines: list[str]) -> None:
        span = spans.get(name)
        out.append(_Elem(lines, INDENT, *_range(span)))

    pre = INDENT
    applicants = [_applicant(a.navn, a.type) for a in req.sokere]
    one_line = pre + "søker: " + ", ".join(applicants)
    add("sokere", [one_line] if len(one_line) <= WIDTH or len(applicants) == 1
        else [pre + "søker: " + a for a in applicants])
    if req.formal is not None:
        add("formal", _text_lines(pre + "formål: ", req.formal, INDENT * 2))
    if req.mal:
        add("mal", [pre + "mål: " + ", ".join(kw.CANONICAL_AIM[a] for a in req.mal)])
    if req.periode is not None:
        add("periode", _period_lines(pre + "periode: ", req.periode))
    if req.enheter is not None or req.enheter_begrunnelse is not None:
        head = pre + "enheter: " + (f"{req.enheter} " if req.enheter is not None else "")
        if req.enheter_begrunnelse is None:
            add("enheter", [head.rstrip()])
        else:
            add("enheter", _text_lines(head, req.enheter_begrunnelse, INDENT * 2))
    if req.evaluering is not None:
        add("evaluering", _text_lines(pre + "evaluering: ", req.evaluering, INDENT * 2))
    if req.samarbeid is not None:
        add("samarbeid", _text_lines(pre + "samarbeid: ", req.samarbeid, INDENT * 2))
    for name, word in (("reversibel", "reversibel"), ("vedtak_kommunestyre", _council_word(req)),
                       ("horing", "høring")):
        value = getattr(req, name)
        if value is not None:
            add(name, [f"{pre}{word}: {'ja' if value else 'nei'}"])
    if req.merknad is not None:
        add("merknad", _text_lines(pre + "merknad: ", req.merknad, INDENT * 2))
    for ex in req.unntak:
        out.extend(_exemption(ex))
    out.append(_Elem(["slutt"], "", rs.end_line if rs else None, rs.end_line if rs else None))
    return out


def _exemption(ex: Exemption) -> list[_Elem]:
    cites = "; ".join(_citation(c) for c in ex.bestemmelser)
    first = ex.citation_spans[0] if ex.citation_spans else ex.span
    last = ex.citation_spans[-1] if ex.citation_spans else ex.span
    head = _Elem([INDENT + "unntak " + cites], INDENT, first.line if first else None,
                 last.end_line if last else None, blank_before=True)
    pre = INDENT * 2
    out = [head]

    def add(name: str, lines: list[str]) -> None:
        out.append(_Elem(lines, pre, *_range(ex.field_spans.get(name))))

    if ex.virkning_oppgitt:  # an unstated effect stays unstated (formatting adds no choice)
        add("virkning", [pre + "virkning: " + kw.CANONICAL_EFFECT[ex.virkning]])
    for name, word in (("erstatning", "erstatning"), ("rettssikkerhet", "rettssikkerhet"),
                       ("begrunnelse", "begrunnelse")):
        value = getattr(ex, name)
        if value is not None:
            add(name, _text_lines(f"{pre}{word}: ", value, INDENT * 3))
    return out


def _range(span: SourceSpan | None) -> tuple[int | None, int | None]:
    if span is None or span.line is None:
        return None, None
    return span.line, span.end_line or span.line


def _council_word(req: Request) -> str:
    if req.sokere and all(a.type == ApplicantKind.FYLKESKOMMUNE for a in req.sokere):
        return "vedtak i fylkestinget"
    return "vedtak i kommunestyret"


def _one_line(value: str) -> str:
    return _NEWLINE_RUN.sub(" ", value.replace("\r", "\n"))


def _applicant(name: str, kind: ApplicantKind) -> str:
    name = _one_line(name)
    shown = name if _SAFE_NAME.fullmatch(name) and name == name.strip() else texts.quote(name)
    return f"{shown} ({kw.CANONICAL_KIND[kind]})"


def _citation(text: str) -> str:
    text = _one_line(text)
    return text if _SAFE_CITE.fullmatch(text) and text == text.strip() else texts.quote(text)


def _text_lines(prefix: str, value: str, block_indent: str) -> list[str]:
    """`prefix` followed by the value; continuation lines align under the opening quote."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # a file has one kind of newline
    if "\n" in value:
        value = texts.normalize_multiline(value)
    if "\n" in value:
        return [prefix + '"""', *texts.triple_lines(value, block_indent)]
    width = WIDTH - len(prefix)
    parts = texts.wrap_quoted(value, width, width)
    pad = " " * len(prefix)
    return [prefix + parts[0], *(pad + p for p in parts[1:])]


def _period_lines(prefix: str, p: Period) -> list[str]:
    head = prefix
    if p.start is not None:
        head += f"fra {p.start.isoformat()} i "
    head += _duration(p.varighet_ar)
    if p.forlengelse_ar is not None:
        head += ", forlengelse " + _duration(p.forlengelse_ar)
    if p.reform is None:
        return [head]
    return _text_lines(head + ", reform ", p.reform, INDENT * 2)


def _duration(years: float) -> str:
    if not math.isfinite(years):
        raise ValueError(f"varighet kan ikke skrives: {years}")
    if years.is_integer():
        return f"{int(years)} år"
    r = repr(years)
    if "e" not in r and len(r.split(".")[1]) <= 2:
        return r.replace(".", ",") + " år"
    months = round(years * 12)
    if months > 0 and months / 12 == years:
        return f"{months} måneder"
    return format(Decimal(r), "f").replace(".", ",") + " år"
