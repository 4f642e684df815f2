"""The published JSON Schema of the JSON form (`regelsjekk skjema`), generated from the model.

The schema is `Request.model_json_schema()` with what the JSON form does not carry (source spans)
taken out, unknown fields forbidden (as the loader does), Norwegian names and descriptions for
the people who connect other systems, and a top level that accepts one request or a list.
`schema/forsokssoknad.schema.json` in the repository is this function's output; a test keeps it
current (regenerate with `regelsjekk skjema > schema/forsokssoknad.schema.json`).
"""

from __future__ import annotations

import json
from typing import Any

from regelsjekk.request.jsonform import SCHEMA_ID, SPAN_FIELDS
from regelsjekk.request.model import Request

_DEF_NAMES = {"Applicant": "Soker", "ApplicantKind": "Sokertype", "Aim": "Mal",
              "Effect": "Virkning", "Exemption": "Unntak", "Period": "Periode"}
_TITLES = {"Forsokssoknad": "Forsøkssøknad", "Soker": "Søker", "Sokertype": "Søkertype",
           "Mal": "Mål etter forsøksloven § 1", "Virkning": "Virkning for enkeltpersoner",
           "Unntak": "Unntak", "Periode": "Forsøksperiode"}
_DEF_DOCS = {
    "Forsokssoknad": "Én søknad om forsøk etter forsøksloven (lov 1992-06-26-87) eller en "
                     "særlovs egen forsøkshjemmel.",
    "Soker": "Den som søker: en kommune, fylkeskommune, et statlig organ (regionalt/lokalt eller "
             "sentralt) eller en privat virksomhet (som forsøksloven ikke gjelder for, § 2).",
    "Sokertype": "Hva slags organ søkeren er.",
    "Mal": "Målene forsøksloven § 1 nevner; et forsøk må fremme minst ett av dem.",
    "Virkning": "Hva unntaket gjør med enkeltpersoners rettigheter og plikter. Forsøksloven "
                "§ 4 annet ledd stenger for innskrenkede rettigheter og utvidede plikter.",
    "Unntak": "Én eller flere bestemmelser det søkes unntak fra, og regelen som kommer i stedet.",
    "Periode": "Hvor lenge forsøket skal vare (forsøksloven § 3 tredje ledd).",
}
_FIELD_DOCS: dict[str, dict[str, str]] = {
    "Forsokssoknad": {
        "tittel": "Søknadens tittel.",
        "sokere": "Søkerne. Flere søkere betyr et felles forsøk; søknaden må da vedtas av "
                  "hvert kommunestyre og fylkesting.",
        "formal": "Formålet med forsøket, med søkerens egne ord.",
        "mal": "Hvilke mål i forsøksloven § 1 forsøket skal fremme.",
        "periode": "Forsøksperioden.",
        "enheter": "Antall forsøksenheter (kommuner, skoler, kontorer …).",
        "enheter_begrunnelse": "Hvorfor dette antallet: hva forsøket skal lære.",
        "evaluering": "Planen for evaluering: hvem, hvordan og med hvilke midler.",
        "samarbeid": "Hvem som samarbeider i forsøket, og hvordan (det en sektorlovs "
                     "forsøkshjemmel for samarbeid spør om).",
        "reversibel": "Om forsøket kan avsluttes og ordningen føres tilbake.",
        "vedtak_kommunestyre": "Om søknaden er (eller blir) vedtatt av kommunestyret eller "
                               "fylkestinget hos hver deltaker.",
        "horing": "Om utkastet til lokal forskrift for forsøket sendes på høring.",
        "unntak": "Bestemmelsene det søkes unntak fra.",
        "merknad": "Andre opplysninger.",
    },
    "Soker": {"navn": "Navnet, som «Grong kommune».", "type": "Hva slags organ søkeren er."},
    "Periode": {
        "start": "Første dag i forsøket (ÅÅÅÅ-MM-DD).",
        "varighet_ar": "Forsøkets lengde i år (inntil 4 år etter forsøksloven; 1,5 = 18 måneder).",
        "forlengelse_ar": "Planlagt forlengelse i år (inntil 2 år etter forsøksloven).",
        "reform": "En planlagt eller vedtatt reform forsøket skal vare fram til.",
    },
    "Unntak": {
        "bestemmelser": "Henvisninger slik de skrives, som «kommuneloven § 19-1 annet ledd».",
        "virkning": "Virkningen for enkeltpersoner.",
        "erstatning": "Regelen som kommer i stedet for bestemmelsene (forsøksloven § 5).",
        "rettssikkerhet": "For saksbehandlingsregler: framgangsmåten som ivaretar "
                          "enkeltpersoners rettssikkerhet minst like godt "
                          "(forsøksloven § 4 første ledd bokstav c).",
        "begrunnelse": "Hvorfor unntaket trengs.",
    },
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a request file in JSON form."""
    raw = Request.model_json_schema(mode="validation")
    defs = raw.pop("$defs", {})
    defs.pop("SourceSpan", None)
    defs = {_DEF_NAMES.get(name, name): body for name, body in defs.items()}
    defs["Forsokssoknad"] = raw
    for name, body in defs.items():
        body["title"] = _TITLES.get(name, body.get("title", name))
        if name in _DEF_DOCS:
            body["description"] = _DEF_DOCS[name]
        props = body.get("properties")
        if props is None:
            continue
        for field in SPAN_FIELDS:
            props.pop(field, None)
        body["additionalProperties"] = False
        for field, prop in props.items():
            prop.pop("title", None)
            doc = _FIELD_DOCS.get(name, {}).get(field)
            if doc:
                prop["description"] = doc
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Forsøkssøknader (regelsjekk)",
        "description": "Én forsøkssøknad eller en liste av dem, i JSON-formen til regelsjekk. "
                       "Samme innhold som søknadsspråket (.forsok).",
        "anyOf": [{"$ref": "#/$defs/Forsokssoknad"},
                  {"type": "array", "items": {"$ref": "#/$defs/Forsokssoknad"}, "minItems": 1}],
        "$defs": dict(sorted(defs.items())),
    }
    return _rename_refs(schema)


def _rename_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value.removeprefix("#/$defs/")
                value = "#/$defs/" + _DEF_NAMES.get(name, name)
            out[key] = _rename_refs(value)
        return out
    if isinstance(node, list):
        return [_rename_refs(v) for v in node]
    return node


def schema_text() -> str:
    """The schema as published: stable key order, UTF-8, a final newline."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
