"""What every GetConnector is: id, description, fields (for metainfo) and how rows are built from the state,
and the small helpers the connector families share.

A connector builds its rows per *entity* (an article, a stock record, a debtor...); `deps` says which state
tables feed it and maps a changed key of such a table to the entities whose rows change (None = rebuild
everything). Row values are typed (str, int, Decimal, bool, datetime, None); app.py turns them into JSON
per page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..countries import COUNTRY_NAMES
from ..store import AfasStore

Row = dict[str, Any]
Deps = dict[str, Callable[[AfasStore, Any], Iterable[Hashable] | None]]

CONTROL_TYPES = {"string": 1, "int": 5, "decimal": 6, "date": 4, "boolean": 3, "blob": 2}


@dataclass(frozen=True, slots=True)
class FieldDef:
    id: str
    data_type: str  # string, int, decimal, date, boolean
    label: str
    length: int = 0
    decimals: int = 0


@dataclass
class GetConnector:
    id: str
    description: str
    fields: list[FieldDef]
    entities: Callable[[AfasStore], Iterable[Hashable]]  # natural (insertion) order
    build: Callable[[AfasStore, Any], list[Row]]  # the rows of one entity; [] when it no longer exists
    deps: Deps
    inputs: tuple[str, ...] = ()  # filter fields that are parameters, not row filters (Profit_SalesPrice)
    dynamic: Callable[[AfasStore, dict[str, Any]], list[Row]] | None = None
    names: tuple[str, ...] = field(init=False)
    index_of: dict[str, int] = field(init=False)
    types: tuple[str, ...] = field(init=False)
    text_indexes: tuple[int, ...] = field(init=False)
    _getter: Callable[[Row], tuple[Any, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.names = tuple(f.id for f in self.fields)
        self.index_of = {n.casefold(): i for i, n in enumerate(self.names)}
        self.types = tuple(f.data_type for f in self.fields)
        self.text_indexes = tuple(i for i, t in enumerate(self.types) if t == "string")
        getter = itemgetter(*self.names)
        self._getter = (lambda d: (getter(d),)) if len(self.names) == 1 else getter

    def to_tuple(self, row: Row) -> tuple[Any, ...]:
        return self._getter(row)

    def field_index(self, name: str) -> int | None:
        """AFAS field ids are matched case-insensitively [INF]."""
        return self.index_of.get(name.strip().casefold())

    def metainfo(self) -> dict[str, Any]:
        return {
            "name": self.id,
            "description": self.description,
            "fields": [
                {
                    "id": f.id,
                    "fieldId": _field_id(i, f),
                    "dataType": f.data_type,
                    "label": f.label,
                    "length": f.length,
                    "controlType": CONTROL_TYPES.get(f.data_type, 1),
                    "decimals": f.decimals,
                    "decimalsFieldId": "",
                }
                for i, f in enumerate(self.fields)
            ],
        }


def _field_id(i: int, f: FieldDef) -> str:
    # Custom connectors show the technical ids of their source fields; the stand-in numbers them.
    return f"U{i + 1:03d}"


def field_defs(spec: str) -> list[FieldDef]:
    """`Id:type:length:decimals:Label` per line."""
    out = []
    for line in spec.strip().splitlines():
        fid, dtype, length, decimals, label = line.strip().split(":", 4)
        out.append(FieldDef(fid, dtype, label, int(length or 0), int(decimals or 0)))
    return out


def text_or_none(value: Any) -> str | None:
    """AFAS returns null, never "", for an empty text."""
    if value is None or value == "":
        return None
    return str(value)


def street_line(op: Any) -> str | None:
    parts = [p for p in (op.street, op.house_number, op.house_addition) if p]
    return " ".join(parts) or None


def zip_city(op: Any) -> str | None:
    parts = [p for p in (op.zipcode, op.city) if p]
    return " ".join(parts) or None


def country_line(op: Any) -> str | None:
    if not op.country or op.country == "NL":
        return None  # AFAS prints a country only for foreign addresses
    return COUNTRY_NAMES.get(op.country, op.country)


def ident(_state: AfasStore, key: Any) -> list[Any]:
    return [key]


def rebuild(_state: AfasStore, _key: Any) -> None:
    return None
