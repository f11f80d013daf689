"""Values of the records in :mod:`simulators.afas.model`: coercion of what a test or a client sends, setting
fields by name, and the JSON form the state is persisted in.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from dataclasses import fields as dc_fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def to_json(obj: Any) -> Any:
    """Dataclass records -> JSON-ready values (Decimal and dates as ISO strings)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, list):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def from_json(cls: type, data: dict[str, Any]) -> Any:
    """Inverse of to_json for the record classes above, driven by their type hints."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _decode(hints[f.name], data[f.name])
    return cls(**kwargs)


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    args = typing.get_args(hint)
    if args and type(None) in args:  # Optional[X]
        hint = next(a for a in args if a is not type(None))
    if hint is Decimal:
        return Decimal(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if typing.get_origin(hint) is list:
        (inner,) = typing.get_args(hint)
        if dataclasses.is_dataclass(inner):
            return [from_json(inner, v) for v in value]
    return value


def coerce_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip().replace(",", "."))


def as_datetime(value: date | datetime | str | None) -> datetime | None:
    """Dates become midnight datetimes; strings are parsed (a trailing Z is ignored, as AFAS does)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    if text[-1] in "Zz":
        text = text[:-1]
    return datetime.fromisoformat(text)


def apply_fields(
    record: Any,
    values: dict[str, Any],
    aliases: dict[str, str],
    *,
    stamp: datetime | None = None,
    frozen: Iterable[str] = (),
) -> None:
    """Set fields on a record with type coercion; `stamp` sets ModifiedDate unless given explicitly."""
    names = {f.name: f for f in dc_fields(record)}
    frozen = set(frozen)
    explicit_modified = False
    for key, value in values.items():
        name = aliases.get(key, key)
        if name not in names or name in frozen:
            raise TypeError(f"{type(record).__name__} has no settable field {key!r}")
        current = getattr(record, name)
        hint = str(names[name].type)
        if value is not None:
            if "Decimal" in hint:
                value = coerce_decimal(value)
            elif "datetime" in hint:
                value = as_datetime(value)
            elif hint.startswith("bool"):
                value = value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true")
            elif isinstance(current, str) and not isinstance(value, str):
                value = str(value)
        setattr(record, name, value)
        explicit_modified = explicit_modified or name == "modified"
    if stamp is not None and not explicit_modified and "modified" in names:
        record.modified = stamp
