"""The archive reader as it was before lovdata/archive.py read tar headers itself: tarfile's
stream mode over the limited decompressed stream. Kept as the oracle for test_tar_reader.py,
which feeds both the same archives (well-formed, exotic, cut, corrupted) and compares what they
yield and how they stop."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
from collections.abc import Iterator
from pathlib import Path

from regelsjekk.lovdata.archive import (
    Limits,
    Member,
    MiB,
    _classify,
    _CountingRaw,
    _sniff,
    _too_big,
    _unsafe_name,
)
from regelsjekk.lovdata.errors import ArchiveError, ImportProblem


class _LimitedReader(io.RawIOBase):
    """Decompressed bytes with limits enforced as they are produced."""

    def __init__(self, inner: io.IOBase, counter: _CountingRaw | None, limits: Limits,
                 label: str) -> None:
        self.inner = inner
        self.counter = counter
        self.limits = limits
        self.label = label
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:
        data = self.inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.total += n
        lim = self.limits
        if self.total > lim.max_total_bytes:
            raise ArchiveError("bombe", f"{self.label}: utpakket innhold passerer grensen på "
                               f"{lim.max_total_bytes // MiB} MiB; arkivet avvises som mulig "
                               "dekomprimeringsbombe")
        if self.counter is not None and self.total > lim.ratio_floor_bytes:
            ratio = self.total / max(self.counter.count, 1)
            if ratio > lim.max_ratio:
                raise ArchiveError("bombe", f"{self.label}: komprimeringsforholdet {ratio:.0f}:1 "
                                   f"passerer grensen {lim.max_ratio:.0f}:1; arkivet avvises som "
                                   "mulig dekomprimeringsbombe")
        return n


def oracle_iter_archive(path: Path, limits: Limits = Limits()) -> Iterator[Member]:
    """Stream a tar archive member by member; raise ArchiveError at the point of damage."""
    label = path.name
    fh = path.open("rb")
    try:
        head = fh.read(512)
        kind = _sniff(head)
        fh.seek(0)
        if not head:
            raise ArchiveError("ikke_arkiv", f"{label}: filen er tom, ikke et arkiv")
        if kind == "html":
            raise ArchiveError("ikke_arkiv", f"{label}: filen er en nettside (HTML-side), ikke et "
                               "Lovdata-arkiv; trolig en feilside fra nettjeneren i stedet for "
                               "arkivet. Last ned på nytt (regelsjekk import --download), eller "
                               "sjekk adressen (--url / REGELSJEKK_LOVDATA_URL)")
        if kind in ("xml", "unknown"):
            raise ArchiveError("ikke_arkiv", f"{label}: ukjent filformat; forventet .tar.bz2, "
                               ".tar.xz, .tar.gz eller .tar")
        counter = _CountingRaw(fh) if kind != "tar" else None
        raw: io.IOBase
        if kind == "bz2":
            raw = bz2.BZ2File(io.BufferedReader(counter, 1 << 16))
        elif kind == "xz":
            raw = lzma.LZMAFile(io.BufferedReader(counter, 1 << 16))
        elif kind == "gz":
            raw = gzip.GzipFile(fileobj=io.BufferedReader(counter, 1 << 16))
        else:
            raw = fh
        reader = _LimitedReader(raw, counter, limits, label)
        yield from _iter_tar(reader, limits, label)
    finally:
        fh.close()


class _CheckedTarInfo(tarfile.TarInfo):
    """Remembers why tarfile stopped: it ends quietly on a cut or garbled header mid-archive."""

    @classmethod
    def fromtarfile(cls, tf: tarfile.TarFile) -> tarfile.TarInfo:
        try:
            return super().fromtarfile(tf)
        except tarfile.EOFHeaderError:
            raise
        except tarfile.HeaderError as exc:
            tf.damage = exc  # type: ignore[attr-defined]
            raise


def _iter_tar(reader: _LimitedReader, limits: Limits, label: str) -> Iterator[Member]:
    stream = io.BufferedReader(reader, 1 << 16)
    try:
        tf = tarfile.open(fileobj=stream, mode="r|", tarinfo=_CheckedTarInfo)
    except (tarfile.ReadError, EOFError, OSError, lzma.LZMAError) as exc:
        raise _classify(exc, label, started=False) from None
    count = 0
    try:
        for info in tf:
            name = info.name
            reason = _unsafe_name(name)
            if reason:
                yield Member(name, problem=ImportProblem(
                    "farlig_sti", f"{label}: medlemmet «{name}» avvist: {reason}"))
                continue
            if info.issym() or info.islnk():
                yield Member(name, problem=ImportProblem(
                    "lenke", f"{label}: medlemmet «{name}» er en lenke til «{info.linkname}»; "
                    "lenker i arkiver avvises av sikkerhetshensyn"))
                continue
            if info.isdir():
                continue
            if not info.isfile():
                yield Member(name, problem=ImportProblem(
                    "ikke_fil", f"{label}: medlemmet «{name}» er ikke en vanlig fil"))
                continue
            if info.issparse():
                # A sparse member's header says what it expands to, not what the archive holds:
                # a few kB can claim gigabytes of holes. Lovdata's archives have none.
                yield Member(name, problem=ImportProblem(
                    "sparse", f"{label}: medlemmet «{name}» er en «sparse»-fil (med hull); slike "
                    "medlemmer avvises av sikkerhetshensyn"))
                continue
            if not name.lower().endswith(".xml"):
                yield Member(name, problem=ImportProblem(
                    "ikke_xml_navn", f"{label}: medlemmet «{name}» er ikke en .xml-fil"))
                continue
            if info.size > limits.max_member_bytes:
                yield Member(name, problem=_too_big(f"{label}: {name}", info.size, limits))
                continue
            extracted = tf.extractfile(info)
            # Read no more than the cap, whatever the header claimed: the budget counts what the
            # member really produces.
            data = extracted.read(limits.max_member_bytes + 1) if extracted is not None else b""
            if len(data) > limits.max_member_bytes:
                yield Member(name, problem=_too_big(f"{label}: {name}", len(data), limits))
                continue
            count += 1
            yield Member(name, data=data)
        damage = getattr(tf, "damage", None)
        if isinstance(damage, (tarfile.TruncatedHeaderError, tarfile.EmptyHeaderError)):
            raise ArchiveError("avkortet", f"{label}: arkivet er avkortet etter {count} dokumenter "
                               "(slutter uten avslutningsblokk); dokumentene før skaden er beholdt")
        if damage is not None:
            raise ArchiveError("skadet", f"{label}: arkivet er skadet etter {count} dokumenter "
                               f"(ugyldig tar-hode: {damage}); dokumentene før skaden er beholdt")
    except ArchiveError:
        raise
    except (tarfile.ReadError, EOFError, OSError, lzma.LZMAError, ValueError) as exc:
        raise _classify(exc, label, started=True, count=count) from None
