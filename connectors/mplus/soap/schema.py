"""Namespaces and the generated type table (``xsd_types``) as the codec looks it up: fields per complex
type, list fields, the elements of each operation."""

from __future__ import annotations

from ..xsd_types import ELEMENTS, OPERATIONS, TYPES
from .errors import SoapEncodeError

NS = "urn:mplusqapi"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

INT_TYPES = frozenset(
    {
        "xsd:long",
        "xsd:int",
        "xsd:short",
        "xsd:byte",
        "xsd:integer",
        "xsd:unsignedLong",
        "xsd:unsignedInt",
        "xsd:unsignedShort",
        "xsd:unsignedByte",
    }
)


# --- type table lookups, precomputed once -------------------------------------------------------------

# type -> {element name: (type name, min occurs, is list)}, plus the order for encoding.
FIELDS: dict[str, dict[str, tuple[str, int, bool]]] = {
    name: {el: (typ, mn, lst) for el, typ, mn, lst in fields} for name, fields in TYPES.items()
}
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(el for el, _t, _m, lst in fields if lst) for name, fields in TYPES.items()
}
_OP_BY_INPUT: dict[str, str] = {inp: op for op, (inp, _out) in OPERATIONS.items()}


def operation_elements(operation: str) -> tuple[str, str]:
    try:
        return OPERATIONS[operation]
    except KeyError:
        raise SoapEncodeError(
            f"unknown MplusQapi operation {operation!r} (add it to xsd_gen.PRODUCT_OPERATIONS and regenerate)"
        ) from None


def request_wrapper(operation: str) -> str | None:
    """'request' when the operation's input element is just ``<request>`` of a complex type (its dict is then
    the request's content), else None (its dict mirrors the input element)."""
    fields = TYPES[ELEMENTS[operation_elements(operation)[0]]]
    if len(fields) == 1 and fields[0][0] == "request" and fields[0][1] in TYPES:
        return "request"
    return None


def operation_for_element(element: str) -> str | None:
    """The operation whose input element is ``element`` (request bodies are named after their operation)."""
    return _OP_BY_INPUT.get(element)
