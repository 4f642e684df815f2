"""Hypothesis strategies over the Request model, for the DSL's round-trip properties.

Text values are drawn from what the language can say exactly: any one-line text (quotes,
backslashes, «», # and every script included), long texts that get wrapped, and texts with line
breaks in the normalised form a triple-quoted block keeps (no blank first/last line, no spaces at
line ends, no common indentation). Names and titles are not blank.
"""

from __future__ import annotations

from hypothesis import strategies as st

from regelsjekk.request.model import (
    Aim,
    Applicant,
    ApplicantKind,
    Effect,
    Exemption,
    Period,
    Request,
)
from regelsjekk.request.texts import normalize_multiline

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
