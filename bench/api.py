"""Load on the HTTP API over loopback, against the same requests run in this process, in one run.

Run: .venv/bin/python bench/api.py [--db PATH] [--seconds 20] [--clients 1,4,16] [--client-procs N]

A fixed mix built from examples/: 60 % POST /v1/sjekk (every example, as .forsok text), 20 % POST
/v1/forslag (ideas), 20 % GET /v1/oppslag (citations). Phases, in alternating rounds:

  paired      (two shares of the time) each request of the mix twice, back to back, in turn
              first: in-process, then over HTTP to the 1-worker server from this process (one
              keep-alive http.client connection), or the other way round. Both sides of a pair
              see the same moment's load on the machine, which separate phases on a shared
              2-core machine do not (the p95 target rests on this phase).
                in-process = what the endpoint computes, from the request bytes to the response
                  bytes: sjekk decodes the body (request.load.decode_source), checks and renders
                  it (batch.check_source + combine) and encodes the JSON to UTF-8; forslag parses
                  the JSON body, suggests and routes, dumps the JSON; oppslag looks up with the
                  neighbourhood and dumps the JSON. On a knowledge base opened and warmed as a
                  worker does (api.app.warm).
                HTTP = the same, plus: the client writing the request and reading the whole
                  response (http.client), loopback TCP, uvicorn (httptools, uvloop), FastAPI's
                  routing and parameter parsing, the limits middleware, the hop to the worker
                  thread that enforces the time limit, and the response's headers.
              Checking the answer (status, SHA-1 of the body) is outside the timed region.
  fixed cost  GET / over the same connection (a constant JSON answer): the floor of one request.
  load        `regelsjekk serve --workers W` on 127.0.0.1 with a free port, W = 1 and 2, each
              with 1, 4 and 16 concurrent clients: keep-alive connections driven by at most one
              client process per core (--client-procs; several connections in one process go
              through a selector, non-blocking), speaking HTTP/1.1 themselves: each request's
              bytes are encoded once, a response is read to its Content-Length (or chunked).
              The load generator shares the cores with the workers, so its CPU per request
              caps the 2-worker ratio (≈ 2 / (1 + client/worker CPU) on two cores); it is
              printed next to the workers' (from os.times and /proc), with the share of the
              machine other processes used. Throughput counts the answers complete when a
              phase's clock stops (the ones still due are timed and checked, not counted).

Every answer is checked: status as in-process (200, or 422 for an example the knowledge base
cannot resolve) and, for 200, the body byte for byte (SHA-1; in the load phase after the clock
stops); anything else is an error. Prints throughput, p50/p95/p99, errors, CPU per request and
each worker's memory (VmRSS and VmHWM from /proc), and the targets (issue 17): p95 of sjekk
over HTTP at 1 client ≤ 1.5 × the in-process p95 of the same requests (the paired phase); 2
workers ≥ 1.6 × the throughput of 1 (at the highest concurrency); 0 errors. Exit 1 when a target
is over. Nothing leaves 127.0.0.1; every server started is stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.forsok"))
IDEAS = ["fire kommuner vil ha én felles legetjeneste som kan fatte vedtak for alle",
         "vi vil prøve vurdering uten karakterer på 8. trinn",
         "kommunen vil selv bestemme fartsgrensene på kommunale veger",
         "sosialhjelp med lavere satser for unge under 25 år",
         "et interkommunalt barnevern med felles leder"]
CITATIONS = ["kommuneloven § 19-1", "kl. § 5-3 (2)", "opplæringslova § 2-3",
             "forvaltningsloven § 11", "vegtrafikkloven § 6", "sosialtjenesteloven § 18"]
TARGET_P95_RATIO = 1.5
TARGET_WORKER_RATIO = 1.6
CLIENT_PROCS = os.cpu_count() or 2  # load-phase client processes at most (0: one per connection)
TIMEOUT = 60.0  # seconds any socket operation of a load client may take
TODAY = date.today()  # the server reads the law as of today too (bodies must match)


@dataclass
class Req:
    kind: str           # sjekk | forslag | oppslag
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    status: int = 200   # as in-process
    digest: str = ""    # sha1 of the in-process body (for 200)


def build_mix() -> list[Req]:
    sjekk = [Req("sjekk", "POST", "/v1/sjekk", p.read_bytes(),
                 {"Content-Type": "text/plain; charset=utf-8"}) for p in EXAMPLES]
    forslag = [Req("forslag", "POST", "/v1/forslag",
                   json.dumps({"beskrivelse": idea}, ensure_ascii=False).encode(),
                   {"Content-Type": "application/json"}) for idea in IDEAS]
    oppslag = [Req("oppslag", "GET", "/v1/oppslag?" + urlencode({"q": c}, quote_via=quote), None,
                   {}) for c in CITATIONS]
    mix: list[Req] = []
    for i in range(100):  # 60 / 20 / 20, interleaved, deterministic
        mix.append(sjekk[i % len(sjekk)] if i % 5 in (0, 1, 3) else
                   forslag[i % len(forslag)] if i % 5 == 2 else oppslag[i % len(oppslag)])
    return mix


# -- in-process ------------------------------------------------------------------------------------


def in_process_answer(req: Req, kb) -> tuple[int, bytes]:
    """What the endpoint computes for `req`, without HTTP: request bytes in, response bytes out."""
    from regelsjekk.api.app import _forslag
    from regelsjekk.batch.runner import check_source, combine
    from regelsjekk.lookup.provisions import lookup
    from regelsjekk.request.load import decode_source

    if req.kind == "sjekk":
        text, problem = decode_source(req.body, "soknad.forsok")
        if problem is not None:
            return 400, b""
        outcome, _ = check_source(text or "", "soknad.forsok", "json", kb, today=TODAY)
        if outcome.errors:
            return 422, b""
        return 200, combine([outcome], "json").encode()
    if req.kind == "forslag":
        idea = json.loads(req.body)["beskrivelse"]
        data = _forslag(idea, 10, kb)
    else:
        q = re.sub(r"^.*q=", "", req.path)
        from urllib.parse import unquote

        data = lookup(unquote(q), kb, None, today=TODAY, with_text=True,
                      with_neighbourhood=True).model_dump(mode="json")
    return 200, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def answer_ok(req: Req, status: int, data: bytes) -> bool:
    return status == req.status and (req.status != 200
                                     or hashlib.sha1(data).hexdigest() == req.digest)


def run_paired(mix: list[Req], kb, port: int, seconds: float, start: int,
               ) -> tuple[list[tuple[str, float, bool]], list[tuple[str, float, bool]],
                          list[tuple[str, float, bool]]]:
    """Each request in-process and over HTTP back to back, alternating which goes first; every
    fifth pair also GET / (the fixed cost). Returns (in-process, HTTP, GET /) results."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/v1/status")  # open the keep-alive connection before the clock starts
    conn.getresponse().read()
    local, remote, floor = [], [], []

    def over_http(method: str, path: str, body: bytes | None, headers: dict[str, str],
                  ) -> tuple[float, int, bytes]:
        nonlocal conn
        t = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            resp = conn.getresponse()
            data = resp.read()
            return time.perf_counter() - t, resp.status, data
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            return time.perf_counter() - t, 0, b""

    deadline = time.perf_counter() + seconds
    i = start
    while time.perf_counter() < deadline:
        req = mix[i % len(mix)]
        for side in ((0, 1) if i % 2 else (1, 0)):
            if side == 0:
                t = time.perf_counter()
                in_process_answer(req, kb)
                local.append((req.kind, time.perf_counter() - t, True))
            else:
                dt, status, data = over_http(req.method, req.path, req.body, req.headers)
                remote.append((req.kind, dt, answer_ok(req, status, data)))
        if i % 5 == 0:
            dt, status, _ = over_http("GET", "/", None, {})
            floor.append(("tom", dt, status == 200))
        i += 1
    conn.close()
    return local, remote, floor


# -- HTTP clients (separate processes) -------------------------------------------------------------
#
# The load generator shares the machine's cores with the workers it measures, so what it costs per
# request caps the 2-worker/1-worker ratio (about 2Y / (X + Y) for server CPU Y and client CPU X per
# request on two cores). http.client parses every response's headers with the email package; the
# load phase therefore speaks HTTP/1.1 itself: each request's bytes are encoded once, a response is
# read by one recv loop (headers to the blank line, the status from the first line, the body by
# Content-Length or chunked) and checked like any other, outside the timed region.


class HttpError(Exception):
    """A response this client cannot read (or a connection that ended in the middle of one)."""


def encode_request(req: Req, port: int) -> bytes:
    """The whole request as bytes: request line, Host, the request's headers, Content-Length."""
    lines = [f"{req.method} {req.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in req.headers.items()]
    if req.body is not None:
        lines.append(f"Content-Length: {len(req.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (req.body or b"")


class ResponseReader:
    """Reads HTTP/1.1 responses from bytes fed in pieces: `feed(data)` returns (status, body, keep
    the connection) once a whole response is in, else None; bytes after it stay for the next."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.head_end = -1      # index of the body's first byte, once the headers are in
        self.length = -1        # Content-Length, or -1
        self.chunked = False
        self.close = False
        self.scanned = 0        # where the search for the blank line goes on
        self.chunks: list[bytes] = []
        self.pos = 0            # chunked: start of the next chunk's size line

    def feed(self, data: bytes) -> tuple[int, bytes, bool] | None:
        self.buf += data
        if self.head_end < 0:
            end = self.buf.find(b"\r\n\r\n", self.scanned)
            if end < 0:
                self.scanned = max(0, len(self.buf) - 3)
                if len(self.buf) > 65536:
                    raise HttpError("headers over 64 KiB")
                return None
            self._head(bytes(self.buf[:end]))
            self.head_end = self.pos = end + 4
        if self.chunked:
            return self._chunked()
        if len(self.buf) - self.head_end < self.length:
            return None
        end = self.head_end + self.length
        body = bytes(self.buf[self.head_end:end])
        return self._done(body, end)

    def _head(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise HttpError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
        self.status = int(parts[1])
        self.close = parts[0] == b"HTTP/1.0"
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon:
                raise HttpError(f"header without a colon: {line[:80]!r}")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                if not value.isdigit() or self.length not in (-1, int(value)):
                    raise HttpError(f"bad Content-Length: {value!r}")
                self.length = int(value)
            elif name == b"transfer-encoding":
                codings = [c.strip() for c in value.split(b",")]
                if codings[-1] != b"chunked" or len(codings) > 1:
                    raise HttpError(f"unsupported Transfer-Encoding: {value!r}")
                self.chunked = True
            elif name == b"connection":
                self.close = b"close" in value
        if 100 <= self.status < 200:
            raise HttpError(f"unexpected informational response {self.status}")
        if self.status in (204, 304):
            self.length, self.chunked = 0, False
        elif self.chunked:
            self.length = -1  # Transfer-Encoding overrides Content-Length (RFC 9112 6.3)
        elif self.length < 0:
            raise HttpError("response with neither Content-Length nor chunked")

    def _chunked(self) -> tuple[int, bytes, bool] | None:
        buf = self.buf
        while True:
            eol = buf.find(b"\r\n", self.pos)
            if eol < 0:
                return None
            size_text = bytes(buf[self.pos:eol]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise HttpError(f"bad chunk size: {size_text[:40]!r}") from None
            if size == 0:  # the last chunk; then trailer lines (ignored) up to an empty line
                line = eol + 2
                while (nl := buf.find(b"\r\n", line)) > line:
                    line = nl + 2
                if nl < 0:
                    return None
                return self._done(b"".join(self.chunks), nl + 2)
            start, stop = eol + 2, eol + 2 + size
            if len(buf) < stop + 2:
                return None
            if buf[stop:stop + 2] != b"\r\n":
                raise HttpError("chunk not followed by CRLF")
            self.chunks.append(bytes(buf[start:stop]))
            self.pos = stop + 2

    def _done(self, body: bytes, end: int) -> tuple[int, bytes, bool]:
        out = (self.status, body, not self.close)
        del self.buf[:end]
        self._reset()
        return out


class RawConnection:
    """One keep-alive connection to 127.0.0.1:port; `request(raw)` sends pre-encoded bytes and
    returns (status, body). Any failure closes the socket (the next request opens a new one) and
    raises OSError or HttpError; every socket operation has `timeout`."""

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port, self.timeout = port, timeout
        self.sock: socket.socket | None = None
        self.reader = ResponseReader()

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.reader = sock, ResponseReader()
        return sock

    def request(self, raw: bytes) -> tuple[int, bytes]:
        sock = self.sock or self.connect()
        try:
            sock.sendall(raw)
            while True:
                data = sock.recv(262144)
                if not data:
                    raise HttpError("the server closed the connection before the whole response")
                got = self.reader.feed(data)
                if got is not None:
                    break
        except BaseException:
            self.close()
            raise
        status, body, keep = got
        if not keep or self.reader.buf:  # closed by the server, or bytes nobody asked for
            self.close()
        return status, body

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


Result = tuple[str, float, bool]  # kind, seconds, answer as in-process


def client(args: tuple[int, list[Req], list[int], float, float],
           ) -> tuple[list[Result], int, float]:
    """One client process: keep-alive connections starting at `offsets` in the mix, sending from
    start_at to stop_at (wall clock), then reading the answers still due. One connection is
    driven blocking; several through one selector, non-blocking. Returns the results (checked
    after the clock stops), how many answers were complete by stop_at (the throughput: answers
    still due then are timed and checked but not counted, so a slower server is not credited
    with a tail of up to one request per connection) and the process's CPU seconds meanwhile."""
    port, mix, offsets, start_at, stop_at = args
    raws = [encode_request(req, port) for req in mix]
    status_raw = encode_request(Req("status", "GET", "/v1/status", None, {}), port)
    conns = [RawConnection(port, TIMEOUT) for _ in offsets]
    for conn in conns:  # open the keep-alive connections before the clock starts
        conn.request(status_raw)
    while time.time() < start_at:
        time.sleep(0.001)
    cpu = os.times()
    answers = (_blocking if len(conns) == 1 else _selecting)(conns, raws, offsets, stop_at)
    cpu_end = os.times()
    for conn in conns:
        conn.close()
    results = [(mix[k].kind, dt, answer_ok(mix[k], status, body))
               for k, dt, status, body, _ in answers]
    in_time = sum(done <= stop_at for *_, done in answers)
    return results, in_time, (cpu_end.user - cpu.user) + (cpu_end.system - cpu.system)


Answer = tuple[int, float, int, bytes, float]  # index in the mix, seconds, status (0: failed),
#                                               body, when it was complete (wall clock)


def _blocking(conns: list[RawConnection], raws: list[bytes], offsets: list[int], stop_at: float,
              ) -> list[Answer]:
    conn, i, n = conns[0], offsets[0], len(raws)
    out: list[Answer] = []
    done = time.time()
    while done < stop_at:
        k = i % n
        i += 1
        t = time.perf_counter()
        try:
            status, body = conn.request(raws[k])
        except (OSError, HttpError):
            status, body = 0, b""
        dt = time.perf_counter() - t
        done = time.time()
        out.append((k, dt, status, body, done))
    return out


def _selecting(conns: list[RawConnection], raws: list[bytes], offsets: list[int],
               stop_at: float) -> list[Answer]:
    n, out = len(raws), []
    sel = selectors.DefaultSelector()
    state = {}  # fileno -> [connection, next position in the mix, index in flight, t0, unsent]

    def start(st: list) -> None:
        conn, k = st[0], st[1] % n
        st[1] += 1
        st[2], st[3] = k, time.perf_counter()
        if conn.sock is None:  # after a failure: a new connection (blocking while it opens)
            conn.connect()
            conn.sock.setblocking(False)
            sel.register(conn.sock, selectors.EVENT_READ, st)
        try:
            sent = conn.sock.send(raws[k])
        except BlockingIOError:
            sent = 0
        if sent < len(raws[k]):  # rare: the rest when the socket can take it
            st[4] = memoryview(raws[k])[sent:]
            sel.modify(conn.sock, selectors.EVENT_WRITE, st)

    def fail(st: list) -> None:
        out.append((st[2], time.perf_counter() - st[3], 0, b"", time.time()))
        st[2] = -1
        if st[0].sock is not None:
            sel.unregister(st[0].sock)
            st[0].close()

    for conn, offset in zip(conns, offsets, strict=True):
        conn.sock.setblocking(False)
        st = [conn, offset, -1, 0.0, None]
        state[conn.sock.fileno()] = st
        sel.register(conn.sock, selectors.EVENT_READ, st)
    for st in state.values():
        start(st)
    in_flight = len(state)
    hard_stop = stop_at + conns[0].timeout
    while in_flight:
        events = sel.select(timeout=1.0)
        if not events and time.time() > hard_stop:
            for st in state.values():
                if st[2] >= 0:
                    fail(st)
            break
        for key, mask in events:
            st = key.data
            conn = st[0]
            try:
                if mask & selectors.EVENT_WRITE:
                    sent = conn.sock.send(st[4])
                    st[4] = st[4][sent:]
                    if not st[4]:
                        st[4] = None
                        sel.modify(conn.sock, selectors.EVENT_READ, st)
                    continue
                data = conn.sock.recv(262144)
                if not data:
                    raise HttpError("the server closed the connection before the whole response")
                got = conn.reader.feed(data)
            except (OSError, HttpError):
                got = None
                fail(st)
            else:
                if got is None:
                    continue
                status, body, keep = got
                dt, done = time.perf_counter() - st[3], time.time()
                out.append((st[2], dt, status, body, done))
                st[2] = -1
                if not keep or conn.reader.buf:
                    sel.unregister(conn.sock)
                    conn.close()
            if time.time() < stop_at:
                try:
                    start(st)
                    continue
                except OSError:
                    fail(st)
            in_flight -= 1
    sel.close()
    return out


def run_http(pool, clients: int, procs: int, port: int, mix: list[Req], seconds: float,
             ) -> tuple[list[Result], int, float]:
    """`clients` keep-alive connections spread over `procs` client processes (one each when
    procs >= clients). Returns the results, how many were complete in `seconds` and the client
    processes' CPU seconds."""
    start_at = time.time() + 0.05 + 0.01 * clients  # connections are opened before this
    procs = min(procs, clients)
    offsets = [k * len(mix) // clients for k in range(clients)]
    jobs = [(port, mix, offsets[p::procs], start_at, start_at + seconds) for p in range(procs)]
    parts = pool.map(client, jobs)
    return ([r for rs, _, _ in parts for r in rs], sum(n for _, n, _ in parts),
            sum(cpu for _, _, cpu in parts))


# -- the server ------------------------------------------------------------------------------------


class Server:
    def __init__(self, workers: int, db: str | None) -> None:
        self.workers = workers
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the server
            "w+", prefix="regelsjekk-serve-", suffix=".log")
        cmd = [sys.executable, "-m", "regelsjekk.cli.main", *(["--db", db] if db else []),
               "serve", "--host", "127.0.0.1", "--port", "0", "--workers", str(workers),
               "--uten-tilgangslogg", "--maks-samtidige", "64"]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     cwd=ROOT)
        self.port = 0

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("serveren stoppet:\n" + self._text())
            text = self._text()
            m = re.search(r"lytter på http://127\.0\.0\.1:(\d+)", text)
            if m and text.count("Application startup complete") >= self.workers:
                self.port = int(m.group(1))
                return
            time.sleep(0.2)
        raise RuntimeError("serveren ble ikke klar:\n" + self._text())

    def _text(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> list[int]:
        """The workers: the serve process's children that multiprocessing started."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        out = []
        for pid in map(int, children.split()):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
                out.append(pid)
        return out

    def worker_memory(self) -> list[tuple[int, int, int]]:
        """(pid, VmRSS KiB, VmHWM KiB) of each worker."""
        out = []
        for pid in self.worker_pids():
            fields = {}
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    fields[key] = value.split()[0] if value.split() else "0"
            except OSError:
                continue
            out.append((pid, int(fields.get("VmRSS", 0)), int(fields.get("VmHWM", 0))))
        return out

    def worker_cpu(self) -> float:
        """CPU seconds (user + system) the workers have used so far."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
            ticks += int(fields[11]) + int(fields[12])    # utime, stime (fields 14, 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat (busy includes time
    the hypervisor stole)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq + steal) / tick, sum(fields) / tick


# -- figures ---------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))] if values else 0.0


@dataclass
class Row:
    label: str
    clients: int
    results: list[tuple[str, float, bool]]
    seconds: float
    cpu: tuple[float, float] | None = None  # CPU seconds of the client processes, the workers
    in_time: int | None = None  # load rows: answers complete before each phase's clock stopped

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def errors(self) -> int:
        return sum(not ok for _, _, ok in self.results)

    @property
    def rate(self) -> float:
        return (self.n if self.in_time is None else self.in_time) / self.seconds

    def cpu_ms(self, side: int) -> str:
        """CPU ms per request of the clients (side 0) or the workers (side 1), for load rows."""
        return f"{1000 * self.cpu[side] / self.n:.2f}" if self.cpu and self.n else "–"

    def ms(self, p: float, kind: str | None = None) -> float:
        return 1000 * pct([t for k, t, _ in self.results if kind in (None, k)], p)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("REGELSJEKK_DB"),
                        help="knowledge base (default: REGELSJEKK_DB, else the default place)")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="load time in all, shared by the phases (default 20)")
    parser.add_argument("--clients", default="1,4,16", help="concurrent clients (default 1,4,16)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="the phases run in this many alternating rounds (default 4)")
    parser.add_argument("--client-procs", type=int, default=CLIENT_PROCS,
                        help="load-phase client processes at most; each drives its share of the "
                        f"connections (default {CLIENT_PROCS}; 0: one process per connection)")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    phases = 2 + 2 * len(levels)  # the paired phase has two shares
    share = args.seconds / phases / args.rounds
    load_before = os.getloadavg()

    from regelsjekk.api.app import open_kb, warm
    from regelsjekk.api.settings import Settings

    # Both servers start first (and warm while this process does): the phases then alternate in
    # rounds — in-process, and each server at each concurrency — so that load from elsewhere on
    # the machine falls on all of them alike.
    servers = {w: Server(w, args.db) for w in (1, 2)}
    ctx = multiprocessing.get_context("fork")
    pools = {}
    rows: dict[tuple[str, int], list] = {}
    load: dict[tuple[str, int], list[float]] = {}  # in time, CPU of the clients, the workers
    others: dict[tuple[str, int], list[float]] = {}  # machine CPU busy, in all
    memory: dict[int, list[tuple[int, int, int]]] = {}
    codes: dict[int, int] = {}
    try:
        t = time.perf_counter()
        kb = open_kb(Settings(db=args.db))
        warm(kb)
        opened = time.perf_counter() - t
        mix = build_mix()
        for req in {id(r): r for r in mix}.values():  # expected answers, from this process
            status, body = in_process_answer(req, kb)
            req.status, req.digest = status, hashlib.sha1(body).hexdigest()
        for server in servers.values():
            server.wait_ready()
        procs = {c: min(c, args.client_procs or c) for c in levels}
        pools = {c: ctx.Pool(procs[c]) for c in levels}  # forked after the mix has its answers
        floor: list[tuple[str, float, bool]] = []
        paired = 0
        per_round: list[tuple[float, float]] = []  # sjekk p95 in-process, over HTTP
        for _ in range(args.rounds):
            local, remote, empty = run_paired(mix, kb, servers[1].port, 2 * share, paired)
            paired += len(local)
            per_round.append(tuple(1000 * pct([t for k, t, _ in xs if k == "sjekk"], 0.95)
                                   for xs in (local, remote)))
            rows.setdefault(("i prosess (parvis)", 1), []).extend(local)
            rows.setdefault(("HTTP parvis, 1 arb.", 1), []).extend(remote)
            floor.extend(empty)
            for c in levels:
                for w, server in servers.items():
                    before, machine = server.worker_cpu(), machine_cpu()
                    results, in_time, client_cpu = run_http(pools[c], c, procs[c], server.port,
                                                            mix, share)
                    key = (f"HTTP, {w} arb.", c)
                    rows.setdefault(key, []).extend(results)
                    spent = load.setdefault(key, [0, 0.0, 0.0])
                    spent[0] += in_time
                    spent[1] += client_cpu
                    spent[2] += server.worker_cpu() - before
                    busy, total = machine_cpu()
                    seen = others.setdefault(key, [0.0, 0.0])
                    seen[0] += busy - machine[0]
                    seen[1] += total - machine[1]
        for w, server in servers.items():
            memory[w] = server.worker_memory()
    finally:
        for pool in pools.values():
            pool.terminate()
        for w, server in servers.items():
            codes[w] = server.stop()
    for w, code in codes.items():
        if code != 0:
            print(f"serveren med {w} arbeidere avsluttet med kode {code}", file=sys.stderr)
    load_after = os.getloadavg()
    # throughput: the paired rows per second of their own work, the load rows per second of load
    rows = [Row(label, c, results, sum(t for _, t, _ in results) if "parvis" in label
                else share * args.rounds, *((tuple(load[label, c][1:]), load[label, c][0])
                                            if (label, c) in load else ()))
            for (label, c), results in rows.items()]
    rows.sort(key=lambda r: ("parvis" not in r.label, r.label.startswith("HTTP"), r.label,
                             r.clients))
    kind = f"importert ({args.db})" if args.db and Path(args.db).is_file() else "innebygd"
    print(f"HTTP-API under last på 127.0.0.1 — kunnskapsbase: {kind}; {os.cpu_count()} kjerner; "
          f"{args.rounds} runder à {phases} andeler à {share:.2f} s (parvis: 2); blanding 60 % sjekk, "
          f"20 % forslag, 20 % oppslag ({len(EXAMPLES)} eksempler); i prosess åpnet og varmet på "
          f"{opened:.1f} s")
    busy = max(load_before[0], load_after[0]) > 0.5 * (os.cpu_count() or 1)
    print(f"Last på maskinen (1 min) før/etter: {load_before[0]:.1f} / {load_after[0]:.1f}"
          + (" — maskinen var belastet av andre prosesser; tallene er usikre" if busy else ""))
    print(f"{'':18} {'klienter':>8} {'antall':>7} {'per s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'sjekk p95':>9} {'feil':>5} {'CPU ms/forespørsel: klient':>26} "
          f"{'arbeidere':>9}")
    for r in rows:
        print(f"{r.label:18} {r.clients:8d} {r.n:7d} {r.rate:7.1f} {r.ms(0.5):7.2f} "
              f"{r.ms(0.95):7.2f} {r.ms(0.99):7.2f} {r.ms(0.95, 'sjekk'):9.2f} {r.errors:5d} "
              f"{r.cpu_ms(0):>26} {r.cpu_ms(1):>9}")
    for workers, mem in memory.items():
        parts = ", ".join(f"pid {pid}: {rss / 1024:.0f} MB (topp {hwm / 1024:.0f} MB)"
                          for pid, rss, hwm in mem)
        print(f"Minne per arbeider, {workers} arbeider{'e' if workers > 1 else ''}: {parts}")

    base = next(r for r in rows if r.label == "i prosess (parvis)")
    one = next(r for r in rows if r.label == "HTTP parvis, 1 arb.")
    sjekk_pairs = [(h - i) for (k, i, _), (_, h, _) in zip(base.results, one.results)
                   if k == "sjekk"]
    print("Parvis = samme forespørsel i prosess og over HTTP rett etter hverandre (se bench/api.py)"
          ": i prosess = fra forespørselens bytes til svarets bytes (dekoding, sjekk, JSON); "
          "HTTP = det samme + klient, TCP på 127.0.0.1, uvicorn, FastAPI, grensene og tråden med "
          "tidsgrensen.")
    print(f"HTTP-tillegg per sjekk (HTTP − i prosess, samme forespørsel): "
          f"median {1000 * pct(sjekk_pairs, 0.5):.2f} ms, p95 {1000 * pct(sjekk_pairs, 0.95):.2f} ms; "
          f"fast kostnad (GET /, {len(floor)} stk.): p50 "
          f"{1000 * pct([t for _, t, _ in floor], 0.5):.2f} ms, "
          f"p95 {1000 * pct([t for _, t, _ in floor], 0.95):.2f} ms")
    print("sjekk p95 per runde, i prosess / HTTP (forhold): " + "; ".join(
        f"{a:.2f} / {b:.2f} ({b / a:.2f})" for a, b in per_round))
    p95_ratio = one.ms(0.95, "sjekk") / base.ms(0.95, "sjekk")
    top = max(levels)
    w1 = next(r for r in rows if r.label.startswith("HTTP, 1") and r.clients == top)
    w2 = next(r for r in rows if r.label.startswith("HTTP, 2") and r.clients == top)
    worker_ratio = w2.rate / w1.rate
    client_desc = ("én klientprosess per forbindelse" if procs[top] == top else
                   f"{procs[top]} klientprosesser med {top // procs[top]}–{-(-top // procs[top])} "
                   "forbindelser hver")
    print(f"Lastgeneratoren ({top} klienter: {client_desc}; rå HTTP/1.1 med keep-alive) deler "
          f"kjernene med arbeiderne; CPU per forespørsel, klient / arbeidere: " + "; ".join(
              f"{w} arb. {r.cpu_ms(0)} / {r.cpu_ms(1)} ms = "
              f"{r.cpu[0] / r.cpu[1]:.2f}" for w, r in ((1, w1), (2, w2)) if r.cpu and r.cpu[1])
          + " (med to kjerner er forholdet 2 / 1 arbeider høyst ≈ 2 / (1 + klient/arbeidere))")
    foreign = {}  # share of the machine's CPU that neither the workers nor the clients used
    for w, r in ((1, w1), (2, w2)):
        busy, total = others.get((r.label, top), (0.0, 0.0))
        if total and r.cpu:
            foreign[w] = max(0.0, busy - sum(r.cpu)) / total
    if foreign:
        print(f"Andre prosesser på maskinen i lastfasene ({top} klienter; andel av all CPU, "
              "også det bench-prosessen selv og hypervisoren brukte): " + "; ".join(
                  f"{w} arb. {100 * f:.0f} %" for w, f in foreign.items())
              + (" — forholdet 2 / 1 arbeider er da lavere enn maskinen gir"
                 if max(foreign.values()) > 0.05 else ""))
    errors = sum(r.errors for r in rows) + sum(not ok for _, _, ok in floor)
    checks = [
        ((f"sjekk p95 over HTTP ved 1 klient ≤ {TARGET_P95_RATIO} × i prosess (parvis): "
          f"{one.ms(0.95, 'sjekk'):.2f} / {base.ms(0.95, 'sjekk'):.2f} ms = {p95_ratio:.2f}"),
         p95_ratio <= TARGET_P95_RATIO),
        ((f"2 arbeidere ≥ {TARGET_WORKER_RATIO} × 1 arbeider ({top} klienter): "
          f"{w2.rate:.1f} / {w1.rate:.1f} per s = {worker_ratio:.2f}"),
         worker_ratio >= TARGET_WORKER_RATIO),
        (f"0 feil: {errors}", errors == 0),
    ]
    print("Mål:")
    for text, ok in checks:
        print(f"  {'OK  ' if ok else 'OVER'} {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
