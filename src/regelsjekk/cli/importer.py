"""`regelsjekk import`: Lovdata archives, folders of XML or a download into the knowledge base.

Exit codes: 0 everything read; 2 some input was refused (an archive truncated, corrupt, not an
archive, or documents skipped for cause: see the summary); 3 the import could not run (store
locked or unreadable, network, usage). A failed import never changes the existing store.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from regelsjekk.core import paths


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import", help="importer lover og forskrifter fra Lovdata (arkiv, mappe eller nedlasting)",
        description="Importerer Lovdatas offentlige data (.tar.bz2/.tar.xz/.tar.gz/.tar, mapper "
        "med XML-filer eller enkeltfiler) til kunnskapsbasen. Importen er trygg å avbryte: den "
        "bygges i en midlertidig fil og erstatter kunnskapsbasen først når alt er skrevet.",
        epilog="Eksempler:\n  regelsjekk import gjeldende-lover.tar.bz2\n"
        "  regelsjekk import --download\n  regelsjekk --db /tmp/kb.sqlite import --ny mappe/\n\n"
        "Avslutningskoder: 0 alt lest, 2 noe av input ble avvist (se oppsummeringen), "
        "3 importen kunne ikke kjøres.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="STI", help="arkiv, mappe eller XML-fil")
    p.add_argument("--download", "--last-ned", dest="download", action="store_true",
                   help="hent gjeldende arkiver fra Lovdatas offentlige API (uendrede hoppes over)")
    p.add_argument("--url", help="adressen til API-et (standard: REGELSJEKK_LOVDATA_URL eller "
                   "https://api.lovdata.no/v1/publicData)")
    p.add_argument("--bare", action="append", metavar="NAVN", default=[],
                   help="med --download: bare arkiver hvis navn inneholder NAVN (kan gjentas)")
    p.add_argument("--last-ned-til", metavar="MAPPE",
                   help="med --download: behold arkivene i MAPPE (standard: slettes etterpå)")
    p.add_argument("--db", default=argparse.SUPPRESS,
                   help="kunnskapsbasen som skal skrives (samme som den globale --db)")
    p.add_argument("--ny", action="store_true",
                   help="bygg kunnskapsbasen på nytt i stedet for å oppdatere den")
    p.add_argument("--tving", action="store_true",
                   help="les alle dokumenter på nytt selv om de er uendret")
    p.add_argument("--arbeidere", type=int, metavar="N",
                   help="antall tolkeprosesser (0 = alt i én prosess; standard: én per kjerne, "
                   "høyst fire)")
    p.add_argument("-q", "--quiet", "--stille", dest="quiet", action="store_true",
                   help="ingen fremdriftsvisning")
    p.add_argument("--json", action="store_true", help="oppsummering som JSON på stdout")
    p.set_defaults(func=run)


def _fail(message: str, hint: str | None = None, code: int = 3) -> int:
    print(f"Feil: {message}", file=sys.stderr)
    if hint:
        print(f"Tips: {hint}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from regelsjekk.lovdata.download import DownloadError
    from regelsjekk.lovdata.load import ImportFailed, Source, run_import
    from regelsjekk.lovdata.pipeline import PipelineFailed
    from regelsjekk.lovdata.summary import ArchiveResult, Progress, Summary

    db = Path(args.db) if getattr(args, "db", None) else paths.default_store_path()
    if not args.paths and not args.download:
        return _fail("ingenting å importere.", "oppgi arkiv eller mapper, eller bruk --download.")
    sources = [Source(Path(p)) for p in args.paths]
    missing = [str(s.path) for s in sources if not s.path.exists()]
    if missing:
        return _fail(f"finnes ikke: {', '.join(missing)}",
                     "sjekk stien, eller hent arkivene fra Lovdata med --download.", code=2)
    odd = [str(s.path) for s in sources if not (s.path.is_file() or s.path.is_dir())]
    if odd:  # a FIFO or a device: reading it could wait forever
        return _fail(f"verken en vanlig fil eller en mappe (kanskje en FIFO eller en enhet): "
                     f"{', '.join(odd)}", "oppgi et arkiv, en mappe eller en XML-fil.", code=2)
    unchanged: list[ArchiveResult] = []
    tmp_dir: Path | None = None
    progress = None if args.quiet else Progress()
    try:
        if args.download:
            keep = Path(args.last_ned_til) if args.last_ned_til else None
            if keep is None:
                db.parent.mkdir(parents=True, exist_ok=True)
                tmp_dir = Path(tempfile.mkdtemp(prefix=".nedlasting-", dir=db.parent))
            found, unchanged = _download(args, db, keep or tmp_dir, quiet=args.quiet)
            sources.extend(found)
        if sources:
            summary = run_import(sources, db, fresh=args.ny, workers=args.arbeidere,
                                 progress=progress, force=args.tving)
        else:
            summary = Summary(db_path=str(db))
    except (ImportFailed, PipelineFailed, DownloadError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"kunne ikke skrive kunnskapsbasen {db}: {exc}",
                     "sjekk at mappen finnes og er skrivbar, eller velg en annen med --db.")
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    for result in unchanged:
        summary.archives.insert(0, result)
        summary.unchanged += result.documents
    if summary.imported or summary.updated:
        _prepare_indexes(db, args)
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary.render())
    return 2 if summary.failed else 0


def _prepare_indexes(db: Path, args: argparse.Namespace) -> None:
    """Build what lookups and forslag derive from the new knowledge base (the citation name
    index, the forslag index) now, so the first `slå-opp` or `forslag` after an import answers in
    a fraction of a second instead of building them (5-8 s with every shared archive). A failure
    here never fails the import: the structures are built on first use instead."""
    import time

    from regelsjekk.forslag.index import index_for
    from regelsjekk.kb.knowledge import KnowledgeBase
    from regelsjekk.refs.index import title_index

    rules = getattr(args, "regler", None)
    started = time.perf_counter()
    if not args.quiet:
        print("Bygger søkeindekser for oppslag og forslag …", file=sys.stderr, flush=True)
    try:
        kb = KnowledgeBase.open(db, Path(rules) if rules else None)
        title_index(kb)
        index_for(kb)
    except Exception as exc:  # noqa: BLE001 - an optimisation; the import itself succeeded
        print(f"Merk: søkeindeksene ble ikke bygd nå ({exc}); de bygges ved første bruk.",
              file=sys.stderr)
        return
    if not args.quiet:
        print(f"Søkeindekser klare ({time.perf_counter() - started:.1f} s).", file=sys.stderr)


def _download(args: argparse.Namespace, db: Path, dest: Path, quiet: bool) -> tuple[list, list]:
    """Download the archives that changed since the last import; report the others unchanged."""
    from regelsjekk.lovdata.download import download, list_archives
    from regelsjekk.lovdata.load import Source
    from regelsjekk.lovdata.summary import ArchiveResult

    recorded: dict[str, dict] = {}
    if db.exists() and not args.ny:
        try:
            from regelsjekk.kb.store import Store

            store = Store.open_readonly(db)
            recorded = {a["name"]: a for a in store.archives()}
            store.close()
        except Exception:  # noqa: BLE001 - an unreadable store just means "download everything"
            recorded = {}
    sources, unchanged = [], []
    for remote in list_archives(args.url):
        if not remote.filename.endswith((".tar.bz2", ".tar.xz", ".tar.gz", ".tar")):
            continue
        if args.bare and not any(part in remote.filename for part in args.bare):
            continue
        old = recorded.get(remote.filename)
        if (old and not args.tving and old.get("status") == "fullført"
                and old.get("remote_modified") == remote.last_modified
                and (remote.size is None or old.get("size") == remote.size)):
            unchanged.append(ArchiveResult(remote.filename, "uendret",
                                           "uendret hos Lovdata siden forrige import",
                                           old.get("documents") or 0))
            continue
        if not quiet:
            print(f"Laster ned {remote.filename} …", file=sys.stderr)
        path = download(remote, dest, args.url)
        sources.append(Source(path, remote.filename, remote.last_modified))
    return sources, unchanged
