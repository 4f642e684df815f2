"""Safe reading of Lovdata input: tar archives (bz2/xz/gz/plain), folders, single XML files.

Archives are streamed (tarfile mode ``r|``) and never extracted to disk. Every member is checked
before its bytes are read: path traversal, symlinks and hardlinks, special files, oversized
members. Decompression is counted as it happens, so a bomb stops at the limit rather than after
filling the disk or memory. A truncated or corrupt archive raises ArchiveError *after* yielding
every member that was readable before the damage, so the caller keeps what it already has.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from regelsjekk.core.textcodec import bom, looks_like_utf16
from regelsjekk.lovdata.errors import ArchiveError, ImportProblem

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile archive from exhausting memory or disk."""

    # One XML document (the largest real one is 1.2 MB); the parser's cap too (parse.py).
    max_member_bytes: int = 16 * MiB
    max_total_bytes: int = 8 * 1024 * MiB  # decompressed bytes per archive
    max_ratio: float = 100.0  # decompressed/compressed; real Lovdata archives are 10–25
    ratio_floor_bytes: int = 32 * MiB  # the ratio is judged only past this much output


@dataclass
class Member:
    """One candidate document: its name inside the source and its bytes, or why it was refused."""

    name: str
    data: bytes | None = None
    problem: ImportProblem | None = None


class _CountingRaw(io.RawIOBase):
    """Counts compressed bytes read from the file (for the ratio check)."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:
        n = self.raw.readinto(b)
        self.count += n or 0
        return n or 0


class _Forward:
    """The decompressed archive as a forward-only file (read, tell), pulled in chunks with the
    limits enforced as bytes are produced. Tar headers are read from it directly: tarfile's
    stream mode reads every header and member through four layers of small reads, which cost
    the import's reader a third of its decompression time again."""

    CHUNK = 256 * 1024  # decompressed bytes per pull: bounds what one step holds

    def __init__(self, inner: io.IOBase, counter: _CountingRaw | None, limits: Limits,
                 label: str) -> None:
        self.inner = inner
        self.counter = counter
        self.limits = limits
        self.label = label
        self.total = 0  # decompressed bytes produced
        self.buf = b""
        self.pos = 0  # read position in buf
        self.base = 0  # archive offset of buf[0]

    def _produce(self) -> bytes:
        """The next chunk of the archive (b"" at its end), counted against the limits."""
        # read1: what one step of decompression gives. read() would pull until the chunk is
        # full, and lose what it had when a cut archive ends inside that pull.
        data = self.inner.read1(self.CHUNK)
        if not data:
            return data
        self.total += len(data)
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
        return data

    def peek(self, n: int) -> bytes:
        """Up to n bytes ahead, not consumed (fewer only at the end). The chunks are joined once,
        so a long read costs its length, not its length squared."""
        have = len(self.buf) - self.pos
        if have < n:
            parts = [self.buf[self.pos:]]
            while have < n:
                data = self._produce()
                if not data:
                    break
                parts.append(data)
                have += len(data)
            self.base += self.pos
            self.buf, self.pos = b"".join(parts), 0
        return self.buf[self.pos:self.pos + n]

    def read(self, n: int = -1) -> bytes:
        """n bytes (fewer only at the end of the archive)."""
        if n < 0:
            raise ValueError("read() without a size is not supported")  # never read it all
        out = self.peek(n)
        self.pos += len(out)
        return out

    def drain(self) -> None:
        """Read to the end (within the limits), holding nothing."""
        self.base += len(self.buf)
        self.buf, self.pos = b"", 0
        while data := self._produce():
            self.base += len(data)

    def tell(self) -> int:
        return self.base + self.pos

    def skip_to(self, offset: int) -> bool:
        """Move forward to offset without holding what lies between; False if it ends first."""
        while self.tell() < offset:
            if self.pos >= len(self.buf):
                data = self._produce()
                if not data:
                    return False
                self.base += len(self.buf)
                self.buf, self.pos = data, 0
            self.pos += min(offset - self.tell(), len(self.buf) - self.pos)
        return True


def _sniff(head: bytes) -> str:
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    marked = bom(head)
    if marked is not None:  # UTF-8/16/32 text with a byte-order mark
        head = head[marked[1]:].decode(marked[0], "ignore").encode("utf-8")
    elif looks_like_utf16(head):  # text without the mark: the parser says why it is refused
        head = head.replace(b"\x00", b"")
    text = head.lstrip(b" \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "html"
    if text.startswith(b"<"):
        return "xml"
    return "unknown"


def not_regular_message(path: Path) -> str:
    """Why a FIFO, socket or device is refused as a source (opening a FIFO would wait forever)."""
    return (f"{path}: er verken en vanlig fil eller en mappe (kanskje en FIFO eller en enhet); "
            "oppgi et arkiv, en mappe eller en XML-fil")


def describe_path(path: Path) -> str:
    """What a path holds: 'folder', 'xml', 'archive' (for choosing how to read it)."""
    if path.is_dir():
        return "folder"
    with path.open("rb") as fh:
        kind = _sniff(fh.read(512))
    if kind == "xml" or (kind == "html" and path.suffix.lower() == ".xml"):
        return "xml"
    return "archive"


def iter_source(path: Path, limits: Limits = Limits()) -> Iterator[Member]:
    """Members of an archive, a folder or a single XML file, checked and read."""
    if not path.exists():
        raise ArchiveError("mangler", f"{path}: finnes ikke")
    if not (path.is_dir() or path.is_file()):
        raise ArchiveError("ikke_arkiv", not_regular_message(path))
    if path.is_dir():
        yield from iter_folder(path, limits)
    elif describe_path(path) == "xml":
        yield from _iter_files([(path.name, path)], limits)
    else:
        yield from iter_archive(path, limits)


def iter_folder(root: Path, limits: Limits = Limits()) -> Iterator[Member]:
    """Every file under root in sorted order; links are refused, never followed."""
    entries: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            full = Path(dirpath) / name
            entries.append((full.relative_to(root).as_posix(), full))
    yield from _iter_files(entries, limits)


def _iter_files(entries: list[tuple[str, Path]], limits: Limits) -> Iterator[Member]:
    for rel, full in entries:
        if full.is_symlink():
            yield Member(rel, problem=ImportProblem("lenke", f"{rel}: er en symbolsk lenke; lenker "
                                                    "følges ikke av sikkerhetshensyn"))
            continue
        if not full.is_file():
            yield Member(rel, problem=ImportProblem("ikke_fil", f"{rel}: er ikke en vanlig fil"))
            continue
        if not rel.lower().endswith(".xml"):
            yield Member(rel, problem=ImportProblem("ikke_xml_navn", f"{rel}: ikke en .xml-fil"))
            continue
        size = full.stat().st_size
        if size > limits.max_member_bytes:
            yield Member(rel, problem=_too_big(rel, size, limits))
            continue
        yield Member(rel, data=full.read_bytes())


def _too_big(name: str, size: int, limits: Limits) -> ImportProblem:
    return ImportProblem("for_stor", f"{name}: {size / MiB:.1f} MiB er over grensen på "
                         f"{limits.max_member_bytes // MiB} MiB per dokument")


def _unsafe_name(name: str) -> str | None:
    """A Norwegian reason why a member name must not be used, or None."""
    if "\x00" in name:
        return "navnet inneholder NUL-tegn"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolutt sti"
    if ".." in name.replace("\\", "/").split("/"):
        return "stien går ut av arkivet («..»)"
    return None


def iter_archive(path: Path, limits: Limits = Limits()) -> Iterator[Member]:
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
        yield from _iter_tar(_Forward(raw, counter, limits, label), limits, label)
    finally:
        fh.close()


class _Headers:
    """What tarfile's header code reads from (TarInfo.fromtarfile): the stream and the pax
    headers in force. Only the extension headers (GNU long names, pax, sparse) go through it;
    a plain header is read by TarInfo.frombuf alone, with the same checks."""

    encoding = tarfile.ENCODING
    errors = "surrogateescape"  # tarfile's own default for reading

    def __init__(self, fileobj: _Forward) -> None:
        self.fileobj = fileobj
        self.pax_headers: dict[str, str] = {}  # global (typeflag g) pax headers so far
        self.offset = 0  # where the next header starts (set by tarfile's _proc_* methods)


# A GNU long name or a pax header: real ones are a few hundred bytes.
MAX_EXTENSION_BYTES = 1 * MiB
_EXTENSION_TYPES = frozenset({tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK,
                              tarfile.GNUTYPE_SPARSE, tarfile.XHDTYPE, tarfile.XGLTYPE,
                              tarfile.SOLARIS_XHDTYPE})


def _next_header(stream: _Forward, headers: _Headers) -> tuple[tarfile.TarInfo, int] | None:
    """The next member and where the header after it starts; None at the end-of-archive block.
    Raises tarfile's HeaderError subclasses exactly as tarfile.TarFile.next() meets them."""
    block = stream.peek(tarfile.BLOCKSIZE)
    info = tarfile.TarInfo.frombuf(block, headers.encoding, headers.errors)  # may raise
    if info.type in _EXTENSION_TYPES and info.type != tarfile.GNUTYPE_SPARSE \
            and info.size > MAX_EXTENSION_BYTES:
        # tarfile reads a long name or a pax header whole into memory, whatever it claims
        raise tarfile.InvalidHeaderError(
            f"utvidet tar-hode på {info.size / MiB:.0f} MiB, over grensen på "
            f"{MAX_EXTENSION_BYTES // MiB} MiB")
    if info.type in _EXTENSION_TYPES or headers.pax_headers:
        # tarfile's own processing, reading the header again (and what follows it)
        info = tarfile.TarInfo.fromtarfile(headers)
        return info, headers.offset
    stream.read(tarfile.BLOCKSIZE)
    info.offset = stream.tell() - tarfile.BLOCKSIZE
    info.offset_data = stream.tell()
    end = info.offset_data
    if info.isreg() or info.type not in tarfile.SUPPORTED_TYPES:
        end += info._block(info.size)  # as tarfile's _proc_builtin: only these carry data
    return info, end


def _iter_tar(stream: _Forward, limits: Limits, label: str) -> Iterator[Member]:
    headers = _Headers(stream)
    count = 0
    first = True
    try:
        while True:
            try:
                found = _next_header(stream, headers)
            except tarfile.EOFHeaderError:
                # The end-of-archive block (at the start too: an empty archive). Read on to the
                # end of the compressed stream: its checksums (gzip's CRC, bzip2's and xz's
                # stream checks) come there, and a cut or corrupt archive must say so.
                stream.drain()
                return
            except tarfile.SubsequentHeaderError as exc:
                raise tarfile.ReadError(str(exc)) from None
            except tarfile.HeaderError as exc:
                if first:
                    raise tarfile.ReadError("empty file" if isinstance(
                        exc, tarfile.EmptyHeaderError) else str(exc)) from None
                if isinstance(exc, (tarfile.TruncatedHeaderError, tarfile.EmptyHeaderError)):
                    raise ArchiveError("avkortet", f"{label}: arkivet er avkortet etter {count} "
                                       "dokumenter (slutter uten avslutningsblokk); dokumentene "
                                       "før skaden er beholdt") from None
                raise ArchiveError("skadet", f"{label}: arkivet er skadet etter {count} dokumenter "
                                   f"(ugyldig tar-hode: {exc}); dokumentene før skaden er "
                                   "beholdt") from None
            first = False
            info, end = found
            member = _member(info, stream, limits, label)
            if member is not None:
                if member.data is not None:
                    count += 1
                yield member
            if not stream.skip_to(end):
                raise tarfile.ReadError("unexpected end of data")
    except ArchiveError:
        raise
    except (tarfile.ReadError, EOFError, OSError, lzma.LZMAError, ValueError, zlib.error) as exc:
        raise _classify(exc, label, started=not first, count=count) from None


def _member(info: tarfile.TarInfo, stream: _Forward, limits: Limits, label: str) -> Member | None:
    """The member, or why it is refused; None for a folder. Reads its bytes only when taken."""
    name = info.name
    reason = _unsafe_name(name)
    if reason:
        return Member(name, problem=ImportProblem(
            "farlig_sti", f"{label}: medlemmet «{name}» avvist: {reason}"))
    if info.issym() or info.islnk():
        return Member(name, problem=ImportProblem(
            "lenke", f"{label}: medlemmet «{name}» er en lenke til «{info.linkname}»; "
            "lenker i arkiver avvises av sikkerhetshensyn"))
    if info.isdir():
        return None
    if not info.isfile():
        return Member(name, problem=ImportProblem(
            "ikke_fil", f"{label}: medlemmet «{name}» er ikke en vanlig fil"))
    if info.issparse():
        # A sparse member's header says what it expands to, not what the archive holds:
        # a few kB can claim gigabytes of holes. Lovdata's archives have none.
        return Member(name, problem=ImportProblem(
            "sparse", f"{label}: medlemmet «{name}» er en «sparse»-fil (med hull); slike "
            "medlemmer avvises av sikkerhetshensyn"))
    if not name.lower().endswith(".xml"):
        return Member(name, problem=ImportProblem(
            "ikke_xml_navn", f"{label}: medlemmet «{name}» er ikke en .xml-fil"))
    if info.size > limits.max_member_bytes:
        return Member(name, problem=_too_big(f"{label}: {name}", info.size, limits))
    # The header's size is at most the cap, so what is read is bounded by the cap; the budget
    # (_Forward) counts what the archive really produces.
    if not stream.skip_to(info.offset_data):
        raise tarfile.ReadError("unexpected end of data")
    data = stream.read(info.size)
    if len(data) != info.size:
        raise tarfile.ReadError("unexpected end of data")
    return Member(name, data=data)


def _classify(exc: BaseException, label: str, started: bool, count: int = 0) -> ArchiveError:
    text = str(exc)
    after = f" etter {count} dokumenter" if started else ""
    if isinstance(exc, EOFError) or "unexpected end" in text or "truncated" in text:
        return ArchiveError("avkortet", f"{label}: arkivet er avkortet{after} (filen slutter før "
                            "komprimeringen er avsluttet); dokumentene før skaden er beholdt")
    if not started:
        return ArchiveError("ikke_arkiv", f"{label}: kan ikke leses som tar-arkiv ({text})")
    return ArchiveError("skadet", f"{label}: arkivet er skadet{after} ({text}); dokumentene før "
                        "skaden er beholdt")
