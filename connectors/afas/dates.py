"""AFAS date handling: AFAS sends Amsterdam local time with a misleading `Z`; filters take it without zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")
_FILTER_FORMAT: Final = "%Y-%m-%dT%H:%M:%S"


def parse_afas_datetime(value: str | datetime | None) -> datetime | None:
    """Parse an AFAS datetime into an aware datetime in Europe/Amsterdam.

    The trailing `Z` is ignored: the wall-clock time is Amsterdam local (documented AFAS behaviour).
    An explicit numeric offset, should one ever appear, is honoured and converted.
    Ambiguous autumn times (02:00-03:00 twice) resolve to the first (summer time) occurrence.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = value.strip()
        if not text:
            return None
        if text[-1] in "Zz":
            text = text[:-1]
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an AFAS datetime: {value!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=AMSTERDAM)
    return parsed.astimezone(AMSTERDAM)


def parse_afas_date(value: str | date | None) -> date | None:
    """Parse an AFAS date (sent as `2024-02-16T00:00:00Z` or `2024-02-16`) into its local calendar date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = parse_afas_datetime(value)
        return parsed.date() if parsed else None
    if isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an AFAS date: {value!r}") from exc
    parsed = parse_afas_datetime(text)
    return parsed.date() if parsed else None


def to_afas_filter_value(value: datetime | date) -> str:
    """Format for a filter value or an UpdateConnector field: Amsterdam local time, no zone, whole seconds.

    Aware datetimes are converted to Amsterdam; naive ones are taken as Amsterdam local already.
    Sub-second precision is dropped (AFAS filter values use whole seconds): filter datetimes with
    ranges, not equality.
    """
    if isinstance(value, datetime):
        local = value.astimezone(AMSTERDAM) if value.tzinfo is not None else value
        return local.strftime(_FILTER_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def afas_today() -> date:
    """Today as AFAS sees it: the Amsterdam local date (a day ahead of UTC's just after midnight)."""
    return datetime.now(AMSTERDAM).date()
