"""Reading a parsed element into the dict of its complex type, scalars parsed per their XSD type."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ..xsd_types import ENUMS, TYPES
from .errors import BadValue, SoapDecodeError
from .schema import FIELDS, INT_TYPES, LIST_FIELDS, XSI

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def _scalar_value(type_name: str, text: str, where: str) -> Any:
    try:
        if type_name in ENUMS or type_name in ("xsd:string", "xsd:date", "xsd:dateTime"):
            return text
        stripped = text.strip()
        if type_name in INT_TYPES:
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
        raise BadValue(where, text, type_name) from None
    raise SoapDecodeError(f"{where}: unsupported XSD type {type_name}")


_XSI_NIL = f"{{{XSI}}}nil"


def read_content(el: etree._Element, type_name: str, where: str) -> dict[str, Any]:
    """Content of ``el`` as a dict per complex type ``type_name``. Unknown child elements are skipped:
    a newer server may add fields this table does not know yet (tolerant reader)."""
    fields = FIELDS[type_name]
    out: dict[str, Any] = {name: [] for name in LIST_FIELDS[type_name]}
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
            value: Any = read_content(child, el_type, f"{where}.{name}")
        else:
            value = _scalar_value(el_type, child.text or "", f"{where}.{name}")
        if is_list:
            out[name].append(value)
        else:
            out[name] = value
    return out
