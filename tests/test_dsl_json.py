"""The JSON form: same requests as the language, a published schema that is current and strict."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.dsl_strategies import REQUESTS

from regelsjekk.request.load import (
    format_requests,
    json_schema,
    load_json,
    parse_requests,
    schema_text,
)
from regelsjekk.request.model import Request

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "schema" / "forsokssoknad.schema.json"
GYLDIG = Path(__file__).parent / "fixtures" / "dsl" / "gyldig"


def _validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_published_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schema/forsokssoknad.schema.json is out of date: "
        "regelsjekk skjema > schema/forsokssoknad.schema.json")


def test_schema_has_no_source_spans_and_forbids_unknown_fields() -> None:
    schema = json_schema()
    text = json.dumps(schema)
    assert "span" not in text and "SourceSpan" not in text
    for name in ("Forsokssoknad", "Soker", "Periode", "Unntak"):
        assert schema["$defs"][name]["additionalProperties"] is False
        for prop in schema["$defs"][name]["properties"].values():
            assert prop.get("description"), (name, prop)


def test_language_and_json_give_the_same_requests() -> None:
    result = parse_requests((GYLDIG / "indre-namdal.forsok").read_text())
    as_json = json.dumps([r.model_dump(mode="json", exclude_none=True) for r in result.requests],
                         ensure_ascii=False)
    assert not list(_validator().iter_errors(json.loads(as_json)))
    back = load_json(as_json, "a.json")
    assert back.ok, back.render()
    assert [r.model_dump() for r in back.requests] == [r.model_dump() for r in result.requests]
    assert back.requests[0].unntak[1].citation_spans[0].pointer == "/0/unntak/1/bestemmelser/0"


def test_one_object_is_one_request() -> None:
    one = {"tittel": "A", "sokere": [{"navn": "Grong kommune", "type": "kommune"}]}
    result = load_json(json.dumps(one))
    assert result.ok and result.requests[0].span.pointer == "/"
    assert not list(_validator().iter_errors(one))


def test_schema_and_loader_agree_on_bad_documents() -> None:
    bad = [
        {"tittel": "A", "sokere": []},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommunen"}]},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommune"}], "formaal": "x"},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommune", "span": {}}]},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommune"}], "enheter": 0},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommune"}],
         "periode": {"varighet_ar": 0}},
        {"tittel": "A", "sokere": [{"navn": "B", "type": "kommune"}],
         "unntak": [{"bestemmelser": ["x"], "virkning": "innskrenker"}]},
        [],
    ]
    validator = _validator()
    for doc in bad:
        assert list(validator.iter_errors(doc)), doc
        assert not load_json(json.dumps(doc)).ok, doc


def test_errors_point_at_the_line_of_the_json_member() -> None:
    text = ('[\n  {"tittel": "A",\n   "sokere": [{"navn": "B", "type": "kommune"}]},\n'
            '  {"tittel": "C",\n   "sokere": [{"navn": "D", "type": "stat"}]}\n]\n')
    (err,) = load_json(text, "x.json").errors
    assert (err.line, err.pointer, err.code) == (5, "/1/sokere/0/type", "json_ugyldig")
    assert err.hint == "mente du «statlig_organ»?"


def test_infinity_and_nan_are_refused() -> None:
    text = '{"tittel": "A", "sokere": [{"navn": "B", "type": "kommune"}], "periode": {"varighet_ar": Infinity}}'
    assert [e.code for e in load_json(text).errors] == ["json_syntaks"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.property
@given(st.data())
def test_json_form_of_generated_requests_is_valid_and_round_trips(data: st.DataObject) -> None:
    requests: list[Request] = data.draw(st.lists(REQUESTS, min_size=1, max_size=2))
    doc = json.loads(json.dumps([r.model_dump(mode="json") for r in requests]))
    assert not list(_validator().iter_errors(doc))
    back = load_json(json.dumps(doc, ensure_ascii=False))
    assert back.ok, back.render()
    assert [r.model_dump() for r in back.requests] == [r.model_dump() for r in requests]
    # and the language form of what came in as JSON reads back the same
    again = parse_requests(format_requests(back.requests))
    assert [r.model_dump() for r in again.requests] == [r.model_dump() for r in requests]
