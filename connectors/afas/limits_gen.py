"""Generate ``connectors/afas/limits.py`` (UpdateConnector field limits) from AFAS's OpenAPI specs.

Usage::

    python -m connectors.afas.limits_gen [../shared/api/afas-openapi] [--out connectors/afas/limits.py]

The specs are reference data the project does not redistribute, so validation runs from this generated,
committed table. It holds the UpdateConnectors the product writes (``PRODUCT_CONNECTORS``) with every
object nested in them: per field AFAS's dataType, maxLength, decimals, label and allowed values, and per
object the fields the POST and the PUT schema list as ``required``.

How the OpenAPI is read (the generator fails loudly on anything else):
- a connector's body schemas are ``components/schemas/<Connector>_POST`` and ``_PUT`` (one may be absent:
  FiEntries has no PUT, KnContact no POST); the body is ``{Root: {Element: {Fields, Objects}}}`` with
  ``Element`` an object or an array of them and ``Objects`` an array of single-key objects.
- dataType follows AFAS's metainfo names: integer -> int, number -> decimal, boolean, string/date and
  string/date-time -> date, string/byte -> blob, any other string -> string.
- decimals come from ``multipleOf`` (0.01 -> 2), which only the PUT schemas carry; the limit is the
  column's, so it applies to POST too.
- allowed values: ``enum``, with each value's description parsed from the field description
  ("Item type\\n1 = Werksoort;\\n2 = Artikel;"); the first description line is the label.
POST and PUT must agree on every field's type, length and values; they differ only in ``required``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

# The UpdateConnectors this product writes or checks bodies for. Add one here and regenerate.
PRODUCT_CONNECTORS: tuple[str, ...] = (
    "KnSalesRelationOrg",
    "KnSalesRelationPer",
    "KnOrganisation",
    "KnPerson",
    "KnContact",
    "FbSales",
    "FbSalesQuotation",
    "FbDirectInvoice",
    "FiEntries",
)
METHODS: tuple[str, ...] = ("POST", "PUT")
DEFAULT_SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "api" / "afas-openapi"

# (dataType, maxLength or 0, decimals or None, label, enum key or None)
Field = tuple[str, int, int | None, str, str | None]
_VALUE_LINE = re.compile(r"^(?P<value>.*?) = (?P<text>.*?);?$")


class Node:
    """One object of a connector's body: its fields (POST and PUT merged) and nested objects."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields: dict[str, dict[str, Any]] = {}
        self.required: dict[str, tuple[str, ...]] = {}
        self.children: dict[str, Node] = {}
        self.key = ""  # the field list this node uses, set when the lists are deduplicated


def _q(text: str) -> str:
    """A double-quoted Python string literal (ruff format's style)."""
    return json.dumps(text, ensure_ascii=False)


def load_specs(folder: Path) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, str]]:
    """Every schema of every spec file (name -> (file, schema)) and each file's sha256."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SystemExit(f"no AFAS OpenAPI specs (*.json) in {folder}")
    schemas: dict[str, tuple[str, dict[str, Any]]] = {}
    hashes: dict[str, str] = {}
    for file in files:
        raw = file.read_bytes()
        hashes[file.name] = hashlib.sha256(raw).hexdigest()
        for name, schema in json.loads(raw)["components"]["schemas"].items():
            if name in schemas:
                raise SystemExit(f"schema {name} is in both {schemas[name][0]} and {file.name}")
            schemas[name] = (file.name, schema)
    return schemas, hashes


def _data_type(prop: dict[str, Any], where: str) -> str:
    kind, fmt = prop.get("type"), prop.get("format") or ""
    if kind == "integer":
        return "int"
    if kind == "number":
        return "decimal"
    if kind == "boolean":
        return "boolean"
    if kind == "string":
        return {"date": "date", "date-time": "date", "byte": "blob"}.get(fmt, "string")
    raise SystemExit(f"{where}: unsupported type {kind!r}/{fmt!r}")


def _decimals(multiple_of: Any, where: str) -> int:
    step = Decimal(repr(multiple_of))
    exponent = step.as_tuple().exponent
    if not isinstance(exponent, int) or step != Decimal(1).scaleb(exponent):
        raise SystemExit(f"{where}: multipleOf {multiple_of!r} is not a power of ten")
    return max(0, -exponent)


def _values(prop: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    lines = (prop.get("description") or "").split("\n")[1:]
    texts: dict[str, str] = {}
    for line in lines:
        m = _VALUE_LINE.match(line.strip())
        if m:
            texts[m.group("value")] = m.group("text")
    values = tuple((str(v), texts.get(str(v), "")) for v in prop["enum"])
    if len({v for v, _ in values}) != len(values):
        raise SystemExit(f"{where}: duplicate enum values")
    return values


def _field(prop: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(prop) - {"type", "format", "maxLength", "description", "enum", "multipleOf"}
    if unknown:
        raise SystemExit(f"{where}: unsupported keywords {sorted(unknown)}")
    return {
        "type": _data_type(prop, where),
        "max_length": int(prop.get("maxLength", 0)),
        "decimals": _decimals(prop["multipleOf"], where) if "multipleOf" in prop else None,
        "label": (prop.get("description") or "").split("\n")[0].strip(),
        "values": _values(prop, where) if "enum" in prop else None,
    }


def _element(node_schema: dict[str, Any], where: str) -> dict[str, Any]:
    element = node_schema.get("properties", {}).get("Element")
    if element is None:
        raise SystemExit(f"{where}: no Element")
    if element.get("type") == "array":
        element = element["items"]
    props = element.get("properties", {})
    extra = set(props) - {"Fields", "Objects"}
    if extra:
        raise SystemExit(f"{where}: unsupported Element members {sorted(extra)}")
    return props


def _merge(node: Node, node_schema: dict[str, Any], method: str, where: str) -> None:
    props = _element(node_schema, where)
    fields = props.get("Fields", {})
    node.required[method] = tuple(fields.get("required", ()))
    for fid, prop in fields.get("properties", {}).items():
        got = _field(prop, f"{where}.{fid}")
        have = node.fields.get(fid)
        if have is None:
            node.fields[fid] = got
            continue
        for attr in ("type", "max_length", "label", "values"):
            if have[attr] != got[attr]:
                raise SystemExit(
                    f"{where}.{fid}: {attr} differs between POST and PUT: {have[attr]!r} / {got[attr]!r}"
                )
        if got["decimals"] is not None:
            if have["decimals"] not in (None, got["decimals"]):
                raise SystemExit(f"{where}.{fid}: decimals differ between POST and PUT")
            have["decimals"] = got["decimals"]
    objects = props.get("Objects")
    if objects is None:
        return
    items = objects["items"] if objects.get("type") == "array" else objects
    for child_name, child_schema in items.get("properties", {}).items():
        child = node.children.setdefault(child_name, Node(child_name))
        _merge(child, child_schema, method, f"{where}/{child_name}")


def connector_tree(schemas: dict[str, tuple[str, dict[str, Any]]], connector: str) -> tuple[Node, list[str]]:
    """The connector's object tree (POST and PUT merged) and the spec files it came from."""
    root: Node | None = None
    files: list[str] = []
    for method in METHODS:
        entry = schemas.get(f"{connector}_{method}")
        if entry is None:
            continue
        file, schema = entry
        files.append(file)
        members = schema.get("properties", {})
        if len(members) != 1:
            raise SystemExit(f"{connector}_{method}: expected one root object, got {sorted(members)}")
        ((root_name, root_schema),) = members.items()
        if root is None:
            root = Node(root_name)
        elif root.name != root_name:
            raise SystemExit(f"{connector}: POST root {root.name} but PUT root {root_name}")
        _merge(root, root_schema, method, f"{connector}_{method}:{root_name}")
    if root is None:
        raise SystemExit(f"no {connector}_POST or {connector}_PUT schema in the specs")
    return root, sorted(set(files))


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children.values():
        yield from _walk(child)


def _field_tuple(f: dict[str, Any], enum_key: str | None) -> Field:
    return (f["type"], f["max_length"], f["decimals"], f["label"], enum_key)


def generate(folder: Path, connectors: tuple[str, ...] = PRODUCT_CONNECTORS) -> str:
    schemas, hashes = load_specs(folder)
    trees = {conn: connector_tree(schemas, conn) for conn in connectors}
    used_files = sorted({file for _, files in trees.values() for file in files})

    # Deduplicate: one enum per distinct value list (keyed by field id, "_2" on a clash), one field list per
    # distinct object definition (keyed by object name, "_2"...), in the order first met.
    enums: dict[str, tuple[tuple[str, str], ...]] = {}
    enum_keys: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    lists: dict[str, dict[str, Field]] = {}
    list_keys: dict[tuple[tuple[str, Field], ...], str] = {}
    for root, _ in trees.values():
        for node in _walk(root):
            fields: dict[str, Field] = {}
            for fid, f in node.fields.items():
                key = None
                if f["values"] is not None:
                    ident = (fid, f["values"])
                    key = enum_keys.get(ident)
                    if key is None:
                        key = _unique(fid, enums)
                        enums[key] = f["values"]
                        enum_keys[ident] = key
                fields[fid] = _field_tuple(f, key)
            ident_list = tuple(sorted(fields.items()))  # Adr and Pad addresses share one list
            node.key = list_keys.get(ident_list, "")
            if not node.key:
                node.key = _unique(node.name, lists)
                lists[node.key] = fields
                list_keys[ident_list] = node.key

    lines = [
        "# ruff: noqa",
        '"""AFAS UpdateConnector field limits. GENERATED from AFAS\'s OpenAPI specs (afas-openapi/*.json): do not edit.',
        "",
        "Regenerate with::",
        "",
        "    python -m connectors.afas.limits_gen ../shared/api/afas-openapi",
        "",
        "Read it through connectors.afas.field_limits (typed lookups) and connectors.afas.check (check_body).",
        "",
        "FIELDS: field list -> field id -> (dataType, maxLength, decimals, label, enum key). dataType as AFAS's",
        "    metainfo names it (string, int, decimal, boolean, date, blob); maxLength 0 = the spec gives none;",
        "    decimals None = the spec gives none (from multipleOf of the PUT schemas); enum key into ENUMS or None.",
        "ENUMS: enum key -> allowed values, each (value, description).",
        'OBJECTS: connector -> object path ("KnSalesRelationPer/KnPerson/KnBasicAddressAdr", parents first, in',
        "    the spec's order) -> (field list, required on POST, required on PUT); required is None where the",
        '    connector has no schema for that method. Key attributes ("@DbId") are fields of their object.',
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "# spec file -> sha256 of the version this table was generated from",
        "SOURCES: dict[str, str] = {",
    ]
    lines += [f"    {_q(name)}: {_q(hashes[name])}," for name in used_files]
    lines += ["}", "", "FIELDS: dict[str, dict[str, tuple[str, int, int | None, str, str | None]]] = {"]
    for key, fields in lists.items():
        lines.append(f"    {_q(key)}: {{")
        for fid, (dtype, length, decimals, label, enum_key) in fields.items():
            enum_repr = _q(enum_key) if enum_key else "None"
            lines.append(f"        {_q(fid)}: ({_q(dtype)}, {length}, {decimals}, {_q(label)}, {enum_repr}),")
        lines.append("    },")
    lines += ["}", "", "ENUMS: dict[str, tuple[tuple[str, str], ...]] = {"]
    for key, values in enums.items():
        lines.append(f"    {_q(key)}: (")
        lines += [f"        ({_q(v)}, {_q(text)})," for v, text in values]
        lines.append("    ),")
    lines += [
        "}",
        "",
        "OBJECTS: dict[str, dict[str, tuple[str, tuple[str, ...] | None, tuple[str, ...] | None]]] = {",
    ]
    for conn, (root, _) in trees.items():
        lines.append(f"    {_q(conn)}: {{")
        for path, node in _paths(root, root.name):
            lines.append(
                f"        {_q(path)}: ({_q(node.key)}, {_required(node, 'POST')}, {_required(node, 'PUT')}),"
            )
        lines.append("    },")
    lines += ["}", ""]
    return "\n".join(lines)


def _unique(base: str, taken: dict[str, Any]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def _required(node: Node, method: str) -> str:
    if method not in node.required:
        return "None"
    names = node.required[method]
    return "(" + ", ".join(_q(n) for n in names) + ("," if len(names) == 1 else "") + ")"


def _paths(node: Node, path: str) -> Iterator[tuple[str, Node]]:
    yield path, node
    for child in node.children.values():
        yield from _paths(child, f"{path}/{child.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "specs", type=Path, nargs="?", default=DEFAULT_SPECS, help="folder with AFAS's OpenAPI specs (*.json)"
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("limits.py"))
    args = parser.parse_args(argv)
    text = generate(args.specs)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10))} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
