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
    st.markdown(f"**Data:** {md_escape(kb.data_note())}.")
    rows = [{"": "Kilde", "Verdi": "Importert fra Lovdata" if kb.has_import
             else "Innebygd (uten lovtekst)"},
            {"": "Lover og forskrifter", "Verdi": str(docs)},
            {"": "Regelversjon (innholdet i rules/)",
             "Verdi": kb.rulebook.version if kb.rulebook is not None else "ukjent"}]
    store = next((s for s in kb.sources if hasattr(s, "archives")), None) if kb.has_import else None
    if store is not None:
        counts = store.counts()
        names = {"dokumenter": "Dokumenter i importen", "versjoner_satt_til_side":
                 "Eldre versjoner", "noder": "Deler (kapitler, §§, ledd …)",
                 "henvisninger": "Henvisninger"}
        rows += [{"": names.get(k, k), "Verdi": str(v)} for k, v in counts.items()]
    html_table(rows, alt="Hva kunnskapsbasen inneholder")
    if store is not None:
        archives = store.archives()
        if archives:
            st.subheader("Arkiver fra Lovdata")
            html_table([{"Arkiv": a["name"], "Status": a.get("status") or "",
                         "Dokumenter": str(a.get("documents") or 0),
                         "Importert": (a.get("imported_at") or "")[:16].replace("T", " "),
                         "Endret hos Lovdata": a.get("remote_modified") or ""} for a in archives],
                       alt="Arkivene kunnskapsbasen er importert fra")
    else:
        st.info("Appen svarer fra den innebygde kunnskapsbasen: lovenes struktur, overskrifter og "
                "våre merknader, men ikke lovteksten og ikke biblioteket av tidligere forsøk. "
                + ("Bruk knappen under for å hente Lovdatas data." if is_admin() else
                   "Be administratoren importere Lovdata-data for full lovtekst."))


@st.fragment(run_every=2)
def _import_status() -> None:
    job = import_job()
    if job.proc is None:
        return
    progress = job.tail()
    if job.running:
        with st.status(f"Importen pågår ({time.time() - job.started:.0f} s) …", state="running",
                       expanded=True):
            st.code(progress or "Starter …", language=None)
        return
    if job.ended is None:
        job.ended = time.time()
    ok = job.proc.returncode == 0
    label = ("Importen er ferdig." if ok else
             f"Importen stoppet (kode {job.proc.returncode}); den gamle kunnskapsbasen er urørt.")
    with st.status(label, state="complete" if ok else "error", expanded=True):
        st.code(progress or "(ingen utskrift)", language=None)
    if ok and st.button("Bruk de nye dataene", key="reload_kb",
                        help="Laster kunnskapsbasen på nytt for alle brukere av appen."):
        load_kb.clear()
        st.rerun(scope="app")


def _admin() -> None:
    st.subheader("Hent nye data (administrator)")
    st.caption(f"Laster ned Lovdatas offentlige arkiver og importerer dem til "
               f"{md_escape(str(paths.default_store_path()))}. Uendrede arkiver hoppes over. "
               "Appen kan brukes mens importen går.")
    job = import_job()
    if st.button("Last ned og importer Lovdata-data", disabled=job.running, key="start_import"):
        if not job.start():
            st.info("En import pågår allerede.")
    _import_status()


def page() -> None:
    kb = get_kb()
    st.header("Kunnskapsbase")
    _overview(kb)
    if is_admin():
        _admin()
