"""`regelsjekk regler …`: lint, coverage and JSON Schema of the rules/ folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from regelsjekk.core import paths


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("regler", help="sjekk og vis reglene i rules/",
                                   description="Sjekk, dekning og JSON-skjema for reglene i rules/.")
    sub = parser.add_subparsers(dest="regler_kommando", metavar="UNDERKOMMANDO")

    sjekk = sub.add_parser("sjekk", help="finn feil i reglene (fil, linje, nøkkel)")
    sjekk.add_argument("--maks-alder", type=int, default=24, metavar="MÅNEDER",
                       help="varsle om vurderinger eldre enn dette (standard 24 måneder)")
    sjekk.add_argument("--streng", action="store_true", help="behandle advarsler som feil")
    sjekk.add_argument("--stille", action="store_true", help="vis bare feil, ikke advarsler")
    sjekk.set_defaults(func=_sjekk)

    dekning = sub.add_parser("dekning", help="hvor mye av hver lov som er kuratert")
    dekning.add_argument("--json", action="store_true", help="skriv JSON")
    dekning.add_argument("--alle", action="store_true",
                         help="alle lover i den innebygde kunnskapsbasen, ikke bare de kuraterte")
    dekning.add_argument("--lov", action="append", metavar="ID",
                         help="bare denne loven (kan gjentas); viser de uavklarte §§")
    dekning.set_defaults(func=_dekning)

    skjema = sub.add_parser("skjema", help="JSON Schema for regelfilene (for redigeringsverktøy)")
    skjema.add_argument("type", nargs="?", choices=["lover", "tags", "hjemler", "forsoksloven",
                                                    "inferens", "tid", "dagens_regler", "praksis",
                                                    "forsoksomrader"],
                        help="bare skjemaet for denne filtypen")
    skjema.add_argument("--ut", type=Path, metavar="MAPPE",
                        help="skriv én <type>.schema.json per filtype i MAPPE")
    skjema.set_defaults(func=_skjema)

    parser.set_defaults(func=lambda args: (parser.print_help(), 3)[1])


def _rules_dir(args: argparse.Namespace) -> Path:
    return Path(args.regler) if getattr(args, "regler", None) else paths.rules_dir()


def _store(args: argparse.Namespace):
    """The imported store, when one exists (lint checks ids against it too)."""
    path = Path(args.db) if getattr(args, "db", None) else paths.default_store_path()
    if not path.exists():
        return None
    try:
        from regelsjekk.kb.store import Store
    except ImportError:
        return None
    return Store.open_readonly(path)


def _store_failed(exc: Exception) -> int:
    """An imported store that exists but cannot be opened: an environment error (exit 3)."""
    from regelsjekk.cli.common import kb_open_failed

    return kb_open_failed(exc)


def _sjekk(args: argparse.Namespace) -> int:
    from regelsjekk.curation.lint import lint
    from regelsjekk.kb.store import StoreError

    rules = _rules_dir(args)
    if not rules.is_dir():
        print(f"Fant ikke regelmappen {rules}. Tips: oppgi den med --regler.", file=sys.stderr)
        return 3
    try:
        store = _store(args)
    except StoreError as exc:
        return _store_failed(exc)
    result = lint(rules, store=store, max_age_months=args.maks_alder)
    shown = result.errors if args.stille else result.findings
    for finding in shown:
        print(finding)
    errors = len(result.errors) + (len(result.warnings) if args.streng else 0)
    where = "mot den innebygde kunnskapsbasen og importen" if store else \
        "mot den innebygde kunnskapsbasen (ingen import)"
    print(f"{rules}: {len(result.errors)} feil, {len(result.warnings)} advarsler, sjekket {where}.",
          file=sys.stderr)
    return 2 if errors else 0


def _dekning(args: argparse.Namespace) -> int:
    from regelsjekk.cli.common import open_kb
    from regelsjekk.curation.lint import coverage
    from regelsjekk.kb.store import StoreError
    from regelsjekk.rules.schema import RulesError

    try:
        kb = open_kb(args)
    except RulesError as exc:
        print(f"Reglene kan ikke lastes: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        return _store_failed(exc)
    rb = kb.rulebook
    if args.lov:
        docs = [d.strip().lower() for d in args.lov]
        unknown = [d for d in docs if kb.document(d) is None]
        if unknown:
            print(f"Ukjent lov: {', '.join(unknown)}. Tips: bruk id-en, f.eks. lov/2018-06-22-83.",
                  file=sys.stderr)
            return 2
    elif args.alle:
        docs = [d.meta.id for d in rb.builtin_documents()]
    else:
        docs = list(dict.fromkeys(law.file.dokument for law in rb.laws))
    rows = coverage(kb, docs)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'lov':44} {'§§':>5} {'kuratert':>10} {'direkte':>8} {'arvet':>6} {'lovnivå':>8} "
          f"{'utledet':>8} {'uavklart':>9}")
    for r in rows:
        pct = f"{100 * r.curated / r.sections:.0f} %" if r.sections else "-"
        print(f"{(r.name + ' ' + r.doc_id)[:44]:44} {r.sections:5} {r.curated:5} {pct:>4} "
              f"{r.direct:8} {r.inherited:6} {r.law_level:8} {r.inferred:8} {len(r.unresolved):9}")
    if args.lov:
        for r in rows:
            if r.unresolved:
                print(f"\nUavklarte §§ i {r.name}:")
                for nid in r.unresolved:
                    node = kb.node(nid)
                    print(f"  {nid}  {node.heading if node and node.heading else ''}")
    print("\nkuratert = direkte (oppføring på § eller ledd) + arvet (fra kapittel eller del). "
          "lovnivå = bare en tagg på hele loven (regnes ikke som kuratert). utledet = bare hint fra "
          + ("lovteksten." if kb.has_import else "overskrifter (ingen import)."), file=sys.stderr)
    return 0


def _skjema(args: argparse.Namespace) -> int:
    from regelsjekk.rules.schema import json_schemas

    schemas = json_schemas()
    if args.ut:
        args.ut.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            if args.type and name != args.type:
                continue
            target = args.ut / f"{name}.schema.json"
            target.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
            print(target)
        return 0
    out = schemas[args.type] if args.type else schemas
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0
