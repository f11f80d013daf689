"""Incremental decoding of a response: records handed out as they complete, their XML dropped, one
bad record reported as an :class:`~connectors.mplus.errors.MplusRecordError` instead of failing the answer."""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from lxml import etree

from ..errors import MplusRecordError
from ..xsd_types import ELEMENTS, TYPES
from .errors import BadValue, SoapDecodeError, SoapFault
from .reader import read_content
from .schema import operation_elements

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
    out_type = ELEMENTS[operation_elements(operation)[1]]
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
        _in, out_el = operation_elements(operation)
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
        return read_content(response, self._out_type, self._out_type)

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
            self._records.append((index, read_content(el, self._record_type, self._where)))
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
        if isinstance(exc, BadValue):
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


def _raise_if_fault(el: etree._Element) -> None:
    if etree.QName(el).localname != "Fault":
        return
    parts: dict[str, str] = {}
    for child in el:
        if isinstance(child.tag, str):
            # detail may hold elements (gSOAP puts free text there; others nest), so take all its text.
            parts[etree.QName(child).localname] = "".join(child.itertext()).strip()
    raise SoapFault(parts.get("faultcode", ""), parts.get("faultstring", ""), parts.get("detail"))
