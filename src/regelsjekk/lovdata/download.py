"""Fetch Lovdata's public archives: GET {base}/list (JSON), GET {base}/get/<filename>.

The list gives filename, sizeBytes and lastModified per archive; an archive whose name, size and
lastModified match what the store recorded at its last import is not downloaded again.
Downloads stream to a .part file and are renamed only when complete and of the announced size.
"""

from __future__ import annotations

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


def _open(url: str, timeout: float):  # noqa: ANN202 - an http.client.HTTPResponse
    request = urllib.request.Request(url, headers={"User-Agent": "regelsjekk-import/1",
                                                   "Accept": "application/json, */*"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: tjeneren svarte {exc.code} {exc.reason}.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"{url}: fikk ikke kontakt ({reason}). Sjekk nettverket eller "
                            "adressen (--url / REGELSJEKK_LOVDATA_URL).") from None


def list_archives(url: str | None = None, timeout: float = 30.0) -> list[RemoteArchive]:
    """The archives Lovdata offers now."""
    list_url = f"{base_url(url)}/list"
    with _open(list_url, timeout) as response:
        body = response.read(10 * 1024 * 1024)
    try:
        payload = json.loads(body)
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
    out: list[RemoteArchive] = []
    for item in payload:
        name = item.get("filename") if isinstance(item, dict) else None
        if not _safe_name(name):
            raise DownloadError(f"{list_url}: ugyldig filnavn i lista: {name!r}.")
        size = item.get("sizeBytes")
        try:
            size = int(size) if size is not None else None
        except (TypeError, ValueError):
            size = None
        out.append(RemoteArchive(name, size, item.get("lastModified")))
    return out


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
            while chunk := response.read(1 << 20):
                written += len(chunk)
                if written > MAX_DOWNLOAD_BYTES:
                    raise DownloadError(f"{get_url}: over {MAX_DOWNLOAD_BYTES >> 30} GiB; avbrutt.")
                out.write(chunk)
        if remote.size is not None and written != remote.size:
            raise DownloadError(f"{get_url}: fikk {written} byte, lista sier {remote.size}; "
                                "nedlastingen er ufullstendig.")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target
