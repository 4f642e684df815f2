"""Defect 10 (issue 19): any broken Lovdata XML was called an "HTML page".

Lovdata's documents start with ``<!DOCTYPE html><html>`` like a web page, so every syntax error
in one was reported as «HTML-side (for eksempel en feilside fra en nettjener)», with lxml's
English message attached. Now a document with Lovdata's header is «ikke gyldig XML (linje …)»,
only a page without it is an HTML page, and both messages are Norwegian and say what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _hostile_kit import article, lovdata_xml

from regelsjekk.lovdata.archive import iter_source
from regelsjekk.lovdata.errors import ArchiveError, ImportProblem
from regelsjekk.lovdata.parse import parse_document

ENGLISH = ("Opening and ending tag", "mismatch", "expected", "Premature end", "line ")


def _problem(data: bytes) -> ImportProblem:
    with pytest.raises(ImportProblem) as info:
        parse_document(data, "x.xml")
    return info.value


@pytest.mark.parametrize("damage", ["cut", "tag"])
def test_broken_lovdata_document_is_broken_xml_not_an_html_page(damage: str) -> None:
    good = lovdata_xml("forskrift/2001-01-01-1", article("1", "Tekst"))
    data = good[: len(good) // 2] if damage == "cut" else good.replace(b"</article>", b"</p>", 1)
    problem = _problem(data)
    assert problem.code == "ikke_xml", problem.message
    assert "ikke gyldig XML (linje 1, kolonne" in problem.message
    assert "HTML" not in problem.message and "Last ned arkivet på nytt" in problem.message
    assert not any(word in problem.message for word in ENGLISH), problem.message


def test_broken_error_page_is_an_html_page_with_a_hint() -> None:
    problem = _problem(b"<!DOCTYPE html><html><head><title>502</title></head><body><p>Feil<br>"
                       b"</body></html>")
    assert problem.code == "html_side"
    assert "HTML-side" in problem.message and "feilside fra nettjeneren" in problem.message
    assert "Last ned arkivet på nytt" in problem.message
    assert not any(word in problem.message for word in ENGLISH), problem.message


def test_html_page_instead_of_an_archive_says_what_to_do(tmp_path: Path) -> None:
    page = tmp_path / "gjeldende-lover.tar.bz2"
    page.write_bytes(b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>")
    with pytest.raises(ArchiveError) as info:
        list(iter_source(page))
    message = info.value.message
    assert "HTML-side" in message and "ikke et Lovdata-arkiv" in message
    assert "Last ned på nytt" in message and "--url" in message
