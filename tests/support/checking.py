"""The checker at a fixed date, so that tests do not depend on the calendar.

`check(request, kb, today=...)` takes the date the law is read at; tests read it at TODAY.
"""

from __future__ import annotations

from datetime import date

from regelsjekk.check.checker import check as _check

TODAY = date(2026, 12, 7)


def check(request, kb):  # noqa: ANN001, ANN201 - a thin test helper
    return _check(request, kb, today=TODAY)


def dsl_request(citation: str, applicant: str = "Eksempel kommune (kommune)",
                formal: str = "Prøve en ny måte å organisere arbeidet på.",
                mal: str = "organisering"):  # noqa: ANN201 - a thin test helper
    """A short request in the request language (parsed, so it goes the users' way) setting one
    citation aside, with no effect on individuals and a replacement rule."""
    from regelsjekk.request.load import load_request_text

    text = (f'søknad "Prøve"\n  søker: {applicant}\n  formål: "{formal}"\n  mål: {mal}\n'
            f'  periode: i 2 år\n  unntak {citation}\n    virkning: ingen\n'
            f'    erstatning: "En ny ordning gjelder i forsøksperioden."\nslutt\n')
    parsed = load_request_text(text)
    assert not parsed.errors, parsed.errors
    return parsed.requests[0]
