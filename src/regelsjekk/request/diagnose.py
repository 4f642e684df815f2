"""Turn lark's syntax errors into messages a case officer can act on.

Common mistakes are recognised with lark's `match_examples`: each label below lists small
malformed requests, and an error that leaves the parser in the same state as one of them gets
that label's message. Whatever no example covers is described from the set of terminals the
parser would have accepted. The caret comes from lark's `get_context`; a misspelt keyword gets
"mente du …?" from rapidfuzz against the keywords allowed at that place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from rapidfuzz import fuzz, process

from regelsjekk.request import keywords as kw
from regelsjekk.request.errors import DslError, line_col, widen_caret
from regelsjekk.request.scan import SENTINEL

# label -> malformed examples. An example only matches errors at the same parser state *and*
# stack depth, and the first field of a request (or exemption) sits one level lower than the
# ones after it, so each field-level example is tried in each position.
_HEAD = 'søknad "a"\n'
_FIELD_PREFIXES = ("", "  søker: A kommune\n")
_EXEMPTION_PREFIXES = ("  unntak x\n", "  unntak x\n    erstatning: y\n")


def _as_field(*lines: str) -> list[str]:
    return [_HEAD + pre + line + "\n" + "slutt\n" for line in lines for pre in _FIELD_PREFIXES]


def _as_exfield(*lines: str) -> list[str]:
    return [_HEAD + pre + ex + line + "\nslutt\n"
            for line in lines for pre in _FIELD_PREFIXES for ex in _EXEMPTION_PREFIXES]


EXAMPLES: dict[str, list[str]] = {
    "mangler_tittel": ['søknad\n  søker: A kommune\nslutt\n', "søknad:\n", "søknad\n"],
    "forventet_varighet": _as_field(
        "  periode: fra 2025-01-01", "  periode: fire år", "  periode: i fire år",
        "  periode: fra 2025-01-01 i fire år", "  periode: fra 2025-01-01 til 2028-12-31",
        "  periode: 2025-01-01 fire år", "  periode fra 2025-01-01", "  periode fire år",
        "  periode: 4 år, forlengelse to år", "  periode: 4 år, forlengelse med to år"),
    "forventet_tidsenhet": _as_field("  periode: 4", "  periode: 4 uker",
                                     "  periode: 4 år, forlengelse 2"),
    "ukjent_virkning": _as_exfield("    virkning: ukjent", "    virkning ukjent"),
    "ukjent_mal": _as_field("  mål: effektivisering", "  mål effektivisering",
                            "  mål: organisering, effektivisering"),
    "ukjent_type": _as_field("  søker: B (kommunen)", "  søker: A kommune, B (kommunen)"),
    "forventet_ja_nei": _as_field("  reversibel: kanskje", "  reversibel kanskje",
                                  "  høring: kanskje", "  høring kanskje",
                                  "  vedtak i kommunestyret: kanskje",
                                  "  vedtak i kommunestyret kanskje"),
    "forventet_tall": _as_field("  enheter: fire", "  enheter fire"),
    "mangler_bestemmelse": _as_field("  unntak", "  unntak:"),
    "mangler_soker_navn": _as_field("  søker: (kommune)", "  søker (kommune)",
                                    "  søker: A kommune, (kommune)"),
}

# The last resort for a label: what kind of value the parser wanted (in this order).
_BY_EXPECTED = (("EFFECT", "ukjent_virkning"), ("AIM", "ukjent_mal"), ("KIND", "ukjent_type"),
                ("YES", "forventet_ja_nei"), ("UNIT", "forventet_tidsenhet"))

# Terminals, grouped for describing what was expected in words.
_FIELD_TERMINALS = {k.terminal for k in kw.REQUEST_FIELDS}
_EXFIELD_TERMINALS = {k.terminal for k in kw.EXEMPTION_FIELDS}
_TEXT_TERMINALS = {"STRING", "TRIPLE", "LINE_TEXT"}
_AFTER_VALUE = {"_NL", "_COMMA", "_OG", "_SEMI", "_LPAR", "_CONT", "$END", "COMMENT"}
_WORDS: dict[str, str] = {
    "NUMBER": "et tall", "UNIT": "«år» eller «måneder»", "DATE": "en dato som «2025-01-01»",
    "AIM": "et mål etter forsøksloven § 1 (" + kw.quoted(list(dict.fromkeys(kw.CANONICAL_AIM.values()))) + ")",
    "KIND": "en søkertype (" + kw.quoted(kw.KIND_CHOICES) + ")",
    "EFFECT": "en virkning (" + kw.quoted(list(kw.CANONICAL_EFFECT.values())) + ")",
    "YES": "«ja»", "NO": "«nei»", "CITE": "en henvisning som «kommuneloven § 19-1 annet ledd»",
    "NAME": "et navn, som «Grong kommune»", "_COMMA": "«,»", "_SEMI": "«;»", "_LPAR": "«(»",
    "_RPAR": "«)»", "_COLON": "«:»", "_NL": "linjeskift", "$END": "slutten av filen",
    "UNNTAK": "«unntak …»", "SLUTT": "«slutt»", "SOKNAD": "«søknad \"tittel\"»",
    "FRA": "«fra»", "_I": "«i»", "_MED": "«med»", "_OG": "«og»",
    "FORLENGELSE": "«forlengelse»", "REFORM": "«reform»",
}


def describe(expected: set[str]) -> str:
    """What the parser would have accepted, in Norwegian words."""
    out: list[str] = []
    fields = [k.bokmal for k in kw.REQUEST_FIELDS if k.terminal in expected]
    exfields = [k.bokmal for k in kw.EXEMPTION_FIELDS if k.terminal in expected]
    if exfields:
        out.append("et unntaksfelt (" + ", ".join(f"«{w}:»" for w in exfields) + ")")
    if fields:
        out.append("et felt (" + ", ".join(f"«{w}:»" for w in fields) + ")")
    if expected & _TEXT_TERMINALS:
        out.append("en tekst (gjerne i anførselstegn)")
    yes_no = {"YES", "NO"} <= expected
    if yes_no:
        out.append("«ja» eller «nei»")
    rest = expected - _FIELD_TERMINALS - _EXFIELD_TERMINALS - _TEXT_TERMINALS - {
        "_CONT", "_LCONT", "COMMENT"}
    if yes_no:
        rest -= {"YES", "NO"}
    if len(rest) > 1:
        rest.discard("_COLON")
    order = list(_WORDS)
    for name in sorted(rest, key=lambda n: order.index(n) if n in order else len(order)):
        out.append(_WORDS.get(name, name))
    if not out:
        return ""
    return out[0] if len(out) == 1 else ", ".join(out[:-1]) + " eller " + out[-1]


def _expected(e: UnexpectedInput) -> set[str]:
    if isinstance(e, UnexpectedToken):
        return set(e.accepts or e.expected)
    if isinstance(e, UnexpectedCharacters):
        return set(e.allowed or ())
    return set()


_WORD = re.compile(r"[^\W_]+(?:[ \t]+(?:i[ \t]+)?[^\W\d_]+)?")
# First words of the two-word phrases of the vocabulary (effects, "vedtak i …", "statlig organ").
_TWO_WORD_STARTS = {w.split()[0] for w in (*kw.EFFECT_WORDS, *kw.KIND_WORDS) if " " in w} | {"vedtak"}


def _offending(text: str, pos: int) -> str:
    """The word (or two, for two-word phrases) at the error, for messages and fuzzy hints."""
    m = _WORD.match(text, pos)
    if m:
        word = m.group(0)
        first = word.split()[0]
        return word if first.lower() in _TWO_WORD_STARTS else first
    rest = text[pos:pos + 30].split("\n", 1)[0].strip()
    return rest[:20] if rest else ""


def _suggest(word: str, candidates: list[str], cutoff: float = 75) -> str | None:
    """"mente du …?" for the closest candidate; ties go to the first (bokmål is listed first)."""
    if not word:
        return None
    hit = process.extractOne(word.lower(), candidates, scorer=fuzz.WRatio, score_cutoff=cutoff)
    return f"mente du «{hit[0]}»?" if hit else None


def _keyword_spellings(expected: set[str]) -> list[str]:
    words: list[str] = []
    for k in kw.ALL_KEYWORDS:
        if k.terminal in expected:
            words.extend(k.spellings)
    return words


def _is_keyword(word: str, group: tuple[kw.Keyword, ...]) -> kw.Keyword | None:
    low = word.lower()
    for k in group:
        if any(low == s or low.startswith(s + " ") for s in k.spellings):
            return k
    return None


class Diagnoser:
    """Classifies syntax errors for one lark parser; example parses are memoised per process."""

    def __init__(self, parser: Lark) -> None:
        self.parser = parser
        self._memo: dict[tuple, str | None] = {}

    @functools.cache  # noqa: B019 - one Diagnoser per process
    def _example_error(self, example: str) -> UnexpectedInput | None:
        try:
            self.parser.parse(example)
        except UnexpectedInput as exc:
            return exc
        return None

    def _parse_example(self, example: str) -> None:
        exc = self._example_error(example)
        if exc is not None:
            raise exc.with_traceback(None)

    def label(self, e: UnexpectedInput) -> str | None:
        """The example label for this error: lark's match_examples, then the same parser
        state at another depth (a field after others sits deeper than the first one), then
        the kind of value the parser wanted at that place."""
        state = getattr(e, "state", None)
        if state is None:
            return None
        token = getattr(e, "token", None)
        expected = _expected(e)
        key = (len(state.state_stack), state.position, type(e).__name__,
               getattr(token, "type", None), frozenset(expected))
        if key not in self._memo:
            label = e.match_examples(self._parse_example, EXAMPLES, token_type_match_fallback=True)
            if label is None:
                label = self._by_position().get(state.position)
            if label is None:
                label = next((lab for terminal, lab in _BY_EXPECTED if terminal in expected), None)
            self._memo[key] = label
        return self._memo[key]

    @functools.cache  # noqa: B019 - one Diagnoser per process
    def _by_position(self) -> dict[object, str]:
        out: dict[object, str] = {}
        for label, examples in EXAMPLES.items():
            for example in examples:
                exc = self._example_error(example)
                if exc is not None and getattr(exc, "state", None) is not None:
                    out.setdefault(exc.state.position, label)
        return out

    def diagnose(self, e: UnexpectedInput, text: str, *, file: str | None, line_offset: int,
                 block_line: int) -> DslError:
        """One DslError for a syntax error in `text` (a block starting at file line block_line)."""
        expected = _expected(e)
        token = getattr(e, "token", None)
        at_end = token is not None and token.type == "$END"
        pos = e.pos_in_stream if e.pos_in_stream is not None else len(text)
        if at_end:
            pos = len(text.rstrip())
        word = "" if at_end else _offending(text, pos)
        if token is not None and token.type == "_NL":
            word = ""
        context = e.get_context(text).replace(SENTINEL, " ")
        if word:
            context = widen_caret(context, len(word))
        line, column = line_col(text, pos)
        err = DslError(code="uventet", message="", file=file, line=line + line_offset,
                       column=column, context=context, expected=describe(expected) or None)
        char = text[pos:pos + 1]
        if isinstance(e, UnexpectedCharacters) and char in '"«':
            return self._unclosed(err, text, pos)
        label = None if at_end else self.label(e)
        build = _MESSAGES.get(label) if label else None
        if build is not None:
            build(err, word, expected)
            return err
        return self._fallback(err, text, pos, word, expected, at_end, block_line)

    def _unclosed(self, err: DslError, text: str, pos: int) -> DslError:
        err.code = "uavsluttet_tekst"
        err.context = widen_caret(err.context or "", 1)
        if text.startswith('"""', pos):
            err.message = "teksten i tre anførselstegn er ikke avsluttet"
            err.expected = '«"""» etter siste linje i teksten'
        else:
            close = "»" if text[pos] == "«" else '"'
            err.message = "teksten er ikke avsluttet på samme linje"
            err.expected = f"«{close}» på slutten av teksten"
            err.hint = ('tekst over flere linjer skrives med «"""» før og etter, eller med '
                        'anførselstegn rundt hver linje')
        return err

    def _fallback(self, err: DslError, text: str, pos: int, word: str, expected: set[str],
                  at_end: bool, block_line: int) -> DslError:
        if at_end and "SLUTT" in expected:
            err.code = "mangler_slutt"
            err.message = f"søknaden som begynner på linje {block_line}, mangler «slutt»"
            err.expected = "«slutt» på en egen linje etter siste felt"
            return err
        if expected & _FIELD_TERMINALS and word[:1] in ('"', "«"):
            err.code = "tekst_uten_felt"
            err.message = "teksten hører ikke til noe felt"
            err.hint = ("tekst som fortsetter på neste linje, må stå rett under feltet, uten tomme "
                        "linjer, kommentarer eller andre felt imellom")
            return err
        if expected & _FIELD_TERMINALS:
            exfield = _is_keyword(word, kw.EXEMPTION_FIELDS)
            if exfield is not None and not expected & _EXFIELD_TERMINALS:
                err.code = "unntaksfelt_uten_unntak"
                err.message = f"«{exfield.bokmal}» hører til et unntak, men står før første «unntak»"
                err.expected = "en linje «unntak <bestemmelse>» over feltet"
                err.hint = "skriv for eksempel «unntak kommuneloven § 19-1 annet ledd» på linjen før"
                return err
            err.code = "ukjent_felt"
            err.message = f"ukjent felt «{word}»"
            err.hint = _suggest(word, _keyword_spellings(expected))
            return err
        if "SOKNAD" in expected:
            err.code = "utenfor_soknad"
            err.message = f"«{word}» står utenfor en søknad"
            err.expected = '«søknad "tittel"», så feltene, så «slutt»'
            field = _is_keyword(word, kw.REQUEST_FIELDS + kw.EXEMPTION_FIELDS)
            if field is not None:
                err.hint = (f"«{field.bokmal}» må stå mellom «søknad …» og «slutt»; "
                            "står «slutt» for tidlig?")
            else:
                err.hint = _suggest(word, ["søknad"])
            return err
        if err.column is not None and word == "" and expected & (_TEXT_TERMINALS | {"NUMBER", "AIM",
                                                                    "EFFECT", "KIND", "YES"}):
            err.code = "mangler_verdi"
            field = _field_on_line(text, pos)
            err.message = f"feltet «{field}» mangler verdi" if field else "feltet mangler verdi"
            if expected & _TEXT_TERMINALS:
                err.hint = "teksten kan stå på samme linje, eller på linjene under med mer innrykk"
            return err
        if expected and expected <= _AFTER_VALUE | {"_RPAR", "_COLON"}:
            err.code = "uventet_etter_verdi"
            err.message = f"uventet «{word}» etter verdien" if word else "uventet tegn etter verdien"
            if "_COMMA" in expected:
                err.hint = "skill flere verdier med komma"
            return err
        err.message = f"uventet «{word}»" if word else "uventet slutt på linjen"
        return err


def _field_on_line(text: str, pos: int) -> str | None:
    """The field named at the start of the line of `pos` (canonical spelling), if any."""
    start = text.rfind("\n", 0, pos) + 1
    m = _WORD.match(text, start + len(text[start:pos]) - len(text[start:pos].lstrip()))
    field = _is_keyword(m.group(0), kw.ALL_KEYWORDS) if m else None
    return field.bokmal if field else None


# ---- named messages (label -> fills in message, expected, hint) ----
_NUMBER_WORDS = {"ett", "en", "ei", "eitt", "to", "tre", "fire", "fem", "seks", "sju", "syv", "åtte",
                 "ni", "ti", "elleve", "tolv", "atten", "tjuefire", "halvt", "halvannet"}


def _varighet(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "forventet_varighet"
    err.message = f"uventet «{word}» i perioden" if word else "perioden mangler varighet"
    err.expected = "en varighet som «4 år» eller «18 måneder», gjerne etter startdato: " \
                   "«fra 2025-01-01 i 4 år»"
    if word.lower() in _NUMBER_WORDS:
        err.hint = "skriv tallet med sifre: «4 år»"
    elif word.lower() in ("til", "–", "-"):
        err.hint = "skriv lengden, ikke sluttdatoen: «fra 2025-01-01 i 4 år»"


def _tidsenhet(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "forventet_tidsenhet"
    err.message = f"uventet «{word}» etter tallet" if word else "tallet mangler tidsenhet"
    err.expected = "«år» eller «måneder» etter tallet, som «4 år»"
    err.hint = _suggest(word, ["år", "måneder", "månader"])


def _vocabulary(code: str, what: str, words: list[str], accepted: list[str]) -> Callable:
    def fill(err: DslError, word: str, expected: set[str]) -> None:
        err.code = code
        err.message = f"ukjent {what} «{word}»" if word else f"mangler {what}"
        err.expected = kw.quoted(words)
        err.hint = _suggest(word, accepted)
    return fill


def _ja_nei(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "forventet_ja_nei"
    err.message = f"forventet «ja» eller «nei», fant «{word}»" if word else "mangler «ja» eller «nei»"
    err.expected = "«ja» eller «nei»"


def _tall(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "forventet_tall"
    err.message = f"antall enheter må skrives med sifre, fant «{word}»"
    err.expected = 'et tall, gjerne fulgt av begrunnelsen: enheter: 4 "fire nabokommuner …"'


def _tittel(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "mangler_tittel"
    err.message = "søknaden mangler tittel"
    err.expected = 'en tittel etter «søknad», som søknad "Felles legevakt i Indre Namdal"'


def _bestemmelse(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "mangler_bestemmelse"
    err.message = "«unntak» mangler bestemmelsen det søkes unntak fra"
    err.expected = "en henvisning på samme linje, som «unntak kommuneloven § 19-1 annet ledd»"
    err.hint = "flere bestemmelser i samme unntak skilles med semikolon"


def _soker_navn(err: DslError, word: str, expected: set[str]) -> None:
    err.code = "mangler_soker_navn"
    err.message = "søkeren mangler navn"
    err.expected = "navnet før typen, som «Grong kommune (kommune)»"


_MESSAGES: dict[str, Callable[[DslError, str, set[str]], None]] = {
    "mangler_tittel": _tittel,
    "forventet_varighet": _varighet,
    "forventet_tidsenhet": _tidsenhet,
    "ukjent_virkning": _vocabulary("ukjent_virkning", "virkning",
                                   list(kw.CANONICAL_EFFECT.values()), list(kw.EFFECT_WORDS)),
    "ukjent_mal": _vocabulary("ukjent_mal", "mål", list(dict.fromkeys(kw.CANONICAL_AIM.values())),
                              list(kw.AIM_WORDS)),
    "ukjent_type": _vocabulary("ukjent_type", "søkertype", kw.KIND_CHOICES, list(kw.KIND_WORDS)),
    "forventet_ja_nei": _ja_nei,
    "forventet_tall": _tall,
    "mangler_bestemmelse": _bestemmelse,
    "mangler_soker_navn": _soker_navn,
}
