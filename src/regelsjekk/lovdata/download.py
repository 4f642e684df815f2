"""Fetch Lovdata's public archives: GET {base}/list (JSON), GET {base}/get/<filename>.

The list gives filename, sizeBytes and lastModified per archive; an archive whose name, size and
lastModified match what the store recorded at its last import is not downloaded again.
Downloads stream to a .part file and are renamed only when complete and of the announced size.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from regelsjekk.core.errors import RegelsjekkError

DEFAULT_BASE_URL = "https://api.lovdata.no/v1/publicData"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3
# Lovdata's list is ~20 entries, a few kB: a list past these is not Lovdata's (issue 19).
MAX_LIST_BYTES = 1024 * 1024
MAX_LIST_ENTRIES = 1000
MAX_MODIFIED_CHARS = 64


def _safe_name(name: object) -> bool:
    """A plain archive name as Lovdata's list gives it: no folders and no «..»."""
    return isinstance(name, str) and bool(_SAFE_NAME.match(name)) and ".." not in name


class DownloadError(RegelsjekkError):
    """Listing or downloading failed; the message is Norwegian and says what to check."""


@dataclass(frozen=True)
class RemoteArchive:
    filename: str
    size: int | None
    last_modified: str | None


def base_url(url: str | None = None) -> str:
    value = (url or os.environ.get("REGELSJEKK_LOVDATA_URL") or DEFAULT_BASE_URL).rstrip("/")
    scheme = urllib.parse.urlparse(value).scheme
    if scheme not in ("http", "https"):
        raise DownloadError(f"Ugyldig adresse «{value}»: forventet http:// eller https://.")
    return value


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect to the same scheme, host and port, or to an https:// address (a data
    service may hand its files out from a storage host); never from https to http or to another
    plain-http host, so a list or a redirect cannot point the download at an unencrypted or
    internal address. What is fetched is bounded and checked like any archive either way."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urllib.parse.urlparse(req.full_url), urllib.parse.urlparse(newurl)
        if (new.scheme, new.netloc) != (old.scheme, old.netloc) and new.scheme != "https":
            raise DownloadError(f"{req.full_url}: tjeneren sender videre til en annen adresse "
                                f"({new.scheme}://{new.netloc}) uten https; av sikkerhetshensyn "
                                "følges bare videresending til samme adresse eller til https. "
                                "Tips: hent arkivene i en nettleser og importer filene "
                                "(regelsjekk import FIL), eller oppgi en https-adresse med --url.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameHost)


def _open(url: str, timeout: float):  # noqa: ANN202 - an http.client.HTTPResponse
    request = urllib.request.Request(url, headers={"User-Agent": "regelsjekk-import/1",
                                                   "Accept": "application/json, */*"})
    try:
        return _OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: tjeneren svarte {exc.code} {exc.reason}.") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"{url}: fikk ikke kontakt ({reason}). Sjekk nettverket eller "
                            "adressen (--url / REGELSJEKK_LOVDATA_URL).") from None


def list_archives(url: str | None = None, timeout: float = 30.0) -> list[RemoteArchive]:
    """The archives Lovdata offers now."""
    list_url = f"{base_url(url)}/list"
    try:
        with _open(list_url, timeout) as response:
            body = response.read(MAX_LIST_BYTES + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise DownloadError(f"{list_url}: lista kom ikke fram ({exc}); prøv igjen.") from None
    if len(body) > MAX_LIST_BYTES:
        raise DownloadError(f"{list_url}: lista over arkiver er over {MAX_LIST_BYTES >> 20} MB; "
                            "det er ikke Lovdatas liste (sjekk --url / REGELSJEKK_LOVDATA_URL).")
    try:
        payload = json.loads(body)
    except RecursionError:
        raise DownloadError(f"{list_url}: lista er nestet for dypt; forventet en JSON-liste over "
                            "arkiver.") from None
    except ValueError:
        kind = "en HTML-side" if body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")) \
            else "noe som ikke er JSON"
        raise DownloadError(f"{list_url}: svaret er {kind}; forventet en JSON-liste over "
                            "arkiver. Tjenesten kan være nede eller adressen feil: prøv igjen "
                            "senere, eller sjekk --url / REGELSJEKK_LOVDATA_URL.") from None
    if isinstance(payload, dict):  # tolerate {"files": [...]} wrappers
        payload = next((v for v in payload.values() if isinstance(v, list)), None)
    if not isinstance(payload, list):
        raise DownloadError(f"{list_url}: forventet en JSON-liste over arkiver.")
    if len(payload) > MAX_LIST_ENTRIES:
        raise DownloadError(f"{list_url}: lista har {len(payload)} oppføringer, over grensen på "
                            f"{MAX_LIST_ENTRIES}; det er ikke Lovdatas liste.")
    out: list[RemoteArchive] = []
    seen: set[str] = set()
    for item in payload:
        name = item.get("filename") if isinstance(item, dict) else None
        if not _safe_name(name):
            shown = repr(name)[:80] if isinstance(name, str) else "mangler"
            raise DownloadError(f"{list_url}: ugyldig filnavn i lista: {shown} (bare bokstaver, "
                                "sifre, «.», «-» og «_» er tillatt, uten mapper og «..»).")
        if name in seen:
            raise DownloadError(f"{list_url}: filnavnet «{name}» står flere ganger i lista.")
        seen.add(name)
        # Any address in an entry is ignored: archives are fetched as {base}/get/<filename>.
        out.append(RemoteArchive(name, _size(item.get("sizeBytes")),
                                 _modified(item.get("lastModified"))))
    return out


def _size(value: object) -> int | None:
    """sizeBytes as a plausible byte count (Lovdata sends a string), else unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_DOWNLOAD_BYTES:
        return value
    return None


def _modified(value: object) -> str | None:
    """lastModified as a short string (it is stored and compared), else unknown."""
    if isinstance(value, str) and len(value) <= MAX_MODIFIED_CHARS and value.isprintable():
        return value
    return None


def download(remote: RemoteArchive, dest_dir: Path, url: str | None = None,
             timeout: float = 60.0) -> Path:
    """Download one archive into dest_dir; return its path."""
    if not _safe_name(remote.filename):
        raise DownloadError(f"Ugyldig filnavn {remote.filename!r}.")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / remote.filename
    part = dest_dir / f"{remote.filename}.part"
    get_url = f"{base_url(url)}/get/{urllib.parse.quote(remote.filename)}"
    written = 0
    try:
        with _open(get_url, timeout) as response, part.open("wb") as out:
            try:
                while chunk := response.read(1 << 20):
                    written += len(chunk)
                    if written > MAX_DOWNLOAD_BYTES:
                        raise DownloadError(f"{get_url}: over {MAX_DOWNLOAD_BYTES >> 30} GiB; "
                                            "avbrutt.")
                    out.write(chunk)
            except (http.client.HTTPException, ConnectionError, TimeoutError) as exc:
                raise DownloadError(f"{get_url}: nedlastingen brøt av etter {written} byte "
                                    f"({type(exc).__name__}); prøv igjen.") from None
        if remote.size is not None and written != remote.size:
            raise DownloadError(f"{get_url}: fikk {written} byte, lista sier {remote.size}; "
                                "nedlastingen er ufullstendig.")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target
