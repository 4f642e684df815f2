"""Hypothesis strategies over the Request model, for the DSL's round-trip properties.

Text values are drawn from what the language can say exactly: any one-line text (quotes,
backslashes, «», # and every script included), long texts that get wrapped, and texts with line
breaks in the normalised form a triple-quoted block keeps (no blank first/last line, no spaces at
line ends, no common indentation). Names and titles are not blank.
"""

from __future__ import annotations

from hypothesis import strategies as st

from regelsjekk.request.model import (
    MAX_YEARS,
    Aim,
    Applicant,
    ApplicantKind,
    Effect,
    Exemption,
    Period,
    Request,
    period_problem,
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
# Periods the model accepts: at most MAX_YEARS each, ending by 31.12.9999 (period_problem).
_YEARS = st.one_of(st.integers(1, 6).map(float), st.sampled_from([0.5, 1.5, 2.25, 7 / 12, 1 / 3]),
                   st.floats(min_value=0, max_value=MAX_YEARS, exclude_min=True, allow_nan=False))


def _opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


_APPLICANTS = st.lists(st.builds(Applicant, navn=_NAME, type=st.sampled_from(ApplicantKind)),
                       min_size=1, max_size=4)
_PERIOD = st.tuples(_opt(st.dates()), _YEARS, _opt(st.one_of(st.just(0.0), _YEARS)),
                    _opt(_TEXT)).filter(lambda t: period_problem(*t[:3]) is None).map(
    lambda t: Period(start=t[0], varighet_ar=t[1], forlengelse_ar=t[2], reform=t[3]))
_EXEMPTION = st.builds(Exemption, bestemmelser=st.lists(_LINE, min_size=1, max_size=3),
                       virkning=st.sampled_from(Effect), erstatning=_opt(_TEXT),
                       rettssikkerhet=_opt(_TEXT), begrunnelse=_opt(_TEXT))
REQUESTS = st.builds(
    Request, tittel=_TITLE, sokere=_APPLICANTS, formal=_opt(_TEXT),
    mal=st.lists(st.sampled_from(Aim), max_size=5), periode=_opt(_PERIOD),
    enheter=_opt(st.integers(1, 10**12)), enheter_begrunnelse=_opt(_TEXT),
    evaluering=_opt(_TEXT), reversibel=_opt(st.booleans()), vedtak_kommunestyre=_opt(st.booleans()),
    horing=_opt(st.booleans()), unntak=st.lists(_EXEMPTION, max_size=3), merknad=_opt(_TEXT))
