"""`regelsjekk fmt`: the canonical form round-trips (property-tested) and is idempotent."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regelsjekk.dsl import format_request, format_requests, format_source, parse_requests
from regelsjekk.dsl.texts import normalize_multiline
from regelsjekk.request import Aim, Applicant, ApplicantKind, Effect, Exemption, Period, Request

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
_CHAR = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_LINE = st.text(_CHAR, max_size=30)
_PRINTABLE_WORD = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Z")), min_size=1, max_size=12)
_LONG = st.lists(_PRINTABLE_WORD, min_size=12, max_size=25).map(" ".join)
_MULTI = st.lists(_LINE, min_size=2, max_size=5).map("\n".join).map(normalize_multiline)
_TEXT = st.one_of(_LINE, _LONG, _MULTI)
_NAME = st.text(_CHAR, min_size=1, max_size=30).filter(lambda s: s.strip())  # blank names are refused
_TITLE = st.one_of(_LINE, _LONG, _MULTI).filter(lambda s: s.strip())
_YEARS = st.one_of(st.integers(1, 6).map(float), st.sampled_from([0.5, 1.5, 2.25, 7 / 12, 1 / 3]),
                   st.floats(min_value=0, max_value=1e6, exclude_min=True, allow_nan=False))


def _opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


_APPLICANTS = st.lists(st.builds(Applicant, navn=_NAME, type=st.sampled_from(ApplicantKind)),
                       min_size=1, max_size=4)
_PERIOD = st.builds(Period, start=_opt(st.dates()), varighet_ar=_YEARS,
                    forlengelse_ar=_opt(st.one_of(st.just(0.0), _YEARS)), reform=_opt(_TEXT))
_EXEMPTION = st.builds(Exemption, bestemmelser=st.lists(_LINE, min_size=1, max_size=3),
                       virkning=st.sampled_from(Effect), erstatning=_opt(_TEXT),
                       rettssikkerhet=_opt(_TEXT), begrunnelse=_opt(_TEXT))
REQUESTS = st.builds(
    Request, tittel=_TITLE, sokere=_APPLICANTS, formal=_opt(_TEXT),
    mal=st.lists(st.sampled_from(Aim), max_size=5), periode=_opt(_PERIOD),
    enheter=_opt(st.integers(1, 10**12)), enheter_begrunnelse=_opt(_TEXT),
    evaluering=_opt(_TEXT), reversibel=_opt(st.booleans()), vedtak_kommunestyre=_opt(st.booleans()),
    horing=_opt(st.booleans()), unntak=st.lists(_EXEMPTION, max_size=3), merknad=_opt(_TEXT))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(REQUESTS, min_size=1, max_size=3))
def test_round_trip_over_the_request_model(requests: list[Request]) -> None:
    text = format_requests(requests)
    back = _reparse(text)
    assert _dump(back) == _dump(requests)
    assert format_requests(back) == text  # and formatting again changes nothing


@settings(max_examples=60, deadline=None)
@given(REQUESTS)
def test_a_single_request_round_trips(req: Request) -> None:
    assert _dump(_reparse(format_request(req))) == _dump([req])
