"""Column types of a GetConnector from its metainfo, as dlt column hints (our column names)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipelines.afas.resources import AfasResource, AfasResourceError

# AFAS metainfo dataType -> dlt data_type. AFAS "date" fields carry a time of day (Amsterdam local time);
# a resource names its date-only columns (validity dates) in `date_columns`.
AFAS_TYPES = {
    "string": "text",
    "int": "bigint",
    "decimal": "decimal",
    "date": "timestamp",
    "boolean": "bool",
    "blob": "text",
}
MIN_SCALE = 4  # amounts and quantities keep at least 4 decimals, whatever the field's display decimals


def column_hints(
    resource: AfasResource, metainfo: Mapping[str, Any], renames: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Every field of the connector as a typed column, so a column empty today still gets its table column.

    `renames` maps our column name to the connector's (a customer's connector with other field ids).
    Raises `AfasResourceError` when a column the resource needs (key, order, cursor) is not a field."""
    ours = {theirs: mine for mine, theirs in (renames or {}).items()}
    hints: dict[str, dict[str, Any]] = {}
    for f in metainfo.get("fields", []):
        name = ours.get(f["id"], f["id"])
        kind = AFAS_TYPES.get(f.get("dataType", "string"), "text")
        if name in resource.date_columns:
            kind = "date"
        hints[name] = hint(resource.types.get(name, kind), int(f.get("decimals") or 0))
    missing = [c for c in resource.required_columns() if c not in hints]
    if missing:
        known = ", ".join(sorted(hints)) or "none"
        raise AfasResourceError(
            f"AFAS resource {resource.name}: connector {resource.connector} has no field {', '.join(missing)} "
            f"(its fields: {known}); correct the resource's columns or the connector in AFAS"
        )
    for name, kind in resource.types.items():  # a declared column the metainfo lacks (yet)
        hints.setdefault(name, hint(kind))
    if resource.derived_key:
        hints[resource.key[0]] = hint("text")
    if resource.keys_of:
        return {k: hints[k] for k in resource.key}
    return hints


def hint(kind: str, decimals: int = 0) -> dict[str, Any]:
    col: dict[str, Any] = {"data_type": kind, "nullable": True}
    if kind == "decimal":
        col.update(precision=18, scale=max(decimals, MIN_SCALE))
    if kind == "timestamp":
        col["timezone"] = True
    return col
