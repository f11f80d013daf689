"""Typed view of the generated UpdateConnector field table (limits.py, from AFAS's OpenAPI).

root = connector_limits("KnSalesRelationPer")           # the root object (KnSalesRelationPer)
root.children["KnPerson"].fields["LaNm"].max_length     # 80
field_limit("FbSales", "FbSales/FbSalesLines", "BiUn")  # FieldLimit(data_type="string", max_length=15, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import limits


@dataclass(frozen=True, slots=True)
class FieldLimit:
    """One field of an UpdateConnector object, as AFAS's OpenAPI defines it."""

    id: str
    data_type: str  # AFAS metainfo dataType: string, int, decimal, boolean, date, blob
    max_length: int | None  # characters; None where the spec gives none (numbers, booleans, dates, blobs)
    decimals: int | None  # digits after the point a decimal may carry; None where the spec gives none
    label: str
    values: tuple[tuple[str, str], ...] | None  # allowed values (value, description); None = free

    def allows(self, value: str) -> bool:
        return self.values is None or any(value == v for v, _ in self.values)


@dataclass(frozen=True, slots=True)
class ObjectLimits:
    """One object of a connector's body (root or nested) with its fields and nested objects."""

    name: str
    path: str  # "KnSalesRelationPer/KnPerson/KnBasicAddressAdr"
    fields: Mapping[str, FieldLimit]
    required: Mapping[str, tuple[str, ...]]  # "POST"/"PUT" -> fields the spec lists as required
    children: Mapping[str, ObjectLimits] = field(default_factory=dict)


def _field_list(key: str) -> Mapping[str, FieldLimit]:
    out = {}
    for fid, (data_type, length, decimals, label, enum_key) in limits.FIELDS[key].items():
        values = limits.ENUMS[enum_key] if enum_key else None
        out[fid] = FieldLimit(fid, data_type, length or None, decimals, label, values)
    return MappingProxyType(out)


def _build(connector: str) -> ObjectLimits:
    lists: dict[str, Mapping[str, FieldLimit]] = {}
    built: dict[str, ObjectLimits] = {}
    kids: dict[str, dict[str, ObjectLimits]] = {}
    entries = list(limits.OBJECTS[connector].items())
    # Children first (reverse pre-order), so each parent is built with its finished children.
    for path, (key, post, put) in reversed(entries):
        if key not in lists:
            lists[key] = _field_list(key)
        required = {m: r for m, r in (("POST", post), ("PUT", put)) if r is not None}
        children = dict(reversed(list(kids.pop(path, {}).items())))
        obj = ObjectLimits(
            path.rsplit("/", 1)[-1], path, lists[key], MappingProxyType(required), MappingProxyType(children)
        )
        built[path] = obj
        if "/" in path:
            kids.setdefault(path.rsplit("/", 1)[0], {})[obj.name] = obj
    return built[entries[0][0]]


CONNECTORS: Mapping[str, ObjectLimits] = MappingProxyType({conn: _build(conn) for conn in limits.OBJECTS})
_BY_FOLDED = {name.casefold(): name for name in CONNECTORS}


def connector_limits(connector: str) -> ObjectLimits:
    """The root object of an UpdateConnector (case-insensitive, as AFAS's URLs are)."""
    name = _BY_FOLDED.get(connector.casefold())
    if name is None:
        raise KeyError(
            f"no field limits for UpdateConnector {connector!r}; known: {', '.join(CONNECTORS)} "
            "(add it to limits_gen.PRODUCT_CONNECTORS and regenerate)"
        )
    return CONNECTORS[name]


def object_limits(connector: str, path: str | None = None) -> ObjectLimits:
    """A connector's object by path ("FbSales/FbSalesLines"; the root's name may be left out)."""
    obj = connector_limits(connector)
    parts = [p for p in (path or "").split("/") if p]
    if parts and parts[0] == obj.name:
        parts = parts[1:]
    for part in parts:
        child = obj.children.get(part)
        if child is None:
            raise KeyError(f"{obj.path} has no object {part!r}; it has: {', '.join(obj.children) or 'none'}")
        obj = child
    return obj


def field_limit(connector: str, path: str | None, field_id: str) -> FieldLimit:
    """One field's limits, e.g. field_limit("KnSalesRelationPer", "KnPerson", "LaNm").max_length == 80."""
    obj = object_limits(connector, path)
    fld = obj.fields.get(field_id)
    if fld is None:
        raise KeyError(f"{obj.path} has no field {field_id!r}")
    return fld
