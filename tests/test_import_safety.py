"""Hostile and broken input: each kind is refused with its own Norwegian message, and nothing
already stored is lost. Fixtures: tests/fixtures/malicious/ (hand-made) and archives built here."""

from __future__ import annotations

import bz2
import io
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.store import Store
from regelsjekk.lovdata.archive import Limits, iter_source
from regelsjekk.lovdata.errors import ArchiveError, ImportProblem
from regelsjekk.lovdata.load import Source, run_import
from regelsjekk.lovdata.parse import parse_document

pytestmark = pytest.mark.import_safety

FIX = Path(__file__).parent / "fixtures" / "malicious"
GOOD = (FIX / "gyldig.xml").read_bytes()


def _doc(n: int, words: int = 40) -> bytes:
    """A valid hand-made document forskrift/2099-02-01-<n> with pseudo-random filler text."""
    rnd = random.Random(n)
    text = " ".join(rnd.choice(("kommune", "vedtak", "forsøk", "søknad", "frist", "klage",
                                "tilsyn", "ordning", "plikt", "rett", str(rnd.randint(1, 9999))))
                    for _ in range(words))
    return GOOD.replace(b"2099-01-01-1", f"2099-02-01-{n}".encode()).replace(
        "Dette dokumentet finnes bare".encode(), f"{text}. Dette dokumentet finnes bare".encode())


def _tar(members: list[tuple[str, bytes | None, str]], compress: str = "bz2") -> bytes:
    """members: (name, data, type) with type 'file', 'symlink' or 'hardlink'."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=f"w:{compress}" if compress else "w") as tf:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tf.addfile(info)
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, "lti/2099/gyldig.xml"
                tf.addfile(info)
            else:
                info.size = len(data or b"")
                tf.addfile(info, io.BytesIO(data or b""))
    return buf.getvalue()


def _import(tmp_path: Path, *paths: Path, limits: Limits = Limits()):  # noqa: ANN202
    return run_import([Source(p) for p in paths], tmp_path / "kb.sqlite", workers=0,
                      limits=limits)


def _store_with_one_document(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A store holding gyldig.xml, imported from an archive: (store, archive, store bytes)."""
    db = tmp_path / "kb.sqlite"
    first = tmp_path / "forste.tar.bz2"
    first.write_bytes(_tar([("lti/2099/gyldig.xml", GOOD, "file")]))
    run_import([Source(first)], db, workers=0)
    return db, first, db.read_bytes()


def _parse_problem(data: bytes) -> ImportProblem:
    with pytest.raises(ImportProblem) as info:
        parse_document(data, "x.xml")
    return info.value


# -- documents ------------------------------------------------------------------------------


def test_xxe_is_refused_and_the_file_is_never_read(tmp_path: Path) -> None:
    problem = _parse_problem((FIX / "xxe.xml").read_bytes())
    assert problem.code == "dtd_entitet"
    assert "ENTITY" in problem.message and "XXE" in problem.message
    summary = _import(tmp_path, FIX)
    assert summary.skipped["dtd_entitet"] == 2  # xxe.xml and billion-laughs.xml
    con = Store.open_readonly(tmp_path / "kb.sqlite").con
    assert con.execute("SELECT count(*) FROM nodes WHERE text LIKE '%root:%'").fetchone()[0] == 0


def test_billion_laughs_is_refused_without_expanding() -> None:
    problem = _parse_problem((FIX / "billion-laughs.xml").read_bytes())
    assert problem.code == "dtd_entitet"
    assert "billion laughs" in problem.message


@pytest.mark.parametrize("prolog", [b'<!DOCTYPE html><!entity x "y">',  # the ENTITY test alone
                                    b'<!doctype html [ <!ELEMENT html ANY> ]>'])  # DOCTYPE alone
def test_the_entity_check_before_parsing_ignores_letter_case(prolog: bytes) -> None:
    # check_prolog reads the bytes as ASCII case-insensitive, as the «upper()» it replaced did.
    from regelsjekk.lovdata.parse import check_prolog

    with pytest.raises(ImportProblem) as caught:
        check_prolog(GOOD.replace(b"<!DOCTYPE html>", prolog))
    assert caught.value.code == "dtd_entitet"


def test_internal_dtd_without_entities_is_refused_after_parsing() -> None:
    # Slips past the byte check (no ENTITY, subset beyond the first tag), caught by lxml's docinfo.
    data = GOOD.replace(b"<!DOCTYPE html>", b"<!DOCTYPE html [ <!ELEMENT html ANY> ]>")
    assert _parse_problem(data).code == "dtd_entitet"


def test_html_page_instead_of_xml_is_named_as_such() -> None:
    problem = _parse_problem((FIX / "html-side.xml").read_bytes())
    assert problem.code == "html_side"
    assert "HTML-side" in problem.message


def test_well_formed_html_without_lovdata_header_is_named_as_html() -> None:
    problem = _parse_problem(b"<html><head><title>404</title></head><body><p>Ikke funnet</p>"
                             b"</body></html>")
    assert problem.code == "html_side"


def test_empty_file_is_refused() -> None:
    problem = _parse_problem((FIX / "tom.xml").read_bytes())
    assert problem.code == "tom_fil"
    assert problem.message == "filen er tom"


def test_folder_of_malicious_files_imports_only_the_valid_one(tmp_path: Path) -> None:
    summary = _import(tmp_path, FIX)
    assert summary.imported == 1
    assert dict(summary.skipped) == {"dtd_entitet": 2, "html_side": 1, "tom_fil": 1,
                                     "ikke_xml_navn": 1}  # README.md
    assert summary.failed  # refused documents make the import report input errors (exit 2)
    store = Store.open_readonly(tmp_path / "kb.sqlite")
    assert store.node("forskrift/2099-01-01-1/§1").heading == "Formål"
    text = summary.render()
    assert "DTD/ENTITY-deklarasjon (ikke tillatt)" in text and "tom fil" in text


def test_a_parser_bug_skips_only_that_file_and_says_it_is_ours(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import regelsjekk.lovdata.pipeline as pipeline

    real = pipeline.parse_rows

    def buggy(data: bytes, member: str, *args: str):  # noqa: ANN202
        if member == "b.xml":
            raise KeyError("oops")
        return real(data, member, *args)

    monkeypatch.setattr(pipeline, "parse_rows", buggy)
    folder = tmp_path / "mappe"
    folder.mkdir()
    (folder / "a.xml").write_bytes(_doc(1))
    (folder / "b.xml").write_bytes(_doc(2))
    summary = _import(tmp_path, folder)
    assert summary.imported == 1 and dict(summary.skipped) == {"tolkefeil": 1}
    assert summary.examples["tolkefeil"] == [
        "mappe: b.xml: uventet feil ved tolking (KeyError: 'oops')"]
    assert summary.failed
    assert "en feil i regelsjekk" in summary.render()


# -- archives -------------------------------------------------------------------------------


def test_tar_traversal_members_are_refused_and_nothing_is_written_outside(tmp_path: Path) -> None:
    archive = tmp_path / "traversal.tar.bz2"
    archive.write_bytes(_tar([("lti/2099/gyldig.xml", GOOD, "file"),
                              ("../../utenfor.xml", _doc(1), "file"),
                              ("/tmp/absolutt.xml", _doc(2), "file"),
                              ("lti/../../../igjen.xml", _doc(3), "file")]))
    summary = _import(tmp_path, archive)
    assert summary.imported == 1
    assert summary.skipped["farlig_sti"] == 3
    messages = " ".join(summary.examples["farlig_sti"])
    assert "stien går ut av arkivet" in messages and "absolutt sti" in messages
    assert not (tmp_path.parent / "utenfor.xml").exists()
    assert not Path("/tmp/absolutt.xml").exists()


def test_symlink_and_hardlink_members_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "lenker.tar.bz2"
    archive.write_bytes(_tar([("lti/2099/gyldig.xml", GOOD, "file"),
                              ("lti/2099/passwd.xml", None, "symlink"),
                              ("lti/2099/kopi.xml", None, "hardlink")]))
    summary = _import(tmp_path, archive)
    assert summary.imported == 1
    assert summary.skipped["lenke"] == 2
    assert any("/etc/passwd" in m and "lenke" in m for m in summary.examples["lenke"])


def test_symlink_in_a_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "mappe"
    folder.mkdir()
    (folder / "gyldig.xml").write_bytes(GOOD)
    (folder / "lenke.xml").symlink_to("/etc/passwd")
    summary = _import(tmp_path, folder)
    assert summary.imported == 1 and summary.skipped["lenke"] == 1


def _multi_block_archive(tmp_path: Path, docs: int) -> tuple[Path, bytes]:
    """A tar.bz2 of many documents compressed in 100 kB blocks (so a cut loses only the tail)."""
    members = [(f"lti/2099/sf-2099020{i:04d}.xml", _doc(i, words=400), "file") for i in range(docs)]
    raw = _tar(members, compress="")
    data = bz2.compress(raw, compresslevel=1)
    return tmp_path / "avkortet.tar.bz2", data


def test_truncated_bz2_keeps_what_was_read_and_says_so(tmp_path: Path) -> None:
    path, data = _multi_block_archive(tmp_path, docs=120)
    path.write_bytes(data[: int(len(data) * 0.6)])
    summary = _import(tmp_path, path)
    result = summary.archives[0]
    assert result.status == "avkortet"
    assert "avkortet" in result.message and "beholdt" in result.message
    assert 0 < summary.imported < 120  # the documents before the cut are kept
    store = Store.open_readonly(tmp_path / "kb.sqlite")
    assert store.counts()["dokumenter"] == summary.imported
    assert "avkortet arkiv" in summary.render()


def test_truncated_archive_over_an_existing_store_adds_and_loses_nothing(tmp_path: Path) -> None:
    good = tmp_path / "gyldig.tar.bz2"
    good.write_bytes(_tar([("lti/2099/gyldig.xml", GOOD, "file")]))
    _import(tmp_path, good)
    path, data = _multi_block_archive(tmp_path, docs=120)
    path.write_bytes(data[: int(len(data) * 0.6)])
    summary = _import(tmp_path, path)
    store = Store.open_readonly(tmp_path / "kb.sqlite")
    assert store.document("forskrift/2099-01-01-1") is not None
    assert store.counts()["dokumenter"] == 1 + summary.imported


def test_truncated_archive_gives_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path, data = _multi_block_archive(tmp_path, docs=60)
    path.write_bytes(data[: len(data) // 2])
    code = cli_main(["--db", str(tmp_path / "kb.sqlite"), "import", "-q", str(path)])
    assert code == 2
    assert "avkortet" in capsys.readouterr().out


def test_uncompressed_tar_cut_at_a_header_is_reported_truncated(tmp_path: Path) -> None:
    raw = _tar([(f"lti/2099/d{i}.xml", _doc(i), "file") for i in range(3)], compress="")
    path = tmp_path / "kuttet.tar"
    path.write_bytes(raw[:512 * 3 + 100])  # inside the second member's header block
    summary = _import(tmp_path, path)
    assert summary.archives[0].status == "avkortet"


def test_html_page_instead_of_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "gjeldende-lover.tar.bz2"
    path.write_bytes((FIX / "html-side.xml").read_bytes())
    summary = _import(tmp_path, path)
    assert summary.archives[0].status == "ikke_arkiv"
    assert "HTML-side" in summary.archives[0].message


def test_empty_archive_file(tmp_path: Path) -> None:
    path = tmp_path / "tomt.tar.bz2"
    path.write_bytes(b"")
    summary = _import(tmp_path, path)
    assert summary.archives[0].status == "ikke_arkiv"
    assert "tom" in summary.archives[0].message


def test_corrupt_bz2_data_is_reported_as_damaged(tmp_path: Path) -> None:
    path, data = _multi_block_archive(tmp_path, docs=120)
    cut = int(len(data) * 0.7)
    path.write_bytes(data[:cut] + bytes(b ^ 0x5A for b in data[cut:cut + 4000]) + data[cut + 4000:])
    summary = _import(tmp_path, path)
    assert summary.archives[0].status in ("skadet", "avkortet")
    assert summary.imported > 0


def test_decompression_bomb_stops_at_the_ratio_limit(tmp_path: Path) -> None:
    path = tmp_path / "bombe.tar.bz2"
    path.write_bytes(_tar([("lti/2099/null.xml", b"\0" * (12 * 1024 * 1024), "file")]))
    limits = Limits(ratio_floor_bytes=1024 * 1024, max_ratio=100)
    members = []
    with pytest.raises(ArchiveError) as info:
        members.extend(iter_source(path, limits))
    assert info.value.kind == "bombe"
    assert "komprimeringsforholdet" in str(info.value)
    assert members == []  # stopped inside the one member: nothing of it was handed on
    summary = _import(tmp_path, path, limits=limits)
    assert summary.archives[0].status == "bombe"


def test_decompression_stops_at_the_total_cap(tmp_path: Path) -> None:
    path = tmp_path / "stor.tar.bz2"
    path.write_bytes(_tar([(f"lti/2099/d{i}.xml", _doc(i, words=3000), "file") for i in range(20)]))
    summary = _import(tmp_path, path, limits=Limits(max_total_bytes=200_000, max_ratio=1e9))
    assert summary.archives[0].status == "bombe"
    assert "passerer grensen" in summary.archives[0].message


def test_oversized_member_is_skipped_not_read(tmp_path: Path) -> None:
    path = tmp_path / "stormedlem.tar.bz2"
    path.write_bytes(_tar([("lti/2099/gyldig.xml", GOOD, "file"),
                           ("lti/2099/stor.xml", _doc(7, words=5000), "file")]))
    summary = _import(tmp_path, path, limits=Limits(max_member_bytes=20_000))
    assert summary.imported == 1
    assert summary.skipped["for_stor"] == 1
    assert "over grensen" in summary.examples["for_stor"][0]


# -- atomic writes --------------------------------------------------------------------------


def test_failed_import_leaves_previous_store_untouched(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db, _, before = _store_with_one_document(tmp_path)
    second = tmp_path / "andre.tar.bz2"
    second.write_bytes(_tar([(f"lti/2099/d{i}.xml", _doc(i), "file") for i in range(50)]))

    import regelsjekk.lovdata.load as load

    calls = {"n": 0}
    original = load._Writer.apply

    def failing(self, *args):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("disken ble full (simulert)")
        return original(self, *args)

    monkeypatch.setattr(load._Writer, "apply", failing)
    with pytest.raises(RuntimeError):
        run_import([Source(second)], db, workers=0)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))


def test_killed_import_leaves_previous_store_untouched(tmp_path: Path) -> None:
    db, first, before = _store_with_one_document(tmp_path)
    big = tmp_path / "stor.tar.bz2"
    big.write_bytes(_tar([(f"lti/2099/d{i}.xml", _doc(i, words=300), "file")
                          for i in range(3000)]))
    proc = subprocess.Popen([sys.executable, "-m", "regelsjekk.cli.main", "--db", str(db), "import",
                             "-q", "--arbeidere", "0", str(big)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".kb.sqlite.tmp-*")):
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db.read_bytes() == before
    # The next import cleans the leftover temp file and works.
    summary = run_import([Source(first)], db, workers=0, force=True)
    assert summary.updated == 1
    assert not list(tmp_path.glob(".kb.sqlite.tmp-*"))
