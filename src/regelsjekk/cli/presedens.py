"""`regelsjekk presedens "<henvisning>"`: earlier trials that set a provision aside.

Three ways to ask: a citation ("vegtrafikkloven § 6"), a request file (`--fil søknad.forsok`: every
provision its exemptions name), or an idea in ordinary words (the provisions `forslag` proposes for
it). Newest first, each with a link to lovdata.no and a line from the trial's own text on what
replaced the rule; the listing ends with what the library covers (absence is not evidence).

Exit codes: 0 answered (also when nothing was found), 2 input error (a citation or file that cannot
be read), 3 usage error or the knowledge base cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from regelsjekk.cli.common import add_date_option, as_of, open_kb_or_explain
from regelsjekk.lookup.precedents import (
    PrecedentListing,
    precedents_for,
    precedents_for_citation,
)

_WIDTH = 96


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "presedens", help="tidligere forsøk som satte en bestemmelse til side",
        description="Vis forsøksforskrifter (Norsk Lovtidend) som satte en bestemmelse, en del av "
                    "den eller forgjengeren til side — nyeste først, med lenke til lovdata.no og "
                    "hva som kom i stedet. Spør med en henvisning, en søknadsfil (--fil) eller en "
                    "idé i vanlige ord.",
        epilog="Eksempler:\n  regelsjekk presedens \"vegtrafikkloven § 6\"\n"
               "  regelsjekk presedens --fil examples/steinkjer-skiltmyndighet.forsok\n"
               "  regelsjekk presedens kommunen vil selv bestemme fartsgrensene --json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spørsmål", nargs="*", help="henvisning eller idé (flere ord slås sammen)")
    parser.add_argument("--fil", metavar="SØKNAD", help="en søknad (.forsok eller .json): "
                        "alle bestemmelsene unntakene nevner")
    parser.add_argument("--json", action="store_true", help="skriv JSON (for andre verktøy)")
    parser.add_argument("--uten-kostra", action="store_true",
                        help="ta ikke med de mange like KOSTRA-forsøkene (1998–2000)")
    add_date_option(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    query = " ".join(args.spørsmål).strip()
    if not query and not args.fil:
        print("regelsjekk presedens: oppgi en henvisning («vegtrafikkloven § 6»), en idé eller "
              "--fil SØKNAD. Tips: se «regelsjekk presedens --help».", file=sys.stderr)
        return 3  # a usage error, as for every command
    kb = open_kb_or_explain(args)
    if kb is None:
        return 3
    today = as_of(args)
    if args.fil:
        listing, code = _from_file(args.fil, kb, today, not args.uten_kostra)
    else:
        listing = precedents_for_citation(query, kb, today, not args.uten_kostra)
        code = 0
        if not listing.found:
            listing, code = _from_idea(query, listing, kb, not args.uten_kostra)
    if args.json:
        print(json.dumps(listing.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render_text(listing))
    return code


def _from_file(path: str, kb, today, kostra: bool) -> tuple[PrecedentListing, int]:  # noqa: ANN001
    from regelsjekk.request.load import load_request_file

    parsed = load_request_file(path)
    if parsed.errors:
        for err in parsed.errors:
            print(err.render(), file=sys.stderr)
        listing = precedents_for([], kb, path)
        listing.messages = ["Søknaden kunne ikke leses (se feilen over)."]
        return listing, 2
    ids: list[str] = []
    messages: list[str] = []
    from regelsjekk.refs import resolve_citation

    for request in parsed.requests:
        for ex in request.unntak:
            context = None
            for text in ex.bestemmelser:
                res = resolve_citation(text, kb, context, today=today)
                if res.ok and res.ids:
                    ids.extend(i for i in res.ids if i not in ids)
                    context = res.doc_id
                else:
                    messages.extend(res.messages or [f"Fant ikke «{text}»."])
    listing = precedents_for(ids, kb, path, kostra)
    listing.messages = messages
    return listing, 0 if ids else 2


def _from_idea(query: str, failed: PrecedentListing, kb, kostra: bool,  # noqa: ANN001
               ) -> tuple[PrecedentListing, int]:
    from regelsjekk.forslag.suggest import suggest

    suggestions = suggest(query, kb, limit=8)
    if not suggestions:
        return failed, 2
    listing = precedents_for([s.node_id for s in suggestions], kb, query, kostra)
    listing.messages = ["Lest som en idé (ikke en henvisning): forsøk som satte til side "
                        "bestemmelsene forslag finner for den."]
    return listing, 0


def render_text(listing: PrecedentListing) -> str:
    lines: list[str] = []
    for msg in listing.messages:
        lines.extend(textwrap.wrap(msg, _WIDTH, initial_indent="! ", subsequent_indent="  "))
    by_provision: dict[str, list] = {}
    for hit in listing.hits:
        by_provision.setdefault(hit.provision, []).append(hit)
    for nid in listing.provisions:
        hits = by_provision.get(nid, [])
        if not hits and len(listing.provisions) > 3:
            continue
        lines.append("")
        head = f"{listing.citations.get(nid, nid)}  [{nid}]"
        lines.append(head)
        lines.append("=" * min(len(head), _WIDTH))
        if not hits:
            lines.append("Ingen forsøk i biblioteket satte denne til side.")
        for hit in hits:
            t = hit.trial
            who = ", ".join(t["søkere"]) or t.get("fastsatt_av") or "ukjent søker"
            lines.extend(textwrap.wrap(f"{t['år'] or '?'} · {who} · {t['periode']}", _WIDTH,
                                       initial_indent="- ", subsequent_indent="  "))
            lines.extend(textwrap.wrap(t["tittel"], _WIDTH, initial_indent="  ",
                                       subsequent_indent="  "))
            via = f" (via {hit.via})" if hit.via else ""
            lines.extend(textwrap.wrap(f"{hit.how_label}: {hit.set_aside}{via}", _WIDTH,
                                       initial_indent="  ", subsequent_indent="  "))
            if hit.replaced_by:
                lines.extend(textwrap.wrap(f"I stedet: «{hit.replaced_by}»", _WIDTH,
                                           initial_indent="  ", subsequent_indent="  "))
            lines.append(f"  {t['lenke']}")
    if listing.provisions and not listing.hits:
        lines.append("")
        lines.append("Ingen tidligere forsøk funnet for dette.")
    lines.append("")
    lines.extend(textwrap.wrap("Dekning: " + listing.note, _WIDTH))
    return "\n".join(lines)
