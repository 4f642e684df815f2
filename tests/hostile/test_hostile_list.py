"""Defect 10 (issue 19): a hostile `/list` from the download server killed `import --download`
with a traceback (deep nesting: RecursionError; "sizeBytes": Infinity: OverflowError; a
lastModified that is not a string: an SQLite binding error), and nothing bounded the list's size,
its number of entries, repeated names, or where a redirect could send the download. Each is now
a DownloadError in Norwegian (exit 3), or a value read as unknown; only the given host is asked.
"""

from __future__ import annotations

import io
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _hostile_kit import article, lovdata_xml

from regelsjekk.cli.main import main as cli_main
from regelsjekk.lovdata.download import DownloadError, list_archives

pytestmark = pytest.mark.import_safety


class Server:
    """A download server on 127.0.0.1 that answers what the test sets, and logs what it is asked."""

    def __init__(self) -> None:
        self.list_body = b"[]"
        self.files: dict[str, bytes] = {}
        self.redirect: str | None = None  # /get/… answers 302 to this address
        self.requests: list[str] = []
        handler = self._handler()
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/v1/publicData"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                state.requests.append(self.path)
                path = self.path.removeprefix("/v1/publicData")
                if path == "/list":
                    body = state.list_body
                elif path.startswith("/get/") and state.redirect:
                    self.send_response(302)
                    self.send_header("Location", state.redirect)
                    self.end_headers()
                    return
                elif path.startswith("/get/") and path[5:] in state.files:
                    body = state.files[path[5:]]
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def other() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def _archive() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = lovdata_xml("forskrift/2001-01-01-1", article("1", "Tekst"))
        info = tarfile.TarInfo("utvalg/f1.xml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _entry(name: object = "utvalg.tar.gz", **extra: object) -> dict:
    return {"filename": name, "sizeBytes": None, "lastModified": "2026-05-02T01:31:00Z", **extra}


def _refused(server: Server, tmp_path: Path, capsys, body: bytes, words: str) -> None:
    """Both list_archives and the CLI refuse this list with `words`, exit 3, no traceback."""
    server.list_body = body
    with pytest.raises(DownloadError, match=words):
        list_archives(server.url)
    db = tmp_path / "kb.sqlite"
    assert cli_main(["--db", str(db), "import", "--download", "--url", server.url, "-q"]) == 3
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and "intern feil" not in err, err
    assert not db.exists() and not [p for p in server.requests if "/get/" in p]


@pytest.mark.parametrize("body, words", [
    (b"[" + b"0, " * 400_000 + b"0]", "over 1 MB"),
    (b"[" * 100_000, "nestet for dypt"),
    (b"{\"files\": " + b"[" * 50_000 + b"]" * 50_001, "nestet for dypt"),
    (json.dumps([_entry(f"a{i}.tar.bz2") for i in range(5000)]).encode(), "over grensen på 1000"),
    (json.dumps([_entry(), _entry()]).encode(), "flere ganger"),
])
def test_oversized_deep_long_or_repeated_lists_are_refused(server, tmp_path, capsys, body,
                                                           words) -> None:
    _refused(server, tmp_path, capsys, body, words)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "a/b.tar.bz2",
                                  "a\\b.tar.bz2", "a\x00.tar.bz2", "arkiv\n.tar.bz2", "ø.tar.bz2",
                                  "", "x" * 300 + ".tar.bz2", 5, None, ["a"]])
def test_odd_names_are_refused(server, tmp_path, capsys, name) -> None:
    _refused(server, tmp_path, capsys, json.dumps([_entry(name)]).encode(), "ugyldig filnavn")


def test_odd_sizes_and_dates_are_unknown_and_the_import_runs(server, tmp_path, capsys) -> None:
    server.files["utvalg.tar.gz"] = _archive()
    body = json.dumps([_entry(sizeBytes=float("inf"), lastModified={"$gt": ""}),
                       _entry("b.tar.gz", sizeBytes="-1", lastModified="x" * 10_000),
                       _entry("c.tar.gz", sizeBytes=True, lastModified=["2026"]),
                       _entry("d.tar.gz", sizeBytes="1e400", lastModified=None)]).encode()
    server.list_body = body
    listed = list_archives(server.url)
    assert [(r.size, r.last_modified) for r in listed] == [(None, None)] * 4
    db = tmp_path / "kb.sqlite"
    code = cli_main(["--db", str(db), "import", "--download", "--url", server.url, "-q",
                     "--bare", "utvalg"])
    assert code == 0, capsys.readouterr().err
    assert db.exists()


def test_addresses_in_the_list_and_redirects_elsewhere_are_never_followed(
        server, other, tmp_path, capsys) -> None:
    other.files["utvalg.tar.gz"] = _archive()
    server.files["utvalg.tar.gz"] = _archive()
    server.list_body = json.dumps([_entry(url=f"{other.url}/get/utvalg.tar.gz",
                                          href=f"{other.url}/get/utvalg.tar.gz")]).encode()
    db = tmp_path / "kb.sqlite"
    assert cli_main(["--db", str(db), "import", "--download", "--url", server.url, "-q"]) == 0
    assert other.requests == []  # the entry's own address is ignored
    server.redirect = f"{other.url}/get/utvalg.tar.gz"
    assert cli_main(["--db", str(db), "import", "--download", "--url", server.url, "-q",
                     "--tving"]) == 3
    err = capsys.readouterr().err
    assert "annen adresse" in err and "Traceback" not in err, err
    assert other.requests == []


def test_a_redirect_is_followed_to_the_same_server_or_to_https_only() -> None:
    """A data service may hand files out from a storage host over https; a redirect to another
    plain-http address (unencrypted, or an internal host) is refused."""
    import urllib.request

    from regelsjekk.lovdata.download import DownloadError, _SameHost

    handler = _SameHost()
    req = urllib.request.Request("https://api.lovdata.no/v1/publicData/get/x.tar.bz2")
    for ok in ("https://api.lovdata.no/v1/other", "https://storage.example.org/x.tar.bz2"):
        assert handler.redirect_request(req, None, 302, "Found", {}, ok).full_url == ok
    for bad in ("http://api.lovdata.no/v1/x", "http://169.254.169.254/latest", "ftp://x/y"):
        with pytest.raises(DownloadError):
            handler.redirect_request(req, None, 302, "Found", {}, bad)
