"""Defect 9 (issue 19): two batch uploads with the same file name overwrote each other.

The Batch page keys its reports by file name and request number: the CSV, the JSON and the detail
view showed the second report twice and lost the first. read_uploads now gives each accepted file
a name unique in the batch ("a.forsok", "a (2).forsok", …), the suffix kept last because it
decides the format.
"""

from __future__ import annotations

import csv
import io
import zipfile

from regelsjekk.batch.uploads import read_uploads
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import render_csv


def _dsl(title: str) -> bytes:
    return (f'søknad "{title}"\n  søker: Prøve kommune (kommune)\n  periode: fra 2026-01-01 i 4 år\n'
            '  unntak kommuneloven § 19-1 annet ledd\n    virkning: ingen\nslutt\n').encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_same_names_get_unique_names_in_upload_order() -> None:
    batch = read_uploads([
        ("a.forsok", _dsl("Første")), ("a.forsok", _dsl("Andre")),
        ("x.zip", _zip({"a.forsok": _dsl("Tredje")})), ("y.zip", _zip({"a.forsok": _dsl("Fjerde")})),
        ("a (2).forsok", _dsl("Femte")),  # a real file already called what a copy would be called
        ("b.json", b"{}"), ("b.json", b"[]"),
    ])
    assert [f.name for f in batch.files] == ["a.forsok", "a (2).forsok", "a (3).forsok",
                                              "a (4).forsok", "a (2) (2).forsok", "b.json",
                                              "b (2).json"]
    assert len({f.text for f in batch.files}) == 7 and not batch.refused


def test_batch_page_keeps_both_reports_in_table_csv_json_and_detail() -> None:
    from regelsjekk.web.batch import _key, run_batch

    rows, problems, reports = run_batch([("a.forsok", _dsl("Første forsøk")),
                                         ("a.forsok", _dsl("Andre forsøk"))],
                                        KnowledgeBase.builtin())
    assert not [p for p in problems if "feil" in p[1]], problems
    assert [r["Tittel"] for r in rows] == ["Første forsøk", "Andre forsøk"]
    assert len({_key(r) for r in rows}) == 2
    # The detail view and the JSON download read reports[_key(row)]; the CSV download too.
    assert [reports[_key(r)].title for r in rows] == ["Første forsøk", "Andre forsøk"]
    out = render_csv((r["Fil"], reports[_key(r)]) for r in rows)
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(t["fil"], t["tittel"]) for t in table] == [("a.forsok", "Første forsøk"),
                                                         ("a (2).forsok", "Andre forsøk")]
