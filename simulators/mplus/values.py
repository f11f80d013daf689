"""Value conversions shared by the stand-in: money in cents, quantities as value + decimalPlaces,
SoapMplusDateTime / SoapMplusDate in Europe/Amsterdam.

MplusKASSA sends money typed ``xsd:long`` as cents and quantities as an integer plus ``decimalPlaces``
(530 with 3 places = 0.530). Keeping every conversion here means one rounding rule (half up, as a till
rounds) for the whole stand-in.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")
MAX_DECIMAL_PLACES = 6


def now_local() -> datetime:
    return datetime.now(TZ)


def as_local(dt: datetime) -> datetime:
    """Naive datetimes (the demo catalog's) are Amsterdam wall-clock time; aware ones are converted."""
    return dt.replace(tzinfo=TZ) if dt.tzinfo is None else dt.astimezone(TZ)


def mplus_datetime(dt: datetime) -> dict[str, Any]:
    """SoapMplusDateTime: wall-clock fields plus isdst and the UTC offset in minutes (+60 / +120)."""
    local = as_local(dt)
    offset = local.utcoffset()
    dst = local.dst()
    return {
        "sec": local.second,
        "min": local.minute,
        "hour": local.hour,
        "day": local.day,
        "mon": local.month,
        "year": local.year,
        "isdst": bool(dst and dst.total_seconds()),
        "timezone": int(offset.total_seconds() // 60) if offset is not None else 0,
    }


def mplus_date(d: date) -> dict[str, int]:
    return {"day": d.day, "mon": d.month, "year": d.year}


def parse_mplus_date(value: dict[str, Any] | None) -> date | None:
    if not value:
        return None
    return date(int(value["year"]), int(value["mon"]), int(value["day"]))


def parse_mplus_datetime(value: dict[str, Any] | None) -> datetime | None:
    if not value:
        return None
    return datetime(
        int(value["year"]),
        int(value["mon"]),
        int(value["day"]),
        int(value.get("hour", 0)),
        int(value.get("min", 0)),
        int(value.get("sec", 0)),
        tzinfo=TZ,
    )


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents(euros: Decimal | int | float | str) -> int:
    return round_half_up(Decimal(str(euros)) * 100)


def excl_from_incl(incl_cents: int, vat_pct: int | Decimal) -> int:
    return round_half_up(Decimal(incl_cents) * 100 / (100 + Decimal(vat_pct)))


def incl_from_excl(excl_cents: int, vat_pct: int | Decimal) -> int:
    return round_half_up(Decimal(excl_cents) * (100 + Decimal(vat_pct)) / 100)


def to_quantity(amount: Decimal | int) -> tuple[int, int]:
    """Decimal -> (value, decimalPlaces) with the fewest places that keep the value exact."""
    amount = Decimal(amount).normalize()
    exponent = int(amount.as_tuple().exponent)  # type: ignore[arg-type]
    places = min(max(-exponent, 0), MAX_DECIMAL_PLACES)
    return int(amount.scaleb(places).to_integral_value(rounding=ROUND_HALF_UP)), places


def from_quantity(value: int, decimal_places: int | None) -> Decimal:
    return Decimal(int(value)).scaleb(-int(decimal_places or 0))
