"""Upload handling for the Batch page: limits and hostile zip files are refused, the rest go through."""

import io
import zipfile

from regelsjekk.batch.uploads import UploadLimits, read_uploads


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_plain_files_pass_and_unknown_types_are_refused():
    batch = read_uploads([("a.forsok", "søknad".encode()), ("b.exe", b"MZ")])
    assert [f.name for f in batch.files] == ["a.forsok"]
    assert batch.files[0].text == "søknad"
    assert batch.refused[0][0] == "b.exe" and "ukjent filtype" in batch.refused[0][1]


def test_zip_members_are_read_without_extracting_and_traversal_is_refused():
    data = _zip({"mappe/en.forsok": b"x", "../ut.forsok": b"y", "__MACOSX/._en.forsok": b"z"})
    batch = read_uploads([("pakke.zip", data)])
    assert [f.name for f in batch.files] == ["mappe/en.forsok"]
    assert any("ugyldig sti" in reason for _, reason in batch.refused)


def test_zip_bomb_and_oversized_members_are_refused():
    bomb = _zip({"stor.forsok": b"a" * 2_000_000})
    batch = read_uploads([("bombe.zip", bomb)], UploadLimits(max_file_bytes=4_000_000))
    assert not batch.files
    assert "zip-bombe" in batch.refused[0][1]
    big = read_uploads([("stor.forsok", b"a" * 600_000)])
    assert not big.files and "grensen er" in big.refused[0][1]


def test_count_and_total_limits_refuse_only_the_excess():
    items = [(f"{i}.forsok", b"x" * 10) for i in range(5)]
    batch = read_uploads(items, UploadLimits(max_files=3))
    assert len(batch.files) == 3 and len(batch.refused) == 2
    batch = read_uploads(items, UploadLimits(max_total_bytes=25))
    assert len(batch.files) == 2


def test_invalid_utf8_and_broken_zip_get_actionable_messages():
    batch = read_uploads([("latin1.forsok", "søknad".encode("latin-1")), ("x.zip", b"not a zip")])
    reasons = dict(batch.refused)
    assert "UTF-8" in reasons["latin1.forsok"]
    assert "ikke en gyldig zip-fil" in reasons["x.zip"]


def _patched(data: bytes, flag: int | None = None, method: int | None = None) -> bytes:
    """A one-member zip with its general-purpose flag or compression method rewritten in both
    the local header and the central directory (how an encrypted or exotic zip looks)."""
    import struct

    buf = bytearray(data)
    local, central = 0, buf.find(b"PK\x01\x02")
    if flag is not None:
        struct.pack_into("<H", buf, local + 6, flag)
        struct.pack_into("<H", buf, central + 8, flag)
    if method is not None:
        struct.pack_into("<H", buf, local + 8, method)
        struct.pack_into("<H", buf, central + 10, method)
    return bytes(buf)


def test_encrypted_and_unknown_compression_members_are_refused_in_norwegian():
    plain = _zip({"en.forsok": b"x"}, compression=zipfile.ZIP_STORED)
    batch = read_uploads([("laast.zip", _patched(plain, flag=1)),
                          ("rar.zip", _patched(plain, method=99))])
    assert not batch.files
    reasons = dict(batch.refused)
    assert "passordbeskyttet" in reasons["laast.zip/en.forsok"]
    assert "ukjent komprimering" in reasons["rar.zip/en.forsok"]
