"""Defect 10 (issue 19): a valid UTF-16 file was refused as a single file while the same file
inside a tar imported; request files had only UTF-8. Now every door (request files in the CLI,
uploads, single XML files and archive members) reads UTF-8 or a Unicode encoding named by its
byte-order mark (BOM), and refuses anything else with «filen er ikke UTF-8 …», never with a
traceback or garbled text.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from _hostile_kit import article, lovdata_xml

from regelsjekk.batch.uploads import read_uploads
from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.store import Store
from regelsjekk.lovdata.load import Source, run_import
from regelsjekk.request.load import load_request_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "akershus-innsigelser.forsok"
MARKED = ["utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32"]
UNMARKED = ["utf-16-le", "utf-16-be"]


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(how)


def _form() -> str:
    return json.dumps({"tittel": "Prøve «æøå»", "sokere": [{"navn": "Prøve kommune",
                                                             "type": "kommune"}]},
                      ensure_ascii=False)


@pytest.mark.parametrize("how", MARKED)
@pytest.mark.parametrize("name", ["s.forsok", "s.json"])
def test_request_files_with_a_bom_read_as_their_utf8_twin(tmp_path: Path, how: str,
                                                          name: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") if name.endswith(".forsok") else _form()
    plain, marked = tmp_path / f"plain-{name}", tmp_path / name
    plain.write_bytes(text.encode("utf-8"))
    marked.write_bytes(_encode(text, how))
    want, got = load_request_file(plain), load_request_file(marked)
    assert got.ok and want.ok, got.render()
    assert [r.model_dump() for r in got.requests] == [r.model_dump() for r in want.requests]


@pytest.mark.parametrize("how, words", [("utf-16-le", "ser ut som UTF-16 uten merke"),
                                        ("utf-16-be", "ser ut som UTF-16 uten merke"),
                                        ("latin-1", "ikke lagret som UTF-8")])
def test_request_files_without_a_bom_are_refused_in_norwegian(tmp_path: Path, capsys, how: str,
                                                              words: str) -> None:
    path = tmp_path / "s.forsok"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode(how))
    result = load_request_file(path)
    (err,) = result.errors
    assert err.code == "ikke_utf8" and words in err.message and "filen er ikke" in err.message
    code = cli_main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", str(path)])
    out = capsys.readouterr()
    assert code == 2 and words in out.err and "Traceback" not in out.err


def test_cli_checks_a_utf16_request_like_its_utf8_twin(tmp_path: Path, capsys) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "a.forsok").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.forsok").write_bytes(text.encode("utf-16"))
    db = str(tmp_path / "ingen.sqlite")
    code_a = cli_main(["--db", db, "sjekk", str(tmp_path / "a.forsok")])
    out_a = capsys.readouterr().out
    code_b = cli_main(["--db", db, "sjekk", str(tmp_path / "b.forsok")])
    out_b = capsys.readouterr().out
    assert code_a == code_b and out_a.replace("a.forsok", "X") == out_b.replace("b.forsok", "X")


def test_uploads_read_a_bom_and_refuse_unmarked_utf16() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    batch = read_uploads([("a.forsok", text.encode("utf-16")), ("b.forsok", text.encode("utf-32")),
                          ("c.forsok", text.encode("utf-16-le"))])
    assert [f.text for f in batch.files] == [text, text]
    ((name, why),) = batch.refused
    assert name == "c.forsok" and "ikke UTF-8" in why and "UTF-16 uten merke" in why


def _doc() -> bytes:
    return lovdata_xml("forskrift/2001-01-01-1", article("1", "Kommunen skal prøve æøå"))


@pytest.mark.parametrize("how", MARKED)
def test_single_xml_file_with_a_bom_imports_like_inside_a_tar(tmp_path: Path, how: str) -> None:
    data = _encode(_doc().decode("utf-8"), how)
    single = tmp_path / "f.xml"
    single.write_bytes(data)
    archive = tmp_path / "a.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("a/f.xml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    texts = []
    for source in (single, archive):
        db = tmp_path / f"{source.name}.sqlite"
        summary = run_import([Source(source)], db, fresh=True, workers=0)
        assert summary.imported == 1, (source, summary.archives, dict(summary.skipped))
        texts.append(Store.open_readonly(db).node("forskrift/2001-01-01-1/§1/ledd/1").text)
    assert texts == ["Kommunen skal prøve æøå"] * 2


@pytest.mark.parametrize("how, words", [("utf-16-le", "UTF-16 uten merke"),
                                        ("utf-16-be", "UTF-16 uten merke"),
                                        ("latin-1", "oppgir ingen annen tegnkoding")])
def test_single_xml_file_in_another_encoding_is_refused_in_norwegian(tmp_path: Path, capsys,
                                                                     how: str, words: str) -> None:
    path = tmp_path / "f.xml"
    path.write_bytes(_doc().decode("utf-8").encode(how))
    summary = run_import([Source(path)], tmp_path / "kb.sqlite", fresh=True, workers=0)
    assert summary.imported == 0 and dict(summary.skipped) == {"ikke_utf8": 1}
    code = cli_main(["--db", str(tmp_path / "kb2.sqlite"), "import", str(path)])
    out = capsys.readouterr()
    assert code == 2 and words in out.out + out.err and "ikke UTF-8" in out.out + out.err
    assert "Traceback" not in out.err
