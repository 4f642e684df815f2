"""From a parse tree to Request objects, with source spans and the checks the grammar cannot make.

The grammar decides the shape; this module decides the values: dates that exist, positive
durations, whole numbers of units, one of each field, at least one applicant, an applicant kind
that is written or shows in the name. Problems become DslErrors at the place they were written.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from lark import Token, Transformer, v_args
from lark.tree import Meta
from pydantic import ValidationError

from regelsjekk.dsl import keywords as kw
from regelsjekk.dsl import texts
from regelsjekk.dsl.errors import DslError, Severity, error_at
from regelsjekk.request import Applicant, Exemption, Period, Request, SourceSpan

_FIELD_WORD = {k.terminal: k.bokmal for k in kw.ALL_KEYWORDS}


class _Text(NamedTuple):
    value: str
    span: SourceSpan


class _Field(NamedTuple):
    name: str  # the Request/Exemption field name
    values: dict[str, Any]  # model field -> value (enheter sets two)
    span: SourceSpan


@v_args(meta=True)
class Builder(Transformer):
    """Transforms one parse tree; collects errors instead of raising."""

    def __init__(self, file: str | None, source: str, line_offset: int = 0) -> None:
        super().__init__(visit_tokens=False)
        self.file, self.source, self.offset = file, source, line_offset
        self.errors: list[DslError] = []
        self.warnings: list[DslError] = []

    # ---- places and problems ----
    def _span(self, meta: Meta) -> SourceSpan:
        return SourceSpan(file=self.file, line=meta.line + self.offset, column=meta.column,
                          end_line=meta.end_line + self.offset, end_column=meta.end_column)

    def _tspan(self, tok: Token, length: int | None = None) -> SourceSpan:
        if length is None:
            return SourceSpan(file=self.file, line=tok.line + self.offset, column=tok.column,
                              end_line=tok.end_line + self.offset, end_column=tok.end_column)
        return SourceSpan(file=self.file, line=tok.line + self.offset, column=tok.column,
                          end_line=tok.line + self.offset, end_column=tok.column + length)

    def _problem(self, code: str, message: str, span: SourceSpan, *, expected: str | None = None,
                 hint: str | None = None, severity: Severity = "feil") -> None:
        err = error_at(span, code, message, source=self.source, expected=expected, hint=hint,
                       severity=severity)
        (self.errors if severity == "feil" else self.warnings).append(err)

    # ---- text ----
    def text(self, meta: Meta, ch: list) -> _Text:
        (part,) = ch
        if isinstance(part, _Text):
            return part
        return _Text(part.strip(), self._tspan(part, len(part.rstrip())))

    def qtext(self, meta: Meta, ch: list[Token]) -> _Text:
        if ch[0].type == "TRIPLE":
            value = texts.triple_value(ch[0])
        else:
            value = " ".join(texts.string_value(t) for t in ch)
        return _Text(value, self._span(meta))

    # ---- request fields ----
    def _field(self, meta: Meta, name: str, value: Any, **extra: Any) -> _Field:
        return _Field(name, {name: value, **extra}, self._span(meta))

    def applicant(self, meta: Meta, ch: list[Token]) -> Applicant | None:
        name_tok = ch[0]
        if name_tok.type == "STRING":
            name, span = texts.string_value(name_tok), self._tspan(name_tok)
        else:
            name = name_tok.rstrip()
            span = self._tspan(name_tok, len(name))
        if len(ch) > 1:
            kind = kw.kind_of(ch[1])
        else:
            inferred = kw.infer_kind(name)
            if inferred is None:
                self._problem(
                    "mangler_type", f"søkeren «{name}» mangler type", span,
                    expected="type i parentes: (kommune), (fylkeskommune) eller (statlig organ)",
                    hint=f"skriv for eksempel «{name} (statlig organ)»")
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

    def f_sokere(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "sokere", [a for a in ch if a is not None])

    def f_formal(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "formal", ch[0].value)

    def f_mal(self, meta: Meta, ch: list[Token]) -> _Field:
        return self._field(meta, "mal", [kw.aim_of(t) for t in ch])

    def f_evaluering(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "evaluering", ch[0].value)

    def f_merknad(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "merknad", ch[0].value)

    def f_reversibel(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "reversibel", ch[0])

    def f_vedtak(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "vedtak_kommunestyre", ch[0])

    def f_horing(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "horing", ch[0])

    def yesno(self, meta: Meta, ch: list[Token]) -> bool:
        return ch[0].type == "YES"

    def f_enheter(self, meta: Meta, ch: list) -> _Field:
        count: int | None = None
        reason = None
        if isinstance(ch[0], Token):
            raw = str(ch[0])
            if not raw.isdigit() or int(raw) < 1:
                self._problem("ugyldig_verdi", f"antall enheter må være et helt tall fra 1, ikke «{raw}»",
                              self._tspan(ch[0]), expected="et helt tall, som «4»")
                count = None
            else:
                count = int(raw)
            rest = ch[1:]
        else:
            rest = ch
        if rest:
            reason = rest[0].value
        return self._field(meta, "enheter", count, enheter_begrunnelse=reason)

    # ---- period ----
    def duration(self, meta: Meta, ch: list[Token]) -> tuple[float, SourceSpan]:
        number = float(str(ch[0]).replace(",", "."))
        if ch[1].lower().startswith("år"):
            return number, self._span(meta)
        return number / 12, self._span(meta)

    def extension(self, meta: Meta, ch: list) -> tuple[str, Any, SourceSpan]:
        return "forlengelse_ar", ch[0][0], self._span(meta)

    def reform(self, meta: Meta, ch: list) -> tuple[str, Any, SourceSpan]:
        return "reform", ch[0].value, self._span(meta)

    def period(self, meta: Meta, ch: list) -> Period | None:
        values: dict[str, Any] = {"span": self._span(meta)}
        ok = True
        if isinstance(ch[0], Token):  # DATE
            start = _date(ch[0])
            if start is None:
                self._problem("ugyldig_dato", f"ugyldig dato «{ch[0]}»", self._tspan(ch[0]),
                              expected="en dato som finnes, skrevet «2025-01-01» eller «1.1.2025»")
                ok = False
            values["start"] = start
            ch = ch[1:]
        years, span = ch[0]
        if years <= 0:
            self._problem("ugyldig_verdi", "forsøksperioden må være lengre enn null", span,
                          expected="en varighet som «4 år»")
            ok = False
        values["varighet_ar"] = years
        for name, value, span in ch[1:]:
            if name in values:
                word = "forlengelse" if name == "forlengelse_ar" else "reform"
                self._problem("dobbelt_felt", f"«{word}» er oppgitt flere ganger i perioden", span)
                ok = False
            values[name] = value
        return Period(**values) if ok else None

    def f_periode(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "periode", ch[0])

    # ---- exemptions ----
    def citation(self, meta: Meta, ch: list[Token]) -> _Text:
        tok = ch[0]
        if tok.type == "STRING":
            return _Text(texts.string_value(tok), self._tspan(tok))
        value = tok.rstrip()
        return _Text(value, self._tspan(tok, len(value)))

    def x_virkning(self, meta: Meta, ch: list[Token]) -> _Field:
        return self._field(meta, "virkning", kw.effect_of(ch[0]))

    def x_erstatning(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "erstatning", ch[0].value)

    def x_rettssikkerhet(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "rettssikkerhet", ch[0].value)

    def x_begrunnelse(self, meta: Meta, ch: list) -> _Field:
        return self._field(meta, "begrunnelse", ch[0].value)

    def exemption(self, meta: Meta, ch: list) -> Exemption | None:
        cites = [c for c in ch if isinstance(c, _Text)]
        fields = [f for f in ch if isinstance(f, _Field)]
        first, last = cites[0].span, (fields[-1].span if fields else cites[-1].span)
        span = SourceSpan(file=self.file, line=first.line, column=first.column,
                          end_line=last.end_line, end_column=last.end_column)
        head = SourceSpan(file=self.file, line=meta.line + self.offset, column=meta.column,
                          end_line=cites[-1].span.end_line, end_column=cites[-1].span.end_column)
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
            if f.name in spans and f.name != "sokere":
                first = spans[f.name]
                self._problem("dobbelt_felt", f"feltet «{_word(f.name)}» er oppgitt flere ganger",
                              f.span, hint=f"første gang på linje {first.line}; slå dem sammen")
                ok = False
                continue
            if f.name == "sokere" and f.name in spans:
                values["sokere"] = values["sokere"] + f.values["sokere"]
                first = spans["sokere"]
                spans["sokere"] = first.model_copy(update={"end_line": f.span.end_line,
                                                           "end_column": f.span.end_column})
                continue
            values.update(f.values)
            spans[f.name] = f.span
        return (values if ok else None), spans

    def request(self, meta: Meta, ch: list) -> Request | None:
        title: _Text = ch[0]
        span = self._span(meta)
        items = ch[1:]
        fields = [i for i in items if isinstance(i, _Field)]
        exemptions = [i for i in items if not isinstance(i, _Field)]
        values, spans = self._collect(fields)
        if not title.value.strip():
            self._problem("mangler_tittel", "søknaden mangler tittel", title.span,
                          expected='en tittel, som søknad "Felles legevakt i Indre Namdal"')
        if values is not None and not values.get("sokere"):
            if "sokere" not in spans:
                self._problem("mangler_soker", "søknaden har ingen søker",
                              SourceSpan(file=self.file, line=span.line, column=span.column,
                                         end_line=span.line, end_column=span.column + 6),
                              expected="en linje «søker: Grong kommune (kommune)»",
                              hint="flere søkere i et felles forsøk skilles med komma")
        if values is None or any(e is None for e in exemptions) or any(
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

    def start(self, meta: Meta, ch: list) -> list[Request | None]:
        return ch


def _word(name: str) -> str:
    return {"sokere": "søker", "formal": "formål", "mal": "mål", "horing": "høring",
            "vedtak_kommunestyre": "vedtak i kommunestyret",
            "enheter": "enheter"}.get(name, name)


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
