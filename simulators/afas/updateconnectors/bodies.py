"""Parsing an UpdateConnector body into elements, checking every field against its definition (see
simulators/afas/updates.py for the rules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ERR_VALIDATION, AfasError
from ..records import as_datetime
from .definitions import OBJECTS, ObjectDef, UField


@dataclass
class Elem:
    obj: ObjectDef
    attrs: dict[str, Any]  # "@DbId": "1" -> {"DbId": "1"}, coerced like the field of that name
    fields: dict[str, Any]  # coerced values; None = cleared
    raw: dict[str, Any]  # Fields as sent (JSON form), to keep
    children: dict[str, list[Elem]] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.attrs and self.attrs[name] is not None:
            return self.attrs[name]
        value = self.fields.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        return name in self.fields or name in self.attrs

    def kids(self, name: str) -> list[Elem]:
        return self.children.get(name, [])


def parse_body(conn: str, body: Any) -> list[Elem]:
    root = OBJECTS[conn]
    if not isinstance(body, dict) or not body:
        raise AfasError("Er zijn geen gegevens ontvangen.")
    if len(body) != 1 or next(iter(body)) != root.name:
        name = next((k for k in body if k != root.name), next(iter(body)))
        raise AfasError(f"Onbekend object '{name}' voor connector '{conn}' (verwacht '{root.name}').")
    return _elements(root, body[root.name])


def _elements(obj: ObjectDef, node: Any) -> list[Elem]:
    if not isinstance(node, dict) or "Element" not in node:
        raise AfasError(f"Object '{obj.name}' heeft geen Element.")
    element = node["Element"]
    items = element if isinstance(element, list) else [element]
    return [_element(obj, item) for item in items]


def _element(obj: ObjectDef, item: Any) -> Elem:
    if not isinstance(item, dict):
        raise AfasError(f"Ongeldig Element in object '{obj.name}'.")
    attrs: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    raw = item.get("Fields") or {}
    if not isinstance(raw, dict):
        raise AfasError(f"Ongeldige Fields in object '{obj.name}'.")
    for key, value in item.items():
        if key.startswith("@"):
            name = key[1:]
            fd = obj.fields.get(name)
            if fd is None:
                raise AfasError(f"Onbekend veld '{name}' in object '{obj.name}'.")
            attrs[name] = _coerce(fd, value, obj.name)
    for name, value in raw.items():
        fd = obj.fields.get(name)
        if fd is None:
            raise AfasError(f"Onbekend veld '{name}' in object '{obj.name}'.")
        fields[name] = _coerce(fd, value, obj.name)
    elem = Elem(obj, attrs, fields, dict(raw))
    objects = item.get("Objects")
    if objects:
        parts = objects if isinstance(objects, list) else [objects]
        for part in parts:
            if not isinstance(part, dict):
                raise AfasError(f"Ongeldige Objects in object '{obj.name}'.")
            for child_name, child_node in part.items():
                child = obj.children.get(child_name)
                if child is None:
                    raise AfasError(f"Onbekend object '{child_name}' in object '{obj.name}'.")
                elem.children.setdefault(child_name, []).extend(_elements(child, child_node))
    return elem


def _coerce(fd: UField, value: Any, obj: str) -> Any:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None  # "" clears a field
    dt = fd.data_type
    try:
        if dt == "int":
            if isinstance(value, bool):
                raise ValueError(value)
            number = Decimal(str(value).strip())
            if number != number.to_integral_value():
                raise ValueError(value)
            return int(number)
        if dt == "decimal":
            if isinstance(value, bool):
                raise ValueError(value)
            return (
                Decimal(repr(value))
                if isinstance(value, float)
                else Decimal(str(value).strip().replace(",", "."))
            )
        if dt == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "1", "-1"):
                return True
            if text in ("false", "0"):
                return False
            raise ValueError(value)
        if dt == "date":
            if not isinstance(value, str):
                raise ValueError(value)
            return as_datetime(value)
        if isinstance(value, dict | list):
            raise ValueError(value)
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    except (ValueError, InvalidOperation, TypeError) as exc:
        raise AfasError(
            f"De waarde '{value}' is ongeldig voor veld '{fd.label}' ({fd.id}) in object '{obj}'."
        ) from exc
    if fd.length and dt == "string" and len(text) > fd.length:
        raise AfasError(f"De waarde van veld '{fd.label}' ({fd.id}) is te lang: maximaal {fd.length} tekens.")
    if fd.values and text not in {v for v, _ in fd.values}:
        raise AfasError(f"De ingevulde waarde bij '{fd.label}' ({fd.id}) is ongeldig: '{text}'.")
    return text


def required(elem: Elem, *names: str) -> None:
    for name in names:
        if elem.get(name) is None:
            fd = elem.obj.fields[name]
            raise AfasError(f"Veld '{fd.label}' ({name}) is verplicht in object '{elem.obj.name}'.")


def not_found(elem: Elem, name: str, value: Any) -> AfasError:
    fd = elem.obj.fields.get(name)
    label = fd.label if fd else name
    return AfasError(f"De ingevulde waarde bij '{label}' ({name}) bestaat niet: '{value}'.", ERR_VALIDATION)


Apply = Callable[[], dict[str, Any]]  # a validated change, applied once every element passed
