"""Defect 6 (issue 19): Lovtidend documents with an in-force date "0000-…".

Six documents in the shared 1982–2000 archive carry dateInForce "0000-02-08" and the like. The
import now takes every impossible date out of the metadata (stored as unknown, counted in the
summary as ``ugyldig_dato``), and the readers still cope with a store written before that.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from _hostile_kit import article, lovdata_xml

from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.lovdata.load import Source, run_import
from regelsjekk.lovdata.parse import parse_document
from regelsjekk.lookup.provisions import lookup

DOC = "forskrift/1988-02-05-134"


def _dated(in_force: str, published: str = "1988-02-24") -> bytes:
    header = (f'<dt class="dateInForce">I kraft</dt><dd class="dateInForce">{in_force}</dd>'
              f'<dt class="dateOfPublication">K</dt><dd class="dateOfPublication">{published}</dd>')
    return lovdata_xml(DOC, article("1", "Forskriften gjelder for Prøve kommune."), header=header,
                       title="Forskrift om vedtekter for et prøveutvalg, Prøve kommune")


@pytest.mark.parametrize(("raw", "kept", "bad"), [
    ("0000-02-08", None, 1),
    ("1990-02-30", None, 1),
    ("1988-03-01, 0000-02-08", "1988-03-01", 1),
    ("0000-02-08 og Kongen bestemmer", "Kongen bestemmer", 1),
    ("1988-03-01", "1988-03-01", 0),
    ("Kongen bestemmer", "Kongen bestemmer", 0),
])
def test_impossible_dates_are_taken_out_and_counted(raw: str, kept: str | None, bad: int) -> None:
    from regelsjekk.lovdata.header import valid_dates

    stats: Counter = Counter()
    assert valid_dates(raw, stats) == kept
    assert stats["ugyldig_dato"] == bad


def test_import_stores_an_impossible_in_force_date_as_unknown_and_reports_it(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    parsed = parse_document(_dated("0000-02-08"))
    assert parsed.document.meta.date_in_force is None
    assert parsed.document.meta.date_of_publication == "1988-02-24"
    assert parsed.stats["ugyldig_dato"] == 1

    folder = tmp_path / "lti"
    folder.mkdir()
    (folder / "lf-19880205-134.xml").write_bytes(_dated("0000-02-08"))
    db = tmp_path / "kb.sqlite"
    summary = run_import([Source(folder)], db, workers=0)
    assert summary.notes["ugyldig_dato"] == 1
    assert "umulige datoer" in summary.render()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT date_in_force FROM documents WHERE doc_id = ?",
                           (DOC,)).fetchone() == (None,)

    # The lookup the attack crashed: an answer (exit 2: not known to be current law), no traceback.
    code = cli_main(["--db", str(db), "slå-opp", DOC])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in err and "ukjent om gjeldende" in out


def test_readers_cope_with_a_store_written_before_the_check(tmp_path: Path) -> None:
    """An older store still holds "0000-02-08": status, lookup and the time note must answer."""
    folder = tmp_path / "lti"
    folder.mkdir()
    (folder / "lf-19880205-134.xml").write_bytes(_dated("1988-02-08"))
    db = tmp_path / "kb.sqlite"
    run_import([Source(folder)], db, workers=0)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE documents SET date_in_force = '0000-02-08', last_change_in_force = "
                    "'1990-02-30', meta = json_set(meta, '$.date_in_force', '0000-02-08', "
                    "'$.last_change_in_force', '1990-02-30') WHERE doc_id = ?", (DOC,))
    kb = KnowledgeBase.open(db)
    assert kb.document(DOC).date_in_force == "0000-02-08"
    for day in (date(1987, 1, 1), date(1989, 1, 1), date(2026, 1, 1)):
        st = kb.status(DOC, day)
        assert st is not None and st.state.value == "ukjent"
        result = lookup(DOC, kb, today=day, with_neighbourhood=True)
        assert result.found and result.document is not None
