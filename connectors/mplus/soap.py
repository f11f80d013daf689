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

Large answers are decoded incrementally: :class:`ResponseStream` takes the body in chunks as it arrives and
hands out the answer's *records* (the repeated elements of its list, :func:`record_path`: ``articleStocks``
of getStock, ``relationList/relation`` of getRelations) as soon as each is complete, dropping its XML, so
memory stays bounded by a batch, not by the answer (getStock in sync mode sends every stock level at once).

One bad record does not fail the answer. In tolerant mode (the client's) a record holding a value that does
not parse as its XSD type (``abc`` in an xsd:long) is left out and reported as a
:class:`~connectors.mplus.errors.MplusRecordError` naming the operation, the record (by its key elements as
sent, e.g. ``relationNumber=77``, else its position), the field and the value; the other records decode as
usual. A bad value outside the records (in the answer's own fields) still fails the whole answer with
:class:`SoapDecodeError`, as does everything in strict mode (``decode_response`` without ``record_errors``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Final

from lxml import etree

from .errors import MplusRecordError
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
    "ResponseStream",
    "SoapDecodeError",
    "SoapEncodeError",
    "SoapFault",
    "decode_request",
    "decode_response",
    "encode_fault",
    "encode_request",
    "encode_response",
    "operation_for_element",
    "record_path",
    "request_wrapper",
]


class SoapEncodeError(ValueError):
    """A dict does not fit the XSD type it is encoded as (unknown key, wrong Python type, bad enum value)."""


class SoapDecodeError(ValueError):
    """A body is not a SOAP envelope of the expected shape, or a value does not parse as its XSD type."""


class _BadValue(SoapDecodeError):
    """A scalar that does not parse as its XSD type; keeps where/what so a record error can name them."""

    def __init__(self, where: str, text: str, type_name: str) -> None:
        super().__init__(f"{where}: {text!r} is not a valid {type_name}")
        self.where = where
        self.text = text
        self.type_name = type_name


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
        raise _BadValue(where, text, type_name) from None
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
        name = tag[tag.find("}") + 1 :]
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


def decode_response(
    operation: str, body: bytes, *, record_errors: list[MplusRecordError] | None = None
) -> dict[str, Any]:
    """Content of the response element of ``operation``; raises :class:`SoapFault` for a Fault body.

    With ``record_errors`` (a list) a record that does not decode is left out and its error appended there;
    without, the first bad value raises :class:`SoapDecodeError`."""
    stream = ResponseStream(operation, tolerant=record_errors is not None)
    stream.feed(body)
    records = stream.take()
    header = stream.close()
    records += stream.take()
    if record_errors is not None:
        record_errors.extend(stream.take_errors())
    return stream.assemble(header, [record for _index, record in records])


# --- incremental decoding ------------------------------------------------------------------------------

FEED_SLICE: Final = 1 << 16  # parse at most this much before handing out records: bounds the tree in memory
# Elements that identify a record, in the order a message names them; others fall back to *Number / *Id.
_RECORD_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "ArticleStock": ("branchNumber", "articleNumber", "stockId"),
    "Relation": ("relationNumber", "extRelationId"),
    "Product": ("productNumber",),
    "Order": ("orderId", "extOrderId"),
    "Invoice": ("invoiceId", "extInvoiceId"),
    "ArticleGroup": ("groupNumber",),
    "Branch": ("branchNumber",),
}
_SHOWN_VALUE: Final = 60  # characters of a bad value repeated in a message


@cache
def record_path(operation: str) -> tuple[tuple[str, str], ...] | None:
    """(element, type) pairs from the response element down to its repeated records: one pair for a list
    right in the response (getStock: ``articleStocks``), two for a list in a single-field wrapper
    (getRelations: ``relationList``, ``relation``). None when the answer holds no such list."""
    out_type = ELEMENTS[_operation(operation)[1]]
    fields = TYPES[out_type]
    for name, typ, _min, is_list in fields:
        if is_list and typ in TYPES:
            return ((name, typ),)
    if len(fields) == 1 and fields[0][1] in TYPES and not fields[0][3]:
        wrapper, wrapper_type = fields[0][0], fields[0][1]
        inner = TYPES[wrapper_type]
        if len(inner) == 1 and inner[0][3] and inner[0][1] in TYPES:
            return ((wrapper, wrapper_type), (inner[0][0], inner[0][1]))
    return None


class ResponseStream:
    """Incremental decoder of one response body.

    ``feed(chunk)`` as bytes arrive; ``take()`` the records completed so far as (index in the answer, dict);
    ``take_errors()`` the records that did not decode (tolerant mode); ``close()`` at the end for the
    answer's other fields (raises :class:`SoapFault` for a Fault). ``assemble(header, records)`` puts
    records back where they were, giving what ``decode_response`` returns."""

    def __init__(self, operation: str, *, tolerant: bool = True) -> None:
        _in, out_el = _operation(operation)
        self.operation = operation
        self._out_el = out_el
        self._out_type = ELEMENTS[out_el]
        self.path = record_path(operation)
        self._names = tuple(name for name, _typ in self.path) if self.path else ()
        self._record_type = self.path[-1][1] if self.path else ""
        self._where = ".".join((self._out_type, *self._names))
        self._tolerant = tolerant
        # Only the ends of elements named like a record reach Python (the others are parsed in C): an
        # event per element made decoding ~40 % slower than parsing the whole body at once.
        self._parser = etree.XMLPullParser(
            events=("end",),
            tag=f"{{*}}{self._names[-1] if self._names else out_el}",
            resolve_entities=False,
            no_network=True,
            remove_comments=True,
            huge_tree=True,
        )
        self._records: list[tuple[int, dict[str, Any]]] = []
        self._errors: list[MplusRecordError] = []
        self._index = 0
        self._container: etree._Element | None = None  # the element holding the records, once seen

    @property
    def records_seen(self) -> int:
        """Records decoded or refused so far."""
        return self._index

    @property
    def records_held(self) -> int:
        """Record elements in the parsed tree: at most the last one decoded (emptied) and the current one."""
        if self._container is None:
            return 0
        return sum(1 for c in self._container if _local(c) == self._names[-1])

    def feed(self, data: bytes) -> None:
        for start in range(0, len(data), FEED_SLICE):
            try:
                self._parser.feed(data[start : start + FEED_SLICE])
            except etree.XMLSyntaxError as exc:
                raise SoapDecodeError(f"not well-formed XML: {exc}") from None
            self._drain()

    def take(self) -> list[tuple[int, dict[str, Any]]]:
        records, self._records = self._records, []
        return records

    def take_errors(self) -> list[MplusRecordError]:
        errors, self._errors = self._errors, []
        return errors

    def close(self) -> dict[str, Any]:
        try:
            root = self._parser.close()
        except etree.XMLSyntaxError as exc:
            raise SoapDecodeError(f"not well-formed XML: {exc}") from None
        self._drain()
        response = _response_element(root, self.operation, self._out_el)
        if self._container is not None:
            for leftover in [c for c in self._container if _local(c) == self._names[-1]]:
                self._container.remove(leftover)  # records already handed out (the last one stays until here)
        return _read(response, self._out_type, self._out_type)

    def assemble(self, header: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
        if not self.path:
            return header
        if len(self._names) == 1:
            header[self._names[0]] = records
        else:
            wrapper = header.get(self._names[0])
            if wrapper is None:
                wrapper = header[self._names[0]] = {}
            wrapper[self._names[1]] = records
        return header

    def _drain(self) -> None:
        for _event, el in self._parser.read_events():
            if self._names and self._is_record(el):
                self._record(el)

    def _is_record(self, el: etree._Element) -> bool:
        """A record is at Envelope/Body/<response>/(<wrapper>/)<record>; same-named elements deeper inside a
        record (a relation's contactList/relation) are part of it."""
        parent = el.getparent()
        if parent is None:
            return False
        if self._container is not None:
            return parent is self._container
        chain, node = [], parent
        for _ in range(len(self._names) + 2):
            if node is None:
                return False
            chain.append(_local(node))
            node = node.getparent()
        # chain: [wrapper,] response, Body, Envelope (nearest first)
        wrappers, response, body, envelope = chain[: len(self._names) - 1], *chain[len(self._names) - 1 :]
        if (
            node is not None
            or envelope != "Envelope"
            or body != "Body"
            or response.lower() != self._out_el.lower()
            or tuple(reversed(wrappers)) != self._names[:-1]
        ):
            return False
        self._container = parent
        return True

    def _record(self, el: etree._Element) -> None:
        index = self._index
        self._index += 1
        try:
            self._records.append((index, _read(el, self._record_type, self._where)))
        except SoapDecodeError as exc:
            if not self._tolerant:
                raise
            self._errors.append(self._record_error(el, index, exc))
        # Drop the XML of records already decoded: only the current one stays in the tree.
        el.clear()
        previous = el.getprevious()
        if previous is not None and _local(previous) == self._names[-1]:
            el.getparent().remove(previous)

    def _record_error(self, el: etree._Element, index: int, exc: SoapDecodeError) -> MplusRecordError:
        raw = {_local(c): (c.text or "").strip() for c in el if isinstance(c.tag, str)}
        key, marker = record_identity(self._record_type, raw)
        if isinstance(exc, _BadValue):
            field = exc.where.removeprefix(self._where + ".")
            value: str | None = _shorten(exc.text)
            reason = f"{value!r} is not a valid {exc.type_name}"
        else:
            field, value, reason = "?", None, str(exc)
        return MplusRecordError(self.operation, self._names[-1], index, key, field, value, reason, marker)


def _response_element(root: etree._Element, operation: str, out_el: str) -> etree._Element:
    """The response element of a parsed envelope; raises SoapFault for a Fault, SoapDecodeError otherwise."""
    if _local(root) != "Envelope":
        raise SoapDecodeError(f"expected a SOAP Envelope, got <{_local(root)}>")
    for part in root:
        if _local(part) == "Body":
            child = next((c for c in part if isinstance(c.tag, str)), None)
            if child is None:
                raise SoapDecodeError("empty SOAP Body")
            _raise_if_fault(child)
            name = _local(child)
            # Case-insensitive on purpose: the WSDL's response casing is irregular, a server fix must not
            # break us.
            if name.lower() != out_el.lower():
                raise SoapDecodeError(f"{operation}: expected <{out_el}> in the SOAP Body, got <{name}>")
            return child
    raise SoapDecodeError("SOAP Envelope without a Body")


def record_identity(record_type: str, values: dict[str, Any]) -> tuple[dict[str, str], int | None]:
    """(key elements as text, syncMarker or None) of a record, from its raw or decoded top-level values."""
    names = (
        _RECORD_KEYS.get(record_type)
        or tuple(n for n in values if n.endswith(("Number", "Id")) and n != "syncMarker")[:1]
    )
    key = {n: _shorten(str(values[n])) for n in names if values.get(n) not in (None, "")}
    marker = values.get("syncMarker")
    if isinstance(marker, str):
        marker = int(marker) if marker.isdigit() else None
    return key, marker if isinstance(marker, int) and not isinstance(marker, bool) else None


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag[tag.find("}") + 1 :] if isinstance(tag, str) else ""


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_VALUE else text[:_SHOWN_VALUE] + "..."
