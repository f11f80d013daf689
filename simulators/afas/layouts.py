"""How a customer's AFAS differs from the documented connectors, as knobs of the stand-in (AfasSimConfig):
a connector that answers no rows (`empty_connectors`), fields missing from a connector (`hidden_fields`),
and fields of another type (`field_types`, e.g. the house number an integer, as in AFAS's OpenAPI).

The connector's metainfo and its rows change together, as they would in a real environment; filters and
sort orders still work on the full definition (the stand-in is lenient there)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from .getconnectors.base import FieldDef, GetConnector

Row = tuple[Any, ...]


def _listed(connector: str, names: Sequence[str]) -> bool:
    return connector.casefold() in {n.casefold() for n in names}


def _for(connector: str, per_connector: Mapping[str, Any]) -> Any:
    return next((v for k, v in per_connector.items() if k.casefold() == connector.casefold()), None)


def _to_int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None


def _to_text(value: Any) -> str | None:
    return None if value is None else str(value)


_CASTS: dict[str, Callable[[Any], Any]] = {"int": _to_int, "string": _to_text}


class Layout:
    """The connector as this environment has it: which fields, of which type, and whether it has rows."""

    def __init__(
        self, conn: GetConnector, *, empty: bool, hidden: Sequence[str], types: Mapping[str, str]
    ) -> None:
        self.conn = conn
        self.empty = empty
        gone = {h.casefold() for h in hidden}
        retyped = {k.casefold(): v for k, v in types.items()}
        self.keep = [i for i, f in enumerate(conn.fields) if f.id.casefold() not in gone]
        self.casts = {
            i: _CASTS[retyped[f.id.casefold()]]
            for i, f in enumerate(conn.fields)
            if f.id.casefold() in retyped and retyped[f.id.casefold()] in _CASTS
        }
        fields: list[FieldDef] = []
        for i in self.keep:
            f = conn.fields[i]
            kind = retyped.get(f.id.casefold(), f.data_type)
            fields.append(replace(f, data_type=kind, decimals=0) if kind != f.data_type else f)
        self.view = replace(conn, fields=fields) if (hidden or types) else conn

    @property
    def changed(self) -> bool:
        return self.empty or self.view is not self.conn

    def rows(self, rows: list[Row]) -> list[Row]:
        if self.empty:
            return []
        if self.view is self.conn:
            return rows
        out = []
        for r in rows:
            values = list(r)
            for i, cast in self.casts.items():
                values[i] = cast(values[i])
            out.append(tuple(values[i] for i in self.keep))
        return out


def layout(conn: GetConnector, config: Any) -> Layout:
    return Layout(
        conn,
        empty=_listed(conn.id, config.empty_connectors),
        hidden=_for(conn.id, config.hidden_fields) or (),
        types=_for(conn.id, config.field_types) or {},
    )
