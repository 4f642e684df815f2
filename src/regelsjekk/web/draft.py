"""The request being built: one state for every page, kept across page switches and reloads.

Streamlit forgets a widget's value when the page that draws it is not drawn (a page switch), and
forgets everything on a reload (a new session). So:

- every field of the Sjekk idé form has a fixed key (FIELDS, and per picked provision the keys
  made by `exemption_keys`); `remember()` runs first on every page and copies their values to a
  plain dict in session state (DRAFT_KEY), and `defaults()` gives a widget Streamlit dropped its
  value back from there when the form is drawn again;
- `sync_url()` runs last on every page and writes the draft, compactly encoded (JSON → zlib →
  base64url), to the `utkast` query parameter; `restore()` reads it back on a new session. The
  URL was chosen over browser storage because it needs no JavaScript component (nothing of the
  user's is ever handed to custom HTML/JS), survives a reload, and can be bookmarked or sent to a
  colleague. What it costs: the draft is visible in the address bar and the browser history;
- `apply_request()` fills the form from a request file ("Åpne utkast").
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from typing import Any

import streamlit as st

from regelsjekk.refs import resolve_citation
from regelsjekk.request.model import Aim, ApplicantKind, Effect, Request
from regelsjekk.web.i18n import LANG_KEY, LANGS, t

QUERY_KEY = "utkast"
PAGE_KEY = "side"
FORM_PAGE = "Sjekk idé"
DRAWN_KEY = "_drawn_page"  # the page the last run started to draw
DRAFT_KEY = "_draft"  # the form's values, outside any widget (Streamlit drops a widget's state
#                        when its page is not drawn)
# The form's fields and their defaults (the widgets get their values from session state only).
FIELDS: dict[str, Any] = {
    "title": "", "app_names": "", "app_kind": ApplicantKind.KOMMUNE, "purpose": "", "aims": [],
    "start": "", "years": 4.0, "ext": 0.0, "reform": "", "units": 1, "units_why": "",
    "evaluation": "", "cooperation": "", "reversible": False, "council": False, "hearing": False, "idea": "",
}
_PER_PROVISION = ("eff_", "rep_", "saf_")
_ENUMS = {"app_kind": ApplicantKind}


def exemption_keys(node_id: str) -> tuple[str, str, str]:
    """The keys of one picked provision's effect, replacement rule and safeguard."""
    return tuple(prefix + node_id for prefix in _PER_PROVISION)  # type: ignore[return-value]


def _form_key(key: str) -> bool:
    return key in FIELDS or key.startswith(_PER_PROVISION)


def remember() -> None:
    """Copy the form's values (the widgets' state, as the browser last sent it) to the draft.

    Run first on every page. Read only: a widget value assigned in code is pushed to the
    browser and would overwrite what the user is typing while the run is under way."""
    ss = st.session_state
    kept = ss.setdefault(DRAFT_KEY, {})
    for key in list(ss.keys()):
        if _form_key(key):
            kept[key] = ss[key]


def reseed() -> None:
    """On the first run of the form's page after another page: give every field its draft
    value again. The browser may still show a dropped widget's old state otherwise; nobody can
    be typing in a form that was not on screen, so assigning here overwrites nothing."""
    ss = st.session_state
    for key, value in ss.setdefault(DRAFT_KEY, {}).items():
        ss[key] = value


def defaults() -> None:
    """Give every field of the form a value before its widget is drawn: the draft's (a widget
    Streamlit dropped while another page was shown comes back with it), else the default."""
    ss = st.session_state
    kept = ss.setdefault(DRAFT_KEY, {})
    for key, value in FIELDS.items():
        if key not in ss:
            ss[key] = kept.get(key, list(value) if isinstance(value, list) else value)
    ss.setdefault("picked", [])
    for node_id in ss["picked"]:
        for key, default in zip(exemption_keys(node_id), (Effect.INGEN, "", "")):
            if key not in ss:
                ss[key] = kept.get(key, default)


# -- the draft as data -------------------------------------------------------------------------


def snapshot() -> dict:
    """The draft as plain JSON data: only what differs from the defaults."""
    ss = st.session_state
    out: dict[str, Any] = {}
    for key, default in FIELDS.items():
        value = ss.get(key, default)
        if value == default or value is None:
            continue
        if key == "aims":
            value = [a.value for a in value]
        elif key in _ENUMS:
            value = value.value
        out[key] = value
    picked = []
    for node_id in ss.get("picked", []):
        eff, rep, saf = exemption_keys(node_id)
        item = {"id": node_id}
        if ss.get(eff, Effect.INGEN) != Effect.INGEN:
            item["eff"] = ss[eff].value
        if ss.get(rep):
            item["rep"] = ss[rep]
        if ss.get(saf):
            item["saf"] = ss[saf]
        picked.append(item)
    if picked:
        out["picked"] = picked
    return out


def load_snapshot(data: dict) -> None:
    """Put a snapshot into session state (unknown keys and bad values are skipped)."""
    ss = st.session_state
    ss.pop(DRAFT_KEY, None)
    for key, default in FIELDS.items():
        if key not in data:
            continue
        value = data[key]
        try:
            if key == "aims":
                value = [Aim(v) for v in value]
            elif key in _ENUMS:
                value = _ENUMS[key](value)
            elif isinstance(default, bool):
                value = bool(value)
            elif isinstance(default, float):
                value = float(value)
            elif isinstance(default, int):
                value = int(value)
            elif isinstance(default, str):
                value = str(value)
        except (TypeError, ValueError):
            continue
        ss[key] = value
    picked: list[str] = []
    for item in data.get("picked") or []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        node_id = item["id"]
        picked.append(node_id)
        eff, rep, saf = exemption_keys(node_id)
        try:
            ss[eff] = Effect(item.get("eff", Effect.INGEN.value))
        except ValueError:
            ss[eff] = Effect.INGEN
        ss[rep] = str(item.get("rep") or "")
        ss[saf] = str(item.get("saf") or "")
    ss["picked"] = picked


def encode(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode(text: str) -> dict:
    """The snapshot in a query parameter; ValueError when it is not one of ours."""
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)),
                              bufsize=64 * 1024)
        data = json.loads(raw)
    except (ValueError, zlib.error) as exc:
        raise ValueError("utkastet i adressen kan ikke leses") from exc
    if not isinstance(data, dict):
        raise ValueError("utkastet i adressen kan ikke leses")
    return data


# -- the URL -----------------------------------------------------------------------------------


def restore(pages: list[str]) -> None:
    """On a new session, the page and the draft from the address (a reload keeps both)."""
    ss = st.session_state
    if ss.get("_restored"):
        return
    ss["_restored"] = True
    page = st.query_params.get(PAGE_KEY)
    if page in pages and PAGE_KEY not in ss:
        ss[PAGE_KEY] = page
    language = st.query_params.get(LANG_KEY)
    if language in LANGS and LANG_KEY not in ss:
        ss[LANG_KEY] = language
    text = st.query_params.get(QUERY_KEY)
    if text:
        try:
            load_snapshot(decode(text))
        except ValueError:
            ss["_draft_problem"] = True  # said by app.py, in the målform


def sync_url() -> None:
    """Write the page, the draft and nynorsk (bokmål is the default) to the address when they
    changed."""
    ss = st.session_state
    wanted = {}
    if ss.get(PAGE_KEY):
        wanted[PAGE_KEY] = ss[PAGE_KEY]
    if ss.get(LANG_KEY, LANGS[0]) != LANGS[0]:
        wanted[LANG_KEY] = ss[LANG_KEY]
    data = snapshot()
    if data:
        wanted[QUERY_KEY] = encode(data)
    current = {k: st.query_params.get(k) for k in (PAGE_KEY, LANG_KEY, QUERY_KEY)}
    if {k: v for k, v in current.items() if v} != wanted:
        st.query_params.from_dict(wanted)


# -- "Åpne utkast": a request file into the form -------------------------------------------------


def apply_request(request: Request, kb, today: dt.date | None = None) -> list[str]:
    """Fill the form from a request; returns Norwegian notes on what did not fit the form."""
    ss = st.session_state
    ss.pop(DRAFT_KEY, None)
    notes: list[str] = []
    kinds = {a.type for a in request.sokere}
    ss["title"] = request.tittel or ""
    ss["app_names"] = "\n".join(a.navn for a in request.sokere)
    ss["app_kind"] = request.sokere[0].type if request.sokere else ApplicantKind.KOMMUNE
    if len(kinds) > 1:
        notes.append(t("draft.mixed_kinds"))
    ss["purpose"] = request.formal or ""
    ss["aims"] = list(request.mal)
    period = request.periode
    ss["start"] = period.start.isoformat() if period and period.start else ""
    ss["years"] = float(period.varighet_ar) if period and period.varighet_ar else FIELDS["years"]
    ss["ext"] = float(period.forlengelse_ar) if period and period.forlengelse_ar else 0.0
    ss["reform"] = (period.reform or "") if period else ""
    ss["units"] = int(request.enheter) if request.enheter else FIELDS["units"]
    ss["units_why"] = request.enheter_begrunnelse or ""
    ss["evaluation"] = request.evaluering or ""
    ss["cooperation"] = request.samarbeid or ""
    ss["reversible"] = bool(request.reversibel)
    ss["council"] = bool(request.vedtak_kommunestyre)
    ss["hearing"] = bool(request.horing)
    picked: list[str] = []
    for ex in request.unntak:
        for citation in ex.bestemmelser:
            res = resolve_citation(citation, kb, today=today)
            if not res.ok or not res.ids:
                why = "; ".join(res.messages) or t("draft.not_found")
                notes.append(t("draft.not_added", citation=citation, why=why))
                continue
            for node_id in res.ids:
                if node_id in picked:
                    continue
                picked.append(node_id)
                eff, rep, saf = exemption_keys(node_id)
                ss[eff] = ex.virkning or Effect.INGEN
                ss[rep] = ex.erstatning or ""
                ss[saf] = ex.rettssikkerhet or ""
    ss["picked"] = picked
    if request.merknad:
        notes.append(t("draft.note_dropped"))
    return notes
