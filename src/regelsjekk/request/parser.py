"""Request text → list[Request], with every error of the file found in one run where possible.

The grammar is compiled once per process (and cached on disk in the user's cache directory, never
in the installation). A file is first parsed whole; that is the fast path for correct files. On
a syntax error the file is cut into request blocks (scan.py) and each block is parsed on its own;
inside a block, the statement with an error is blanked and the block parsed again, so one run
reports the errors on later lines and in later requests too.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from regelsjekk.core import paths
from regelsjekk.request import scan
from regelsjekk.request.build import Builder
from regelsjekk.request.diagnose import Diagnoser
from regelsjekk.request.errors import DslError, error_at
from regelsjekk.request.model import Request, SourceSpan

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")
MAX_ERRORS = 50

# Comments are not part of a Request; `regelsjekk fmt` still keeps them. While a sink is set, the
# lexer hands every newline token that carries a comment to it (see Comment below).
_COMMENT_SINK: contextvars.ContextVar[list[Token] | None] = contextvars.ContextVar(
    "regelsjekk_dsl_comments", default=None)


def _collect_comment(tok: Token) -> Token:
    sink = _COMMENT_SINK.get()
    if sink is not None and "#" in tok:
        sink.append(tok)
    return tok


def _cache_file(grammar: str) -> str | bool:
    """A per-user cache file for the compiled grammar; False when no cache dir is writable."""
    digest = hashlib.sha256((grammar + lark.__version__).encode()).hexdigest()[:16]
    folder = paths.cache_dir()
    if folder is None:
        return False
    path = folder / f"forsok-grammar-{digest}.lark"
    if not path.exists():  # a new grammar or lark version: drop the caches of older ones
        for old in folder.glob("forsok-grammar-*.lark"):
            old.unlink(missing_ok=True)
    return str(path)


@functools.cache
def lark_parser() -> Lark:
    """The one LALR parser of this process."""
    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=False,
                maybe_placeholders=False, cache=_cache_file(grammar),
                lexer_callbacks={"_NL": _collect_comment, "COMMENT": _collect_comment})


@functools.cache
def _diagnoser() -> Diagnoser:
    return Diagnoser(lark_parser())


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str  # from '#' to the end of the line
    own_line: bool  # alone on its line (else it ends a line with content)


@dataclass
class ParseResult:
    """What a request file holds: the requests that parsed cleanly, and every problem found.

    A request with an error is left out of `requests`; `errors` says why. Warnings do not stop a
    request (e.g. an exemption without «virkning», read as «ingen»).
    """

    requests: list[Request] = field(default_factory=list)
    errors: list[DslError] = field(default_factory=list)
    warnings: list[DslError] = field(default_factory=list)
    source: str = ""
    filename: str | None = None
    comments: list[Comment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_at(self, span: SourceSpan | None, code: str, message: str, **kw: object) -> DslError:
        """A DslError at a span of one of these requests, with the source line and a caret."""
        return error_at(span, code, message, source=self.source, **kw)  # type: ignore[arg-type]

    def render(self, warnings: bool = True) -> str:
        items = self.errors + (self.warnings if warnings else [])
        items.sort(key=lambda e: (e.line or 0, e.column or 0))
        return "\n".join(e.render() for e in items)


_NEWLINES = re.compile(r"\r\n?")


def normalize_source(text: str) -> str:
    """One newline convention and no byte-order mark, so positions mean the same everywhere."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _NEWLINES.sub("\n", text)


def parse_requests(text: str, filename: str | None = None, *,
                   keep_comments: bool = False) -> ParseResult:
    """Parse request text; never raises on user input (problems are in `errors`)."""
    text = normalize_source(text)
    result = ParseResult(source=text, filename=filename)
    sink: list[Token] | None = [] if keep_comments else None
    token = _COMMENT_SINK.set(sink)
    marked = scan.mark_continuations(text)  # same length and lines as text
    try:
        tree = lark_parser().parse(marked)
    except UnexpectedInput:
        _COMMENT_SINK.reset(token)
        _parse_blocks(marked, text, filename, result)
    else:
        _COMMENT_SINK.reset(token)
        builder = Builder(filename, text)
        result.requests = [r for r in builder.transform(tree) if r is not None]
        result.errors, result.warnings = builder.errors, builder.warnings
        if sink is not None:
            result.comments = _comments(sink, text)
    if not result.requests and not result.errors:
        result.errors.append(DslError(
            code="ingen_soknad", message="fant ingen søknad", file=filename,
            expected='en søknad: søknad "tittel", feltene, og «slutt»'))
    return result


def _comments(tokens: list[Token], text: str) -> list[Comment]:
    lines = text.split("\n")
    out: list[Comment] = []
    for tok in tokens:
        line, column = tok.line, tok.column
        for k, segment in enumerate(str(tok).split("\n")):
            if k > 0:
                line, column = line + 1, 1
            hash_at = segment.find("#")
            if hash_at < 0:
                continue
            col = column + hash_at
            own = not lines[line - 1][:col - 1].strip()
            out.append(Comment(line, col, segment[hash_at:].rstrip(), own))
    return out


def _parse_blocks(marked: str, text: str, filename: str | None, result: ParseResult) -> None:
    lines = marked.split("\n")
    stmts = scan.statements(lines)
    for first, last in scan.blocks(stmts, len(lines)):
        block_stmts = [scan.Statement(s.first - first, s.last - first, s.word)
                       for s in stmts if first <= s.first <= last]
        _parse_block(lines[first:last + 1], block_stmts, first, text, filename, result)
        if len(result.errors) >= MAX_ERRORS:
            result.errors.append(DslError(
                code="for_mange_feil", message=f"stoppet etter {MAX_ERRORS} feil; det kan være flere",
                file=filename, hint="rett feilene over og kjør på nytt"))
            return


# Problems that a blanked (erroneous) line may have caused, so not reported after a syntax error.
_MAYBE_BLANKED = {"mangler_soker", "mangler_tittel", "mangler_virkning"}
_PLACEHOLDER = {"søknad": 'søknad "?"', "unntak": "unntak ?", "slutt": "slutt"}


def _parse_block(lines: list[str], stmts: list[scan.Statement], offset: int, text: str,
                 filename: str | None, result: ParseResult) -> None:
    work = list(lines)
    syntax: list[DslError] = []
    patched: set[int] = set()
    while len(result.errors) + len(syntax) < MAX_ERRORS:
        src = "\n".join(work)
        try:
            tree = lark_parser().parse(src)
        except UnexpectedInput as e:
            syntax.append(_diagnoser().diagnose(e, src, file=filename, line_offset=offset,
                                                block_line=offset + 1))
            if isinstance(e, UnexpectedToken) and e.token.type == "$END":
                break
            line = (e.line if e.line and e.line > 0 else len(work)) - 1
            stmt = next((s for s in stmts if s.first <= line <= s.last), None)
            if stmt is None or stmt.first in patched:
                break
            patched.add(stmt.first)
            word = stmt.word if stmt.word in _PLACEHOLDER else ""
            if not word and scan.starts_request(stmt.word) and stmt.first == 0:
                word = "søknad"
            for i in range(stmt.first, stmt.last + 1):
                keep = work[i].strip().lower() == "slutt" and i > stmt.first
                work[i] = "slutt" if keep else ""
            work[stmt.first] = _PLACEHOLDER.get(word, "")
            continue
        builder = Builder(filename, text, offset)
        built = [r for r in builder.transform(tree) if r is not None]
        if syntax:
            # Only value problems on lines that parsed; "missing" ones may be blanked lines.
            keep = [e for e in builder.errors
                    if e.code not in _MAYBE_BLANKED and (e.line or 0) - offset - 1 not in patched]
            result.errors.extend(syntax + keep)
            result.warnings.extend(w for w in builder.warnings if w.code not in _MAYBE_BLANKED)
        else:
            result.requests.extend(built)
            result.errors.extend(builder.errors)
            result.warnings.extend(builder.warnings)
        return
    result.errors.extend(syntax)
