"""SOAP 1.1 document/literal codec for MplusQapi, driven only by the generated type table (``xsd_types``).

Both sides use it: the connector encodes requests and decodes responses, the MplusKASSA stand-in decodes
requests and encodes responses. Python values follow the XSD types:

=====================================  =============================================================
xsd:long/int/short/unsigned*           ``int`` (``bool`` refused)
xsd:boolean                            ``bool`` (decode accepts true/false/1/0)
xsd:decimal                            ``Decimal`` (encode also takes ``int``; ``float`` refused)
xsd:string, enums                      ``str`` (encode checks enum values; decode keeps unknown values
                                       because newer servers add them)
xsd:date / xsd:dateTime                ``str`` in the XSD lexical form (encode also takes date/datetime)
SOAP-ENC:base64                        ``bytes``
complex types                          ``dict``
maxOccurs > 1                          ``list`` -- always present on decode, possibly empty
=====================================  =============================================================

An optional element that is absent decodes to an absent key; ``None`` in a dict given to encode means
"leave the element out". Elements are written in XSD sequence order whatever the dict order, and an
unknown key raises :class:`SoapEncodeError` naming the type and key, so typos fail before a request leaves.

Request dicts hold the *content of the operation's input element*, with one convenience: operations whose
input element wraps a single ``request`` element (``getProducts(request: GetProductsRequest)``) take the
content of that ``request``. Everything else mirrors the XSD below the operation element, e.g.
``encode_request("createProduct", {"product": {...}})`` or ``encode_request("getOrder", {"orderId": "..."})``.
Response dicts are the content of the operation's output element (``{"productList": {"product": [...]}}``).

Missing required elements are not invented: encode writes what it is given. Callers must send the
required-but-empty list wrappers themselves (``pluNumbers: {}`` in GetProductsRequest, see the notes).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from .xsd_types import ELEMENTS, ENUMS, OPERATIONS, TYPES

NS = "urn:mplusqapi"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

_INT_TYPES = frozenset(
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

__all__ = [
    "NS",
    "SoapDecodeError",
    "SoapEncodeError",
    "SoapFault",
    "decode_request",
    "decode_response",
    "encode_fault",
    "encode_request",
    "encode_response",
    "operation_for_element",
    "request_wrapper",
]


class SoapEncodeError(ValueError):
    """A dict does not fit the XSD type it is encoded as (unknown key, wrong Python type, bad enum value)."""


class SoapDecodeError(ValueError):
    """A body is not a SOAP envelope of the expected shape, or a value does not parse as its XSD type."""


class SoapFault(Exception):
    """A SOAP 1.1 Fault body. ``is_client``: the request itself is wrong (faultcode ``Client...``), so
    sending it again cannot help; ``Server...`` faults may succeed later."""

    def __init__(self, faultcode: str, faultstring: str, detail: str | None = None) -> None:
        super().__init__(f"{faultcode}: {faultstring}")
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.detail = detail
        local = faultcode.rsplit(":", 1)[-1].lower()
        # SOAP 1.1 says Client, SOAP 1.2 says Sender; both mean "fix the request".
        self.is_client = local.startswith(("client", "sender"))


# --- type table lookups, precomputed once -------------------------------------------------------------

# type -> {element name: (type name, min occurs, is list)}, plus the order for encoding.
_FIELDS: dict[str, dict[str, tuple[str, int, bool]]] = {
    name: {el: (typ, mn, lst) for el, typ, mn, lst in fields} for name, fields in TYPES.items()
}
_LIST_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(el for el, _t, _m, lst in fields if lst) for name, fields in TYPES.items()
}
_OP_BY_INPUT: dict[str, str] = {inp: op for op, (inp, _out) in OPERATIONS.items()}


def _operation(operation: str) -> tuple[str, str]:
    try:
        return OPERATIONS[operation]
    except KeyError:
        raise SoapEncodeError(
            f"unknown MplusQapi operation {operation!r} (add it to xsd_gen.PRODUCT_OPERATIONS and regenerate)"
        ) from None


def request_wrapper(operation: str) -> str | None:
    """'request' when the operation's input element is just ``<request>`` of a complex type (its dict is then
    the request's content), else None (its dict mirrors the input element)."""
    fields = TYPES[ELEMENTS[_operation(operation)[0]]]
    if len(fields) == 1 and fields[0][0] == "request" and fields[0][1] in TYPES:
        return "request"
    return None


def operation_for_element(element: str) -> str | None:
    """The operation whose input element is ``element`` (request bodies are named after their operation)."""
    return _OP_BY_INPUT.get(element)


# --- encoding ---------------------------------------------------------------------------------------


def _scalar_text(type_name: str, value: Any, where: str) -> str:
    if type_name in ENUMS:
        if not isinstance(value, str) or value not in ENUMS[type_name]:
            raise SoapEncodeError(f"{where}: {value!r} is not a {type_name} value")
        return value
    if type_name == "xsd:boolean":
        if not isinstance(value, bool):
            raise SoapEncodeError(f"{where}: expected bool for {type_name}, got {type(value).__name__}")
        return "true" if value else "false"
    if type_name in _INT_TYPES:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SoapEncodeError(f"{where}: expected int for {type_name}, got {type(value).__name__}")
        return str(value)
    if type_name == "xsd:decimal":
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            # float is refused on purpose: money and quantities must stay exact.
            raise SoapEncodeError(f"{where}: expected Decimal for {type_name}, got {type(value).__name__}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise SoapEncodeError(f"{where}: {value} is not a finite decimal")
        return format(value, "f")
    if type_name == "xsd:string":
        if not isinstance(value, str):
            raise SoapEncodeError(f"{where}: expected str for {type_name}, got {type(value).__name__}")
        return value
    if type_name == "xsd:date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            return value
        raise SoapEncodeError(f"{where}: expected date or str for {type_name}, got {type(value).__name__}")
    if type_name == "xsd:dateTime":
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            return value
        raise SoapEncodeError(
            f"{where}: expected datetime or str for {type_name}, got {type(value).__name__}"
        )
    if type_name == "SOAP-ENC:base64":
        if not isinstance(value, bytes | bytearray):
            raise SoapEncodeError(f"{where}: expected bytes for {type_name}, got {type(value).__name__}")
        return base64.b64encode(value).decode("ascii")
    raise SoapEncodeError(f"{where}: unsupported XSD type {type_name}")


def _fill(parent: etree._Element, type_name: str, value: Any, where: str) -> None:
    """Write the content of complex type ``type_name`` from ``value`` (a dict) into ``parent``."""
    if not isinstance(value, dict):
        raise SoapEncodeError(f"{where}: expected dict for {type_name}, got {type(value).__name__}")
    fields = _FIELDS[type_name]
    for key in value:
        if key not in fields:
            raise SoapEncodeError(f"{type_name} has no element {key!r} (at {where})")
    for el_name, el_type, _min, is_list in TYPES[type_name]:
        item = value.get(el_name)
        if item is None:
            continue
        items = item if is_list else (item,)
        if is_list and not isinstance(item, list | tuple):
            raise SoapEncodeError(
                f"{where}.{el_name}: repeated element needs a list, got {type(item).__name__}"
            )
        for one in items:
            child = etree.SubElement(parent, f"{{{NS}}}{el_name}")
            if el_type in TYPES:
                _fill(child, el_type, one, f"{where}.{el_name}")
            else:
                child.text = _scalar_text(el_type, one, f"{where}.{el_name}")


def _envelope(prefix: str) -> tuple[etree._Element, etree._Element]:
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV, prefix: NS})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    return env, body


def _serialize(env: etree._Element) -> bytes:
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def encode_request(operation: str, request: dict[str, Any] | None) -> bytes:
    """SOAP envelope for calling ``operation``; prefixes ``SOAP-ENV`` / ``ns1`` like the PHP clients."""
    in_el, _out = _operation(operation)
    env, body = _envelope("ns1")
    op_el = etree.SubElement(body, f"{{{NS}}}{in_el}")
    in_type = ELEMENTS[in_el]
    wrapper = request_wrapper(operation)
    if wrapper is None:
        _fill(op_el, in_type, request or {}, in_type)
    else:
        _typ, min_occurs, _lst = _FIELDS[in_type][wrapper]
        # An optional request wrapper (getRelations, getEmployees) is left out when there is nothing to send.
        if request is not None or min_occurs > 0:
            _fill(etree.SubElement(op_el, f"{{{NS}}}{wrapper}"), _typ, request or {}, _typ)
    return _serialize(env)


def encode_response(operation: str, response: dict[str, Any]) -> bytes:
    """SOAP envelope answering ``operation``, gSOAP style (``SOAP-ENV`` / ``ns``), the output element named
    exactly as in the WSDL (``getBranchesResponse`` vs ``GetProductsResponse``)."""
    _in, out_el = _operation(operation)
    env, body = _envelope("ns")
    _fill(etree.SubElement(body, f"{{{NS}}}{out_el}"), ELEMENTS[out_el], response, ELEMENTS[out_el])
    return _serialize(env)


def encode_fault(faultcode: str, faultstring: str, detail: str | None = None) -> bytes:
    """SOAP 1.1 Fault envelope; a bare ``Client``/``Server`` code gets the ``SOAP-ENV:`` prefix."""
    env, body = _envelope("ns")
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    # SOAP 1.1 fault children are unqualified.
    etree.SubElement(fault, "faultcode").text = faultcode if ":" in faultcode else f"SOAP-ENV:{faultcode}"
    etree.SubElement(fault, "faultstring").text = faultstring
    if detail is not None:
        etree.SubElement(fault, "detail").text = detail
    return _serialize(env)


# --- decoding ---------------------------------------------------------------------------------------

# No entity expansion and no network: bodies come from the network. huge_tree: product pages can be large.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True)

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def _scalar_value(type_name: str, text: str, where: str) -> Any:
    try:
        if type_name in ENUMS or type_name in ("xsd:string", "xsd:date", "xsd:dateTime"):
            return text
        stripped = text.strip()
        if type_name in _INT_TYPES:
            return int(stripped)
        if type_name == "xsd:boolean":
            if stripped in _TRUE:
                return True
            if stripped in _FALSE:
                return False
            raise ValueError(stripped)
        if type_name == "xsd:decimal":
            return Decimal(stripped)
        if type_name == "SOAP-ENC:base64":
            return base64.b64decode(stripped, validate=False)
    except (ValueError, InvalidOperation, binascii.Error):
        raise SoapDecodeError(f"{where}: {text!r} is not a valid {type_name}") from None
    raise SoapDecodeError(f"{where}: unsupported XSD type {type_name}")


_XSI_NIL = f"{{{XSI}}}nil"


def _read(el: etree._Element, type_name: str, where: str) -> dict[str, Any]:
    """Content of ``el`` as a dict per complex type ``type_name``. Unknown child elements are skipped:
    a newer server may add fields this table does not know yet (tolerant reader)."""
    fields = _FIELDS[type_name]
    out: dict[str, Any] = {name: [] for name in _LIST_FIELDS[type_name]}
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        # "{namespace}name" -> name (as QName(child).localname, without building a QName per element)
        name = tag[tag.find("}") + 1:]
        spec = fields.get(name)
        if spec is None or child.get(_XSI_NIL) in ("true", "1"):
            continue
        el_type, _min, is_list = spec
        if el_type in TYPES:
            value: Any = _read(child, el_type, f"{where}.{name}")
        else:
            value = _scalar_value(el_type, child.text or "", f"{where}.{name}")
        if is_list:
            out[name].append(value)
        else:
            out[name] = value
    return out


def _body_child(body: bytes) -> etree._Element:
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapDecodeError(f"not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "Envelope":
        raise SoapDecodeError(f"expected a SOAP Envelope, got <{etree.QName(root).localname}>")
    for part in root:
        if isinstance(part.tag, str) and etree.QName(part).localname == "Body":
            for child in part:
                if isinstance(child.tag, str):
                    return child
            raise SoapDecodeError("empty SOAP Body")
    raise SoapDecodeError("SOAP Envelope without a Body")


def _raise_if_fault(el: etree._Element) -> None:
    if etree.QName(el).localname != "Fault":
        return
    parts: dict[str, str] = {}
    for child in el:
        if isinstance(child.tag, str):
            # detail may hold elements (gSOAP puts free text there; others nest), so take all its text.
            parts[etree.QName(child).localname] = "".join(child.itertext()).strip()
    raise SoapFault(parts.get("faultcode", ""), parts.get("faultstring", ""), parts.get("detail"))


def decode_request(body: bytes) -> tuple[str, dict[str, Any]]:
    """(operation, dict) from a request envelope; the dict has the shape ``encode_request`` takes."""
    el = _body_child(body)
    name = etree.QName(el).localname
    operation = operation_for_element(name)
    if operation is None:
        raise SoapDecodeError(f"unknown or unsupported operation element <{name}>")
    in_type = ELEMENTS[name]
    content = _read(el, in_type, in_type)
    wrapper = request_wrapper(operation)
    if wrapper is not None:
        # An absent optional request reads as an empty one (list elements present, as always on decode).
        if wrapper in content:
            return operation, content[wrapper]
        return operation, {name: [] for name in _LIST_FIELDS[_FIELDS[in_type][wrapper][0]]}
    return operation, content


def decode_response(operation: str, body: bytes) -> dict[str, Any]:
    """Content of the response element of ``operation``; raises :class:`SoapFault` for a Fault body."""
    _in, out_el = _operation(operation)
    el = _body_child(body)
    _raise_if_fault(el)
    name = etree.QName(el).localname
    # Case-insensitive on purpose: the WSDL's response casing is irregular, a server fix must not break us.
    if name.lower() != out_el.lower():
        raise SoapDecodeError(f"{operation}: expected <{out_el}> in the SOAP Body, got <{name}>")
    out_type = ELEMENTS[out_el]
    return _read(el, out_type, out_type)
