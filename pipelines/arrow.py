"""Pages of API rows as Arrow tables, typed from column hints (dlt's `data_type`, `precision`, ...).

dlt loads an Arrow table as a parquet file without normalising it row by row: at 100k articles that
per-row normalise was ~85 % of the extract. AFAS columns are typed from the connector's metainfo, the
MplusKASSA ones from the column declarations in pipelines/mplus, so an empty column keeps its type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

Row = dict[str, Any]
Hints = Mapping[str, Mapping[str, Any]]


class RowFieldError(ValueError):
    """A value an API sent that does not fit the column's declared type: names the source, row and field."""


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


def page_table(source: str, rows: Sequence[Row], hints: Hints, key: str | None = None,
               advice: str = "Correct the value at the source.") -> pa.Table:
    """One page as a table: the columns the rows carry, declared ones in their type, others as Arrow infers.

    `source` names where the rows came from ("AFAS Profit_Articles"). A value that does not fit raises
    `RowFieldError` naming the source, the row (by `key` when given), the field and `advice`."""
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
            raise _field_error(source, rows, name, hint, key, advice, exc) from exc
        arrays.append(array)
        fields.append(pa.field(name, array.type, nullable=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _field_error(source: str, rows: Sequence[Row], name: str, hint: Mapping[str, Any] | None,
                 key: str | None, advice: str, exc: Exception) -> RowFieldError:
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
                f"{source}, {where}: field {name} = {shown} does not fit its declared type {typ} ({one}). {advice}")
    return RowFieldError(f"{source}: field {name} could not be converted to {typ}: {exc}")
