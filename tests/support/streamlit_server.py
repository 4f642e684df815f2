"""One real Streamlit server for the browser tests: started on a free loopback port, waited for,
stopped; and a runner that adds the server's log to a failing test's message."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
# Screenshots go to tests/artifacts (make test leaves the tree clean); REGELSJEKK_SCREENSHOTS=
# docs/screenshots refreshes the ones the README shows.
SHOTS = Path(os.environ.get("REGELSJEKK_SCREENSHOTS") or ROOT / "tests" / "artifacts" / "screenshots")


@contextmanager
def app_page(url: str | None = None) -> Iterator:
    """A Chromium page (on `url` when given) with the browser tests' settings: expectations wait
    up to 60 s (a cold start on a busy 2-core machine takes seconds), the screenshot folder
    exists; the browser is closed afterwards."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, page = browser_page(p)
        try:
            if url is not None:
                page.goto(url)
            yield page
        finally:
            browser.close()


def browser_page(p):  # noqa: ANN001, ANN201 - playwright objects
    """Debian's Chromium, headless, one 1400×1000 page with downloads and a 60 s timeout."""
    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(60_000)
    return browser, page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` on 127.0.0.1 with REGELSJEKK_DB=db: (url, process)."""
    port = free_port()
    env = dict(os.environ, REGELSJEKK_DB=str(db))
    # The log goes to a file, not a pipe: nobody reads a pipe while the tests run (a full one
    # would block the server), and a failing test can read the file without stopping the server
    # the module's other tests still use.
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log.name  # type: ignore[attr-defined]
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        proc.wait(timeout=10)
        pytest.fail("Streamlit-serveren startet ikke: " + _log_tail(proc, 2000))
    try:
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        Path(proc.log_path).unlink(missing_ok=True)


def _log_tail(proc: subprocess.Popen, size: int = 4000) -> str:
    try:
        return Path(proc.log_path).read_bytes()[-size:].decode(errors="replace")
    except OSError:
        return "(ingen logg)"


def run_with_log(server: tuple[str, subprocess.Popen], body: Callable[[str], None]) -> None:
    """body(url); on failure, the server's last log lines join the assertion message."""
    url, proc = server
    try:
        body(url)
    except Exception as exc:
        state = "kjører" if proc.poll() is None else f"stoppet med kode {proc.returncode}"
        raise AssertionError(f"{exc}\n--- serverlogg (serveren {state}) ---\n"
                             f"{_log_tail(proc)}") from exc
