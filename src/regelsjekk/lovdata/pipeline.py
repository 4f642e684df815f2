"""Read → parse → write as a pipeline over processes, so decompression, parsing and SQLite
writing run side by side (bz2 decompression alone is most of a core).

    reader process      streams one source (archive.py), hashes members, skips unchanged ones,
                        sends batches of member bytes to the parse queue
    parse workers       parse batches into rows (parse_batch)
    main process        receives events in the reader's order and writes them (load.py)

Every message carries a sequence number from the reader; the main process reorders, so the
result is the same as a single-process import, whatever the timing. ``workers=0`` runs all of it
in the calling process (tests, tiny imports).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from regelsjekk.core.errors import RegelsjekkError
from regelsjekk.lovdata.archive import Limits, iter_source
from regelsjekk.lovdata.errors import ArchiveError, ImportProblem
from regelsjekk.lovdata.parse import parse_rows

BATCH = 32
# A batch is also cut at this many bytes: 32 members of up to 16 MiB each, six batches queued,
# would hold 3 GB (Lovtidend's members average ~8 kB, so their batches are cut by count). 1 MiB
# rather than 4: the 33 consolidated laws (~9 MB) then make nine batches, not three, so both
# workers stay busy to the end of an archive of large documents (its import 0.50 → 0.38 s).
BATCH_BYTES = 1024 * 1024


class PipelineFailed(RegelsjekkError):
    """A helper process died; the import is abandoned (the old store stays)."""


def _events(path: Path, name: str, limits: Limits, known: set[str],
            force: bool) -> Iterator[tuple[str, Any]]:
    """The reader's work: ('skip', code, msg) | ('unchanged',) | ('batch', items, nbytes) | ('end', …)."""
    batch: list[tuple[str, str, bytes, str]] = []
    nbytes = 0
    try:
        for member in iter_source(path, limits):
            if member.problem is not None:
                yield ("skip", member.problem.code, member.problem.message)
                continue
            data = member.data or b""
            digest = hashlib.sha256(data).hexdigest()
            if not force and digest in known:
                yield ("unchanged", len(data))
                continue
            known.add(digest)
            batch.append((name, member.name, data, digest))
            nbytes += len(data)
            if len(batch) >= BATCH or nbytes >= BATCH_BYTES:
                yield ("batch", batch, nbytes)
                batch, nbytes = [], 0
        status, message = "fullført", None
    except ArchiveError as exc:
        status, message = exc.kind, exc.message
    if batch:
        yield ("batch", batch, nbytes)
    yield ("end", status, message)


def parse_batch(batch: list[tuple[str, str, bytes, str]]) -> list[tuple]:
    """(archive, member, bytes, hash) → ("ok", rows…) or ("skip", code, message). Runs in workers."""
    out: list[tuple] = []
    was_enabled = gc.isenabled()  # in-process (workers=0) run_import has it off already
    gc.disable()  # parsing allocates many short-lived objects and no cycles worth chasing
    try:
        _parse_into(out, batch)
    finally:
        if was_enabled:
            gc.enable()
    return out


def _parse_into(out: list[tuple], batch: list[tuple[str, str, bytes, str]]) -> None:
    for archive, member, data, content_hash in batch:
        try:
            out.append(("ok", *parse_rows(data, member, archive, content_hash)))
        except ImportProblem as problem:
            out.append(("skip", problem.code, f"{archive}: {member}: {problem.message}"))
        except Exception as exc:  # a parser bug must not stop the import: report it per file
            out.append(("skip", "tolkefeil", f"{archive}: {member}: uventet feil ved tolking "
                        f"({type(exc).__name__}: {exc})"))


def die_with_parent() -> None:
    """A forked child ends when the import that started it ends, however it ends (also SIGKILL):
    Linux's parent-death signal, and a watchdog thread for the moment before it was set or where
    it does not exist. Otherwise an orphan keeps the import lock (inherited) and the CPU."""
    parent = os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _reader(sid: int, path: Path, name: str, limits: Limits, known: set[str], force: bool,
            tasks: Any, results: Any) -> None:
    die_with_parent()
    seq = 0
    try:
        for event in _events(path, name, limits, known, force):
            if event[0] == "end":
                event = (*event, time.process_time())
            if event[0] == "batch":
                tasks.put((sid, seq, event[1], event[2]))
            else:
                results.put((sid, seq, event))
            seq += 1
    except BaseException as exc:  # report, never hang the main process
        results.put((sid, seq, ("end", "skadet", f"{name}: lesing stoppet uventet: {exc!r}")))


def _worker(tasks: Any, results: Any) -> None:
    die_with_parent()
    while True:
        task = tasks.get()
        if task is None:
            return
        sid, seq, batch, nbytes = task
        cpu = time.process_time()
        parsed = parse_batch(batch)
        results.put((sid, seq, ("parsed", parsed, nbytes, time.process_time() - cpu)))


class ForkedCall:
    """fn(*args) in a forked child beside the caller (the import's post-pass leaves a core
    idle); result() waits for its value, sent back pickled. Without fork it runs at result()."""

    def __init__(self, name: str, fn: Any, *args: Any) -> None:
        self.name, self.fn, self.args = name, fn, args
        self.proc: Any = None
        self.cause: str | None = None  # why the child failed, one line, once result() has raised
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self.conn, send = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_forked_call, args=(send, fn, args), name=name,
                                    daemon=True)
            self.proc.start()
            send.close()
            self.args = ()  # the child has them; hold nothing here

    def result(self) -> Any:
        if self.proc is None:
            return self.fn(*self.args)
        try:
            ok, value = self.conn.recv()
        except EOFError:
            ok, value = False, None
        finally:
            self.conn.close()
        self.proc.join()
        if not ok:
            # --arbeidere 0 would not help: these helpers are forked whatever the workers
            self.cause = value or f"stoppet med avslutningskode {self.proc.exitcode}"
            raise PipelineFailed(
                f"en hjelpeprosess for importen ({self.name}) stoppet uventet ({self.cause}); "
                "kunnskapsbasen er uendret. Sjekk at maskinen har ledig minne og diskplass, og "
                "prøv igjen")
        return value

    def discard(self) -> None:
        """Stop the child if it still runs (the import failed)."""
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=10)


def _forked_call(send: Any, fn: Any, args: tuple) -> None:
    die_with_parent()
    try:
        send.send((True, fn(*args)))
    except Exception as exc:  # noqa: BLE001  one line for the user, not a child's traceback
        send.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


Upcoming = Callable[[], "tuple[Path, str, Limits, set[str], bool] | None"]


class Pipeline:
    """Parse workers that live for the whole import; one reader process per source.

    The next source's reader starts as soon as the current one has read its last member
    (`upcoming`), so the workers go on from one archive to the next without waiting for the
    last batches to be written and a new reader to decompress its first block. Messages carry
    their source's id; events are still yielded source by source, each in its reader's order.
    A reader started early has the writer's document hashes as they were then: documents of
    the previous archive still in flight reach the writer, which knows them (load.py)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.procs: list[Any] = []
        self.readers: dict[int, Any] = {}  # source id -> its reader, until it is done
        self.waiting: dict[tuple[int, int], tuple[str, Any]] = {}  # (source id, seq) -> event
        self.next_sid = 0
        self.early: tuple[tuple[Path, str], int] | None = None  # (path, name), source id
        if workers <= 0:
            return
        methods = multiprocessing.get_all_start_methods()
        self.ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.tasks = self.ctx.Queue(maxsize=2 * workers + 2)
        self.results = self.ctx.Queue()
        for _ in range(workers):
            p = self.ctx.Process(target=_worker, args=(self.tasks, self.results), daemon=True)
            p.start()
            self.procs.append(p)

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(failed=exc[0] is not None)

    def close(self, failed: bool = False) -> None:
        if self.workers <= 0:
            return
        for reader in self.readers.values():  # one started early for a source never reached
            if reader.is_alive():
                reader.terminate()
                reader.join(timeout=10)
        self.readers = {}
        if failed:
            for p in self.procs:
                if p.is_alive():
                    p.terminate()  # only processes this pipeline started
        else:
            for _ in self.procs:
                self.tasks.put(None)
        for p in self.procs:
            p.join(timeout=10)
        self.procs = []

    def _start(self, path: Path, name: str, limits: Limits, known: set[str], force: bool) -> int:
        sid = self.next_sid
        self.next_sid += 1
        reader = self.ctx.Process(target=_reader, daemon=True, args=(
            sid, path, name, limits, known, force, self.tasks, self.results))
        reader.start()
        self.readers[sid] = reader
        return sid

    def run(self, path: Path, name: str, limits: Limits, known: set[str],
            force: bool, upcoming: Upcoming | None = None) -> Iterator[tuple[str, Any]]:
        """Events for one source in order: skip, unchanged, parsed (results), end.
        `upcoming`: the next source to read, asked for once this one is read."""
        if self.workers <= 0:
            # a copy, as a forked reader has: what it sends is not yet in the writer's set
            for event in _events(path, name, limits, set(known), force):
                if event[0] == "batch":
                    cpu = time.process_time()
                    parsed = parse_batch(event[1])
                    yield ("parsed", parsed, event[2], time.process_time() - cpu)
                else:
                    yield event
            return
        if self.early is not None and self.early[0] == (path, name):
            sid = self.early[1]
        else:  # nothing started early, or for another source (then it is stopped at close)
            sid = self._start(path, name, limits, known, force)
        self.early = None
        reader = self.readers[sid]
        finished = False
        try:
            yield from self._ordered(sid, reader, upcoming)
            finished = True
        finally:
            # After its last message the reader may still hold the queue's write lock while it
            # flushes: let it exit on its own. Killing it then would leave the lock taken.
            if finished:
                reader.join(timeout=60)
            if reader.is_alive():
                reader.terminate()
                reader.join(timeout=10)
            self.readers.pop(sid, None)

    def _ordered(self, sid: int, reader: Any,
                 upcoming: Upcoming | None) -> Iterator[tuple[str, Any]]:
        waiting = self.waiting
        expected = 0
        while True:
            while (sid, expected) in waiting:
                event = waiting.pop((sid, expected))
                expected += 1
                yield event
                if event[0] == "end":
                    return
            try:
                got_sid, seq, event = self.results.get(timeout=2.0)
            except queue.Empty:
                dead = [p for p in self.procs if not p.is_alive()]
                if dead or (not reader.is_alive() and reader.exitcode not in (0, None)):
                    code = (dead or [reader])[0].exitcode
                    raise PipelineFailed(
                        f"en hjelpeprosess for importen stoppet uventet (avslutningskode {code}); "
                        "kunnskapsbasen er uendret. Prøv igjen, eventuelt med --arbeidere 0 "
                        "(alt i én prosess, for eksempel når minnet ikke strekker til)")
                continue
            waiting[(got_sid, seq)] = event
            if got_sid == sid and event[0] == "end" and upcoming is not None \
                    and self.early is None:
                nxt = upcoming()  # this source is read: start reading the next one
                if nxt is not None:
                    self.early = ((nxt[0], nxt[1]), self._start(*nxt))
