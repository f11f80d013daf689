"""JSON in and out without floats: AFAS amounts must keep their exact decimal digits."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .dates import to_afas_filter_value


def loads(data: bytes | str) -> Any:
    """Parse JSON with every non-integer number as Decimal (money never passes through float)."""
    return json.loads(data, parse_float=Decimal)


def to_decimal(value: object) -> Decimal | None:
    """Coerce an AFAS number leniently: Decimal, int, numeric strings ("1", "2.50", "2,50"); ""/None -> None.

    Floats go through their shortest repr (0.1 -> Decimal("0.1"), not the binary expansion).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a decimal")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # Dutch decimal comma, as typed by users in AFAS free fields
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite decimal: {value!r}")
        return result
    raise TypeError(f"cannot convert {type(value).__name__} to Decimal")


def format_decimal(value: Decimal) -> str:
    """Plain positional notation with every digit kept (Decimal("1E+2") -> "100", "0.10" stays "0.10")."""
    if not value.is_finite():
        raise ValueError(f"cannot send a non-finite decimal to AFAS: {value}")
    return format(value, "f")


def dumps(obj: Any) -> str:
    """Serialise to compact JSON; Decimals become JSON numbers with their exact digits.

    A small own encoder rather than json.dumps so Decimal never goes through float.
    Dates/datetimes become AFAS strings (Amsterdam local, no zone).
    """
    parts: list[str] = []
    _encode(obj, parts)
    return "".join(parts)


def _encode(obj: Any, out: list[str]) -> None:
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, str):
        out.append(json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, Decimal):
        out.append(format_decimal(obj))
    elif isinstance(obj, int):
        out.append(str(int(obj)))  # int() also normalises IntEnum members
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"cannot send a non-finite number to AFAS: {obj}")
        out.append(repr(obj))
    elif isinstance(obj, datetime | date):
        out.append(json.dumps(to_afas_filter_value(obj)))
    elif isinstance(obj, Mapping):
        out.append("{")
        for i, (key, value) in enumerate(obj.items()):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {type(key).__name__}")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            _encode(value, out)
        out.append("]")
    else:
        raise TypeError(f"cannot serialise {type(obj).__name__} to JSON")
