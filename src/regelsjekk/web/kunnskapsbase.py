"""Kunnskapsbase: what law data the app answers from, and how new it is; for an administrator
(REGELSJEKK_ADMIN=1), a button that downloads and imports Lovdata's public data.

The import runs as `regelsjekk import --download` in a child process (the server stays
responsive); its progress lines (lovdata.summary.Progress, "Laster ned …") go to a log file the
page reads every two seconds. One import at a time per server process. Users never see a
terminal command here: without the admin flag the page says whom to ask.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from regelsjekk.core import paths
from regelsjekk.web.common import get_kb, html_table, load_kb, md_escape
from regelsjekk.web.i18n import MESSAGES, page_name, t

ADMIN_ENV = "REGELSJEKK_ADMIN"
TAIL = 12  # progress lines shown


def is_admin() -> bool:
    return os.environ.get(ADMIN_ENV, "").strip() in ("1", "ja", "true")


@dataclass
class ImportJob:
    """The import child process and its log (shared by every session of this server)."""

    proc: subprocess.Popen | None = None
    log: Path | None = None
    started: float = 0.0
    ended: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> bool:
        """Start `regelsjekk import --download`; False when one is already running."""
        with self.lock:
            if self.running:
                return False
            fd, name = tempfile.mkstemp(prefix="regelsjekk-import-", suffix=".log")
            self.log = Path(name)
            env = dict(os.environ, PYTHONUNBUFFERED="1")
            src = str(Path(__file__).resolve().parents[2])  # the sources this server runs on
            env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
            with os.fdopen(fd, "wb") as out:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "regelsjekk.cli.main", "import", "--download"],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                    start_new_session=True)
            self.started, self.ended = time.time(), None
            return True

    def tail(self, lines: int = TAIL) -> str:
        if self.log is None or not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
        return "\n".join([ln for ln in text.splitlines() if ln.strip()][-lines:])


@st.cache_resource
def import_job() -> ImportJob:
    return ImportJob()


def _overview(kb) -> None:
    docs = kb.document_count()
    st.markdown(f"{t('kbp.data')}{md_escape(kb.data_note())}.")
    value = t("kbp.value")
    rows = [{"": t("kbp.source"), value: t("kbp.imported" if kb.has_import else "kbp.builtin")},
            {"": t("kbp.docs"), value: str(docs)},
            {"": t("kbp.rules"),
             value: kb.rulebook.version if kb.rulebook is not None else t("kbp.unknown")}]
    store = next((s for s in kb.sources if hasattr(s, "archives")), None) if kb.has_import else None
    if store is not None:
        counts = store.counts()
        rows += [{"": t(f"kbp.count.{k}") if f"kbp.count.{k}" in MESSAGES else k, value: str(v)}
                 for k, v in counts.items()]
    html_table(rows, alt=t("kbp.alt"))
    if store is not None:
        archives = store.archives()
        if archives:
            st.subheader(t("kbp.archives"))
            html_table([{t("col.Arkiv"): a["name"], t("col.status"): a.get("status") or "",
                         t("col.Dokumenter"): str(a.get("documents") or 0),
                         t("col.Importert"): (a.get("imported_at") or "")[:16].replace("T", " "),
                         t("col.Endret hos Lovdata"): a.get("remote_modified") or ""} for a in archives],
                       alt=t("kbp.archives.alt"))
    else:
        st.info(t("kbp.builtin_info") + t("kbp.use_button" if is_admin() else "kbp.ask_admin"))


@st.fragment(run_every=2)
def _import_status() -> None:
    job = import_job()
    if job.proc is None:
        return
    progress = job.tail()
    if job.running:
        with st.status(t("kbp.running", s=f"{time.time() - job.started:.0f}"), state="running",
                       expanded=True):
            st.code(progress or t("kbp.starting"), language=None)
        return
    if job.ended is None:
        job.ended = time.time()
    ok = job.proc.returncode == 0
    label = t("kbp.done") if ok else t("kbp.failed", code=job.proc.returncode)
    with st.status(label, state="complete" if ok else "error", expanded=True):
        st.code(progress or t("kbp.no_output"), language=None)
    if ok and st.button(t("kbp.reload"), key="reload_kb", help=t("kbp.reload.help")):
        load_kb.clear()
        st.rerun(scope="app")


def _admin() -> None:
    st.subheader(t("kbp.admin"))
    st.caption(t("kbp.admin.help", path=md_escape(str(paths.default_store_path()))))
    job = import_job()
    if st.button(t("kbp.start_import"), disabled=job.running, key="start_import"):
        if not job.start():
            st.info(t("kbp.already"))
    _import_status()


def page() -> None:
    kb = get_kb()
    st.header(page_name("Kunnskapsbase"))
    _overview(kb)
    if is_admin():
        _admin()
