"""`regelsjekk forslag "<beskrivelse>"`: from an idea to the provisions it most likely collides with.

Thin: ranking and explanations live in regelsjekk.forslag.suggest (shared with the app's Sjekk idé
page); this module reads the description (argument or standard input) and renders text or
JSON. Exit code 0 when something was proposed, 2 when the description is empty or nothing
matched (an input problem the user can fix), 3 when the knowledge base cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from regelsjekk.cli.common import open_kb_or_explain
from regelsjekk.forslag.routes import RouteSuggestion, suggest_routes
from regelsjekk.forslag.suggest import Suggestion, suggest

_WIDTH = 96


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "forslag", help="foreslå bestemmelser en idé må gjøre unntak fra",
        description="Beskriv ideen med vanlige ord (bokmål eller nynorsk), for eksempel «fire små "
                    "kommuner vil ha én felles legetjeneste som kan fatte vedtak for alle». "
                    "regelsjekk foreslår bestemmelsene ideen mest sannsynlig må fravike, med hva "
                    "som ga treff og hva slags regel det er. Bekreft forslagene og sjekk dem med "
                    "`regelsjekk sjekk`.")
    parser.add_argument("beskrivelse", nargs="*",
                        help="ideen (flere ord slås sammen); «-» eller ingenting leser fra stdin")
    parser.add_argument("--antall", "-n", type=_positive, default=10, metavar="N",
                        help="hvor mange forslag (standard 10)")
    parser.add_argument("--json", action="store_true", help="skriv JSON (for andre verktøy)")
    parser.set_defaults(func=_run)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et heltall") from None
    if n < 1 or n > 100:
        raise argparse.ArgumentTypeError("antall må være mellom 1 og 100")
    return n


def _description(args: argparse.Namespace) -> str:
    words = args.beskrivelse
    if not words or words == ["-"]:
        return "" if sys.stdin.isatty() else sys.stdin.read()
    return " ".join(words)


def _run(args: argparse.Namespace) -> int:
    description = _description(args).strip()
    if not description:
        print("Ingen beskrivelse. Skriv ideen i anførselstegn, for eksempel:\n"
              "  regelsjekk forslag \"vi vil prøve vurdering uten karakterer på 8. trinn\"",
              file=sys.stderr)
        return 2
    kb = open_kb_or_explain(args)
    if kb is None:
        return 3
    found = suggest(description, kb, limit=args.antall)
    routes = suggest_routes(description, found, kb)
    if args.json:
        print(json.dumps({"beskrivelse": description, "importert": kb.has_import,
                          "forslag": [s.model_dump(mode="json") for s in found],
                          "ruter": [r.model_dump(mode="json") for r in routes]},
                         ensure_ascii=False, indent=2))
    else:
        print(render_text(description, found, kb.has_import, routes))
    return 0 if found else 2


def render_text(description: str, found: list[Suggestion], imported: bool,
                routes: list[RouteSuggestion] | None = None) -> str:
    """The suggestions as plain text for a terminal, best first."""
    if not found:
        return ("Fant ingen bestemmelser som passer til beskrivelsen. Prøv andre ord, for "
                "eksempel navnet på tjenesten eller oppgaven ideen gjelder.")
    lines = [f"Forslag til bestemmelser for: «{_shorten(description, 80)}»", ""]
    for i, s in enumerate(found, 1):
        head = s.citation + (f" – {s.heading}" if s.heading else "")
        lines.append(f"{i:>2}. " + _shorten(head, _WIDTH - 4))
        lines.append(f"    id: {s.node_id}")
        if s.tag_labels:
            mark = " (utledet, ikke kuratert)" if s.tags_inferred else ""
            lines.append(f"    merking: {', '.join(s.tag_labels)}{mark}")
        lines.extend(textwrap.wrap(s.reason, _WIDTH, initial_indent="    hvorfor: ",
                                   subsequent_indent="            "))
        lines.append("")
    if routes:
        lines.append("Mulige veier (forsøkshjemler som kan bære idéen):")
        for r in routes:
            lines.extend(textwrap.wrap(f"- {r.reason}", _WIDTH, subsequent_indent="  "))
            if r.approver:
                lines.extend(textwrap.wrap(f"godkjenner: {r.approver}", _WIDTH,
                                           initial_indent="  ", subsequent_indent="  "))
        lines.append("")
    if not imported:
        lines.extend(textwrap.wrap(
            "Merk: uten importert lovtekst bygger forslagene på overskrifter og våre egne "
            "sammendrag og begrunnelser. Kjør `regelsjekk import` for bedre treff.", _WIDTH))
    lines.append("Bekreft de som gjelder, og sjekk dem: regelsjekk sjekk <søknad>.")
    return "\n".join(lines).rstrip()


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
