"""Check many request files, in parallel, without letting one broken file stop the rest.

A lawyer points `regelsjekk sjekk` at a folder of applications; each file is read, parsed,
checked and rendered in a worker process (the knowledge base is opened once per process and its
caches are shared by every request that process checks). Whatever goes wrong with one file —
unreadable, malformed, an unexpected exception — becomes an error on that file's outcome.
Outcomes come back in input order, so the output is deterministic whatever --jobs is.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from regelsjekk.check.cache import cache_for
from regelsjekk.check.checker import check
from regelsjekk.check.verdict import Report
from regelsjekk.report.render import (
    BINARY_FORMATS,
    CSV_COLUMNS,
    CSV_FORMATS,
    EXCEL_BOM,
    csv_error_row,
    csv_row,
    csv_writer,
    render,
    render_bytes,
)
from regelsjekk.request.load import check_citations, load_request_text, read_source
from regelsjekk.request.parser import ParseResult

if TYPE_CHECKING:
    from regelsjekk.kb.knowledge import KnowledgeBase

REQUEST_SUFFIXES = (".forsok", ".json")


@dataclass
class Item:
    """One checked request (a file may hold several)."""

    title: str
    verdict: str
    exit_code: int
    rendered: str
    csv: list[str] | None = None
    data: bytes | None = None  # the report in a binary format (Word)


@dataclass
class FileOutcome:
    path: str
    items: list[Item] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # unreadable, unparsable, unknown citations
    warnings: list[str] = field(default_factory=list)  # e.g. an ambiguous law name, resolved
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """2 input errors, 1 some request not granted, 0 all granted (as the CLI documents)."""
        if self.errors or not self.items:
            return 2
        return max(i.exit_code for i in self.items)


def discover(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files named directly, and request files (*.forsok, *.json) under folders, sorted.

    Returns (files, problems): a path that does not exist is a problem, not an exception.
    """
    files: list[str] = []
    problems: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in REQUEST_SUFFIXES and not f.name.startswith("."))
            if not found:
                problems.append(f"{raw}: fant ingen søknadsfiler (*.forsok, *.json) i mappen.")
            files.extend(found)
        elif p.is_file():
            files.append(str(p))
        elif p.exists():
            problems.append(f"{raw}: er verken en vanlig fil eller en mappe (kanskje en FIFO "
                            "eller en enhet); oppgi søknadsfiler eller en mappe.")
        else:
            problems.append(f"{raw}: finnes ikke.")
    seen: set[str] = set()
    unique = [f for f in files if not (f in seen or seen.add(f))]
    return unique, problems


# -- one file ------------------------------------------------------------------------------------


@dataclass
class CheckedText:
    """One file's text through parse → citations → check: what every front end shows.

    The CLI (check_file), the app's Batch and Sjekk idé pages and the error fixtures all use
    check_text, so a file gives the same errors, warnings and reports wherever it is checked.
    """

    name: str
    result: ParseResult
    reports: list[Report]

    @property
    def errors(self) -> list[str]:
        return [e.render() for e in self.result.errors]

    @property
    def warnings(self) -> list[str]:
        return [w.render() for w in self.result.warnings]


def check_text(text: str, name: str, kb: KnowledgeBase, *, today: date) -> CheckedText:
    """Parse a request file's text, resolve its citations as of `today`, check each request."""
    result = load_request_text(text, name)
    # the checker's memo of resolutions: each citation is resolved once, here and in check()
    memo = cache_for(kb)
    check_citations(result, lambda t, ctx: memo.resolve(t, ctx, today))
    reports = [check(request, kb, today=today) for request in result.requests]
    return CheckedText(name=name, result=result, reports=reports)


def check_source(text: str, name: str, fmt: str, kb: KnowledgeBase,
                 render_options: dict | None = None, *, today: date,
                 ) -> tuple[FileOutcome, CheckedText]:
    """One file's text through check_text, rendered in `fmt`: the outcome the CLI prints, and the
    structured parse (errors as DslError) for callers that show more than text (the HTTP API).

    Raises on an internal error (check_file turns that into an error on the outcome)."""
    start = time.perf_counter()
    out = FileOutcome(path=name)
    checked = check_text(text, name, kb, today=today)
    out.errors.extend(checked.errors)
    out.warnings.extend(checked.warnings)
    if not checked.reports and not checked.result.errors:
        out.errors.append(f"{name}: filen inneholder ingen søknad.")
    for report in checked.reports:
        opts = dict(render_options or {})
        if fmt in CSV_FORMATS:
            opts["file"] = name
        binary = fmt in BINARY_FORMATS
        out.items.append(Item(
            title=report.title, verdict=report.verdict.value, exit_code=report.exit_code,
            rendered="" if binary else render(report, fmt, **opts),
            csv=csv_row(name, report) if fmt in CSV_FORMATS else None,
            data=render_bytes(report, fmt) if binary else None))
    out.seconds = time.perf_counter() - start
    return out, checked


def check_file(path: str, fmt: str, kb: KnowledgeBase, render_options: dict | None = None, *,
               today: date) -> FileOutcome:
    """Read, parse, check and render one file; never raises."""
    start = time.perf_counter()
    out = FileOutcome(path=path)
    try:
        text, problem = read_source(path)
        if problem is not None:
            out.errors.append(problem.render())
        else:
            out, _ = check_source(text or "", path, fmt, kb, render_options, today=today)
    except Exception as exc:  # noqa: BLE001 - one broken file never stops the batch
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" ({tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})" if tb else ""
        out = FileOutcome(path=path)
        out.errors.append(f"{path}: intern feil under sjekken: {exc.__class__.__name__}: "
                          f"{exc}{where}. Meld gjerne fra med filen vedlagt.")
    out.seconds = time.perf_counter() - start
    return out


# -- many files ----------------------------------------------------------------------------------

_worker_kb = None


def _init_worker(db: str | None, rules: str | None, forked: bool) -> None:
    """A worker checks with the parent's knowledge base, caches and all, when it was forked (it
    has it already, shared copy-on-write); a spawned worker opens its own."""
    global _worker_kb
    if forked and _worker_kb is not None:
        return
    from regelsjekk.kb.knowledge import default_kb

    _worker_kb = default_kb(db, rules)


def _work(job: tuple[str, str, dict, date]) -> FileOutcome:
    path, fmt, options, today = job
    return check_file(path, fmt, _worker_kb, options, today=today)


def run_batch(files: list[str], fmt: str, kb: KnowledgeBase, jobs: int = 1,
              db: str | None = None, rules: str | None = None,
              render_options: dict | None = None,
              progress: Callable[[int, int, FileOutcome], None] | None = None, *,
              today: date) -> list[FileOutcome]:
    """Check files with `jobs` worker processes (1 = in this process); outcomes in input order."""
    options = render_options or {}
    if jobs <= 1 or len(files) <= 1:
        outcomes = []
        for i, f in enumerate(files, 1):
            outcomes.append(check_file(f, fmt, kb, options, today=today))
            if progress:
                progress(i, len(files), outcomes[-1])
        return outcomes
    import multiprocessing  # only a batch with workers needs them (start-up of `sjekk`)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: list[FileOutcome | None] = [None] * len(files)
    # fork shares the parent's loaded knowledge base and caches with the workers at no cost
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    global _worker_kb
    _worker_kb = kb  # what a forked worker inherits (opening it again cost each worker ~0.5 s)
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(db, rules, method == "fork")) as pool:
            chunk = max(1, min(16, len(files) // (jobs * 4) or 1))
            for i, outcome in enumerate(pool.map(_work, [(f, fmt, options, today) for f in files],
                                                 chunksize=chunk)):
                results[i] = outcome
                done += 1
                if progress:
                    progress(done, len(files), outcome)
    except BrokenProcessPool:
        # a worker died (out of memory, a signal): finish the rest here, one by one
        print("regelsjekk: en arbeidsprosess stoppet; sjekker resten i hovedprosessen.",
              file=sys.stderr)
    for i, f in enumerate(files):
        if results[i] is None:
            results[i] = check_file(f, fmt, kb, options, today=today)
            done += 1
            if progress:
                progress(done, len(files), results[i])
    return [r for r in results if r is not None]


def default_jobs(n_files: int) -> int:
    """Workers worth starting: none for a handful of files, else one per core."""
    if n_files < 8:
        return 1
    return max(1, min(os.cpu_count() or 1, n_files // 4))


def combine(outcomes: list[FileOutcome], fmt: str) -> str:
    """All outcomes as one document for stdout, in the chosen format."""
    items = [(o, i) for o in outcomes for i in o.items]
    if fmt == "json":
        if len(items) == 1 and not any(o.errors for o in outcomes):
            return items[0][1].rendered
        entries = []
        for o in outcomes:
            name = json.dumps(o.path, ensure_ascii=False)
            for i in o.items:  # the rendered report, indented into the list (no re-encoding)
                body = "\n".join("    " + line for line in i.rendered.rstrip("\n").split("\n"))
                entries.append(f'  {{\n    "fil": {name},\n    "rapport": {body.lstrip()}\n  }}')
            if o.errors:
                errs = json.dumps(o.errors, ensure_ascii=False)
                entries.append(f'  {{\n    "fil": {name},\n    "feil": {errs}\n  }}')
        return "[\n" + ",\n".join(entries) + "\n]\n"
    if fmt in CSV_FORMATS:
        buf = io.StringIO()
        if fmt == "csv-excel":
            buf.write(EXCEL_BOM)
        writer = csv_writer(buf, excel=fmt == "csv-excel")
        writer.writerow(CSV_COLUMNS)
        for o in outcomes:
            for i in o.items:
                writer.writerow(i.csv or [])
            if o.errors or not o.items:
                writer.writerow(csv_error_row(o.path, o.errors))
        return buf.getvalue()
    if fmt == "html":
        from regelsjekk.report.render import join_html_pages

        return join_html_pages([i.rendered for _, i in items])
    sep = {"md": "\n---\n\n", "text": "\n" + "═" * 100 + "\n\n", "forskrift": "\n" + "═" * 100 + "\n\n"}
    return sep.get(fmt, "\n").join(i.rendered for _, i in items)


def output_name(path: str, index: int, count: int, ext: str) -> str:
    """examples/steinkjer.forsok -> steinkjer.json (steinkjer-2.json for a file's 2nd request)."""
    stem = Path(path).stem
    return f"{stem}-{index}.{ext}" if count > 1 else f"{stem}.{ext}"
