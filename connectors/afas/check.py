"""Check an UpdateConnector body against AFAS's OpenAPI limits before it is sent.

    violations = check_body("KnSalesRelationPer", body)          # [] when AFAS would accept every value
    for v in violations:
        print(v.path, v.field, v.message)   # "KnSalesRelationPer/KnPerson", "LaNm", "... at most 80 ..."

Values are judged the way AFAS reads them (leniently, as the stand-in does): "105" is a valid int, "2.50"
a valid decimal, "true"/"1" a valid boolean, and "" or None clears a field whatever its type. What AFAS
would refuse is reported: too long, wrong type, a value outside the field's list, more decimals than the
column keeps, a field or object the connector does not have. The OpenAPI's `required` lists are only
checked on request (required=True): AFAS fills most of them itself (BcId, PadAdr, AutoNum, CdDa, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .field_limits import FieldLimit, ObjectLimits, connector_limits

_BOOLEAN_TEXT = frozenset({"true", "false", "1", "0", "-1"})


@dataclass(frozen=True, slots=True)
class Violation:
    """One value AFAS would refuse. `path` names the object ("FbSales/FbSalesLines[1]", list indexes from 0)."""

    path: str
    field: str  # field id as sent; key attributes keep their "@" ("@DbId"); "" for a whole object
    value: object
    limit: object  # max length (int), decimals (int), data type (str), allowed values (tuple) or None
    message: str
    rule: str  # length | decimals | type | value | unknown_field | unknown_object | required | shape


def check_value(
    limit: FieldLimit, value: object, path: str = "", name: str | None = None
) -> Violation | None:
    """The violation of one value against its field's limits, or None when AFAS would take it."""
    name = name or limit.id
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # "" clears a field in AFAS, null leaves it empty
    where = f"{path}: " if path else ""
    what = f"{name} ({limit.label})" if limit.label else name
    text = _as_text(limit, value)
    if text is None:
        return Violation(
            path,
            name,
            value,
            limit.data_type,
            f"{where}{what} must be {_TYPE_WORDS[limit.data_type]}, got {_show(value)}",
            "type",
        )
    if limit.max_length is not None and len(text) > limit.max_length:
        return Violation(
            path,
            name,
            value,
            limit.max_length,
            f"{where}{what} is {len(text)} characters long; AFAS allows at most {limit.max_length}",
            "length",
        )
    if limit.values is not None and not limit.allows(text):
        allowed = ", ".join(v for v, _ in limit.values[:12]) + (", ..." if len(limit.values) > 12 else "")
        return Violation(
            path,
            name,
            value,
            tuple(v for v, _ in limit.values),
            f"{where}{what} cannot be {text!r}; AFAS allows: {allowed}",
            "value",
        )
    if limit.data_type == "decimal" and limit.decimals is not None:
        places = _places(Decimal(text))
        if places > limit.decimals:
            return Violation(
                path,
                name,
                value,
                limit.decimals,
                f"{where}{what} has {places} decimals; AFAS keeps at most {limit.decimals}",
                "decimals",
            )
    return None


def check_body(
    connector: str, body: Mapping[str, Any], *, method: str = "POST", required: bool = False
) -> list[Violation]:
    """Every value in an UpdateConnector body AFAS's OpenAPI would refuse (an empty list: send it).

    `body` is what the client sends: {Root: {"Element": {...} | [...]}}, an Element holding "@Key"
    attributes, "Fields" and "Objects" (a list of single-key objects, or one object). `method` is "POST"
    or "PUT"; with `required=True` fields the spec lists as required for that method are reported when
    missing (most are filled by AFAS itself, so this is off by default).
    """
    root = connector_limits(connector)
    method = method.upper()
    out: list[Violation] = []
    if method not in root.required:
        have = " or ".join(root.required) or "no method"
        out.append(
            Violation(
                root.name,
                "",
                None,
                None,
                f"{connector} takes {have} in AFAS's OpenAPI, not {method}",
                "shape",
            )
        )
        return out
    if not isinstance(body, Mapping) or list(body) != [root.name]:
        keys = list(body) if isinstance(body, Mapping) else type(body).__name__
        out.append(
            Violation(
                "",
                "",
                None,
                root.name,
                f"a {connector} body holds exactly one object {root.name!r}, got {keys}",
                "shape",
            )
        )
        return out
    _check_node(root, body[root.name], root.name, method, required, out)
    return out


def _check_node(
    obj: ObjectLimits, node: Any, path: str, method: str, required: bool, out: list[Violation]
) -> None:
    if not isinstance(node, Mapping) or "Element" not in node:
        out.append(Violation(path, "", None, None, f'{path}: an object holds an "Element"', "shape"))
        return
    element = node["Element"]
    if isinstance(element, list):
        for i, item in enumerate(element):
            _check_element(obj, item, f"{path}[{i}]", method, required, out)
    else:
        _check_element(obj, element, path, method, required, out)


def _check_element(
    obj: ObjectLimits, element: Any, path: str, method: str, required: bool, out: list[Violation]
) -> None:
    if not isinstance(element, Mapping):
        out.append(
            Violation(
                path, "", element, None, f"{path}: an Element is an object, got {_show(element)}", "shape"
            )
        )
        return
    fields = element.get("Fields") or {}
    if not isinstance(fields, Mapping):
        out.append(
            Violation(path, "", fields, None, f"{path}: Fields is an object, got {_show(fields)}", "shape")
        )
        fields = {}
    sent: dict[str, object] = {}
    for key, value in element.items():
        if key in ("Fields", "Objects"):
            continue
        if not key.startswith("@"):
            out.append(
                Violation(
                    path,
                    key,
                    value,
                    None,
                    f'{path}: an Element holds "@Key" attributes, Fields and Objects, not {key!r}',
                    "shape",
                )
            )
            continue
        sent[key[1:]] = value
        _check_field(obj, key[1:], value, path, out, name=key)
    for fid, value in fields.items():
        sent[fid] = value
        _check_field(obj, fid, value, path, out)
    if required:
        for fid in obj.required.get(method, ()):
            if _empty(sent.get(fid)):
                limit = obj.fields[fid]
                out.append(
                    Violation(
                        path,
                        fid,
                        None,
                        None,
                        f"{path}: {fid} ({limit.label}) is required by AFAS's OpenAPI for {method}",
                        "required",
                    )
                )
    objects = element.get("Objects")
    if not objects:
        return
    parts = objects if isinstance(objects, list) else [objects]
    for part in parts:
        if not isinstance(part, Mapping):
            out.append(
                Violation(path, "", part, None, f"{path}: Objects holds objects, got {_show(part)}", "shape")
            )
            continue
        for child_name, child_node in part.items():
            child = obj.children.get(child_name)
            if child is None:
                known = ", ".join(obj.children) or "none"
                out.append(
                    Violation(
                        path,
                        child_name,
                        None,
                        tuple(obj.children),
                        f"{path}: {obj.name} has no object {child_name!r} (it has: {known})",
                        "unknown_object",
                    )
                )
                continue
            _check_node(child, child_node, f"{path}/{child_name}", method, required, out)


def _check_field(
    obj: ObjectLimits, fid: str, value: object, path: str, out: list[Violation], name: str | None = None
) -> None:
    limit = obj.fields.get(fid)
    if limit is None:
        out.append(
            Violation(
                path, name or fid, value, None, f"{path}: {obj.name} has no field {fid!r}", "unknown_field"
            )
        )
        return
    violation = check_value(limit, value, path, name)
    if violation is not None:
        out.append(violation)


# ---------------------------------------------------------------- how AFAS reads a value

_TYPE_WORDS = {
    "string": "text",
    "int": "a whole number",
    "decimal": "a number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "blob": "text",
}


def _as_text(limit: FieldLimit, value: object) -> str | None:
    """The value as AFAS reads it for this data type (the text its length and list are checked on), or None
    when AFAS cannot read it as that type."""
    kind = limit.data_type
    if isinstance(value, Mapping | list | tuple | set | bytes):
        return None
    if kind in ("string", "blob"):
        if isinstance(value, bool):
            return "true" if value else "false"  # AFAS reads it as text; a list of values may still refuse it
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, Decimal):
            return format(value, "f")  # how the client's codec writes it
        return value if isinstance(value, str) else str(value) if isinstance(value, int) else None
    if kind == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        text = str(value).strip().lower() if isinstance(value, str | int) else ""
        return text if text in _BOOLEAN_TEXT else None
    if kind in ("int", "decimal"):
        number = _number(value)
        if number is None or (kind == "int" and number != number.to_integral_value()):
            return None
        return str(int(number)) if kind == "int" else format(number, "f")
    if kind == "date":
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, str):
            text = value.strip()
            try:
                datetime.fromisoformat(text[:-1] if text[-1:] in "Zz" else text)
            except ValueError:
                return None
            return text
        return None
    raise ValueError(f"unknown AFAS data type {kind!r}")  # pragma: no cover - limits.py holds only the above


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _places(number: Decimal) -> int:
    """Digits after the point that matter: 1.500 has 1, 2 has 0."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"
