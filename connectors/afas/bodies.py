"""Builders for UpdateConnector bodies: {"Element": {"@Key": .., "Fields": {..}, "Objects": [{Sub: {"Element": ..}}]}}."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SubObjects = Mapping[str, Sequence[Mapping[str, Any]] | Mapping[str, Any]]


def element(
    fields: Mapping[str, Any], objects: SubObjects | None = None, key: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """One UpdateConnector element.

    `key` becomes attributes on the Element (`{"DbId": "1"}` -> `"@DbId": "1"`; omit it for autonumbering).
    `objects` maps a sub-object name (e.g. "FbSalesLines") to an `element()` result, a list of them
    (sent as one Element array), or plain field dicts, which are wrapped with `element()`.
    Decimal values stay Decimal here; the client serialises them with their exact digits.
    """
    body: dict[str, Any] = {}
    for name, value in (key or {}).items():
        body[name if name.startswith("@") else f"@{name}"] = value
    body["Fields"] = dict(fields)
    if objects:
        body["Objects"] = [{name: _sub_object(value)} for name, value in objects.items()]
    return {"Element": body}


def _sub_object(value: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value) if "Element" in value else element(value)
    items: list[Any] = []
    for item in value:
        inner = item["Element"] if "Element" in item else element(item)["Element"]
        items.extend(inner if isinstance(inner, list) else [inner])
    return {"Element": items}
