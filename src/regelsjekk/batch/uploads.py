"""Uploaded request files (the app's Batch page): limits, zip archives, clear refusals.

Everything a user uploads is untrusted: sizes and counts are capped before anything is parsed,
zip members are read in memory (never extracted to disk) with a cap on decompressed size, and
every refusal is a Norwegian message the user can act on. One bad file never stops the rest.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from regelsjekk.core.textcodec import decode_text

REQUEST_SUFFIXES = (".forsok", ".json", ".txt")
# Compression methods Python's zipfile reads; anything else is refused before reading.
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@dataclass(frozen=True)
class UploadLimits:
    max_files: int = 200
    max_file_bytes: int = 512 * 1024
    max_total_bytes: int = 20 * 1024 * 1024
    max_zip_ratio: int = 100  # decompressed / compressed, per member (zip bombs)


@dataclass
class UploadedText:
    name: str  # unique within one batch (see read_uploads)
    text: str


@dataclass
class UploadBatch:
    files: list[UploadedText] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (name, Norwegian reason)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


def _decode(name: str, data: bytes) -> tuple[str | None, str | None]:
    """UTF-8, or a Unicode encoding named by its byte-order mark (the same rule as the CLI)."""
    text, problem = decode_text(data)
    if problem is None:
        return text, None
    where = f" (byte {problem.offset})" if problem.offset is not None else ""
    return None, (f"{name}: {problem.message}{where}. Lagre filen som UTF-8 og last den opp "
                  "igjen.")


def read_uploads(items: list[tuple[str, bytes]], limits: UploadLimits = UploadLimits()) -> UploadBatch:
    """Turn uploaded (name, bytes) pairs — request files or zip archives — into texts.

    Files beyond the limits are refused one by one with a reason; the rest go through.
    """
    batch = UploadBatch()
    total = 0

    def accept(name: str, data: bytes) -> None:
        nonlocal total
        if not name.lower().endswith(REQUEST_SUFFIXES):
            batch.refused.append((name, f"{name}: ukjent filtype. Last opp .forsok- eller .json-filer "
                                        "(eller en .zip med slike)."))
            return
        if len(batch.files) >= limits.max_files:
            batch.refused.append((name, f"{name}: for mange filer; grensen er {limits.max_files} per "
                                        "opplasting. Del opp i flere runder."))
            return
        if len(data) > limits.max_file_bytes:
            batch.refused.append((name, f"{name}: filen er {_human(len(data))}; grensen er "
                                        f"{_human(limits.max_file_bytes)} per søknad."))
            return
        if total + len(data) > limits.max_total_bytes:
            batch.refused.append((name, f"{name}: samlet opplasting over {_human(limits.max_total_bytes)}."
                                        " Del opp i flere runder."))
            return
        text, error = _decode(name, data)
        if error:
            batch.refused.append((name, error))
            return
        total += len(data)
        batch.files.append(UploadedText(unique(name), text or ""))

    used: set[str] = set()

    def unique(name: str) -> str:
        """The name itself, or "a (2).forsok", "a (3).forsok" … for a name already taken (two
        uploads, or two zips, with the same file name): results are keyed by it, and the second
        file must not overwrite the first. The suffix stays last (it decides the format)."""
        stem, dot, suffix = name.rpartition(".")
        candidate, k = name, 2
        while candidate in used:
            candidate = f"{stem} ({k}){dot}{suffix}"
            k += 1
        used.add(candidate)
        return candidate

    for name, data in items:
        if name.lower().endswith(".zip"):
            _read_zip(name, data, limits, batch, accept)
        else:
            accept(PurePosixPath(name).name, data)
    return batch


def _read_zip(name: str, data: bytes, limits: UploadLimits, batch: UploadBatch, accept) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        batch.refused.append((name, f"{name}: ikke en gyldig zip-fil (skadet eller feil format)."))
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = f"{name}/{info.filename}"
            path = PurePosixPath(info.filename)
            if path.is_absolute() or ".." in path.parts:
                batch.refused.append((member, f"{member}: ugyldig sti i zip-filen (avvist av sikkerhetshensyn)."))
                continue
            if path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            if info.file_size > limits.max_file_bytes:
                batch.refused.append((member, f"{member}: filen er {_human(info.file_size)} utpakket; "
                                              f"grensen er {_human(limits.max_file_bytes)}."))
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.max_zip_ratio:
                batch.refused.append((member, f"{member}: mistenkelig høy komprimering (mulig zip-bombe); avvist."))
                continue
            if info.flag_bits & 0x1:
                batch.refused.append((member, f"{member}: filen er passordbeskyttet i zip-filen. "
                                              "Pakk den uten passord."))
                continue
            if info.compress_type not in _ZIP_METHODS:
                batch.refused.append((member, f"{member}: ukjent komprimering i zip-filen. Pakk filen "
                                              "med vanlig zip (deflate)."))
                continue
            try:
                with archive.open(info) as fh:
                    content = fh.read(limits.max_file_bytes + 1)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                batch.refused.append((member, f"{member}: kunne ikke leses fra zip-filen (skadet). "
                                              "Pakk filene på nytt."))
                continue
            accept(str(path), content)  # at most one byte over the limit: refused by size
