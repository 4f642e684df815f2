"""`regelsjekk fmt`: the canonical form round-trips (property-tested) and is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.dsl_strategies import REQUESTS

from regelsjekk.request.load import (
    format_request,
    format_requests,
    format_source,
    parse_requests,
)
from regelsjekk.request.model import Applicant, ApplicantKind, Request

GYLDIG = Path(__file__).parent / "fixtures" / "dsl" / "gyldig"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _dump(requests: list[Request]) -> list[dict]:
    return [r.model_dump() for r in requests]


def _reparse(text: str) -> list[Request]:
    result = parse_requests(text)
    assert result.ok, result.render() + "\n---\n" + text
    return result.requests


def test_canonical_form_is_pinned() -> None:
    text = (GYLDIG / "indre-namdal.forsok").read_text()
    canonical, result = format_source(text, "indre-namdal.forsok")
    assert result.ok
    assert canonical == (GYLDIG / "indre-namdal.kanonisk.forsok").read_text()


def test_nynorsk_formats_to_the_same_canonical_text_apart_from_comments() -> None:
    bm = _reparse((GYLDIG / "indre-namdal.forsok").read_text())
    nn = _reparse((GYLDIG / "indre-namdal-nynorsk.forsok").read_text())
    assert format_requests(nn) == format_requests(bm)


def test_formatting_is_idempotent_on_every_sample_and_example() -> None:
    paths = sorted(GYLDIG.glob("*.forsok")) + sorted(EXAMPLES.glob("*.forsok"))
    for path in paths:
        once, result = format_source(path.read_text(encoding="utf-8"), path.name)
        assert once is not None, result.render()
        twice, _ = format_source(once)
        assert twice == once, path
        assert _dump(_reparse(once)) == _dump(result.requests), path


def test_comments_stay_with_their_lines() -> None:
    text = ('# om filen\nsøknad "A"  # tittel\n  # om søkeren\n  søker: Grong kommune\n'
            '  unntak x\n    # om virkningen\n    virkning: ingen # sikker?\nslutt\n# til slutt\n')
    out, _ = format_source(text)
    assert out == ('# om filen\nsøknad "A"  # tittel\n  # om søkeren\n'
                   '  søker: Grong kommune (kommune)\n\n  unntak x\n    # om virkningen\n'
                   '    virkning: ingen  # sikker?\nslutt\n\n# til slutt\n')
    assert format_source(out)[0] == out


def test_fields_are_reordered_and_spelt_in_bokmal() -> None:
    text = ('søknad "A"\n  høyring: nei\n  søkjar: Vestland fylkeskommune\n  føremål: x\n'
            '  vedtak: ja\n  periode: 30 månader\nslutt\n')
    out, _ = format_source(text)
    assert out == ('søknad "A"\n  søker: Vestland fylkeskommune (fylkeskommune)\n  formål: "x"\n'
                   '  periode: 2,5 år\n  vedtak i fylkestinget: ja\n  høring: nei\nslutt\n')


def test_long_text_is_wrapped_and_comes_back_exactly() -> None:
    words = " ".join(f"ord{i}" for i in range(80)) + "  to  mellomrom "
    req = Request(tittel="A", sokere=[Applicant(navn="B", type=ApplicantKind.KOMMUNE)], formal=words)
    text = format_request(req)
    assert max(len(line) for line in text.split("\n")) <= 100
    assert _reparse(text)[0].formal == words


# ---- property: parse(format(r)) == r for requests over the whole model ----
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.property
@given(st.lists(REQUESTS, min_size=1, max_size=3))
def test_round_trip_over_the_request_model(requests: list[Request]) -> None:
    text = format_requests(requests)
    back = _reparse(text)
    assert _dump(back) == _dump(requests)
    assert format_requests(back) == text  # and formatting again changes nothing


@settings(max_examples=60, deadline=None)
@pytest.mark.property
@given(REQUESTS)
def test_a_single_request_round_trips(req: Request) -> None:
    assert _dump(_reparse(format_request(req))) == _dump([req])
