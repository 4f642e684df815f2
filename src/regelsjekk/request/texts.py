"""Free-text values: reading quoted text as written, and writing it back so it reads the same.

Three ways to write text (all keep æ, ø, å and any other character):
  "…" or «…»           one line; in "…", \\" is a quote and \\\\ a backslash (other \\ stay as they are)
  "…" then "…"         a quoted line continued by quoted lines below it, joined with one space
  \"\"\" … \"\"\"          text with line breaks; the common indentation is removed, as are blank
                       lines at the start and end and spaces at line ends
Unquoted text runs to the end of the line (or a # comment) and is stripped; lines below it that
are indented deeper than its field continue it (joined with one space; see scan.py).
"""

from __future__ import annotations

import re
import textwrap

_UNESCAPE = re.compile(r'\\(["\\])')
_TRIPLE_RUN = re.compile(r'"(?="")')


def unescape(body: str) -> str:
    return _UNESCAPE.sub(r"\1", body)


def string_value(token: str) -> str:
    """The text of a one-line "…" or «…» token."""
    if token.startswith("«"):
        return token[1:-1]
    return unescape(token[1:-1])


def triple_value(token: str) -> str:
    """The text of a \"\"\"…\"\"\" token: dedented, trimmed (see module docstring)."""
    lines = token[3:-3].split("\n")
    head = [lines[0].strip()] if lines[0].strip() else []
    rest = textwrap.dedent("\n".join(lines[1:])).split("\n") if len(lines) > 1 else []
    return unescape(_trim_lines(head + rest))


def _trim_lines(lines: list[str]) -> str:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def normalize_multiline(value: str) -> str:
    """The form a text with line breaks takes after a round trip through a triple-quoted block."""
    return textwrap.dedent(_trim_lines(value.split("\n")))


def quote(value: str) -> str:
    """A one-line value as a "…" token."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrap_quoted(value: str, first_width: int, width: int) -> list[str]:
    """A one-line value as one or more "…" parts, each fitting its width where possible.

    Parts are cut at single spaces between non-blank neighbours and joined again with one space
    when read, so the value comes back exactly.
    """
    if len(value) + 2 <= first_width or " " not in value:
        return [quote(value)]
    pieces = value.split(" ")
    parts: list[str] = []
    current = pieces[0]
    limit = first_width
    for piece in pieces[1:]:
        candidate = current + " " + piece
        if len(quote(candidate)) > limit and current.strip() and piece.strip():
            parts.append(current)
            current = piece
            limit = width
        else:
            current = candidate
    parts.append(current)
    return [quote(p) for p in parts]


def triple_lines(value: str, indent: str) -> list[str]:
    """A multi-line value as the lines of a triple-quoted block (without the opening quotes)."""
    escaped = _TRIPLE_RUN.sub('\\"', value.replace("\\", "\\\\"))
    lines = [(indent + line) if line else "" for line in escaped.split("\n")]
    return lines + [indent + '"""']
