"""A line scanner that finds statements and request blocks without the grammar.

Used only after a syntax error, to recover: a file is cut into request blocks (each starting at
a `søknad` line) so one bad request does not hide the next, and inside a block the statement with
the error is blanked so the following lines are still checked. A statement is one field line, the
quoted lines that continue it and the lines of a triple-quoted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

_FIRST_WORD = re.compile(r"[^\W\d_]+")

# Marks a line that continues unquoted text above it; stands in for one indentation character, so
# every line and column stays where it was (see mark_continuations).
SENTINEL = "\x1f"
# Fields whose value is free text, followed by an unquoted value without a comment after it
# (group 2), or (text fields only) by nothing: the text then starts on the next line.
_FREE_TEXT = re.compile(
    r"([ \t]*)(?:"
    r"(?:formål|føremål|evaluering|samarbeidspartnere|samarbeidspartnarar|samarbeid|merknader|"
    r"merknad|erstatning|rettssikkerhet|rettstryggleik|"
    r"begrunnelse|grunngjeving|grunngiving)(?!\w)[ \t]*:?[ \t]*$|"
    r"(?:formål|føremål|evaluering|samarbeidspartnere|samarbeidspartnarar|samarbeid|merknader|"
    r"merknad|erstatning|rettssikkerhet|rettstryggleik|"
    r"begrunnelse|grunngjeving|grunngiving|forsøksenheter|enheter|enhet|forsøkseiningar|einingar|"
    r"eining|perioden|periode)(?!\w)[ \t]*:?[ \t]*([^\s\"«#:][^#\n]*)$)",
    re.IGNORECASE)
_FREE_TEXT_ANYWHERE = re.compile("^" + _FREE_TEXT.pattern, re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Statement:
    first: int  # 0-based index of the first line
    last: int  # 0-based index of the last line (inclusive)
    word: str  # the first word, lower case ("" if the line starts with something else)


def _ends_in_triple(line: str, in_triple: bool) -> bool:
    """Whether a triple-quoted text is still open at the end of this line."""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if in_triple:
            if c == "\\":
                i += 2
            elif line.startswith('"""', i):
                in_triple, i = False, i + 3
            else:
                i += 1
            continue
        if c == "#":
            break
        if line.startswith('"""', i):
            in_triple, i = True, i + 3
        elif c == '"':
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
        elif c == "«":
            close = line.find("»", i + 1)
            i = n if close < 0 else close + 1
        else:
            i += 1
    return in_triple


def statements(lines: list[str]) -> list[Statement]:
    out: list[Statement] = []
    in_triple = False
    first = last = -1
    word = ""
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if in_triple:
            last = i
        elif not stripped or stripped.startswith("#"):
            pass
        elif first >= 0 and last == i - 1 and (stripped[0] in '"«' or line.startswith(SENTINEL)):
            last = i  # a continuation line
        else:
            if first >= 0:
                out.append(Statement(first, last, word))
            first = last = i
            m = _FIRST_WORD.match(stripped)
            word = m.group(0).lower() if m else ""
        in_triple = _ends_in_triple(line, in_triple)
    if first >= 0:
        out.append(Statement(first, last, word))
    return out


def starts_request(word: str) -> bool:
    """A statement that opens a request block, also when `søknad` is misspelt."""
    return word == "søknad" or (len(word) >= 5 and fuzz.ratio(word, "søknad") >= 80)


def blocks(stmts: list[Statement], n_lines: int) -> list[tuple[int, int]]:
    """Line ranges [first, last] of request blocks; text before the first is a block of its own."""
    starts = [s.first for s in stmts if starts_request(s.word)]
    if stmts and (not starts or stmts[0].first < starts[0]):
        starts.insert(0, 0)
    bounds = starts + [n_lines]
    return [(bounds[k], bounds[k + 1] - 1) for k in range(len(starts))]


def mark_continuations(text: str) -> str:
    """Mark the lines that continue an unquoted free-text value (indented deeper than its field).

    formål: Kommunene vil prøve          the second line is indented deeper than the field,
      et felles oppgavefellesskap        so it continues the text: its first indentation
    evaluering: …                        character becomes SENTINEL, which the grammar reads
                                         as a continuation (token _LCONT)
    The text keeps its length, so positions in errors are unchanged.
    """
    if SENTINEL in text or not _FREE_TEXT_ANYWHERE.search(text):
        return text  # nothing to mark (quoted text everywhere), or a text we must not touch
    lines = text.split("\n")
    in_triple = False
    changed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        m = None if in_triple else _FREE_TEXT.match(line)
        if m is not None and not (m.group(2) or "").rstrip().endswith(('"', "»")):
            indent = len(m.group(1).expandtabs())
            j = i + 1
            while j < len(lines):
                nxt = lines[j]
                body = nxt.lstrip(" \t")
                depth = len(nxt[:len(nxt) - len(body)].expandtabs())
                if not body or body[0] in '"«#:,' or depth <= indent:
                    break
                lines[j] = SENTINEL + nxt[1:]
                changed = True
                j += 1
            i = j
            continue
        if '"""' in line:
            in_triple = _ends_in_triple(line, in_triple)
        i += 1
    return "\n".join(lines) if changed else text
