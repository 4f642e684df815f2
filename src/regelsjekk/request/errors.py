"""Structured errors for request files: place, the line with a caret, what was expected, a hint.

An error is data (like sqlglot's ParseError fields), so the CLI prints it, the app shows it in a
box and the JSON report carries it, without anyone parsing message strings. `code` is stable and
names the kind of mistake; every code has a malformed fixture in tests/fixtures/dsl/.
"""

from __future__ import annotations

import bisect
import functools
import re
from enum import StrEnum
from typing import Literal

from regelsjekk.core.model import Model
from regelsjekk.request.model import SourceSpan
from regelsjekk.request.pointers import pointer_offsets

Severity = Literal["feil", "advarsel"]

# Every error code, with what it means; each has a malformed fixture in tests/fixtures/dsl/.
CODES: dict[str, str] = {
    # the shape of the text (syntax)
    "uventet": "noe står der det ikke passer",
    "uavsluttet_tekst": "tekst uten avsluttende anførselstegn",
    "mangler_slutt": "søknaden slutter uten «slutt»",
    "ukjent_felt": "ukjent eller feilstavet feltnavn",
    "tekst_uten_felt": "en linje med tekst som ikke hører til noe felt",
    "unntaksfelt_uten_unntak": "virkning/erstatning/… før første «unntak»",
    "utenfor_soknad": "noe står utenfor «søknad … slutt»",
    "mangler_verdi": "et felt uten verdi",
    "uventet_etter_verdi": "mer tekst etter en fullstendig verdi",
    "mangler_tittel": "søknad uten tittel",
    "forventet_varighet": "perioden mangler en varighet som «4 år»",
    "forventet_tidsenhet": "et tall i perioden uten «år» eller «måneder»",
    "ukjent_virkning": "virkning som ikke er en av de fem",
    "ukjent_mal": "mål som ikke er et av målene i forsøksloven § 1",
    "ukjent_type": "søkertype som ikke er kommune, fylkeskommune, statlig organ eller privat",
    "forventet_ja_nei": "et ja/nei-felt med en annen verdi",
    "forventet_tall": "antall enheter skrevet med bokstaver",
    "mangler_bestemmelse": "«unntak» uten bestemmelse",
    "mangler_soker_navn": "søker med type, men uten navn",
    # the values
    "ugyldig_dato": "en dato som ikke finnes",
    "ugyldig_verdi": "en verdi utenfor det tillatte (null år, null enheter …)",
    "dobbelt_felt": "samme felt to ganger",
    "mangler_soker": "søknad uten søker",
    "mangler_type": "søker uten type, der navnet ikke viser den",
    "ingen_soknad": "filen inneholder ingen søknad",
    "for_mange_feil": "for mange feil til å vise alle",
    # warnings
    "mangler_virkning": "unntak uten virkning (regnes som «ingen»)",
    "mulig_flere_sokere": "ett søkernavn som ser ut som flere søkere",
    "type_mot_navn": "en søkertype som navnet motsier («Helsedirektoratet (kommune)»)",
    # files and the JSON form
    "kan_ikke_lese": "filen kan ikke leses",
    "ikke_utf8": "filen er ikke UTF-8",
    "json_syntaks": "ugyldig JSON",
    "json_form": "JSON som verken er en søknad eller en liste av søknader",
    "json_ugyldig": "en verdi i JSON-formen som ikke følger skjemaet",
    "json_ukjent_felt": "ukjent feltnavn i JSON-formen",
    # citations (found by the checker through refs.resolve_citation; see citation_error)
    "ukjent_bestemmelse": "en henvisning som ikke finnes",
    "flertydig_bestemmelse": "en henvisning som kan bety flere lover",
}

# The codes as an enum (the dict above stays the one place that names and explains them).
ErrorCode = StrEnum("ErrorCode", {code.upper(): code for code in CODES})

CONTEXT_WIDTH = 40  # characters shown on each side of the caret (as lark's get_context)


class DslError(Model):
    """One problem in a request file, in Norwegian, with enough to act on it."""

    code: ErrorCode
    message: str
    severity: Severity = "feil"
    file: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    pointer: str | None = None  # JSON pointer, for requests given as JSON
    context: str | None = None  # the line as written and a caret under the place
    expected: str | None = None  # what would have been right here, in words
    hint: str | None = None  # e.g. "mente du «formål»?"

    @property
    def place(self) -> str:
        parts = [self.file or "<tekst>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        where = ":".join(parts)
        return f"{where} ({self.pointer})" if self.pointer else where

    def render(self) -> str:
        """The multi-line form for a terminal: place, message, context, expected, hint."""
        out = [f"{self.place}: {self.severity}: {self.message}"]
        if self.context:
            out.extend("    " + line for line in self.context.rstrip("\n").split("\n"))
        if self.expected:
            out.append(f"  forventet: {self.expected}")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def context_at(text: str, pos: int, width: int = 1, span: int = CONTEXT_WIDTH) -> str:
    """The source line around `pos` with a caret under it, shaped like lark's get_context.

    Used for problems found after parsing (bad dates, duplicates) so that they look the same as
    syntax errors, whose context comes from lark's UnexpectedInput.get_context().
    """
    pos = max(0, min(pos, len(text)))
    start = max(pos - span, 0)
    end = pos + span
    before = text[start:pos].rsplit("\n", 1)[-1]
    after = text[pos:end].split("\n", 1)[0]
    return before + after + "\n" + " " * len(before.expandtabs()) + "^" * max(1, width) + "\n"


def widen_caret(context: str, width: int) -> str:
    """Underline a whole word instead of its first character (lark draws a single caret)."""
    if width <= 1 or "^" not in context:
        return context
    head, _, tail = context.rpartition("^")
    line = head.split("\n")[0]
    room = max(1, len(line) - len(head.split("\n")[-1]))
    return head + "^" * min(width, room) + tail


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    """Offsets where each line of text starts, computed once per text: a file with thousands of
    errors used to count lines from the start for each (quadratic in the file size)."""
    return (0, *(m.end() for m in re.finditer("\n", text)))


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in text (the inverse of offset_of)."""
    starts = _line_starts(text)
    line = max(1, bisect.bisect_right(starts, pos))
    return line, pos - starts[line - 1] + 1


def offset_of(text: str, line: int, column: int) -> int:
    """Character offset of a 1-based (line, column) in text."""
    starts = _line_starts(text)
    if line - 1 >= len(starts):
        return len(text)
    return starts[max(line, 1) - 1] + column - 1


@functools.lru_cache(maxsize=8)
def _pointer_offsets(text: str) -> dict[str, int]:
    """pointer_offsets once per text (read-only here), not once per error."""
    return pointer_offsets(text)


def error_at(span: SourceSpan | None, code: str, message: str, *, source: str | None = None,
             expected: str | None = None, hint: str | None = None,
             severity: Severity = "feil") -> DslError:
    """An error pointing at a span of a parsed request: the hook for later stages.

    The checker resolves citations (refs.resolve_citation) after parsing; an unknown law name is
    reported through this function so that it reads like a parse error, with the caret under the
    citation (`Exemption.citation_spans`) and "mente du …?" as the hint.
    """
    err = DslError(code=code, message=message, severity=severity, expected=expected, hint=hint)
    if span is None:
        return err
    err.file, err.pointer = span.file, span.pointer
    err.line, err.column = span.line, span.column
    err.end_line, err.end_column = span.end_line, span.end_column
    if source is not None and span.line is None and span.pointer is not None:
        offsets = _pointer_offsets(source)
        if span.pointer.rstrip("/") in offsets or span.pointer == "/":
            pos = offsets.get(span.pointer.rstrip("/"), 0)
            err.line, err.column = line_col(source, pos)
            err.context = context_at(source, pos)
        return err
    if source is not None and span.line is not None and span.column is not None:
        width = 1
        if span.end_line == span.line and span.end_column:
            width = span.end_column - span.column
        err.context = context_at(source, offset_of(source, span.line, span.column), width)
    return err


def citation_error(span: SourceSpan | None, citation: str, resolution: object,
                   source: str | None = None) -> DslError:
    """A DslError for a citation the checker could not resolve.

    `resolution` is a refs.Resolution (duck-typed: `messages`, `suggestions`, `ambiguous`,
    `alternatives`), kept loose so this module does not import the citation engine.
    """
    messages = list(getattr(resolution, "messages", []) or [])
    suggestions = list(getattr(resolution, "suggestions", []) or [])
    ambiguous = bool(getattr(resolution, "ambiguous", False))
    message = messages[0] if messages else (
        f"«{citation}» er flertydig" if ambiguous else f"fant ikke bestemmelsen «{citation}»")
    hint = None
    if suggestions:
        hint = "mente du " + " eller ".join(f"«{s}»" for s in suggestions[:3]) + "?"
    code = "flertydig_bestemmelse" if ambiguous else "ukjent_bestemmelse"
    return error_at(span, code, message, source=source, hint=hint,
                    expected="en henvisning som «kommuneloven § 19-1 annet ledd»")
