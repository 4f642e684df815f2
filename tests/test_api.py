"""The HTTP API (regelsjekk.api) in-process through FastAPI's TestClient, on the built-in knowledge
base (REGELSJEKK_DB points at a file that does not exist, as on a fresh machine): every endpoint
against the CLI's own output, every error path, the limits, and the OpenAPI document. One test
starts the real server (`regelsjekk serve`) on 127.0.0.1 in a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from regelsjekk import cli
from regelsjekk.api import app as api_app
from regelsjekk.api.app import create_app, negotiate
from regelsjekk.api.problems import ApiProblem
from regelsjekk.api.settings import Settings
from regelsjekk.check.verdict import report_schema
from regelsjekk.request.errors import DslError
from regelsjekk.request.load import json_schema

pytestmark = pytest.mark.api

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.forsok"))
STEINKJER = REPO / "examples" / "steinkjer-skiltmyndighet.forsok"
PROBLEM = "application/problem+json"
BROKEN = 'søknad "Prøve"\n  søker: Grong kommune (kommune)\n  formaal: noe\nslutt\n'


@pytest.fixture(scope="module")
def no_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("kb") / "ingen.sqlite")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGELSJEKK_DB", path)
        yield path


@pytest.fixture(scope="module")
def client(no_store: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=no_store))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _app_client(no_store: str, **limits: object) -> TestClient:
    """A client over an app with its own limits (warm=False: the built-in base opens in ~1 s)."""
    return TestClient(create_app(Settings(db=no_store, warm=False, **limits)),
                      raise_server_exceptions=False)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == status and body["type"].startswith("https://regelsjekk.no/problem/")
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


# -- POST /v1/sjekk --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_sjekk_gives_exactly_the_clis_json(client: TestClient, path: Path, no_store: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "--db", no_store, "sjekk", str(path), "-f", "json", "-q")
    r = client.post("/v1/sjekk", params={"navn": str(path)}, content=path.read_bytes(),
                    headers={"Content-Type": "text/plain; charset=utf-8"})
    if code == 2:  # the CLI found errors: the API gives the same ones, and the same reports
        body = _problem(r, 422)
        entries = json.loads(out)
        assert [e["rapport"] for e in entries if "rapport" in e] == body["rapporter"]
        assert [DslError(**e).render() for e in body["feil"]] == \
            [f for e in entries for f in e.get("feil", [])]
        return
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.text == out
    assert r.headers["Regelsjekk-Utfall"] == json.loads(out)["verdict"]


def test_most_examples_give_reports_on_the_builtin_base(client: TestClient) -> None:
    """So that the comparison above compares reports, not only error lists (one example cites a
    law the built-in base does not hold)."""
    codes = [client.post("/v1/sjekk", content=p.read_bytes(),
                         headers={"Content-Type": "text/plain"}).status_code for p in EXAMPLES]
    assert codes.count(200) >= len(EXAMPLES) - 2 and set(codes) <= {200, 422}


def test_sjekk_json_form_gives_the_same_report_as_the_text(
        client: TestClient, no_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, form, _ = _cli(capsys, "--db", no_store, "fmt", "--json", str(STEINKJER))
    assert code == 0
    as_text = client.post("/v1/sjekk", content=STEINKJER.read_bytes(),
                          headers={"Content-Type": "text/plain"})
    as_json = client.post("/v1/sjekk", content=form.encode(),
                          headers={"Content-Type": "application/json"})
    assert as_json.status_code == 200, as_json.text
    assert _without_places(as_json.json()) == _without_places(as_text.json())


def _without_places(node: object) -> object:
    """A report without where things were written (JSON has pointers, not lines)."""
    if isinstance(node, dict):
        return {k: _without_places(v) for k, v in node.items()
                if k not in ("line", "column", "file")}
    if isinstance(node, list):
        return [_without_places(v) for v in node]
    return node


@pytest.mark.parametrize(("query", "accept", "media", "fmt"), [
    ("?format=md", None, "text/markdown; charset=utf-8", "md"),
    ("?format=html", None, "text/html; charset=utf-8", "html"),
    ("?format=text", None, "text/plain; charset=utf-8", "text"),
    ("?format=forskrift", None, "text/plain; charset=utf-8", "forskrift"),
    ("", "text/markdown", "text/markdown; charset=utf-8", "md"),
    ("", "text/html;q=0.9, text/markdown;q=0.5", "text/html; charset=utf-8", "html"),
    ("?format=json", "text/html", "application/json", "json"),
])
def test_sjekk_other_formats_are_the_clis(client: TestClient, no_store: str, query: str,
                                          accept: str | None, media: str, fmt: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _cli(capsys, "--db", no_store, "sjekk", str(STEINKJER), "-f", fmt, "-q",
                     "--ingen-farge") if fmt == "text" else \
        _cli(capsys, "--db", no_store, "sjekk", str(STEINKJER), "-f", fmt, "-q")
    headers = {"Content-Type": "text/plain", **({"Accept": accept} if accept else {})}
    r = client.post("/v1/sjekk" + query, content=STEINKJER.read_bytes(), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == media
    assert r.text == out


def test_sjekk_word_is_a_docx_with_the_verdict(client: TestClient) -> None:
    import io

    import docx

    r = client.post("/v1/sjekk?format=docx", content=STEINKJER.read_bytes(),
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "Steinkjer" in text and "Svar:" in text


def test_sjekk_unknown_format_and_media_types(client: TestClient) -> None:
    body = STEINKJER.read_bytes()
    _problem(client.post("/v1/sjekk", content=body, headers={"Accept": "image/png",
                                                             "Content-Type": "text/plain"}), 406)
    _problem(client.post("/v1/sjekk", content=body, headers={"Content-Type": "image/png"}), 415)
    bad = _problem(client.post("/v1/sjekk?format=pdf", content=body,
                               headers={"Content-Type": "text/plain"}), 422)
    assert bad["feil"][0]["pointer"] == "?format" and "må være en av" in bad["feil"][0]["message"]


def test_sjekk_errors_are_the_clis_with_line_column_expected_and_hint(
        client: TestClient, tmp_path: Path, no_store: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "soknad.forsok"
    broken.write_text(BROKEN, encoding="utf-8")
    _, _, err = _cli(capsys, "--db", no_store, "sjekk", str(broken), "-f", "json")
    r = client.post("/v1/sjekk?navn=soknad.forsok", content=BROKEN.encode(),
                    headers={"Content-Type": "text/plain"})
    body = _problem(r, 422)
    first = body["feil"][0]
    assert first["code"] == "ukjent_felt"
    assert (first["line"], first["column"]) == (3, 3)
    assert first["hint"] == "mente du «formål»?" and first["expected"]
    assert "^" in first["context"]
    # the same words as the CLI prints on stderr (its file name is the path)
    assert body["tekst"].replace("soknad.forsok", str(broken)) in err
    assert body["detail"].startswith("soknad.forsok:3:3: ")


def test_sjekk_unknown_citation_is_422_with_suggestion(client: TestClient) -> None:
    text = STEINKJER.read_text(encoding="utf-8")
    text = re.sub(r"unntak [^\n]*", "unntak kommunelovenn § 19-1", text, count=1)
    body = _problem(client.post("/v1/sjekk", content=text.encode(),
                                headers={"Content-Type": "text/plain"}), 422)
    assert body["feil"][0]["code"] == "ukjent_bestemmelse"
    assert "kommuneloven" in (body["feil"][0]["hint"] or "") + body["feil"][0]["message"]


def test_sjekk_unreadable_bodies_are_400(client: TestClient) -> None:
    bad_json = _problem(client.post("/v1/sjekk", content=b'{"tittel": "x",\n  "sokere": [}',
                                    headers={"Content-Type": "application/json"}), 400)
    e = bad_json["feil"][0]
    assert e["code"] == "json_syntaks" and (e["line"], e["column"]) == (2, 14)
    latin1 = _problem(client.post("/v1/sjekk", content='søknad "Prøve"'.encode("latin-1"),
                                  headers={"Content-Type": "text/plain"}), 400)
    assert latin1["feil"][0]["code"] == "ikke_utf8" and latin1["feil"][0]["column"] == 2
    empty = _problem(client.post("/v1/sjekk", content=b"",
                                 headers={"Content-Type": "text/plain"}), 422)
    assert empty["feil"][0]["code"] == "ingen_soknad"


def test_sjekk_date_parameter(client: TestClient) -> None:
    r = client.post("/v1/sjekk?dato=2025-01-01", content=STEINKJER.read_bytes(),
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 200 and r.json()["law_as_of"] == "2025-01-01"
    bad = _problem(client.post("/v1/sjekk?dato=2025-02-30", content=STEINKJER.read_bytes(),
                               headers={"Content-Type": "text/plain"}), 422)
    assert "ÅÅÅÅ-MM-DD" in bad["feil"][0]["message"]


# -- POST /v1/sjekk/batch --------------------------------------------------------------------------


def test_batch_reports_and_errors_per_request(client: TestClient, no_store: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, form, _ = _cli(capsys, "--db", no_store, "fmt", "--json", str(STEINKJER))
    single = client.post("/v1/sjekk", content=STEINKJER.read_bytes(),
                         headers={"Content-Type": "text/plain"}).json()
    r = client.post("/v1/sjekk/batch", json={"soknader": [
        {"navn": "steinkjer.forsok", "tekst": STEINKJER.read_text(encoding="utf-8")},
        {"soknad": json.loads(form)},
        {"navn": "feil.forsok", "tekst": BROKEN},
        {"tekst": "x", "soknad": {}},
    ]})
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["antall"], data["ok"], data["med_feil"]) == (4, 2, 2)
    ok, as_json, broken, both = data["resultater"]
    assert ok["status"] == 200 and ok["rapporter"] == [single] and ok["navn"] == "steinkjer.forsok"
    assert ok["utfall"] == [single["verdict"]]
    assert as_json["status"] == 200
    assert [_without_places(r) for r in as_json["rapporter"]] == [_without_places(single)]
    assert broken["status"] == 422 and broken["feil"][0]["code"] == "ukjent_felt"
    assert broken["rapporter"] == []
    assert both["status"] == 400 and both["feil"][0]["pointer"] == "/soknader/3"


def test_batch_limit_and_body_validation(no_store: str) -> None:
    with _app_client(no_store, max_batch=2) as c:
        body = _problem(c.post("/v1/sjekk/batch", json={"soknader": [{"tekst": "x"}] * 3}), 422)
        assert "Høyst 2 søknader" in body["detail"]
        bad = _problem(c.post("/v1/sjekk/batch", json={"soknad": []}), 422)
        assert {e["pointer"] for e in bad["feil"]} == {"/soknader", "/soknad"}
        assert {e["code"] for e in bad["feil"]} == {"json_ugyldig", "json_ukjent_felt"}
        syntax = _problem(c.post("/v1/sjekk/batch", content=b'{"soknader": [',
                                 headers={"Content-Type": "application/json"}), 400)
        assert syntax["feil"][0]["code"] == "json_syntaks"


# -- forslag, oppslag, presedens, skjema, status ---------------------------------------------------

IDEA = "Vi vil prøve vurdering uten karakterer på 8. trinn"


def test_forslag_is_the_clis_json(client: TestClient, no_store: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _cli(capsys, "--db", no_store, "forslag", IDEA, "--json", "--antall", "4")
    r = client.post("/v1/forslag", json={"beskrivelse": IDEA, "antall": 4})
    assert r.status_code == 200 and r.text == out
    assert len(r.json()["forslag"]) == 4


def test_forslag_bad_bodies(client: TestClient) -> None:
    empty = _problem(client.post("/v1/forslag", json={"beskrivelse": "   "}), 422)
    assert empty["feil"][0]["pointer"] == "/beskrivelse"
    bad = _problem(client.post("/v1/forslag", json={"beskrivelse": 3, "antall": 0, "x": 1}), 422)
    messages = {e["pointer"]: e["message"] for e in bad["feil"]}
    assert messages == {"/beskrivelse": "«beskrivelse»: må være tekst",
                        "/antall": "«antall»: må være minst 1", "/x": "«x»: ukjent felt"}
    missing = _problem(client.post("/v1/forslag", json={}), 422)
    assert missing["feil"][0]["message"] == "«beskrivelse»: mangler"


@pytest.mark.parametrize("query", ["kl. § 19-1 (2)", "lov/2018-06-22-83/§19-1/ledd/2"])
def test_oppslag_and_bestemmelser_are_the_clis_json(client: TestClient, no_store: str,
                                                    query: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _cli(capsys, "--db", no_store, "slå-opp", query, "--json")
    r = client.get("/v1/oppslag", params={"q": query})
    assert r.status_code == 200 and r.text == out
    if query.startswith("lov/"):
        by_id = client.get("/v1/bestemmelser/" + query)
        assert by_id.status_code == 200 and by_id.text == out
        assert by_id.json()["provisions"][0]["id"] == query
        assert by_id.json()["provisions"][0]["neighbourhood"]["edges"]


def test_oppslag_not_found_is_404_with_suggestions(client: TestClient) -> None:
    body = _problem(client.get("/v1/oppslag", params={"q": "kommunelovenn § 19-1"}), 404)
    assert "kommuneloven" in body["detail"] and body["forslag"]
    _problem(client.get("/v1/bestemmelser/lov/1900-01-01-1/§1"), 404)
    _problem(client.get("/v1/oppslag"), 422)


def test_presedens(client: TestClient, no_store: str,
                   capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _cli(capsys, "--db", no_store, "presedens", "vegtrafikkloven § 6", "--json")
    r = client.get("/v1/presedens", params={"q": "vegtrafikkloven § 6"})
    assert r.status_code == 200 and r.text == out
    by_id = client.get("/v1/presedens", params={"id": "lov/1965-06-18-4/§6"})
    assert by_id.status_code == 200 and by_id.json()["provisions"] == ["lov/1965-06-18-4/§6"]
    _problem(client.get("/v1/presedens", params={"id": "lov/1900-01-01-1/§1"}), 404)
    _problem(client.get("/v1/presedens", params={"q": "finnesikkeloven § 1"}), 404)
    _problem(client.get("/v1/presedens"), 422)
    _problem(client.get("/v1/presedens", params={"q": "x", "id": "y"}), 422)


def test_schemas_and_status(client: TestClient) -> None:
    assert client.get("/v1/skjema/request").json() == json_schema()
    assert client.get("/v1/skjema/report").json() == report_schema()
    status = client.get("/v1/status").json()
    assert status["importert"] is False and status["data"].startswith("Innebygd kunnskapsbase")
    assert len(status["regler"]["hash"]) == 16 and status["regler"]["filer"] > 50
    assert status["antall"]["dokumenter"] > 40 and status["antall"]["forsokshjemler"] > 5
    assert status["grenser"] == {"maks_kropp_bytes": 512 * 1024, "maks_batch": 100,
                                 "maks_samtidige_per_klient": 16, "tidsgrense_sekunder": 30.0,
                                 "direkte_maks_kropp_bytes": 4096}
    assert status["arbeider"]["pid"] == os.getpid() and status["arbeider"]["minne_rss_kib"] > 0


def test_openapi_validates_and_names_the_library_models(client: TestClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/v1/openapi.json").json()
    validate(spec)
    schemas = spec["components"]["schemas"]
    for name in ("Report", "Suggestion", "RouteSuggestion", "LookupResult", "PrecedentListing",
                 "DslError", "Problem", "ServiceStatus", "BatchResponse", "Forsokssoknad",
                 "SoknadEllerListe"):
        assert name in schemas, name
    paths = spec["paths"]
    assert set(paths) >= {"/v1/sjekk", "/v1/sjekk/batch", "/v1/forslag",
                          "/v1/bestemmelser/{node_id}", "/v1/oppslag", "/v1/presedens",
                          "/v1/skjema/request", "/v1/skjema/report", "/v1/status"}
    body = paths["/v1/sjekk"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/SoknadEllerListe"}
    assert "text/plain" in body
    assert client.get("/v1/docs").status_code == 200


def test_unknown_path_and_method_are_problems(client: TestClient) -> None:
    assert _problem(client.get("/v1/finnes-ikke"), 404)["title"] == "Finnes ikke"
    _problem(client.get("/v1/sjekk"), 405)


def test_negotiate() -> None:
    assert negotiate(None, None) == "json"
    assert negotiate(None, "*/*") == "json"
    assert negotiate(None, "text/html, application/json;q=0.5") == "html"
    assert negotiate(None, "text/markdown;q=0, text/plain") == "text"
    assert negotiate("md", "text/html") == "md"
    with pytest.raises(ApiProblem):
        negotiate(None, "application/pdf")


# -- limits, time-outs, the catch-all, CORS --------------------------------------------------------


def test_body_limit_is_413_with_and_without_content_length(no_store: str) -> None:
    big = b"# " + b"x" * 3000 + b"\n"
    with _app_client(no_store, max_body=2048) as c:
        declared = _problem(c.post("/v1/sjekk", content=big,
                                   headers={"Content-Type": "text/plain"}), 413)
        assert "2 KiB" in declared["detail"]
        streamed = _problem(c.post("/v1/sjekk", content=iter([big[:1500], big[1500:]]),
                                   headers={"Content-Type": "text/plain"}), 413)
        assert streamed["type"].endswith("/for-stor")
        assert c.post("/v1/sjekk", content=STEINKJER.read_bytes()[:2000],
                      headers={"Content-Type": "text/plain"}).status_code in (200, 422)


def _slow(seconds: float, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make every check take `seconds`; the event is set when one has started."""
    real = api_app.check_source
    started = threading.Event()

    def slow(*args: object, **kwargs: object) -> object:
        started.set()
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(api_app, "check_source", slow)
    return started


def test_per_client_concurrency_is_429(no_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _slow(1.0, monkeypatch)
    with _app_client(no_store, per_client=1, inline_max_body=0) as c:  # every check in a thread
        first: dict[str, int] = {}
        t = threading.Thread(target=lambda: first.setdefault("status", c.post(
            "/v1/sjekk", content=STEINKJER.read_bytes(),
            headers={"Content-Type": "text/plain"}).status_code))
        t.start()
        assert started.wait(10)  # the first request is being worked on
        second = c.post("/v1/sjekk", content=STEINKJER.read_bytes(),
                        headers={"Content-Type": "text/plain"})
        t.join()
        body = _problem(second, 429)
        assert second.headers["Retry-After"] == "1" and "1 forespørsler" in body["detail"]
        assert first["status"] == 200
        # and once the first is answered, the client may send again
        assert c.get("/v1/status").status_code == 200


def test_time_out_is_503(no_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _slow(1.5, monkeypatch)
    with _app_client(no_store, timeout=0.3, inline_max_body=0) as c:
        t = time.perf_counter()
        r = c.post("/v1/sjekk", content=STEINKJER.read_bytes(),
                   headers={"Content-Type": "text/plain"})
        assert time.perf_counter() - t < 1.2
        body = _problem(r, 503)
        assert r.headers["Retry-After"] == "5" and "0.3 s" in body["detail"]


def test_small_requests_are_checked_on_the_event_loop_larger_in_a_thread_with_the_time_limit(
        no_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to inline_max_body bytes: checked directly (no thread hop); above it: in a worker thread,
    where the time limit holds."""
    real = api_app.check_source
    on_loop: list[bool] = []

    def spy(*args: object, **kwargs: object) -> object:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:  # a worker thread has no running loop
            on_loop.append(False)
        return real(*args, **kwargs)

    monkeypatch.setattr(api_app, "check_source", spy)
    small = STEINKJER.read_bytes()
    large = small + b"#" + b" " * (2 * len(small)) + b"\n"  # a comment: the same report
    text = {"Content-Type": "text/plain"}
    with _app_client(no_store, inline_max_body=len(small)) as c:
        answers = [c.post("/v1/sjekk", content=body, headers=text) for body in (small, large)]
        assert [r.status_code for r in answers] == [200, 200]
        assert answers[0].content == answers[1].content
        assert on_loop == [True, False]
        assert c.get("/v1/status").json()["grenser"]["direkte_maks_kropp_bytes"] == len(small)
        on_loop.clear()
        assert c.post("/v1/sjekk?format=docx", content=small,
                      headers=text).status_code == 200  # Word: always in a thread
        assert on_loop == [False]
    time_limited = _slow(1.5, monkeypatch)
    with _app_client(no_store, timeout=0.3, inline_max_body=len(small)) as c:
        r = c.post("/v1/sjekk", content=large, headers=text)
        assert time_limited.is_set()
        _problem(r, 503)


def test_internal_error_is_500_without_a_trace(no_store: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("hemmelig intern detalj")

    monkeypatch.setattr(api_app, "check_source", boom)
    with _app_client(no_store) as c:
        r = c.post("/v1/sjekk", content=STEINKJER.read_bytes(),
                   headers={"Content-Type": "text/plain"})
        body = _problem(r, 500)
        assert "hemmelig" not in r.text and "RuntimeError" not in r.text
        assert body["title"] == "Intern feil"
        batch = c.post("/v1/sjekk/batch", json={"soknader": [{"tekst": "x"}]}).json()
        assert batch["resultater"][0]["status"] == 500 and "hemmelig" not in json.dumps(batch)


def test_cors_is_off_by_default_and_on_for_named_origins(client: TestClient,
                                                         no_store: str) -> None:
    origin = {"Origin": "https://saksbehandling.example.no"}
    assert "access-control-allow-origin" not in client.get("/v1/status", headers=origin).headers
    with _app_client(no_store, cors_origins=("https://saksbehandling.example.no",)) as c:
        r = c.get("/v1/status", headers=origin)
        assert r.headers["access-control-allow-origin"] == origin["Origin"]


def test_settings_from_env() -> None:
    s = Settings.from_env({"REGELSJEKK_DB": "/x.sqlite", "REGELSJEKK_API_MAX_BODY": "1024",
                           "REGELSJEKK_API_CORS": "https://a.no, https://b.no",
                           "REGELSJEKK_API_TIMEOUT": "2.5", "REGELSJEKK_API_INLINE_MAX_BODY": "0"})
    assert (s.db, s.max_body, s.timeout, s.cors_origins, s.inline_max_body) == (
        "/x.sqlite", 1024, 2.5, ("https://a.no", "https://b.no"), 0)
    assert Settings.from_env(s.to_env()) == s
    with pytest.raises(ValueError, match="REGELSJEKK_API_PER_CLIENT"):
        Settings.from_env({"REGELSJEKK_API_PER_CLIENT": "mange"})
    with pytest.raises(ValueError, match="REGELSJEKK_API_INLINE_MAX_BODY må være 0 eller"):
        Settings.from_env({"REGELSJEKK_API_INLINE_MAX_BODY": "-1"})


def test_no_request_builds_an_index(client: TestClient) -> None:
    """Warm-up built every derived structure: a round of requests adds none."""
    kb = client.app.state.kb
    before = set(kb._derived)
    assert {"forslag", "trials"} <= before and kb._graph is not None
    client.post("/v1/sjekk", content=STEINKJER.read_bytes(), headers={"Content-Type": "text/plain"})
    client.post("/v1/forslag", json={"beskrivelse": IDEA})
    client.get("/v1/oppslag", params={"q": "opplæringslova § 2-3"})
    client.get("/v1/presedens", params={"q": "kommuneloven § 19-1"})
    assert set(kb._derived) == before


# -- the real server -------------------------------------------------------------------------------


@pytest.mark.process
def test_serve_starts_answers_and_stops(tmp_path: Path, no_store: str) -> None:
    env = {**os.environ, "REGELSJEKK_DB": no_store, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(REPO / "src")}
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "regelsjekk.cli.main", "serve", "--port", "0",
                             "--host", "127.0.0.1", "--workers", "1"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        base = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            text = (tmp_path / "serve.log").read_text()
            m = re.search(r"lytter på (http://127\.0\.0\.1:\d+)", text)
            if m and "Application startup complete" in text:
                base = m.group(1)
                break
            time.sleep(0.2)
        assert base, (tmp_path / "serve.log").read_text()
        with urllib.request.urlopen(base + "/v1/status", timeout=10) as r:
            status = json.loads(r.read())
        assert status["importert"] is False and status["arbeider"]["pid"] != proc.pid
        req = urllib.request.Request(base + "/v1/sjekk", data=STEINKJER.read_bytes(),
                                     headers={"Content-Type": "text/plain"}, method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200 and json.loads(r.read())["title"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        log.close()
    assert code == 0, (tmp_path / "serve.log").read_text()
    assert "Stopping parent process" in (tmp_path / "serve.log").read_text()
