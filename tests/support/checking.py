"""The checker at a fixed date, so that tests do not depend on the calendar.

`check(request, kb, today=...)` takes the date the law is read at; tests read it at TODAY.
"""

from __future__ import annotations

from datetime import date

from regelsjekk.check.checker import check as _check

TODAY = date(2026, 12, 7)


def check(request, kb):  # noqa: ANN001, ANN201 - a thin test helper
    return _check(request, kb, today=TODAY)
