"""Generate ``connectors/mplus/xsd_types.py`` from the official MplusQapi WSDL.

Usage::

    python -m connectors.mplus.xsd_gen /path/to/mplusqapi.wsdl [--out connectors/mplus/xsd_types.py]

The WSDL is reference data that the project does not redistribute, so the codec runs from this generated,
committed table instead. The table holds only the operations the product uses (``PRODUCT_OPERATIONS``) and
every type reachable from their input and output elements, which keeps it reviewable.

The MplusQapi schema uses a small XSD subset (checked below, the generator fails loudly on anything else):
global elements (named type or anonymous ``complexType``), ``complexType`` with one ``sequence`` of
``element`` children, ``complexContent/extension`` of another complex type (flattened: base fields first,
as XSD orders them), and ``simpleType`` restrictions of ``xsd:string`` with enumerations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import textwrap
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"

# The operations this product calls (connector) or serves (stand-in). Add one here and regenerate.
PRODUCT_OPERATIONS: tuple[str, ...] = (
    "getApiVersion",
    "getCurrentSyncMarkers",
    "getBranches",
    "getVatGroupList",
    "getPaymentMethods",
    "getPaymentMethodsV2",
    "getTurnoverGroups",
    "getEmployees",
    "getProducts",
    "createProduct",
    "updateProduct",
    "getArticleGroups",
    "getArticleGroupChanges",
    "newArticleGroup",
    "updateArticleGroup",
    "addProductsToArticleGroup",
    "getStock",
    "setStock",
    "updateStock",
    "getStockHistory",
    "getRelations",
    "getRelation",
    "findRelation",
    "findRelationV2",
    "createRelation",
    "updateRelation",
    "getPriceGroupList",
    "getOrders",
    "getOrder",
    "findOrder",
    "getOrderChanges",
    "createOrder",
    "createOrderV3",
    "payOrder",
    "getInvoices",
    "getInvoice",
    "findInvoice",
    "getReceipts",
)

Field = tuple[str, str, int, bool]


def _local(qname: str) -> str:
    """'tns:Article' -> 'Article'; built-ins keep their prefix ('xsd:long', 'SOAP-ENC:base64') so the codec
    can tell them apart from the schema's own types."""
    if qname.startswith(("xsd:", "SOAP-ENC:")):
        return qname
    return qname.split(":", 1)[-1]


def _q(text: str) -> str:
    """A double-quoted Python string literal (ruff format's style)."""
    return json.dumps(text, ensure_ascii=False)


def _doc(el: etree._Element) -> str:
    doc = el.find(f"{{{XS}}}annotation/{{{XS}}}documentation")
    if doc is None or not (doc.text or "").strip():
        return ""
    return " ".join(doc.text.split())


class Schema:
    def __init__(self, wsdl_path: Path) -> None:
        self.raw = wsdl_path.read_bytes()
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        self.root = etree.fromstring(self.raw, parser)
        schema = self.root.find(f"{{{WSDL}}}types/{{{XS}}}schema")
        if schema is None:
            raise SystemExit("no <types><xsd:schema> in the WSDL")
        self.schema = schema
        self.complex = {c.get("name"): c for c in schema.findall(f"{{{XS}}}complexType")}
        self.simple = {s.get("name"): s for s in schema.findall(f"{{{XS}}}simpleType")}
        self.elements = {e.get("name"): e for e in schema.findall(f"{{{XS}}}element")}
        self.messages = {
            m.get("name"): m.find(f"{{{WSDL}}}part").get("element")
            for m in self.root.findall(f"{{{WSDL}}}message")
        }
        port = self.root.find(f"{{{WSDL}}}portType")
        self.port_ops = {o.get("name"): o for o in port.findall(f"{{{WSDL}}}operation")}

    def operation(self, name: str) -> tuple[str, str]:
        op = self.port_ops[name]
        msg_in = op.find(f"{{{WSDL}}}input").get("message")
        msg_out = op.find(f"{{{WSDL}}}output").get("message")
        return _local(self.messages[_local(msg_in)]), _local(self.messages[_local(msg_out)])

    def element_type(self, name: str) -> str:
        el = self.elements[name]
        if el.get("type"):
            return _local(el.get("type"))
        # Anonymous type: named after its element (no MplusQapi element shares a name with a named type).
        if name in self.complex or name in self.simple:
            raise SystemExit(f"anonymous element type {name!r} collides with a named type")
        return name

    def _complex_node(self, type_name: str) -> etree._Element:
        if type_name in self.complex:
            return self.complex[type_name]
        node = self.elements[type_name].find(f"{{{XS}}}complexType")
        if node is None:
            raise SystemExit(f"{type_name!r} is neither a complex type nor an element with an anonymous one")
        return node

    def fields(self, type_name: str) -> list[tuple[str, str, int, bool, str]]:
        node = self._complex_node(type_name)
        out: list[tuple[str, str, int, bool, str]] = []
        seq_parent = node
        ext = node.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
        if ext is not None:
            out.extend(self.fields(_local(ext.get("base"))))
            seq_parent = ext
        for child in seq_parent:
            if not isinstance(child.tag, str) or child.tag == f"{{{XS}}}annotation":
                continue
            if child.tag != f"{{{XS}}}sequence":
                raise SystemExit(f"unsupported XSD construct {child.tag} in {type_name}")
            for el in child:
                if not isinstance(el.tag, str) or el.tag == f"{{{XS}}}annotation":
                    continue
                if el.tag != f"{{{XS}}}element" or not el.get("type"):
                    raise SystemExit(f"unsupported particle {el.tag} {el.attrib} in {type_name}")
                max_occurs = el.get("maxOccurs", "1")
                if max_occurs not in ("1", "unbounded"):
                    raise SystemExit(f"unsupported maxOccurs={max_occurs} in {type_name}")
                out.append(
                    (
                        el.get("name"),
                        _local(el.get("type")),
                        int(el.get("minOccurs", "1")),
                        max_occurs != "1",
                        _doc(el),
                    )
                )
        return out

    def enum_values(self, type_name: str) -> list[str]:
        restriction = self.simple[type_name].find(f"{{{XS}}}restriction")
        if restriction is None or restriction.get("base") != "xsd:string":
            raise SystemExit(f"unsupported simple type {type_name}")
        return [e.get("value") for e in restriction.findall(f"{{{XS}}}enumeration")]


def generate(wsdl_path: Path, operations: tuple[str, ...] = PRODUCT_OPERATIONS) -> str:
    s = Schema(wsdl_path)
    missing = [op for op in operations if op not in s.port_ops]
    if missing:
        raise SystemExit(f"operations not in the WSDL: {missing}")

    ops = {op: s.operation(op) for op in operations}
    elements: dict[str, str] = {}
    for el_in, el_out in ops.values():
        elements[el_in] = s.element_type(el_in)
        elements[el_out] = s.element_type(el_out)

    types: dict[str, list[tuple[str, str, int, bool, str]]] = {}
    enums: dict[str, list[str]] = {}
    todo = sorted(set(elements.values()))
    while todo:
        name = todo.pop()
        if name in types or name in enums or name.startswith(("xsd:", "SOAP-ENC:")):
            continue
        if name in s.simple:
            enums[name] = s.enum_values(name)
            continue
        types[name] = s.fields(name)
        todo.extend(f[1] for f in types[name] if f[1] not in types and f[1] not in enums)

    builtins = sorted({f[1] for fs in types.values() for f in fs if f[1].startswith(("xsd:", "SOAP-ENC:"))})
    digest = hashlib.sha256(s.raw).hexdigest()
    lines = [
        "# ruff: noqa",
        '"""MplusQapi type table. GENERATED from the official MplusKASSA WSDL (mplusqapi.wsdl): do not edit.',
        "",
        "Regenerate with::",
        "",
        "    python -m connectors.mplus.xsd_gen ../shared/api/mplusqapi.wsdl",
        "",
        f"Source WSDL sha256: {digest}",
        "",
        "TYPES: complex type -> fields in XSD sequence order (extensions flattened, base first), each",
        "    (element name, type name, minOccurs, maxOccurs>1). Type names without prefix are complex types or",
        "    enums of this schema; 'xsd:...' are XSD built-ins. Anonymous element types carry the element's name.",
        "ELEMENTS: global element -> its type. OPERATIONS: operation -> (input element, output element).",
        "ENUMS: enumeration simple type -> allowed values (all restrict xsd:string).",
        f"Built-in types used: {', '.join(builtins)}.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        'NS = "urn:mplusqapi"',
        "",
        "OPERATIONS: dict[str, tuple[str, str]] = {",
    ]
    lines += [f"    {_q(op)}: ({_q(i)}, {_q(o)})," for op, (i, o) in ops.items()]
    lines += ["}", "", "ELEMENTS: dict[str, str] = {"]
    lines += [f"    {_q(k)}: {_q(v)}," for k, v in sorted(elements.items())]
    lines += ["}", "", "TYPES: dict[str, list[tuple[str, str, int, bool]]] = {"]
    for name in sorted(types):
        if not types[name]:
            lines.append(f"    {_q(name)}: [],")
            continue
        lines.append(f"    {_q(name)}: [")
        for el, typ, min_occurs, is_list, doc in types[name]:
            # The WSDL's own annotation ("read-only field", "deprecated...") as a comment above the field.
            lines += [f"        # {part}" for part in textwrap.wrap(doc, 96)]
            lines.append(f"        ({_q(el)}, {_q(typ)}, {min_occurs}, {is_list}),")
        lines.append("    ],")
    lines += ["}", "", "ENUMS: dict[str, tuple[str, ...]] = {"]
    for name in sorted(enums):
        lines.append(f"    {_q(name)}: (")
        lines += [f"        {_q(v)}," for v in enums[name]]
        lines.append("    ),")
    lines += ["}", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wsdl", type=Path, help="path to mplusqapi.wsdl")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("xsd_types.py"))
    args = parser.parse_args(argv)
    text = generate(args.wsdl)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10))} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
