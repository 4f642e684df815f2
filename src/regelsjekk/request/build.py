"""From a parse tree to Request objects, with source spans and the checks the grammar cannot make.

The grammar decides the shape; this module decides the values: dates that exist, positive
durations, whole numbers of units, one of each field, at least one applicant, an applicant kind
that is written or shows in the name. Problems become DslErrors at the place they were written.

Spans come from the tokens (keywords are kept in the tree for that), not from lark's
propagate_positions, which would cost about a quarter of the parse.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from lark import Token, Tree
from pydantic import ValidationError

from regelsjekk.request import keywords as kw
from regelsjekk.request import texts
from regelsjekk.request.errors import DslError, Severity, error_at
from regelsjekk.request.model import (
    MAX_YEARS,
    Applicant,
    ApplicantKind,
    Exemption,
    Period,
    Request,
    SourceSpan,
    period_problem,
)


class _Text(NamedTuple):
    value: str
    span: SourceSpan


class _Field(NamedTuple):
    name: str  # the Request/Exemption field name
    values: dict[str, Any]  # model field -> value (enheter sets two)
    span: SourceSpan


class _Part(NamedTuple):
    """A piece of a period: a duration (years) or an extra (forlengelse / reform)."""

    name: str
    value: Any
    span: SourceSpan


class Builder:
    """Transforms one parse tree bottom-up; collects errors instead of raising.

    Each rule (or alias) of the grammar has a method of that name taking the transformed
    children; a plain recursive walk is used instead of lark's Transformer (less overhead).
    """

    def __init__(self, file: str | None, source: str, line_offset: int = 0) -> None:
        self.file, self.source, self.offset = file, source, line_offset
        self.errors: list[DslError] = []
        self.warnings: list[DslError] = []

    def transform(self, tree: Tree) -> Any:
        children = [self.transform(c) if isinstance(c, Tree) else c for c in tree.children]
        return getattr(self, tree.data)(children)

    # ---- places and problems ----
    def _at(self, line: int, column: int, end_line: int, end_column: int) -> SourceSpan:
        # Built from the lexer's own integers, so no validation is needed (a fifth of the build).
        return SourceSpan.model_construct(file=self.file, line=line, column=column,
                                          end_line=end_line, end_column=end_column, pointer=None)

    def _tspan(self, tok: Token, length: int | None = None) -> SourceSpan:
        line = tok.line + self.offset  # type: ignore[operator]
        if length is None:
            return self._at(line, tok.column, tok.end_line + self.offset,  # type: ignore[arg-type,operator]
                            tok.end_column)  # type: ignore[arg-type]
        return self._at(line, tok.column, line, tok.column + length)  # type: ignore[arg-type,operator]

    def _edge(self, item: Any) -> SourceSpan | None:
        if isinstance(item, Token):
            return self._tspan(item)
        return getattr(item, "span", None)

    def _span(self, items: list) -> SourceSpan:
        """From the start of the first item to the end of the last (tokens or spanned values)."""
        first = next(s for s in map(self._edge, items) if s is not None)
        last = next(s for s in map(self._edge, reversed(items)) if s is not None)
        return self._at(first.line, first.column, last.end_line, last.end_column)  # type: ignore[arg-type]

    def _problem(self, code: str, message: str, span: SourceSpan, *, expected: str | None = None,
                 hint: str | None = None, severity: Severity = "feil") -> None:
        err = error_at(span, code, message, source=self.source, expected=expected, hint=hint,
                       severity=severity)
        (self.errors if severity == "feil" else self.warnings).append(err)

    # ---- text ----
    def text(self, ch: list) -> _Text:
        if isinstance(ch[0], _Text):
            return ch[0]
        # Unquoted, perhaps over several lines: the parts joined with one space.
        last = ch[-1]
        end = self._tspan(last, len(last.rstrip()))
        start = self._tspan(ch[0])
        return _Text(" ".join(t.strip() for t in ch),
                     self._at(start.line, start.column, end.end_line, end.end_column))  # type: ignore[arg-type]

    def qtext(self, ch: list[Token]) -> _Text:
        if ch[0].type == "TRIPLE":
            value = texts.triple_value(ch[0])
        else:
            value = " ".join(texts.string_value(t) for t in ch)
        return _Text(value, self._span(ch))

    # ---- request fields ----
    def _field(self, ch: list, name: str, value: Any, **extra: Any) -> _Field:
        return _Field(name, {name: value, **extra}, self._span(ch))

    def applicant(self, ch: list[Token]) -> Applicant | None:
        name_tok = ch[0]
        if name_tok.type == "STRING":
            name, span = texts.string_value(name_tok), self._tspan(name_tok)
        else:
            name = name_tok.rstrip()
            span = self._tspan(name_tok, len(name))
        if len(ch) > 1:
            kind = kw.kind_of(ch[1])
            shown = kw.infer_kind(name)
            if shown is not None and shown != kind and not (kind == ApplicantKind.STATLIG_ORGAN
                                                             and shown.state):
                self._problem(
                    "type_mot_navn", f"«{name}» ser ut som {kw.KIND_PHRASE[shown]} ut fra navnet, "
                    f"men typen er «{ch[1].strip()}»", span, severity="advarsel",
                    hint=f"sjekk typen: skriv «{name} ({kw.CANONICAL_KIND[shown]})» hvis navnet "
                         "stemmer; typen avgjør virkeområdet (§ 2) og hvem som godkjenner")
        else:
            inferred = kw.infer_kind(name)
            if inferred is None:
                self._problem(
                    "mangler_type", f"søkeren «{name}» mangler type", span,
                    expected="type i parentes: " + ", ".join(f"({k})" for k in kw.KIND_CHOICES),
                    hint=f"skriv for eksempel «{name} (statlig regionalt organ)»; et departement "
                         f"eller direktorat er «statlig sentralt organ», et selskap «privat»")
                return None
            kind = inferred
        if not name.strip():
            self._problem("ugyldig_verdi", "søkeren mangler navn", span,
                          expected="et navn, som «Grong kommune»")
            return None
        if " og " in f" {name.lower()} " and len(ch) == 1:
            self._problem("mulig_flere_sokere", f"«{name}» ser ut som flere søkere i ett navn", span,
                          hint="skill søkerne med komma: «Grong kommune, Lierne kommune»",
                          severity="advarsel")
        return Applicant(navn=name, type=kind, span=span)

    def f_sokere(self, ch: list) -> _Field:
        return self._field(ch, "sokere", [a for a in ch[1:] if isinstance(a, Applicant)])

    def f_formal(self, ch: list) -> _Field:
        return self._field(ch, "formal", ch[-1].value)

    def f_mal(self, ch: list[Token]) -> _Field:
        return self._field(ch, "mal", [kw.aim_of(t) for t in ch[1:]])

    def f_evaluering(self, ch: list) -> _Field:
        return self._field(ch, "evaluering", ch[-1].value)

    def f_samarbeid(self, ch: list) -> _Field:
        return self._field(ch, "samarbeid", ch[-1].value)

    def f_merknad(self, ch: list) -> _Field:
        return self._field(ch, "merknad", ch[-1].value)

    def f_reversibel(self, ch: list) -> _Field:
        return self._field(ch, "reversibel", ch[-1].type == "YES")

    def f_vedtak(self, ch: list) -> _Field:
        return self._field(ch, "vedtak_kommunestyre", ch[-1].type == "YES")

    def f_horing(self, ch: list) -> _Field:
        return self._field(ch, "horing", ch[-1].type == "YES")

    def yesno(self, ch: list[Token]) -> Token:
        return ch[0]

    def f_enheter(self, ch: list) -> _Field:
        count: int | None = None
        rest = ch[1:]
        if isinstance(rest[0], Token):  # NUMBER
            raw = str(rest[0])
            if raw.isdigit() and int(raw) >= 1:
                count = int(raw)
            else:
                self._problem("ugyldig_verdi", f"antall enheter må være et helt tall fra 1, ikke «{raw}»",
                              self._tspan(rest[0]), expected="et helt tall, som «4»")
            rest = rest[1:]
        reason = rest[0].value if rest else None
        return self._field(ch, "enheter", count, enheter_begrunnelse=reason)

    # ---- period ----
    def duration(self, ch: list[Token]) -> _Part:
        number = float(str(ch[0]).replace(",", "."))
        years = number if ch[1].lower().startswith("år") else number / 12
        return _Part("varighet_ar", years, self._span(ch))

    def extension(self, ch: list) -> _Part:
        return _Part("forlengelse_ar", ch[-1].value, self._span(ch))

    def reform(self, ch: list) -> _Part:
        return _Part("reform", ch[-1].value, self._span(ch))

    def period(self, ch: list) -> Period | None:
        span = self._span(ch)
        values: dict[str, Any] = {"span": span}
        ok = True
        dates = [t for t in ch if isinstance(t, Token) and t.type == "DATE"]
        if dates:
            start = _date(dates[0])
            if start is None:
                self._problem("ugyldig_dato", f"ugyldig dato «{dates[0]}»", self._tspan(dates[0]),
                              expected="en dato som finnes, skrevet «2025-01-01» eller «1.1.2025»")
                ok = False
            values["start"] = start
        parts = [p for p in ch if isinstance(p, _Part)]
        duration, extras = parts[0], parts[1:]
        if duration.value <= 0:
            self._problem("ugyldig_verdi", "forsøksperioden må være lengre enn null", duration.span,
                          expected="en varighet som «4 år»")
            ok = False
        values["varighet_ar"] = duration.value
        for part in extras:
            if part.name in values:
                word = "forlengelse" if part.name == "forlengelse_ar" else "reform"
                self._problem("dobbelt_felt", f"«{word}» er oppgitt flere ganger i perioden",
                              part.span)
                ok = False
            values[part.name] = part.value
        if ok:
            problem = period_problem(values.get("start"), values.get("varighet_ar"),
                                     values.get("forlengelse_ar"))
            if problem:
                self._problem("ugyldig_verdi", problem, span,
                              expected=f"en periode som «fra 2026-01-01 i 4 år» (inntil {MAX_YEARS} år)")
                ok = False
        return Period(**values) if ok else None

    def f_periode(self, ch: list) -> _Field:
        return self._field(ch, "periode", ch[-1])

    # ---- exemptions ----
    def citation(self, ch: list[Token]) -> _Text:
        tok = ch[0]
        if tok.type == "STRING":
            return _Text(texts.string_value(tok), self._tspan(tok))
        value = tok.rstrip()
        return _Text(value, self._tspan(tok, len(value)))

    def x_virkning(self, ch: list[Token]) -> _Field:
        return self._field(ch, "virkning", kw.effect_of(ch[-1]))

    def x_erstatning(self, ch: list) -> _Field:
        return self._field(ch, "erstatning", ch[-1].value)

    def x_rettssikkerhet(self, ch: list) -> _Field:
        return self._field(ch, "rettssikkerhet", ch[-1].value)

    def x_begrunnelse(self, ch: list) -> _Field:
        return self._field(ch, "begrunnelse", ch[-1].value)

    def exemption(self, ch: list) -> Exemption | None:
        cites = [c for c in ch if isinstance(c, _Text)]
        fields = [f for f in ch if isinstance(f, _Field)]
        span = self._span(ch[1:])  # from the first citation (where a citation error points)
        head = self._span([ch[0], cites[-1]])
        values, spans = self._collect(fields)
        if values is None:
            return None
        if "virkning" not in values:
            self._problem("mangler_virkning", "unntaket sier ikke hvilken virkning det har for "
                          "enkeltpersoner; regnes som «ingen»", head, severity="advarsel",
                          expected="en linje «virkning: …» under unntaket, med «ingen», «utvider "
                                   "rettighet», «innskrenker rettighet», «letter plikt» eller "
                                   "«utvider plikt»",
                          hint="forsøksloven § 4 annet ledd avhenger av virkningen; skriv den ut")
        return Exemption(bestemmelser=[c.value for c in cites], citation_spans=[c.span for c in cites],
                         span=span, field_spans=spans, **values)

    # ---- requests ----
    def _collect(self, fields: list[_Field]) -> tuple[dict[str, Any] | None, dict[str, SourceSpan]]:
        """Field values by name; a repeated field is an error (søker lines add up)."""
        values: dict[str, Any] = {}
        spans: dict[str, SourceSpan] = {}
        ok = True
        for f in fields:
            if f.name == "sokere" and f.name in spans:
                values["sokere"] = values["sokere"] + f.values["sokere"]
                spans["sokere"] = spans["sokere"].model_copy(
                    update={"end_line": f.span.end_line, "end_column": f.span.end_column})
                continue
            if f.name in spans:
                first = spans[f.name]
                self._problem("dobbelt_felt", f"feltet «{_word(f.name)}» er oppgitt flere ganger",
                              f.span, hint=f"første gang på linje {first.line}; slå dem sammen")
                ok = False
                continue
            values.update(f.values)
            spans[f.name] = f.span
        return (values if ok else None), spans

    def request(self, ch: list) -> Request | None:
        title: _Text = ch[1]
        span = self._span(ch)
        items = ch[2:-1]
        fields = [i for i in items if isinstance(i, _Field)]
        exemptions = [i for i in items if not isinstance(i, _Field)]
        values, spans = self._collect(fields)
        if not title.value.strip():
            self._problem("mangler_tittel", "søknaden mangler tittel", title.span,
                          expected='en tittel, som søknad "Felles legevakt i Indre Namdal"')
        if values is not None and "sokere" not in spans:
            self._problem("mangler_soker", "søknaden har ingen søker", self._tspan(ch[0]),
                          expected="en linje «søker: Grong kommune (kommune)»",
                          hint="flere søkere i et felles forsøk skilles med komma")
        if values is None or any(e is None for e in exemptions) or not values.get("sokere") or any(
                e.line is not None and span.line <= e.line <= span.end_line for e in self.errors):
            return None
        spans["tittel"] = title.span
        try:
            return Request(tittel=title.value, unntak=exemptions, span=span, field_spans=spans,
                           **values)
        except ValidationError as exc:  # the checks above should make this unreachable
            for problem in exc.errors():
                where = spans.get(str(problem["loc"][0]), span) if problem["loc"] else span
                self._problem("ugyldig_verdi", f"ugyldig verdi: {problem['msg']}", where)
            return None

    def start(self, ch: list) -> list[Request | None]:
        return ch


def _word(name: str) -> str:
    return {"sokere": "søker", "formal": "formål", "mal": "mål", "horing": "høring",
            "vedtak_kommunestyre": "vedtak i kommunestyret"}.get(name, name)


def _date(tok: Token) -> date | None:
    raw = str(tok)
    try:
        if "-" in raw:
            y, m, d = (int(p) for p in raw.split("-"))
        else:
            d, m, y = (int(p) for p in raw.split("."))
        return date(y, m, d)
    except ValueError:
        return None
