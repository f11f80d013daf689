"""Decoding whole bodies: a request envelope (the stand-in's side) and a response (through
:class:`~connectors.mplus.soap.stream.ResponseStream`, fed the whole body at once)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..errors import MplusRecordError
from ..xsd_types import ELEMENTS
from .errors import SoapDecodeError
from .reader import read_content
from .schema import FIELDS, LIST_FIELDS, operation_for_element, request_wrapper
from .stream import ResponseStream

# No entity expansion and no network: bodies come from the network. huge_tree: product pages can be large.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True)


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


def decode_request(body: bytes) -> tuple[str, dict[str, Any]]:
    """(operation, dict) from a request envelope; the dict has the shape ``encode_request`` takes."""
    el = _body_child(body)
    name = etree.QName(el).localname
    operation = operation_for_element(name)
    if operation is None:
        raise SoapDecodeError(f"unknown or unsupported operation element <{name}>")
    in_type = ELEMENTS[name]
    content = read_content(el, in_type, in_type)
    wrapper = request_wrapper(operation)
    if wrapper is not None:
        # An absent optional request reads as an empty one (list elements present, as always on decode).
        if wrapper in content:
            return operation, content[wrapper]
        return operation, {name: [] for name in LIST_FIELDS[FIELDS[in_type][wrapper][0]]}
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
