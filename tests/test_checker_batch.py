"""`regelsjekk sjekk`: many files, several processes, broken files, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from regelsjekk.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = """søknad "Rapportering"
  søker: Testby kommune (kommune)
  unntak kommuneloven § 16-1
    erstatning: "Maskinell rapportering."
slutt
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "soknader"
    d.mkdir()
    for name in ("akershus-innsigelser", "sosialhjelp-lavere-satser", "inderoy-komiteer"):
        shutil.copy(EXAMPLES / f"{name}.forsok", d / f"{name}.forsok")
    (d / "odelagt.forsok").write_text('søknad "Uten slutt"\n  søker: X kommune (kommune)\n',
                                      encoding="utf-8")
    (d / "binaer.forsok").write_bytes(b"\xff\xfe\x00garbage\x81")
    (d / "notater.txt").write_text("ikke en søknad", encoding="utf-8")
    return d


NO_STORE = str(Path(__file__).resolve().parent / "ingen-importert-kunnskapsbase.sqlite")


def run(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI in-process, on the built-in knowledge base (whatever the user has imported)."""
    code = main(["--db", NO_STORE, "sjekk", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_files_never_stop_the_rest(capsys, folder, jobs):
    code, out, err = run(capsys, str(folder), "--format", "csv", "--jobs", jobs)
    assert code == 2  # input errors win over "some request lacks hjemmel"
    rows = list(csv.DictReader(io.StringIO(out)))
    by_file = {Path(r["fil"]).name: r for r in rows}
    assert by_file["akershus-innsigelser.forsok"]["resultat"] == "hjemmel"
    assert by_file["sosialhjelp-lavere-satser.forsok"]["resultat"] == "ikke_hjemmel"
    assert by_file["inderoy-komiteer.forsok"]["resultat"] == "krever_ikke_forsok"
    assert by_file["odelagt.forsok"]["resultat"] == "feil"
    assert by_file["binaer.forsok"]["resultat"] == "feil"
    assert "notater.txt" not in by_file  # folders are searched for *.forsok and *.json only
    assert [Path(r["fil"]).name for r in rows] == sorted(by_file)  # input order, whatever --jobs
    assert "odelagt.forsok" in err and "UTF-8" in err
    assert "Sjekket 3 søknader i 5 filer" in err and "2 filer med feil" in err


def test_exit_codes(capsys, tmp_path):
    good = tmp_path / "god.forsok"
    good.write_text(GOOD, encoding="utf-8")
    assert run(capsys, str(good))[0] == 0
    assert run(capsys, str(EXAMPLES / "sosialhjelp-lavere-satser.forsok"))[0] == 1
    assert run(capsys, str(EXAMPLES / "vega-fiskerinemnd.forsok"))[0] == 2
    code, _, err = run(capsys, str(tmp_path / "finnes-ikke.forsok"))
    assert code == 2 and "finnes ikke" in err
    assert run(capsys)[0] == 3


def test_unresolved_citation_is_shown_with_a_caret(capsys):
    code, _, err = run(capsys, str(EXAMPLES / "vega-fiskerinemnd.forsok"))
    assert code == 2
    assert "vega-fiskerinemnd.forsok:10:10" in err
    assert "^^^^" in err


def test_one_request_gives_one_json_object_many_give_a_list(capsys, folder):
    code, out, _ = run(capsys, str(EXAMPLES / "akershus-innsigelser.forsok"), "--format", "json")
    assert code == 0 and json.loads(out)["verdict"] == "hjemmel"
    _, out, _ = run(capsys, str(folder), "--format", "json")
    data = json.loads(out)
    assert {Path(x["fil"]).name for x in data if "rapport" in x} == {
        "akershus-innsigelser.forsok", "sosialhjelp-lavere-satser.forsok", "inderoy-komiteer.forsok"}
    assert {Path(x["fil"]).name for x in data if "feil" in x} == {"odelagt.forsok", "binaer.forsok"}


def test_out_folder_gets_one_file_per_request(capsys, folder, tmp_path):
    out_dir = tmp_path / "rapporter"
    code, out, err = run(capsys, str(folder), "--format", "html", "--out", str(out_dir))
    assert code == 2 and out == ""
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["akershus-innsigelser.html", "inderoy-komiteer.html",
                     "sosialhjelp-lavere-satser.html"]
    assert (out_dir / "akershus-innsigelser.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert "Rapportene er skrevet til" in err


def test_text_and_forskrift_to_stdout(capsys):
    code, out, _ = run(capsys, str(EXAMPLES / "indre-namdal-oppgavefellesskap.forsok"), "--spor")
    assert "Resultat: HJEMMEL I FORSØKSLOVEN" in out and "Subsumsjon" in out
    code, out, _ = run(capsys, str(EXAMPLES / "indre-namdal-oppgavefellesskap.forsok"),
                       "--format", "forskrift")
    assert out.splitlines()[2].startswith("Forskrift om forsøk med oppgavefellesskap med "
                                          "vedtaksmyndighet i Indre Namdal, Grong kommune")
    assert "Denne forskrift kommer i stedet for følgende bestemmelser:" in out


def test_internal_error_in_one_file_is_reported_not_raised(capsys, tmp_path, monkeypatch):
    import regelsjekk.batch.runner as runner

    real = runner.check

    def flaky(request, kb, *, today):
        if request.tittel == "Bom":
            raise RuntimeError("noe gikk galt")
        return real(request, kb, today=today)

    monkeypatch.setattr(runner, "check", flaky)
    (tmp_path / "a.forsok").write_text(GOOD.replace("Rapportering", "Bom"), encoding="utf-8")
    (tmp_path / "b.forsok").write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path), "--jobs", "1", "--format", "csv")
    assert code == 2
    assert "intern feil under sjekken: RuntimeError: noe gikk galt" in err
    assert "b.forsok" in out and ",hjemmel," in out


def test_schema_flag_prints_report_schema(capsys):
    code, out, _ = run(capsys, "--skjema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Regelsjekk-rapport"
    assert "verdict" in schema["properties"]


def test_usage_errors_exit_3(capsys):
    code, _, err = run(capsys, "--format", "pdf", "x.forsok")
    assert code == 3 and "ukjent valg «pdf» (velg blant 'text'" in err
    code, _, _ = run(capsys, "--jobs", "-1", "x.forsok")
    assert code == 3


def test_csv_rows_of_broken_files_are_safe_for_spreadsheets(capsys, tmp_path, monkeypatch):
    # A file that gives no report still gets a row, and its cells are guarded like report rows:
    # a name or an error text starting with "=" must not run as a formula.
    bad = tmp_path / "=HYPERLINK(x).forsok"
    bad.write_text("=dette er ikke en søknad\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, bad.name, "--format", "csv", "--jobs", "1")
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0]["resultat"] == "feil"
    assert not any(v.startswith("=") for v in rows[0].values())
    assert rows[0]["fil"] == "'=HYPERLINK(x).forsok"


def test_forked_workers_check_with_the_parents_knowledge_base(monkeypatch, capfd) -> None:
    """Issue 18: `--jobs 2` shares the knowledge base the parent has open (caches and all) with
    forked workers; opening it again cost each worker ~0.5 s, so a batch of 1,000 was slower
    with two workers than with one."""
    import multiprocessing
    from datetime import date

    from regelsjekk.batch import runner
    from regelsjekk.kb import knowledge
    from regelsjekk.kb.knowledge import KnowledgeBase

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("fork is not available here")
    kb = KnowledgeBase.builtin()

    def no_second_open(*_args, **_kwargs):  # noqa: ANN202
        raise AssertionError("a forked worker opened the knowledge base again")

    monkeypatch.setattr(knowledge, "default_kb", no_second_open)
    files = sorted(str(p) for p in EXAMPLES.glob("*.forsok"))[:6]
    one = runner.run_batch(files, "json", kb, jobs=1, today=date(2026, 12, 7))
    two = runner.run_batch(files, "json", kb, jobs=2, today=date(2026, 12, 7))
    assert [o.errors for o in two] == [[]] * len(files)
    assert [[i.rendered for i in o.items] for o in two] == [[i.rendered for i in o.items] for o in one]
    # A worker that failed to start would have been covered for by the parent, silently but for
    # this line: the workers must have done the work.
    assert "arbeidsprosess stoppet" not in capfd.readouterr().err
