"""Defect 7 (issue 19): a period past year 9999 crashed the draft forskrift.

"fra 9999-06-01 i 3 år" parsed, checked, and then `report/forskrift.py` computed 10002-06-01 and
raised ValueError (CLI: "intern feil"; the Sjekk idé page after the verdict). A duration of 10^400
years (a float overflow to inf) raised OverflowError the same way. Now every entry point (the
request language, the JSON form, the app's form, which all build a `Period`) refuses such a period
with a Norwegian message, and the draft never raises on a period read from elsewhere.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from regelsjekk.batch.runner import check_text
from regelsjekk.check.verdict import PeriodInfo
from regelsjekk.cli.main import main as cli_main
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.report.render import render
from regelsjekk.request.load import load_request_text
from regelsjekk.request.model import Period

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 1)


def _dsl(period: str) -> str:
    return ('søknad "Forsøk med felles skiltmyndighet"\n'
            '  søker: Prøve kommune (kommune)\n'
            f'  periode: {period}\n'
            '  unntak kommuneloven § 19-1 annet ledd\n'
            '    virkning: ingen\n'
            'slutt\n')


HOSTILE_PERIODS = ["fra 9999-06-01 i 3 år", "fra 31.12.9999 i 1 år", "i " + "9" * 400 + " år",
                   "fra 2026-01-01 i 4 år, forlengelse " + "9" * 400 + " år",
                   "fra 9990-01-01 i 4 år, forlengelse 8 år"]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.open(REPO / "ingen.sqlite")


@pytest.mark.parametrize("period", HOSTILE_PERIODS)
def test_request_language_refuses_a_period_that_cannot_be_dated(period: str, kb) -> None:
    result = load_request_text(_dsl(period), "hostile.forsok")
    assert not result.ok
    message = "\n".join(e.message for e in result.errors)
    assert "9999" in message or "for lang" in message, message
    # Through the whole check and every report format: errors, never an exception.
    done = check_text(_dsl(period), "hostile.forsok", kb, today=TODAY)
    assert not done.reports and done.errors


@pytest.mark.parametrize(("periode", "words"), [
    ({"start": "9999-06-01", "varighet_ar": 3}, "9999"),
    ({"varighet_ar": 1e300}, "for lang"),
    ({"start": "2026-01-01", "varighet_ar": 4, "forlengelse_ar": 1e300}, "for lang"),
])
def test_json_form_refuses_it_with_a_pointer(periode: dict, words: str) -> None:
    text = json.dumps({"tittel": "T", "sokere": [{"navn": "Prøve kommune", "type": "kommune"}],
                       "periode": periode})
    result = load_request_text(text, "hostile.json")
    assert not result.ok
    assert any(words in e.message and e.pointer == "/periode" for e in result.errors), \
        [(e.message, e.pointer) for e in result.errors]


def test_json_number_that_overflows_to_infinity_is_refused() -> None:
    text = ('{"tittel": "T", "sokere": [{"navn": "P kommune", "type": "kommune"}], '
            '"periode": {"varighet_ar": 1e400}}')
    result = load_request_text(text, "hostile.json")
    assert not result.ok
    assert result.errors[0].message in ("ugyldig tall «1e400» i JSON",  # refused when read
                                        "varigheten er for lang; forsøksperioden kan ikke være "
                                        "over 100 år")


def test_app_form_period_is_refused_by_the_model() -> None:
    with pytest.raises(ValidationError, match="9999"):
        Period(start=date(9999, 6, 1), varighet_ar=3)
    assert Period(start=date(9995, 1, 1), varighet_ar=4).varighet_ar == 4  # ends in 9999: fine


@pytest.mark.parametrize(("start", "years"), [("9999-06-01", 3.0), ("2026-01-01", float("inf")),
                                               ("2026-02-30", 4.0), ("0000-01-01", 4.0)])
def test_draft_forskrift_never_raises_on_a_period_from_elsewhere(start: str, years: float,
                                                                kb) -> None:
    done = check_text(_dsl("fra 2026-01-01 i 4 år"), "ok.forsok", kb, today=TODAY)
    report = done.reports[0]
    report.period = PeriodInfo(start=start, years=years)
    text = render(report, "forskrift")
    assert "Ikrafttredelse og varighet" in text and "[dato]" in text


def test_cli_says_it_in_norwegian_and_exits_with_an_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "hostile.forsok"
    path.write_text(_dsl("fra 9999-06-01 i 3 år"), encoding="utf-8")
    code = cli_main(["--db", str(tmp_path / "ingen.sqlite"), "sjekk", "--format", "forskrift", str(path)])
    out, err = capsys.readouterr()
    assert "intern feil" not in out + err
    assert "slutter etter år 9999" in err
    assert code != 0
