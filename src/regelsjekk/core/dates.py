"""Dates as Norwegian texts write them: 7.12.2026 (no leading zeros)."""

from __future__ import annotations

from datetime import date


def short_date(value: date | str | None, unknown: str = "ukjent dato") -> str:
    """A date (or an ISO date text) as «7.12.2026»; an impossible ISO text («0000-02-08», from
    old data) is shown as it is, and None as `unknown`."""
    if value is None:
        return unknown
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.day}.{value.month}.{value.year}"
