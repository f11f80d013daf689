"""Encoding: dicts to SOAP envelopes (requests, responses, faults), elements in XSD sequence order."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

from lxml import etree

from ..xsd_types import ELEMENTS, ENUMS, TYPES
from .errors import SoapEncodeError
from .schema import FIELDS, INT_TYPES, NS, SOAP_ENV, operation_elements, request_wrapper


def _scalar_text(type_name: str, value: Any, where: str) -> str:
    if type_name in ENUMS:
        if not isinstance(value, str) or value not in ENUMS[type_name]:
            raise SoapEncodeError(f"{where}: {value!r} is not a {type_name} value")
        return value
    if type_name == "xsd:boolean":
        if not isinstance(value, bool):
            raise SoapEncodeError(f"{where}: expected bool for {type_name}, got {type(value).__name__}")
        return "true" if value else "false"
    if type_name in INT_TYPES:
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
    fields = FIELDS[type_name]
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
    in_el, _out = operation_elements(operation)
    env, body = _envelope("ns1")
    op_el = etree.SubElement(body, f"{{{NS}}}{in_el}")
    in_type = ELEMENTS[in_el]
    wrapper = request_wrapper(operation)
    if wrapper is None:
        _fill(op_el, in_type, request or {}, in_type)
    else:
        _typ, min_occurs, _lst = FIELDS[in_type][wrapper]
        # An optional request wrapper (getRelations, getEmployees) is left out when there is nothing to send.
        if request is not None or min_occurs > 0:
            _fill(etree.SubElement(op_el, f"{{{NS}}}{wrapper}"), _typ, request or {}, _typ)
    return _serialize(env)


def encode_response(operation: str, response: dict[str, Any]) -> bytes:
    """SOAP envelope answering ``operation``, gSOAP style (``SOAP-ENV`` / ``ns``), the output element named
    exactly as in the WSDL (``getBranchesResponse`` vs ``GetProductsResponse``)."""
    _in, out_el = operation_elements(operation)
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
