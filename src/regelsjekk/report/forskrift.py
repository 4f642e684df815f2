"""A draft lokal forskrift (vedtekter) for the trial, in the shape of the approved ones.

The historic vedtekter under forsøksloven (1993–2000) share one structure: a title «Forskrift om
… , <kommune>», a § on what the trial covers, one § per replacement rule, a § on entry into force
and duration, and a closing § «Denne forskrift kommer i stedet for følgende bestemmelser: …»
pairing each § with the provision it replaces. The draft follows that structure with our own
wording; what the applicant must still write is marked [i hakeparentes].
"""

from __future__ import annotations

import math
import re
import textwrap
from datetime import date

from regelsjekk.check.verdict import Report, Verdict
from regelsjekk.core.ids import doc_of
from regelsjekk.refs.format import MONTHS, date_form

_DOC_RE = re.compile(r"^(lov|forskrift)/(\d{4})-(\d{2})-(\d{2})(?:-(\d+))?$")
WIDTH = 96


def formal_document_name(doc_id: str, title: str | None) -> str:
    """lov/2018-06-22-83 + 'Lov om kommuner …' -> 'lov 22. juni 2018 nr. 83 om kommuner …'."""
    if not _DOC_RE.match(doc_id):
        return title or doc_id
    name = date_form(doc_id)
    if title:
        rest = re.sub(r"^(lov|forskrift)\s+", "", title.strip(), flags=re.I)
        if rest.lower().startswith(("om ", "til ", "for ")):
            name += " " + rest
        else:
            name += f" ({title.strip()})"
    return name


def _and_list(items: list[str]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def _applicants(report: Report) -> str:
    return _and_list([a.name for a in report.applicants])


def _short_approver(text: str | None) -> str:
    """'Departementet (Kunnskapsdepartementet), etter søknad …' -> 'Kunnskapsdepartementet'."""
    if not text:
        return "[departementet]"
    m = re.match(r"\s*Departementet\s*\(([^)]+)\)", text)
    if m:
        return m.group(1).strip()
    return re.split(r"[(,.]", text, maxsplit=1)[0].strip() or text.strip()


def _adopted_by(report: Report) -> str:
    """Who adopts the vedtekter (forsøksloven § 5 annet ledd): each council, or the state body."""
    parts = []
    for a in report.applicants:
        if a.kind == "kommune":
            parts.append(f"kommunestyret i {a.name}")
        elif a.kind == "fylkeskommune":
            parts.append(f"fylkestinget i {a.name}")
        else:
            parts.append(a.name)
    councils = all(a.kind in ("kommune", "fylkeskommune") for a in report.applicants)
    return ("Vedtatt av " if councils else "Fastsatt av ") + _and_list(parts)


def _subject(title: str) -> str:
    t = title.strip().rstrip(".")
    t = re.sub(r"^(forskrift om\s+)?(forsøk|forsøket)\s+(med|om)\s+", "", t, flags=re.I)
    if len(t) > 1 and t[0].isupper() and not t[1].isupper():
        t = t[0].lower() + t[1:]
    return t


def _end_date(start: str | None, years: float) -> str:
    """The last day of a period of whole years, or "[dato]" where none can be written (no start,
    part years, or a date past 31.12.9999: the request checks refuse those, a report read from
    elsewhere may still hold one)."""
    if not start or not math.isfinite(years) or years != int(years):
        return "[dato]"
    try:
        s = date.fromisoformat(start)
        year = s.year + int(years)
        if year > date.max.year:
            return "[dato]"
        try:
            end = s.replace(year=year)
        except ValueError:  # 29 February
            end = s.replace(year=year, day=28)
    except ValueError:
        return "[dato]"
    return f"{end.day}. {MONTHS[end.month - 1]} {end.year}"


def _long_date(iso: str | None) -> str:
    if not iso:
        return "[dato]"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return "[dato]"
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def _para(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False) or [indent]


def render_forskrift(report: Report) -> str:
    """The draft as plain text, ready to paste into a word processor."""
    usable = [e for e in report.exemptions
              if e.verdict not in (Verdict.IKKE_HJEMMEL, Verdict.KREVER_IKKE_FORSOK) and e.provisions]
    left_out = [e for e in report.exemptions if e not in usable]
    who = _applicants(report)
    title = f"Forskrift om forsøk med {_subject(report.title)}, {who}"
    out = ["UTKAST – generert av regelsjekk fra søknaden. Teksten er et utgangspunkt og må "
           "gjennomgås før høring og vedtak.", ""]
    out.extend(_para(title))
    out.append("")
    authorities = [r for r in report.routes if r.kind.value == "sektorlov"]
    fl = [r for r in report.routes if r.kind.value == "forsoksloven"]
    legal_basis = []
    if fl or not authorities:
        legal_basis.append("lov 26. juni 1992 nr. 87 om forsøk i offentlig forvaltning §§ 3 og 5")
    legal_basis.extend(r.name.split(" (")[0] for r in authorities)
    approver = fl[0].approver if fl and fl[0].approver else (
        _short_approver(authorities[0].approver) if authorities else "[departementet]")
    out.extend(_para(f"Hjemmel: {_adopted_by(report)} [dato] og godkjent av {approver} [dato] med "
                     f"hjemmel i {' og '.join(legal_basis)}."))
    out.append("")
    if left_out:
        for e in left_out:
            out.extend(_para(f"[Merk: unntak {e.number} ({', '.join(e.citations)}) er ikke tatt med. "
                             f"{e.summary}]"))
        out.append("")

    n = 1
    out.append(f"§ {n}. Formål og virkeområde")
    purpose = report.purpose or "[Beskriv hva forsøket går ut på og hva det skal oppnå.]"
    out.extend(_para(f"Forskriften gjelder forsøk med {_subject(report.title)} i {who}. {purpose}"))
    out.append("")
    replaced: list[tuple[int, list[str]]] = []
    for e in usable:
        n += 1
        cites = [p.citation for p in e.provisions]
        out.append(f"§ {n}. Regler i stedet for {', '.join(cites)}")
        if e.verdict == Verdict.MA_VURDERES:
            out.extend(_para(f"[Må vurderes før vedtak: {e.summary}]"))
        out.extend(_para(e.replacement or "[Skriv regelen som skal gjelde i forsøksperioden i stedet "
                                          "for bestemmelsen det gjøres unntak fra.]"))
        if e.safeguard:
            out.extend(_para(f"Rettssikkerheten ivaretas slik: {e.safeguard}"))
        out.append("")
        formal = []
        for p in e.provisions:
            law = formal_document_name(doc_of(p.id), p.document)
            formal.append(f"{p.citation} ({law})" if p.document else p.citation)
        replaced.append((n, formal))
    if report.evaluation:
        n += 1
        out.append(f"§ {n}. Evaluering")
        out.extend(_para(f"Forsøket skal evalueres. {report.evaluation}"))
        out.append("")
    n += 1
    out.append(f"§ {n}. Ikrafttredelse og varighet")
    p = report.period
    if p is None:
        out.extend(_para("Forskriften trer i kraft [dato] og gjelder i [antall, inntil fire] år."))
    else:
        years = f"{p.years:g}".replace(".", ",")
        end = _end_date(p.start, p.years)
        if p.start and end != "[dato]":
            text = f"Forskriften trer i kraft {_long_date(p.start)} og gjelder fram til {end}."
        else:
            text = (f"Forskriften trer i kraft {_long_date(p.start)} og gjelder i {years} år fra "
                    f"ikrafttredelsen.")
        if p.extension_years:
            text += (f" Forsøksperioden kan forlenges med inntil "
                     f"{p.extension_years:g} år".replace(".", ",") + ".")
        if p.reform:
            text += f" Dersom reformen ({p.reform}) er vedtatt, kan forsøket forlenges til den trer i kraft."
        out.extend(_para(text))
    out.append("")
    n += 1
    out.append(f"§ {n}. Lover og forskrifter det gjøres unntak fra")
    if replaced:
        out.append("Denne forskrift kommer i stedet for følgende bestemmelser:")
        for para_no, formal in replaced:
            for f in formal:
                out.extend(_para(f"Forskriften § {para_no} – {f}", "  "))
    else:
        out.append("[Ingen bestemmelser: søknaden har ingen unntak som kan tas med.]")
    return "\n".join(out) + "\n"
