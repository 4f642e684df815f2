"""Load on the HTTP API over loopback, against the same requests run in this process, in one run.

Run: .venv/bin/python bench/api.py [--db PATH] [--seconds 20] [--clients 1,4,16]

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
              with 1, 4 and 16 concurrent clients (separate processes, keep-alive connections)

Every answer is checked: status as in-process (200, or 422 for an example the knowledge base
cannot resolve) and, for 200, the body byte for byte; anything else is an error. Prints
throughput, p50/p95/p99, errors and each worker's memory (VmRSS and VmHWM from /proc), and the
targets (issue 17): p95 of sjekk over HTTP at 1 client ≤ 1.5 × the in-process p95 of the same
requests (the paired phase); 2 workers ≥ 1.6 × the throughput of 1 (at the highest
concurrency); 0 errors. Exit 1 when a target is over. Nothing leaves 127.0.0.1; every server started is stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import re
import signal
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


def client(args: tuple[int, list[Req], int, float, float]) -> list[tuple[str, float, bool]]:
    port, mix, offset, start_at, stop_at = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/v1/status")  # open the keep-alive connection before the clock starts
    conn.getresponse().read()
    while time.time() < start_at:
        time.sleep(0.001)
    out = []
    i = offset
    while time.time() < stop_at:
        req = mix[i % len(mix)]
        i += 1
        t = time.perf_counter()
        try:
            conn.request(req.method, req.path, req.body, req.headers)
            resp = conn.getresponse()
            data = resp.read()
            dt = time.perf_counter() - t
            ok = answer_ok(req, resp.status, data)  # outside the timed region
        except (OSError, http.client.HTTPException):
            dt, ok = time.perf_counter() - t, False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append((req.kind, dt, ok))
    conn.close()
    return out


def run_http(pool, clients: int, port: int, mix: list[Req], seconds: float,
             ) -> list[tuple[str, float, bool]]:
    start_at = time.time() + 0.05 + 0.01 * clients  # connections are opened before this
    jobs = [(port, mix, k * len(mix) // clients, start_at, start_at + seconds)
            for k in range(clients)]
    return [r for rs in pool.map(client, jobs) for r in rs]


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

    def worker_memory(self) -> list[tuple[int, int, int]]:
        """(pid, VmRSS KiB, VmHWM KiB) of each worker: the children of the serve process."""
        out = []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return out
        for pid in map(int, children.split()):
            fields = {}
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    fields[key] = value.split()[0] if value.split() else "0"
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
                out.append((pid, int(fields.get("VmRSS", 0)), int(fields.get("VmHWM", 0))))
        return out

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

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def errors(self) -> int:
        return sum(not ok for _, _, ok in self.results)

    @property
    def rate(self) -> float:
        return self.n / self.seconds

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
        pools = {c: ctx.Pool(c) for c in levels}  # forked after the mix has its answers
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
                    rows.setdefault((f"HTTP, {w} arb.", c), []).extend(
                        run_http(pools[c], c, server.port, mix, share))
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
                else share * args.rounds) for (label, c), results in rows.items()]
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
          f"{'p99 ms':>7} {'sjekk p95':>9} {'feil':>5}")
    for r in rows:
        print(f"{r.label:18} {r.clients:8d} {r.n:7d} {r.rate:7.1f} {r.ms(0.5):7.2f} "
              f"{r.ms(0.95):7.2f} {r.ms(0.99):7.2f} {r.ms(0.95, 'sjekk'):9.2f} {r.errors:5d}")
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
