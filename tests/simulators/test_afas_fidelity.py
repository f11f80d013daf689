"""AFAS stand-in fidelity: rows against AFAS's OpenAPI row schemas, custom connectors against the docs,
UpdateConnector definitions and bodies against the *_POST schemas."""

from __future__ import annotations

import asyncio
import copy
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from simulators.afas import AfasSimConfig, AfasState, create_app
from simulators.afas.connectors import GET_CONNECTORS
from simulators.afas.testing import (
    BASE,
    client,
    demo_state,
    fi_entries_body,
    openapi_request_schema,
    openapi_row_schema,
    order_body,
    org_relation_body,
    person_relation_body,
)
from simulators.afas.updateconnectors.definitions import OBJECTS, ObjectDef

STANDARD = [
    "Profit_Article",
    "Profit_ArticleGroups",
    "Profit_Barcode_per_Item",
    "Profit_Warehouses",
    "Profit_Stock_per_Warehouse",
    "Profit_Debtor",
    "Profit_OrgPer",
    "Profit_Salesorders",
    "Profit_SalesorderLines",
    "Profit_SalesPrice",
    "Profit_Transactions",
]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "custom-connectors.md"


def _strict_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Every listed field must be present and nothing else; AFAS sends null for an empty value [DOC]."""
    schema = copy.deepcopy(schema)
    for prop in schema["properties"].values():
        prop["type"] = [prop["type"], "null"]
    schema["required"] = list(schema["properties"])
    schema["additionalProperties"] = False
    return schema


@pytest.fixture(scope="module")
def served() -> dict[str, list[dict[str, Any]]]:
    """Every row of every GetConnector, after writes that fill the order and person tables."""
    state: AfasState = demo_state()
    app = create_app(state, AfasSimConfig())

    async def go() -> dict[str, list[dict[str, Any]]]:
        async with client(app) as c:
            for body, conn in (
                (order_body("20001", [{"ItCd": "10001", "QuUn": 2}, {"ItCd": "10002"}]), "FbSales"),
                (order_body("20004", [{"ItCd": "10003"}], connector="FbDirectInvoice"), "FbDirectInvoice"),
                (
                    person_relation_body("Eva", "Bakker", DaBi="1990-05-01", SoSe="123456782"),
                    "KnSalesRelationPer",
                ),
            ):
                r = await c.post(f"{BASE}/connectors/{conn}", json=body)
                assert r.status_code == 201, r.text
            entry = fi_entries_body([("2", "20001", 12.1, 0), ("1", "8000", 0, 10), ("1", "1500", 0, 2.1)])
            for line in entry["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"]:
                line["Fields"].update(InId="F2026-1", Ds="MplusKASSA F-1", VaId="1")
            r = await c.post(f"{BASE}/connectors/FiEntries", json=entry)
            assert r.status_code == 201, r.text
            out = {}
            for conn in GET_CONNECTORS:
                params: dict[str, Any] = {"skip": -1, "take": -1}
                if conn == "Profit_SalesPrice":
                    params.update(
                        filterfieldids="Debtor,Volume", filtervalues="20001,true", operatortypes="1,1"
                    )
                r = await c.get(f"{BASE}/connectors/{conn}", params=params)
                assert r.status_code == 200, r.text
                out[conn] = r.json()["rows"]
            return out

    return asyncio.run(go())


@pytest.mark.parametrize("connector", STANDARD)
def test_standard_rows_match_the_openapi_row_schema(
    shared_api: Path, served: dict[str, Any], connector: str
) -> None:
    schema = openapi_row_schema(shared_api, connector)
    assert schema is not None, connector
    assert list(GET_CONNECTORS[connector].names) == list(schema["properties"])  # same fields, same order
    rows = served[connector]
    assert rows, f"{connector} served no rows"
    validator = jsonschema.Draft7Validator(_strict_nullable(schema))
    for row in rows:
        errors = list(validator.iter_errors(row))
        assert not errors, (connector, row, [e.message for e in errors])
    # every field carries a value somewhere, unless the demo simply has none for it
    never = {k for k in schema["properties"] if all(r[k] is None for r in rows)}
    assert never <= {
        "ItemSortCode",
        "PriceGroup",
        "StockCode",
        "StockDimId1",
        "StockDimId2",
        "StockDimCode1",
        "StockDimCode2",
        "SerialNumber",
        "BatchNumber",
        "DebtorId",
        "CreditorId",
        "Barcode",
        "BasicContactCode",
        "Name",
        "AdressLine1",
        "AdressLine2",
        "AdressLine3",
        "Stock_level_code",
        "TelNr",
        "IBAN",
        "CreditLimit",
        "TelWork",
        "Homepage",
        "Note",
        "Level",
        "VatAmt",
    }, never


def _doc_columns() -> dict[str, list[tuple[str, str | None]]]:
    out: dict[str, list[tuple[str, str | None]]] = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(Sync_\w+)`\s*\|[^|]*\|(.*)\|\s*$", line)
        if not m:
            continue
        cols, depth, current = [], 0, ""
        for ch in m.group(2):  # split on commas outside parentheses
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                cols.append(current)
                current = ""
            else:
                current += ch
        cols.append(current)
        parsed = []
        for col in cols:
            name = col.strip().split(" ")[0]
            typ = re.search(r"\((\w+)", col)
            parsed.append((name, typ.group(1) if typ else None))
        out[m.group(1)] = parsed
    return out


def test_custom_connectors_have_the_documented_columns_and_types() -> None:
    if not DOCS.exists():
        pytest.skip("docs/custom-connectors.md not found")
    documented = _doc_columns()
    assert set(documented) == {c for c in GET_CONNECTORS if c.startswith("Sync_")}
    for conn_id, columns in documented.items():
        conn = GET_CONNECTORS[conn_id]
        assert list(conn.names) == [n for n, _ in columns], conn_id
        for (name, typ), dtype in zip(columns, conn.types, strict=True):
            if typ in ("string", "decimal", "boolean", "date", "int"):
                assert dtype == typ, (conn_id, name)


def test_custom_rows_are_typed_like_their_metainfo(served: dict[str, Any]) -> None:
    python_types = {"string": str, "int": int, "decimal": (int, float), "boolean": bool, "date": str}
    for conn_id, conn in GET_CONNECTORS.items():
        for row in served[conn_id]:
            assert list(row) == list(conn.names)
            for name, dtype in zip(conn.names, conn.types, strict=True):
                value = row[name]
                assert value is None or isinstance(value, python_types[dtype]), (conn_id, name, value)
                if dtype == "date" and value is not None:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value), (conn_id, name, value)


def _schema_objects(node: dict[str, Any], name: str, out: dict[str, set[str]]) -> None:
    element = node["properties"]["Element"]
    item = element["items"] if element.get("type") == "array" else element
    out.setdefault(name, set()).update(item["properties"]["Fields"]["properties"])
    objects = item["properties"].get("Objects")
    if objects:
        for child, child_node in objects["items"]["properties"].items():
            _schema_objects(child_node, f"{name}/{child}", out)


def _our_objects(obj: ObjectDef, name: str, out: dict[str, set[str]]) -> None:
    out[name] = set(obj.fields)
    for child in obj.children.values():
        _our_objects(child, f"{name}/{child.name}", out)


@pytest.mark.parametrize("connector", sorted(OBJECTS))
def test_update_connector_fields_match_the_post_schema(shared_api: Path, connector: str) -> None:
    schema = openapi_request_schema(shared_api, "POST", f"/connectors/{connector}")
    assert schema is not None
    (root,) = schema["properties"]
    theirs: dict[str, set[str]] = {}
    _schema_objects(schema["properties"][root], root, theirs)
    ours: dict[str, set[str]] = {}
    _our_objects(OBJECTS[connector], OBJECTS[connector].name, ours)
    assert ours == theirs


@pytest.mark.parametrize(
    ("connector", "body"),
    [
        ("FbSales", order_body("20001", [{"ItCd": "10001", "Upri": 12.5, "PRDc": 10}])),
        ("FbSalesQuotation", order_body("20001", [{"ItCd": "10001"}], connector="FbSalesQuotation")),
        ("FbDirectInvoice", order_body("20001", [{"ItCd": "10001"}], connector="FbDirectInvoice")),
        ("KnSalesRelationOrg", org_relation_body("Kramer Design", country="B", coc="12345678")),
        ("KnSalesRelationPer", person_relation_body("Tom", "Peeters", prefix="de")),
        ("FiEntries", fi_entries_body([("1", "1000", 10.0, 0), ("2", "20001", 0, 10.0)])),
    ],
)
def test_the_body_builders_are_valid_per_the_post_schema(shared_api: Path, connector: str, body: Any) -> None:
    schema = openapi_request_schema(shared_api, "POST", f"/connectors/{connector}")
    assert schema is not None
    jsonschema.validate(body, schema)
