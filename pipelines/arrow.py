"""Pages of API rows as Arrow tables, typed from column hints (dlt's `data_type`, `precision`, ...).

dlt loads an Arrow table as a parquet file without normalising it row by row: at 100k articles that
per-row normalise was ~85 % of the extract. AFAS columns are typed from the connector's metainfo, the
MplusKASSA ones from the column declarations in pipelines/mplus, so an empty column keeps its type.

A value of another type than its column's is cast when that loses nothing (12 into a text column is
"12", "12" into a whole-number column is 12, "2,50" into a decimal is 2.50). A value that cannot be cast
(5 decimals for a column of 4, "not-a-date" for a date) is a `BadValue` naming the record and the field:
`typed_page` leaves that cell NULL or the whole row out (the caller chooses, see pipelines.afas.resources);
`page_table` raises it as a `RowFieldError`. Arrow converts a column at once when all its values fit; only
a column holding a misfit goes value by value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa

from connectors.afas.codec import to_decimal

Row = dict[str, Any]
Hints = Mapping[str, Mapping[str, Any]]
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError)
_CAST_ERRORS = (ValueError, TypeError, ArithmeticError)
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True, slots=True)
class Parser:
    """How a source's values of one type are read (AFAS dates: local time sent with a misleading Z).

    `one` converts a value (raises ValueError/TypeError when it cannot); `many`, when given, converts a whole
    column in Arrow and returns None when any value needs `one` (which then decides, value by value)."""

    one: Callable[[Any], Any]
    many: Callable[[list[Any]], pa.Array | None] | None = None


Parsers = Mapping[str, Parser]  # dlt data_type -> its parser


class RowFieldError(ValueError):
    """A value an API sent that does not fit the column's declared type: names the source, row and field."""


@dataclass(frozen=True, slots=True)
class BadValue:
    """One value that does not fit its column: which record (its key, or its row number), field, value, why."""

    record_key: str
    field: str
    value: Any  # as sent
    message: str


@dataclass(frozen=True, slots=True)
class TypedPage:
    table: pa.Table
    bad: list[BadValue]
    rows_left_out: int  # rows not in `table` because a value of theirs did not fit (keep_bad_rows=False)


def arrow_type(hint: Mapping[str, Any]) -> pa.DataType:
    """The Arrow type of a dlt column hint (`data_type`, `precision`, `scale`, `timezone`)."""
    kind = hint.get("data_type", "text")
    if kind == "decimal":
        return pa.decimal128(int(hint.get("precision", 38)), int(hint.get("scale", 9)))
    if kind == "timestamp":
        return pa.timestamp("us", tz="UTC" if hint.get("timezone", True) else None)
    return _SIMPLE.get(kind, pa.string())


_SIMPLE: dict[str, pa.DataType] = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "bool": pa.bool_(),
    "double": pa.float64(),
    "date": pa.date32(),
}


def typed_page(
    rows: Sequence[Row],
    hints: Hints,
    *,
    key: Sequence[str] = (),
    parsers: Parsers | None = None,
    keep_bad_rows: bool = True,
) -> TypedPage:
    """One page as a table of the columns the rows carry: hinted ones in their type, others as Arrow infers.

    A value that does not fit is a `BadValue` (record named by the `key` columns, else by its row number);
    its cell is NULL, or with `keep_bad_rows=False` its row is left out. A row whose key itself does not fit
    is always left out: it could not be merged."""
    names: dict[str, None] = {}  # AFAS sends every field in every row; a derived page may carry fewer
    for row in rows:
        names.update(dict.fromkeys(row))
    arrays: list[pa.Array] = []
    misfits: dict[int, list[tuple[str, Exception]]] = {}
    for name in names:
        array, bad = _column([row.get(name) for row in rows], hints.get(name), parsers or {})
        arrays.append(array)
        for i, exc in bad.items():
            misfits.setdefault(i, []).append((name, exc))
    schema = pa.schema([pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)])
    table = pa.Table.from_arrays(arrays, schema=schema)
    if not misfits:
        return TypedPage(table, [], 0)
    bad_values = [
        BadValue(record_key(rows[i], key, i), name, rows[i].get(name), _reason(exc))
        for i, fields in sorted(misfits.items())
        for name, exc in fields
    ]
    keys = set(key)
    drop = [
        i for i, fields in misfits.items() if not keep_bad_rows or any(name in keys for name, _ in fields)
    ]
    if drop:
        mask = [True] * len(rows)
        for i in drop:
            mask[i] = False
        table = table.filter(pa.array(mask))
    return TypedPage(table, bad_values, len(drop))


def page_table(
    source: str,
    rows: Sequence[Row],
    hints: Hints,
    key: str | None = None,
    advice: str = "Correct the value at the source.",
) -> pa.Table:
    """`typed_page` for sources where a misfit is a bug, not data: raises `RowFieldError` naming `source`
    ("MplusKASSA getProducts"), the row (by `key` when given), the field and `advice`."""
    page = typed_page(rows, hints, key=(key,) if key else ())
    if page.bad:
        bad = page.bad[0]
        where = f"{key}={_key_value(rows, key, bad.record_key)!r}" if key else bad.record_key
        raise RowFieldError(
            f"{source}, {where}: field {bad.field} = {shown(bad.value)} does not fit its declared "
            f"type {arrow_type(hints[bad.field])} ({bad.message}). {advice}"
        )
    return page.table


def _key_value(rows: Sequence[Row], key: str | None, record: str) -> Any:
    for row in rows:
        if key and key_text(row.get(key)) == record:
            return row.get(key)
    return record


def record_key(row: Row, key: Sequence[str], index: int) -> str:
    """The record's key as one text (parts joined by |), or "row N of the page" without key columns."""
    if not key:
        return f"row {index + 1} of the page"
    return "|".join(key_text(row.get(k)) for k in key)


def shown(value: Any) -> str:
    """A value as a user reads it in an error: Decimals in plain notation, text quoted."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(value)


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def key_text(value: Any) -> str:
    """One part of a record key as text: 10, 10.0 and 10.0000 are one quantity, an instant is its UTC time."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    return str(value)


# -- one column ----------------------------------------------------------------------------------------------


def _column(
    values: list[Any], hint: Mapping[str, Any] | None, parsers: Parsers
) -> tuple[pa.Array, dict[int, Exception]]:
    if hint is None:
        try:
            return pa.array(values, from_pandas=False), {}
        except _ARROW_ERRORS:  # undeclared and mixed (1 and "a"): keep it as text rather than fail the page
            return pa.array([None if v is None else _to_text(v) for v in values], pa.string()), {}
    typ = arrow_type(hint)
    kind = hint.get("data_type", "text")
    parser = parsers.get(kind)
    fast = _fast(values, typ, kind) if parser is None else _fast_parsed(values, kind, parser, typ)
    if fast is not None:
        return fast, {}
    cast = parser.one if parser else _caster(hint)
    out: list[Any] = []
    bad: dict[int, Exception] = {}
    for i, value in enumerate(values):
        if value is None:
            out.append(None)
            continue
        try:
            out.append(_fit(cast(value), kind, hint))
        except _CAST_ERRORS as exc:
            out.append(None)
            bad[i] = exc
    return pa.array(out, type=typ, from_pandas=False), bad


def _fast(values: list[Any], typ: pa.DataType, kind: str) -> pa.Array | None:
    """The whole column in one conversion, or None when a value needs a cast (or does not fit at all)."""
    try:
        if kind == "bigint":  # Arrow truncates Decimal("1.5") and 1.5 to 1 on its own: infer, then check
            array = pa.array(values, from_pandas=False)
            return array.cast(typ) if array.type in (pa.int64(), pa.null()) else None
        return pa.array(values, type=typ, from_pandas=False)
    except _ARROW_ERRORS:
        return None


def _fast_parsed(values: list[Any], kind: str, parser: Parser, typ: pa.DataType) -> pa.Array | None:
    if parser.many is not None:
        array = parser.many(values)
        if array is not None:
            return array.cast(typ)
    try:
        return pa.array(
            [None if v is None else _fit(parser.one(v), kind, {}) for v in values],
            type=typ,
            from_pandas=False,
        )
    except _CAST_ERRORS + _ARROW_ERRORS:
        return None


def _fit(value: Any, kind: str, hint: Mapping[str, Any]) -> Any:
    """A parsed value checked against what its Arrow column holds (a parser may return a datetime for a date)."""
    if kind == "date" and isinstance(value, datetime):
        return value.date()
    if kind == "timestamp" and isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


def _caster(hint: Mapping[str, Any]) -> Callable[[Any], Any]:
    kind = hint.get("data_type", "text")
    if kind == "decimal":
        precision, scale = int(hint.get("precision", 38)), int(hint.get("scale", 9))
        return lambda v: _to_decimal(v, precision, scale)
    return _CASTERS.get(kind, _to_text)


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise TypeError(f"a {type(value).__name__} is not a text")


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("true/false is not a whole number")
    if isinstance(value, str):
        value = value.strip()
    number = to_decimal(value) if not isinstance(value, int) else value
    if number is None:
        raise ValueError("empty text is not a whole number")
    if number != int(number):
        raise ValueError("not a whole number")
    result = int(number)
    if not _INT64[0] <= result <= _INT64[1]:
        raise ValueError("too large for a whole-number column")
    return result


def _to_decimal(value: Any, precision: int, scale: int) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("true/false is not a number")
    number = to_decimal(value)
    if number is None:
        raise ValueError("empty text is not a number")
    try:
        exact = number.quantize(Decimal(1).scaleb(-scale))
    except InvalidOperation as exc:
        raise ValueError(f"more than {precision - scale} digits before the decimal point") from exc
    if exact != number:
        places = -number.normalize().as_tuple().exponent  # type: ignore[operator]
        raise ValueError(f"{places} decimals, the column keeps {scale}")
    digits = len(exact.as_tuple().digits) if exact else 1
    if digits > precision:
        raise ValueError(f"more than {precision - scale} digits before the decimal point")
    return exact


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise ValueError("not true or false")


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("true/false is not a number")
    number = float(to_decimal(value) if isinstance(value, str) else value)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _to_timestamp(value: Any) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()


_CASTERS: dict[str, Callable[[Any], Any]] = {
    "text": _to_text,
    "bigint": _to_int,
    "bool": _to_bool,
    "double": _to_float,
    "timestamp": _to_timestamp,
    "date": _to_date,
}
