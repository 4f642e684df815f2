"""`regelsjekk fmt` and `regelsjekk skjema` from the command line (in-process)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from regelsjekk.cli.main import main

GYLDIG = Path(__file__).parent / "fixtures" / "dsl" / "gyldig"
FIXTURES = GYLDIG.parent


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    target.write_text((GYLDIG / name).read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_fmt_prints_the_canonical_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(GYLDIG / "indre-namdal.forsok")]) == 0
    out = capsys.readouterr().out
    assert out == (GYLDIG / "indre-namdal.kanonisk.forsok").read_text(encoding="utf-8")


def test_fmt_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(tmp_path, "indre-namdal.forsok")
    assert main(["fmt", "--check", str(path)]) == 1
    assert "ikke på kanonisk form" in capsys.readouterr().err
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == (GYLDIG / "indre-namdal.kanonisk.forsok").read_text(
        encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 0
    assert not list(tmp_path.glob(".*.tmp"))


def test_fmt_refuses_files_with_errors_and_leaves_them_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "feil.forsok"
    original = (FIXTURES / "ukjent_felt.forsok").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    assert main(["fmt", "--write", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ukjent felt «formal»" in err and "mente du «formål»?" in err
    assert path.read_text(encoding="utf-8") == original


def test_fmt_json_both_ways(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--json", str(GYLDIG / "indre-namdal.forsok")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["unntak"][1]["virkning"] == "innskrenker_rettighet"
    as_json = tmp_path / "soknad.json"
    as_json.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["fmt", str(as_json)]) == 0
    text = capsys.readouterr().out
    assert text == (GYLDIG / "indre-namdal.kanonisk.forsok").read_text(encoding="utf-8").split(
        "\n", 1)[1].replace("\n  # Kjernen i forsøket", "").replace("  # to linjer blir én tekst", "")
    assert main(["fmt", "--write", str(as_json)]) == 3


def test_fmt_reads_standard_input(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('søknad "A"\n søker: Grong kommune\nslutt\n'))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == 'søknad "A"\n  søker: Grong kommune (kommune)\nslutt\n'
    assert main(["fmt", "--check", "-"]) == 3


def test_fmt_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "nei.forsok")]) == 2
    err = capsys.readouterr().err
    assert "kan ikke lese filen" in err
    assert f"{tmp_path / 'nei.forsok'}: feil: kan ikke lese filen: den finnes ikke" in err
    assert "hint: sjekk filnavnet" in err


def test_fmt_file_not_utf8_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.forsok"
    path.write_bytes('søknad "A"\n  søker: Tromsø kommune\nslutt\n'.encode("latin-1"))
    assert main(["fmt", "--write", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:2: feil: filen er ikke lagret som UTF-8" in err
    assert "hint: lagre filen som UTF-8" in err


def test_usage_errors_are_norwegian_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("bruk: regelsjekk fmt ")
    assert "regelsjekk fmt: feil: mangler argument: FIL" in err
    assert "Tips: se «regelsjekk fmt --help»." in err
    assert main(["fmt", "--check", "--write", "x.forsok"]) == 3
    err = capsys.readouterr().err
    assert "--write/--skriv: kan ikke brukes sammen med --check/--sjekk" in err
    assert "error" not in err and "usage" not in err


def test_skjema_prints_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skjema"]) == 0
    out = capsys.readouterr().out
    published = Path(__file__).resolve().parent.parent / "schema" / "forsokssoknad.schema.json"
    assert out == published.read_text(encoding="utf-8")
    assert json.loads(out)["$defs"]["Forsokssoknad"]["title"] == "Forsøkssøknad"
