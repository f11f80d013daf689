"""AFAS pages as Arrow tables, typed from the connector's metainfo.

dlt loads an Arrow table as a parquet file without normalising it row by row: at 100k articles that
per-row normalise was ~85 % of the extract. The types come from AFAS's metainfo (the same column hints
the rows path used), so a column that is empty in this page still has its declared type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

Row = dict[str, Any]
Hints = Mapping[str, Mapping[str, Any]]


class RowFieldError(ValueError):
    """A value AFAS sent that does not fit the column's declared type: names the connector, row and field."""


def arrow_type(hint: Mapping[str, Any]) -> pa.DataType:
    """The Arrow type of a dlt column hint (`data_type`, `precision`, `scale`, `timezone`)."""
    kind = hint.get("data_type", "text")
    if kind == "decimal":
        return pa.decimal128(int(hint.get("precision", 38)), int(hint.get("scale", 9)))
    if kind == "timestamp":
        return pa.timestamp("us", tz="UTC" if hint.get("timezone", True) else None)
    return _SIMPLE.get(kind, pa.string())


_SIMPLE: dict[str, pa.DataType] = {"text": pa.string(), "bigint": pa.int64(), "bool": pa.bool_(),
                                   "double": pa.float64(), "date": pa.date32()}


def page_table(connector: str, rows: Sequence[Row], hints: Hints, key: str | None = None) -> pa.Table:
    """One page as a table: declared columns in their type, any other column as Arrow infers it.

    A value that does not fit raises `RowFieldError` naming the row (by `key` when given) and the field."""
    names: dict[str, None] = {}  # AFAS sends every field in every row; a derived page may carry fewer
    for row in rows:
        names.update(dict.fromkeys(row))
    arrays: list[pa.Array] = []
    fields: list[pa.Field] = []
    for name in names:
        values = [row.get(name) for row in rows]
        hint = hints.get(name)
        try:
            array = pa.array(values, type=arrow_type(hint) if hint else None, from_pandas=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            raise _field_error(connector, rows, name, hint, key, exc) from exc
        arrays.append(array)
        fields.append(pa.field(name, array.type, nullable=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _field_error(connector: str, rows: Sequence[Row], name: str, hint: Mapping[str, Any] | None,
                 key: str | None, exc: Exception) -> RowFieldError:
    """Find the first value of `name` that does not convert on its own, for a message a user can act on."""
    typ = arrow_type(hint) if hint else None
    for i, row in enumerate(rows):
        value = row.get(name)
        try:
            pa.array([value], type=typ)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as one:
            where = f"{key}={row.get(key)!r}" if key and key in row else f"row {i + 1} of the page"
            shown = format(value, "f") if isinstance(value, Decimal) else repr(value)
            return RowFieldError(
                f"AFAS {connector}, {where}: field {name} = {shown} does not fit its declared type {typ} "
                f"({one}). Correct the value in AFAS, or check the connector's field type in its metainfo.")
    return RowFieldError(f"AFAS {connector}: field {name} could not be converted to {typ}: {exc}")
