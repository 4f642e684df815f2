"""`regelsjekk import --download` against a local HTTP server on 127.0.0.1 that serves the
shared archives the way Lovdata's public data API does (/list and /get/<filename>)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.store import Store
from regelsjekk.lovdata.download import DownloadError, list_archives

SERVED = ("gjeldende-lover-utvalg.tar.bz2", "gjeldende-sentrale-forskrifter-utvalg.tar.bz2")


class FakeLovdata:
    """What the fake API serves; tests change it between runs."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files
        self.modified = {name: "2026-05-02T01:31:00Z" for name in files}
        self.requests: list[str] = []
        self.list_body: bytes | None = None  # override /list (e.g. with an HTML page)
        self.file_override: dict[str, bytes] = {}

    def listing(self) -> bytes:
        if self.list_body is not None:
            return self.list_body
        return json.dumps([{"filename": n, "description": "test",
                            "sizeBytes": str(len(self.content(n))),
                            "lastModified": self.modified[n]} for n in self.files]).encode()

    def content(self, name: str) -> bytes:
        return self.file_override.get(name) or self.files[name].read_bytes()


@pytest.fixture
def fake_lovdata(lovdata_dir: Path) -> Iterator[tuple[FakeLovdata, str]]:
    state = FakeLovdata({n: lovdata_dir / n for n in SERVED})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.requests.append(self.path)
            prefix = "/v1/publicData"
            path = self.path[len(prefix):] if self.path.startswith(prefix) else ""
            if path == "/list":
                body, kind = state.listing(), "application/json"
            elif path.startswith("/get/") and path[5:] in state.files:
                body, kind = state.content(path[5:]), "application/octet-stream"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_port}/v1/publicData"
    finally:
        server.shutdown()
        server.server_close()


def _gets(state: FakeLovdata) -> list[str]:
    return [p for p in state.requests if "/get/" in p]


def test_download_imports_then_skips_unchanged_archives(fake_lovdata, tmp_path: Path,  # noqa: ANN001
                                                        capsys: pytest.CaptureFixture) -> None:
    state, url = fake_lovdata
    db = str(tmp_path / "kb.sqlite")
    assert cli_main(["--db", db, "import", "--download", "--url", url, "-q", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["importert"] == 34
    assert sorted(_gets(state)) == sorted(f"/v1/publicData/get/{n}" for n in SERVED)
    store = Store.open_readonly(tmp_path / "kb.sqlite")
    recorded = {a["name"]: a for a in store.archives()}
    assert recorded["gjeldende-lover-utvalg.tar.bz2"]["remote_modified"] == "2026-05-02T01:31:00Z"
    assert store.document("lov/1999-03-26-17").source_archive == "gjeldende-lover-utvalg.tar.bz2"
    assert not list(tmp_path.glob(".nedlasting-*"))  # downloads are cleaned up

    state.requests.clear()
    assert cli_main(["--db", db, "import", "--download", "--url", url, "-q", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert _gets(state) == []  # nothing downloaded again
    assert second["uendret"] == 34 and second["importert"] == 0
    assert {a["status"] for a in second["arkiver"]} == {"uendret"}

    state.requests.clear()
    state.modified["gjeldende-sentrale-forskrifter-utvalg.tar.bz2"] = "2026-06-01T01:31:00Z"
    assert cli_main(["--db", db, "import", "--download", "--url", url, "-q", "--json"]) == 0
    third = json.loads(capsys.readouterr().out)
    assert _gets(state) == ["/v1/publicData/get/gjeldende-sentrale-forskrifter-utvalg.tar.bz2"]
    assert third["uendret"] == 34  # 33 from the skipped archive, 1 unchanged inside the new one


def test_download_only_selected_archives_and_keep_them(fake_lovdata, tmp_path: Path) -> None:  # noqa: ANN001
    state, url = fake_lovdata
    keep = tmp_path / "arkiver"
    code = cli_main(["--db", str(tmp_path / "kb.sqlite"), "import", "--download", "--url", url,
                     "--bare", "sentrale", "--last-ned-til", str(keep), "-q"])
    assert code == 0
    assert [p.name for p in keep.iterdir()] == ["gjeldende-sentrale-forskrifter-utvalg.tar.bz2"]
    assert Store.open_readonly(tmp_path / "kb.sqlite").counts()["dokumenter"] == 1


def test_list_that_is_an_html_page_is_an_environment_error(fake_lovdata, tmp_path: Path,  # noqa: ANN001
                                                           capsys: pytest.CaptureFixture) -> None:
    state, url = fake_lovdata
    state.list_body = b"<!DOCTYPE html><html><body>Vedlikehold</body></html>"
    with pytest.raises(DownloadError, match="HTML-side"):
        list_archives(url)
    code = cli_main(["--db", str(tmp_path / "kb.sqlite"), "import", "--download", "--url", url])
    assert code == 3
    assert "HTML-side" in capsys.readouterr().err
    assert not (tmp_path / "kb.sqlite").exists()


def test_archive_that_is_an_html_page_is_refused(fake_lovdata, tmp_path: Path,  # noqa: ANN001
                                                 capsys: pytest.CaptureFixture) -> None:
    state, url = fake_lovdata
    state.file_override["gjeldende-lover-utvalg.tar.bz2"] = (
        b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>")
    code = cli_main(["--db", str(tmp_path / "kb.sqlite"), "import", "--download", "--url", url,
                     "-q", "--json"])
    assert code == 2
    out = json.loads(capsys.readouterr().out)
    statuses = {a["navn"]: (a["status"], a["melding"]) for a in out["arkiver"]}
    status, message = statuses["gjeldende-lover-utvalg.tar.bz2"]
    assert status == "ikke_arkiv" and "HTML-side" in message
    assert out["importert"] == 1  # the other archive still imports


def test_unreachable_server_and_bad_url(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "kb.sqlite")
    assert cli_main(["--db", db, "import", "--download", "--url", "http://127.0.0.1:9/x"]) == 3
    assert "fikk ikke kontakt" in capsys.readouterr().err
    assert cli_main(["--db", db, "import", "--download", "--url", "file:///etc"]) == 3
    assert "http://" in capsys.readouterr().err
