"""SoapMplusDate / SoapMplusDateTime <-> date / aware datetime."""

from __future__ import annotations

import datetime as dt
from typing import Any


def date_from_soap(value: dict[str, int] | None) -> dt.date | None:
    """SoapMplusDate{day, mon, year} -> date (mon is 1-12 in MplusQapi). An all-zero date means "unset"."""
    if not value or not value.get("year"):
        return None
    return dt.date(value["year"], value["mon"], value["day"])


def date_to_soap(value: dt.date | None) -> dict[str, int] | None:
    if value is None:
        return None
    return {"day": value.day, "mon": value.month, "year": value.year}


def datetime_from_soap(value: dict[str, Any] | None) -> dt.datetime | None:
    """SoapMplusDateTime -> aware datetime. ``timezone`` is read as the UTC offset in minutes east of UTC
    (60 for CET, 120 for CEST) [INF: the notes say "UTC offset in minutes"; sign convention unconfirmed]."""
    if not value or not value.get("year"):
        return None
    tz = dt.timezone(dt.timedelta(minutes=value.get("timezone", 0)))
    return dt.datetime(
        value["year"], value["mon"], value["day"], value["hour"], value["min"], value["sec"], tzinfo=tz
    )


def datetime_to_soap(value: dt.datetime | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime: MplusQapi timestamps need a UTC offset")
    offset = value.utcoffset() or dt.timedelta(0)
    dst = value.dst()
    return {
        "sec": value.second,
        "min": value.minute,
        "hour": value.hour,
        "day": value.day,
        "mon": value.month,
        "year": value.year,
        "isdst": bool(dst),
        "timezone": int(offset.total_seconds() // 60),
    }
