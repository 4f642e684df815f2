"""The load generator of bench/api.py: its raw HTTP/1.1 client reads what a server may send.

The bench's throughput target is only as honest as the client that counts the answers: it speaks
HTTP/1.1 itself (see bench/api.py), so here it talks to a tiny keep-alive server on 127.0.0.1
that answers with Content-Length, chunked (extensions, trailers), byte by byte, Connection: close,
and with responses the client must refuse.
"""

from __future__ import annotations

import hashlib
import importlib.util
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_api", Path(__file__).resolve().parent.parent / "bench" / "api.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_api"] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)

BODY = "svar med æøå og § 19-1\n".encode() * 50


def _chunked(body: bytes, size: int) -> bytes:
    parts = [body[i:i + size] for i in range(0, len(body), size)]
    out = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts)
    return out + b"0\r\nX-Trailer: ja\r\n\r\n"


def _answer(path: str, body: bytes) -> tuple[bytes, bool]:
    """(raw response, close afterwards) for a request to `path` with `body`."""
    payload = BODY + body  # the request's body comes back: the client must have sent it whole
    if path == "/cl" or path == "/v1/status":
        return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload), False)
    if path == "/chunked":
        return (b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + _chunked(payload, 7), False)
    if path == "/close":
        return (b"HTTP/1.1 422 Unprocessable Content\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload), True)
    if path == "/no-length":
        return b"HTTP/1.1 200 OK\r\n\r\n" + payload, True
    if path == "/gzip":
        return (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + _chunked(payload, 100), True)
    return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", False


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        buf = b""
        while True:
            while b"\r\n\r\n" not in buf:
                data = self.request.recv(65536)
                if not data:
                    return
                buf += data
            head, _, buf = buf.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split()[1]
            headers = dict(line.split(": ", 1) for line in lines[1:])
            length = int(headers.get("Content-Length", 0))
            while len(buf) < length:
                buf += self.request.recv(65536)
            body, buf = buf[:length], buf[length:]
            raw, close = _answer(path, body)
            self.server.requests.append((path, headers, body))
            if self.server.byte_by_byte:  # every byte its own segment: the reader must wait
                for i in range(len(raw)):
                    self.request.sendall(raw[i:i + 1])
            else:
                self.request.sendall(raw)
            if close:
                return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(params=[False, True], ids=["whole", "byte-by-byte"])
def server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.byte_by_byte = request.param
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _req(path: str, body: bytes | None = None, method: str = "POST") -> bench.Req:
    return bench.Req("sjekk", method, path, body,
                     {"Content-Type": "text/plain; charset=utf-8"} if body is not None else {})


def test_encoded_request_is_plain_http_1_1() -> None:
    raw = bench.encode_request(_req("/v1/sjekk", "§ 1".encode()), 8080)
    assert raw == (b"POST /v1/sjekk HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                   b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n\r\n"
                   ) + "§ 1".encode()
    assert b"Content-Length" not in bench.encode_request(_req("/v1/oppslag?q=x", None, "GET"), 1)


def test_content_length_and_chunked_over_one_keep_alive_connection(server: _Server) -> None:
    conn = bench.RawConnection(server.server_address[1], timeout=10)
    body = "søknad\n".encode() * 1000
    for _ in range(2):
        assert conn.request(bench.encode_request(_req("/cl", body), 1)) == (200, BODY + body)
        assert conn.request(bench.encode_request(_req("/chunked", body), 1)) == (201, BODY + body)
        assert conn.request(bench.encode_request(_req("/nowhere", None, "GET"), 1)) == (404, b"")
    first = conn.sock
    assert conn.request(bench.encode_request(_req("/close", b"x"), 1)) == (422, BODY + b"x")
    assert conn.sock is None  # the server said close: the next request opens a new connection
    assert first is not None and len(server.requests) == 7
    assert conn.request(bench.encode_request(_req("/cl", None, "GET"), 1)) == (200, BODY)
    conn.close()


@pytest.mark.parametrize("path", ["/no-length", "/gzip"])
def test_responses_it_cannot_read_fail_loudly(server: _Server, path: str) -> None:
    conn = bench.RawConnection(server.server_address[1], timeout=10)
    with pytest.raises(bench.HttpError):
        conn.request(bench.encode_request(_req(path, None, "GET"), 1))
    assert conn.sock is None


def test_reader_keeps_bytes_after_a_response_and_refuses_garbage() -> None:
    reader = bench.ResponseReader()
    two = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 204 No Content\r\n\r\n"
    assert reader.feed(two) == (200, b"ab", True)
    assert reader.feed(b"") == (204, b"", True)
    with pytest.raises(bench.HttpError):
        bench.ResponseReader().feed(b"SSH-2.0-OpenSSH\r\n\r\n")
    with pytest.raises(bench.HttpError):
        bench.ResponseReader().feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")


@pytest.mark.parametrize("connections", [1, 3], ids=["blocking", "selector"])
def test_load_client_checks_every_answer(server: _Server, connections: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The load phase's client process, against the tiny server: both ways of driving the
    connections send every request whole and check each answer's status and SHA-1."""
    monkeypatch.setattr(bench, "TIMEOUT", 5.0)
    body = b"{}" * 300
    mix = [_req("/cl", body), _req("/chunked", body), _req("/close", b"k")]
    for req, status in zip(mix, (200, 201, 422), strict=True):
        req.status, req.digest = status, hashlib.sha1(BODY + req.body).hexdigest()
    wrong = _req("/cl", b"y")
    wrong.status, wrong.digest = 200, hashlib.sha1(b"not this").hexdigest()
    mix.append(wrong)
    start = time.time() + 0.1
    results, in_time, cpu = bench.client((server.server_address[1], mix,
                                          list(range(connections)), start, start + 0.3))
    assert cpu >= 0 and len(results) >= 8
    assert len(results) - connections <= in_time < len(results)  # the last of each is late
    for kind, seconds, ok in results:
        assert kind == "sjekk" and seconds > 0
    oks = [ok for _, _, ok in results]
    assert oks.count(False) == sum(1 for p, _, b in server.requests if b == b"y")  # only `wrong`
    assert oks.count(True) > oks.count(False) > 0


def test_load_client_reports_a_dead_server_as_errors_and_stops() -> None:
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]

    def serve_once_then_die() -> None:  # answers the warm-up request, then closes everything
        conn, _ = srv.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        conn.recv(65536)
        conn.close()
        srv.close()

    threading.Thread(target=serve_once_then_die, daemon=True).start()
    req = _req("/cl", b"z")
    start = time.time() + 0.05
    results, _, _ = bench.client((port, [req], [0], start, start + 0.2))
    assert results and not any(ok for _, _, ok in results)
