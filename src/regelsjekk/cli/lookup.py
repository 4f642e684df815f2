"""`regelsjekk slå-opp "<henvisning>"` (alias `sla-opp`): show a provision by citation.

Thin: resolution and gathering live in regelsjekk.lookup.provisions (shared with the app); this module
only renders text or JSON. Exit code 0 when something was found, 2 when the citation could not
be resolved (an input error), 3 when the knowledge base cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap

from regelsjekk.cli.common import add_date_option, as_of, open_kb_or_explain
from regelsjekk.core.dates import short_date
from regelsjekk.core.ids import human_label
from regelsjekk.lookup.provisions import NOTE_KINDS, LookupResult, ProvisionView, lookup

_TEXT_WIDTH = 96
# A list item's printed label at the start of an indented line: "a)", "1.", "(2)", "1.1", "–".
_ITEM_LABEL = re.compile(r"(?:\(?[0-9A-Za-zæøåÆØÅ]{1,4}(?:\.[0-9]+)*[.):]{0,2}|[-–•*]) ")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "slå-opp", aliases=["sla-opp"], help="slå opp en bestemmelse («kl. § 19-1 (3)»)",
        description="Slå opp en lov, forskrift eller bestemmelse slik jurister skriver henvisninger: "
                    "«kommuneloven § 19-1 tredje ledd», «fvl. §§ 24 og 25», «lov 22. juni 2018 nr. 83 "
                    "§ 5-1», en Lovdata-lenke eller «LOV-2018-06-22-83-§19-1».")
    parser.add_argument("henvisning", nargs="+", help="henvisningen (flere ord slås sammen)")
    parser.add_argument("--json", action="store_true",
                        help="skriv JSON (for andre verktøy), med nabolaget som kanter "
                             "{fra, til, type, etikett}, de samme som appen tegner")
    parser.add_argument("--i", dest="context", metavar="DOKUMENT-ID",
                        help="les henvisninger uten lovnavn («§ 4») som i dette dokumentet")
    parser.add_argument("--uten-tekst", action="store_true", help="ikke vis lovteksten")
    add_date_option(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    query = " ".join(args.henvisning)
    kb = open_kb_or_explain(args)
    if kb is None:
        return 3
    result = lookup(query, kb, args.context, with_text=not args.uten_tekst,
                    with_neighbourhood=args.json, today=as_of(args))
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0 if result.found and result.current else 2


def render_text(result: LookupResult) -> str:
    """The lookup as plain text for a terminal."""
    res = result.resolution
    lines: list[str] = []
    if result.document:
        d = result.document
        lines.append(f"{d.title}  [{d.id}, {d.in_force}]")
    for msg in res.messages:
        lines.extend(textwrap.wrap(msg, _TEXT_WIDTH, initial_indent="! ", subsequent_indent="  "))
    if res.suggestions:
        lines.append("Mente du: " + " · ".join(res.suggestions))
    if res.alternatives and res.ok:
        lines.append("Andre dokumenter med samme navn: " + ", ".join(res.alternatives))
    for p in result.provisions:
        lines.append("")
        lines.extend(_render_provision(p))
    for hint in result.hints:
        lines.append("")
        lines.append(hint)
    lines.append("")
    if result.document and result.document.in_force_basis:
        lines.extend(textwrap.wrap(f"Status per {short_date(result.as_of)}: {result.document.in_force}. "
                                   f"{result.document.in_force_basis}", _TEXT_WIDTH))
    lines.extend(textwrap.wrap(f"Data: {result.data}.", _TEXT_WIDTH))
    if not result.found and not res.messages:
        lines.append(f"Fant ikke «{result.query}».")
    return "\n".join(lines)


def _render_provision(p: ProvisionView) -> list[str]:
    head = p.citation + (f" – {p.heading}" if p.heading and p.kind != "dokument" else "")
    lines = [head, "=" * min(len(head), _TEXT_WIDTH)]
    lines.append(f"id:     {p.id}")
    lines.append(f"lenke:  {p.url}")
    if p.path:
        lines.append("i:      " + " › ".join(p.path))
    if p.summary:
        lines.extend(textwrap.wrap(p.summary, _TEXT_WIDTH, initial_indent="kort:   ",
                                   subsequent_indent="        "))
    if p.keywords:
        lines.extend(textwrap.wrap(", ".join(p.keywords), _TEXT_WIDTH, initial_indent="ord:    ",
                                   subsequent_indent="        "))
    if p.text:
        lines.append("")
        for para in p.text.split("\n"):
            lines.extend(_wrap_statute_line(para))
    if p.notes:
        lines.append("")
        lines.append("Merknader (fra Lovdata, utenfor lovteksten):")
        for n in p.notes:
            where = "" if n.node_id == p.id else f" ({human_label(n.node_id) or n.node_id})"
            kind = NOTE_KINDS.get(n.kind, n.kind) + (f" {n.label}" if n.label else "")
            lines.extend(textwrap.wrap(n.text, _TEXT_WIDTH - 4, initial_indent=f"  {kind}{where}: ",
                                       subsequent_indent="    "))
    if p.tags:
        lines.append("")
        lines.append("Tagger:")
        for t in p.tags:
            where = f", arvet fra {t.inherited_from}" if t.inherited_from else ""
            label = f" ({t.label})" if t.label else ""
            lines.append(f"  - {t.tag}{label}: {t.source}, sikkerhet {t.confidence}{where}")
            lines.extend(textwrap.wrap(t.rationale, _TEXT_WIDTH - 6, initial_indent="      ",
                                       subsequent_indent="      "))
            if t.rule:
                lines.append(f"      regel: {t.rule}")
    if p.children:
        lines.append("")
        lines.append("Innhold:")
        for c in p.children[:80]:
            lines.append(f"  {c.label}" + (f" {c.heading}" if c.heading else ""))
        if len(p.children) > 80:
            lines.append(f"  … og {len(p.children) - 80} til")
    if p.references_out:
        lines.append("")
        lines.append("Viser til: " + "; ".join(r.citation for r in p.references_out))
    if p.references_in:
        more = p.references_in_total - len(p.references_in)
        lines.append("")
        lines.append("Henvist til fra: " + "; ".join(r.citation for r in p.references_in)
                     + (f" (og {more} til)" if more > 0 else ""))
    if p.regulations:
        lines.append("")
        lines.append("Forskrifter gitt med hjemmel i denne:")
        for r in p.regulations:
            lines.append(f"  - {r.citation} ({r.node_id})")
    return lines


def _wrap_statute_line(line: str) -> list[str]:
    """One line of statute text, wrapped; an indented list item hangs under its first word."""
    body = line.lstrip(" ")
    indent = "  " + line[:len(line) - len(body)]
    hang = indent
    m = _ITEM_LABEL.match(body) if indent != "  " else None
    if m:
        hang = indent + " " * m.end()
    return textwrap.wrap(body, _TEXT_WIDTH, initial_indent=indent, subsequent_indent=hang) or [""]
