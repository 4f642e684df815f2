"""A bounded fuzz over the request language, the JSON form, citations and uploads (issue 19).

Each input goes the whole way a user's file goes (parse, resolve citations, check, render the
report in text, CSV and the draft forskrift). Asserted: no exception other than the project's own
(RegelsjekkError; input errors are *returned* as DslError in the result, never raised), and no
single input over 2 s (hypothesis' deadline). The inputs are built from the pieces attackers used
(many «§», huge numbers, far dates, deep brackets, CR/LF, NUL, control and combining characters).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regelsjekk.batch.runner import check_text
from regelsjekk.batch.uploads import UploadLimits, read_uploads
from regelsjekk.core.errors import RegelsjekkError
from regelsjekk.kb.knowledge import KnowledgeBase
from regelsjekk.refs import parse_citations, resolve_citation
from regelsjekk.report.render import render, render_csv

pytestmark = pytest.mark.property

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 1)
# Sized to stay under ~20 s of the suite in all (510 inputs); each input at most 2 s. The issue's
# full run is REGELSJEKK_FUZZ_INPUTS=10000 (the four tests' shares scaled to that total).
BASE_INPUTS = 100 + 150 + 200 + 60
_SCALE = int(os.environ.get("REGELSJEKK_FUZZ_INPUTS") or BASE_INPUTS) / BASE_INPUTS


def inputs(base: int) -> int:
    """This test's share of the run: base inputs in make test, scaled by REGELSJEKK_FUZZ_INPUTS."""
    return max(1, round(base * _SCALE))


FUZZ = settings(deadline=2000, max_examples=inputs(100), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_KB: list[KnowledgeBase] = []


def kb() -> KnowledgeBase:
    if not _KB:
        _KB.append(KnowledgeBase.open(REPO / "ingen.sqlite"))
        check_text('søknad "T"\n  søker: P kommune (kommune)\n  unntak kl. § 1\nslutt\n', "w.forsok",
                   _KB[0], today=TODAY)  # warm the title index and grammar outside any deadline
    return _KB[0]


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Open the knowledge base before the first example, outside hypothesis' deadline."""
    kb()


_WORDS = st.sampled_from([
    "§", "§§", "§ 19-1", " annet ledd", " første ledd", "kommuneloven", "kl.", "fvl.", " i ", " og ",
    " til ", "; ", ", ", "kapittel 5", "kap. IV", "nr. 83", "lov 22. juni 2018 nr. 83", "bokstav a",
    "9" * 40, "1e400", "0000-02-08", "9999-12-31", "31.12.9999", "29.02.2025", "\r", "\n", "\r\n",
    "\t", "\x00", "\u0301", "\u202e", "«", "»", '"', '"""', "\\", "=", "@", "+", "-", "[", "{",
    "æøå", "ÆØÅ", " ", "forsøk", "Forskrift om ", " etter ", "(2)", "jf.", "<script>",
])
_FRAGMENT = st.one_of(_WORDS, st.text(max_size=8)).map(str)
_JUNK = st.lists(_FRAGMENT, max_size=60).map("".join)
_REPEATED = st.tuples(_WORDS, st.integers(1, 3000)).map(lambda t: t[0] * t[1])  # many «§» …
_CITATION = st.one_of(_JUNK, _REPEATED, st.tuples(_JUNK, _REPEATED, _JUNK).map("".join))

_FIELD_LINES = st.sampled_from([
    "  søker: Prøve kommune (kommune)", "  søker: Prøve kommune", "  formål: ", "  mål: demokrati",
    "  periode: fra ", "  periode: i ", " år", " måneder", ", forlengelse ", "  enheter: ",
    "  unntak ", "    virkning: ingen", "    virkning: innskrenker_rettighet", "    erstatning: ",
    "  evaluering: ", "  reversibel: ja", "  høring: nei", "slutt", 'søknad "', '"',
])
_DSL = st.lists(st.one_of(_FIELD_LINES, _CITATION), max_size=25).map(
    lambda parts: 'søknad "Fuzz"\n' + "\n".join(parts) + "\nslutt\n")


def _run_file(text: str, name: str) -> None:
    try:
        done = check_text(text, name, kb(), today=TODAY)
    except RegelsjekkError:
        return
    for report in done.reports:
        for fmt in ("text", "json", "forskrift"):
            assert isinstance(render(report, fmt), str)
        render_csv([(name, report)])
    done.result.render()


@FUZZ
@given(_DSL)
@example('søknad "T"\n  søker: P kommune (kommune)\n  periode: fra 9999-06-01 i 3 år\nslutt\n')
def test_request_language(text: str) -> None:
    _run_file(text, "fuzz.forsok")


_JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       st.text(max_size=20), _CITATION)
_JSON_VALUE = st.recursive(_JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
_FORM = st.fixed_dictionaries({
    "tittel": st.one_of(st.text(max_size=30), _JSON_VALUE),
    "sokere": st.one_of(st.just([{"navn": "Prøve kommune", "type": "kommune"}]), _JSON_VALUE),
}, optional={
    "periode": st.one_of(st.fixed_dictionaries({"varighet_ar": _JSON_LEAF},
                                               optional={"start": _JSON_LEAF,
                                                         "forlengelse_ar": _JSON_LEAF}),
                         _JSON_VALUE),
    "unntak": st.lists(st.fixed_dictionaries({"bestemmelser": st.lists(_CITATION, max_size=3)},
                                             optional={"virkning": _JSON_LEAF}), max_size=3),
    "enheter": _JSON_LEAF, "merknad": _JSON_VALUE,
})
_RAW_NUMBERS = st.sampled_from(["1" + "0" * 5000, "1e400", "-1e999", "1" * 400 + ".5", "NaN",
                                "Infinity", "[" * 2000, "{\"a\":" * 2000])


@settings(FUZZ, max_examples=inputs(150))
@given(st.one_of(_FORM.map(lambda f: json.dumps(f, ensure_ascii=False)),
                 st.tuples(_FORM, _RAW_NUMBERS).map(
                     lambda t: json.dumps(t[0])[:-1] + ', "enheter": ' + t[1] + "}"),
                 _JUNK.map(lambda s: "{" + s), _JSON_VALUE.map(json.dumps)))
@example("[" * 2000)  # the attack run's finds, always tried
@example('{"tittel": "T", "enheter": ' + "[" * 2000 + "]" * 2000 + "}")
@example('{"tittel": "T", "sokere": [{"navn": "P", "type": "kommune"}], '
         '"periode": {"varighet_ar": 1e400}}')
def test_json_form(text: str) -> None:
    _run_file(text, "fuzz.json")


@settings(FUZZ, max_examples=inputs(200))
@given(_CITATION)
@example("kommuneloven " + "§ " * 3000)
def test_citations(text: str) -> None:
    parse_citations(text)
    try:
        resolve_citation(text, kb(), today=TODAY)
    except RegelsjekkError:
        pass


_NAMES = st.one_of(st.sampled_from(["a.forsok", "a.json", "../a.forsok", "/etc/a.forsok",
                                    "a.zip", "A.FORSOK", "a.forsok (2)", "søknad.txt", ""]),
                   st.text(max_size=20))


@settings(FUZZ, max_examples=inputs(60))
@given(st.lists(st.tuples(_NAMES, st.one_of(st.binary(max_size=200), _DSL.map(str.encode),
                                              _JUNK.map(str.encode))), max_size=6))
def test_uploads(items: list[tuple[str, bytes]]) -> None:
    batch = read_uploads(items, UploadLimits(max_files=5, max_file_bytes=64 * 1024))
    names = [f.name for f in batch.files]
    assert len(names) == len(set(names))
    for f in batch.files:
        _run_file(f.text, f.name)
