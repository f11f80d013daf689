"""AFAS stand-in: auth, routing, paging, ordering, the filter grammar and metainfo."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from simulators.afas import AfasSimConfig, AfasState, auth_header, create_app
from simulators.afas.testing import BASE, app_for, client, demo_state

ARTICLES = f"{BASE}/connectors/Sync_Articles"
LOG_REF = re.compile(r"^[0-9A-F]{32}$")
AFAS_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def state() -> AfasState:
    return demo_state()


@pytest.fixture(scope="module")
def app(state: AfasState) -> Any:
    return create_app(state, AfasSimConfig())


def get(app: Any, path: str, **params: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.get(path, params=params)

    return run(go())


def rows(app: Any, connector: str = "Sync_Articles", **params: Any) -> list[dict[str, Any]]:
    r = get(app, f"{BASE}/connectors/{connector}", **params)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def everything(app: Any, connector: str = "Sync_Articles") -> list[dict[str, Any]]:
    return rows(app, connector, skip=-1, take=-1)


# ---------------------------------------------------------------- auth and routing


def test_missing_or_bad_token_is_401_with_empty_body(app: Any) -> None:
    async def go() -> list[httpx.Response]:
        async with client(app, token=None) as c:
            return [
                await c.get(ARTICLES),
                await c.get(ARTICLES, headers={"Authorization": auth_header("00" * 32)}),
                await c.get(ARTICLES, headers={"Authorization": "AfasToken not-base64!"}),
                await c.get(ARTICLES, headers={"Authorization": "Bearer x"}),
            ]

    for r in run(go()):
        assert r.status_code == 401
        assert r.content == b""


def test_ip_allow_list_gives_403_with_empty_body(state: AfasState) -> None:
    blocked = app_for(state, allowed_ips=["10.0.0.0/8"])
    r = get(blocked, ARTICLES)
    assert (r.status_code, r.content) == (403, b"")
    allowed = app_for(state, allowed_ips=["10.0.0.0/8", "127.0.0.1"])
    assert get(allowed, ARTICLES).status_code == 200


def test_path_is_case_insensitive_and_unknown_paths_are_404(app: Any) -> None:
    assert get(app, "/profitrestservices/connectors/sync_articles", take=1).status_code == 200
    for path in ("/ProfitRestServices/nope", "/other/connectors/Sync_Articles", "/ProfitRestServices"):
        r = get(app, path)
        assert (r.status_code, r.content) == (404, b"")


def test_query_string_over_2049_chars_is_404(app: Any) -> None:
    ok = "x" * 1900
    assert (
        get(app, ARTICLES, filterfieldids="Description", filtervalues=ok, operatortypes="6").status_code
        == 200
    )
    r = get(app, ARTICLES, filterfieldids="Description", filtervalues="x" * 2049, operatortypes="6")
    assert (r.status_code, r.content) == (404, b"")


def test_unknown_connector_and_field_are_500_with_error_body(app: Any) -> None:
    for r in (
        get(app, f"{BASE}/connectors/Nope_Connector"),
        get(app, ARTICLES, filterfieldids="Nope", filtervalues="1", operatortypes="1"),
        get(app, ARTICLES, orderbyfieldids="Nope"),
        get(app, ARTICLES, filterfieldids="ItemCode", filtervalues="1", operatortypes="99"),
        get(app, ARTICLES, filterfieldids="SalesPrice", filtervalues="abc", operatortypes="2"),
    ):
        assert r.status_code == 500
        body = r.json()
        assert set(body) == {"externalMessage", "errorNumber", "profitLogReference"}
        assert isinstance(body["errorNumber"], int) and body["externalMessage"]
        assert LOG_REF.match(body["profitLogReference"])


def test_app_connector_scope(state: AfasState) -> None:
    scoped = app_for(state, granted_connectors=["Sync_Articles", "FbSales"])

    async def go() -> dict[str, httpx.Response]:
        async with client(scoped) as c:
            return {
                "get_ok": await c.get(ARTICLES, params={"take": 1}),
                "get_denied": await c.get(f"{BASE}/connectors/Sync_Debtors"),
                "meta_get_denied": await c.get(f"{BASE}/metainfo/get/Sync_Debtors"),
                "post_denied": await c.post(f"{BASE}/connectors/KnSalesRelationOrg", json={}),
                "metainfo": await c.get(f"{BASE}/metainfo"),
            }

    r = run(go())
    assert r["get_ok"].status_code == 200
    assert (r["get_denied"].status_code, r["get_denied"].content) == (401, b"")
    assert r["meta_get_denied"].status_code == 401
    assert r["post_denied"].status_code == 500
    assert r["post_denied"].json()["externalMessage"] == "Geen toegang tot connector 'KnSalesRelationOrg'."
    meta = r["metainfo"].json()
    assert [c["id"] for c in meta["getConnectors"]] == ["Sync_Articles"]
    assert [c["id"] for c in meta["updateConnectors"]] == ["FbSales"]


# ---------------------------------------------------------------- paging and ordering


def test_paging_default_take_and_short_last_page(app: Any, state: AfasState) -> None:
    total = len(state.articles)
    first = get(app, ARTICLES, orderbyfieldids="ItemCode").json()
    assert (first["skip"], first["take"], len(first["rows"])) == (0, 100, 100)
    seen: list[str] = []
    skip = 0
    while True:
        page = rows(app, skip=skip, take=120, orderbyfieldids="ItemCode")
        seen += [r["ItemCode"] for r in page]
        skip += 120
        if len(page) < 120:
            break
    assert len(seen) == len(set(seen)) == total
    assert len(page) == total % 120
    assert rows(app, skip=total, take=10, orderbyfieldids="ItemCode") == []


def test_skip_and_take_minus_one_return_everything(app: Any, state: AfasState) -> None:
    body = get(app, ARTICLES, skip=-1, take=-1).json()
    assert (body["skip"], body["take"]) == (-1, -1)
    assert len(body["rows"]) == len(state.articles)


def test_order_ascending_descending_and_multi_key(app: Any) -> None:
    everything_ = everything(app)
    codes = [r["ItemCode"] for r in everything_]
    asc = [r["ItemCode"] for r in rows(app, take=-1, skip=-1, orderbyfieldids="ItemCode")]
    desc = [r["ItemCode"] for r in rows(app, take=-1, skip=-1, orderbyfieldids="-ItemCode")]
    assert asc == sorted(codes, key=str.casefold)
    assert desc == sorted(codes, key=str.casefold, reverse=True)
    multi = rows(app, take=-1, skip=-1, orderbyfieldids="ArtGroup,-SalesPrice,ItemCode")
    keys = [(r["ArtGroup"], -r["SalesPrice"], r["ItemCode"]) for r in multi]
    assert keys == sorted(keys)


def test_values_are_typed_and_dates_carry_the_z(app: Any) -> None:
    row = rows(app, take=1, orderbyfieldids="ItemCode")[0]
    assert isinstance(row["SalesPrice"], float) and isinstance(row["Blocked"], bool)
    assert AFAS_DATE.match(row["ModifiedDate"])
    assert row["ModelCode"] is None  # empty is null, never ""
    debtor = rows(app, "Sync_Debtors", take=-1, skip=-1)
    assert {d["CountryId"] for d in debtor} == {"NL", "B", "D"}
    assert {d["RelationType"] for d in debtor} == {"O", "P"}


def test_irregular_catalog_items_are_served_as_they_are(app: Any) -> None:
    all_rows = {r["ItemCode"]: r for r in everything(app)}
    assert any(not code.isdigit() for code in all_rows)
    assert sum(r["Blocked"] for r in all_rows.values()) == 1
    assert sum(not r["PosArticle"] for r in all_rows.values()) == 2


# ---------------------------------------------------------------- the 15 operators


def _ref(op: int, value: Any, raw: str, kind: str) -> Callable[[Any], bool]:
    """A reference implementation over JSON rows, written independently of the stand-in."""

    def norm(v: Any) -> Any:
        if v is None:
            return None
        if kind == "num":
            return Decimal(str(v))
        if kind == "date":
            return datetime.fromisoformat(v[:-1])
        if kind == "bool":
            return v
        return str(v).lower()

    target = {
        "num": lambda: Decimal(raw),
        "date": lambda: datetime.fromisoformat(raw),
        "bool": lambda: raw.lower() in ("true", "1"),
        "str": lambda: raw.lower(),
    }[kind]()
    text = raw.lower()
    table: dict[int, Callable[[Any], bool]] = {
        1: lambda v: v is not None and norm(v) == target,
        2: lambda v: v is not None and norm(v) >= target,
        3: lambda v: v is not None and norm(v) <= target,
        4: lambda v: v is not None and norm(v) > target,
        5: lambda v: v is not None and norm(v) < target,
        6: lambda v: v is not None and text in str(v).lower(),
        7: lambda v: v is None or norm(v) != target,
        8: lambda v: v is None,
        9: lambda v: v is not None,
        10: lambda v: v is not None and str(v).lower().startswith(text),
        11: lambda v: not (v is not None and text in str(v).lower()),
        12: lambda v: not (v is not None and str(v).lower().startswith(text)),
        13: lambda v: v is not None and str(v).lower().endswith(text),
        14: lambda v: not (v is not None and str(v).lower().endswith(text)),
    }
    return table[op]


CASES = [
    (1, "ArtGroup", "200", "str"),
    (1, "SalesPrice", "25", "num"),
    (1, "Blocked", "true", "bool"),
    (1, "PosArticle", "0", "bool"),
    (2, "SalesPrice", "100", "num"),
    (3, "SalesPrice", "9.5", "num"),
    (4, "SalesPrice", "99.99", "num"),
    (5, "SalesPrice", "20", "num"),
    (2, "ModifiedDate", "2026-01-05T12:00:00", "date"),
    (5, "ModifiedDate", "2026-01-05T10:00:00", "date"),
    (4, "ItemCode", "10150", "str"),
    (6, "Description", "JURK", "str"),
    (7, "ArtGroup", "100", "str"),
    (8, "ModelCode", "", "str"),
    (9, "ModelCode", "", "str"),
    (9, "Barcode", "ignored", "str"),
    (10, "ItemCode", "gc-", "str"),
    (11, "Description", "a", "str"),
    (12, "ItemCode", "101", "str"),
    (13, "ItemCode", "A", "str"),
    (14, "ItemCode", "1", "str"),
]


@pytest.mark.parametrize(("op", "field", "value", "kind"), CASES)
def test_operator_matches_reference(app: Any, op: int, field: str, value: str, kind: str) -> None:
    expected = [r["ItemCode"] for r in everything(app) if _ref(op, None, value, kind)(r[field])]
    got = rows(app, skip=-1, take=-1, filterfieldids=field, filtervalues=value, operatortypes=str(op))
    assert [r["ItemCode"] for r in got] == expected
    assert expected  # every case selects something


def test_quick_filter_searches_all_text_fields(app: Any) -> None:
    got = rows(
        app, skip=-1, take=-1, filterfieldids="ItemCode", filtervalues="verzorgingsadvies", operatortypes="15"
    )
    text_fields = [k for k, v in everything(app)[0].items() if isinstance(v, str) and not k.endswith("Date")]
    expected = [
        r["ItemCode"]
        for r in everything(app)
        if any("verzorgingsadvies" in (r[f] or "").lower() for f in text_fields)
    ]
    assert [r["ItemCode"] for r in got] == expected and expected


def test_dates_filter_as_local_time_without_z(app: Any) -> None:
    def since(value: str, op: str = "2") -> list[dict[str, Any]]:
        return rows(
            app, skip=-1, take=-1, filterfieldids="ModifiedDate", filtervalues=value, operatortypes=op
        )

    without = since("2026-01-05T09:07:00")
    assert since("2026-01-05T09:07:00Z") == without  # a trailing Z is ignored, not converted
    assert min(r["ModifiedDate"] for r in without) == "2026-01-05T09:07:00Z"
    assert min(r["ModifiedDate"] for r in since("2026-01-05T09:07:00", "4")) == "2026-01-05T09:14:00Z"
    assert since("2026-01-05 09:07:00") == without


def test_and_or_groups(app: Any) -> None:
    got = rows(
        app,
        skip=-1,
        take=-1,
        orderbyfieldids="ItemCode",
        filterfieldids="ArtGroup,Description;ArtGroup",
        filtervalues="100,jurk;300",
        operatortypes="1,6;1",
    )
    expected = sorted(
        (
            r["ItemCode"]
            for r in everything(app)
            if (r["ArtGroup"] == "100" and "jurk" in r["Description"].lower()) or r["ArtGroup"] == "300"
        ),
        key=str.casefold,
    )
    assert [r["ItemCode"] for r in got] == expected
    assert {r["ArtGroup"] for r in got} == {"100", "300"}


def test_filterjson_equals_the_query_form(app: Any) -> None:
    query = rows(
        app,
        skip=-1,
        take=-1,
        orderbyfieldids="-SalesPrice",
        filterfieldids="ArtGroup,SalesPrice;VATGroup",
        filtervalues="200,50;LAAG",
        operatortypes="1,2;1",
    )
    filters = {
        "Filters": {
            "Filter": [
                {
                    "@FilterId": "f1",
                    "Field": [
                        {"@FieldId": "ArtGroup", "@OperatorType": "1", "#text": "200"},
                        {"@FieldId": "SalesPrice", "@OperatorType": "2", "#text": "50"},
                    ],
                },
                {"@FilterId": "f2", "Field": {"@FieldId": "VATGroup", "@OperatorType": 1, "#text": "LAAG"}},
            ]
        }
    }
    by_json = rows(app, skip=-1, take=-1, orderbyfieldids="-SalesPrice", filterjson=json.dumps(filters))
    assert by_json == query and query
    single = {
        "Filters": {
            "Filter": {
                "@FilterId": "f1",
                "Field": {"@FieldId": "ItemCode", "@OperatorType": "1", "#text": "99001"},
            }
        }
    }
    assert [r["ItemCode"] for r in rows(app, filterjson=json.dumps(single))] == ["99001"]


def test_keyset_paging_matches_skip_paging(app: Any) -> None:
    for order, op in (("ItemCode", "4"), ("-ItemCode", "5")):
        base = {"filterfieldids": "Blocked", "filtervalues": "true", "operatortypes": "7"}
        expected = [r["ItemCode"] for r in rows(app, skip=-1, take=-1, orderbyfieldids=order, **base)]
        seen: list[str] = []
        last = None
        while True:
            params: dict[str, Any] = {"take": 37, "orderbyfieldids": order, **base}
            if last is not None:
                params.update(
                    filterfieldids="Blocked,ItemCode", filtervalues=f"true,{last}", operatortypes=f"7,{op}"
                )
            page = rows(app, **params)
            seen += [r["ItemCode"] for r in page]
            if len(page) < 37:
                break
            last = page[-1]["ItemCode"]
        assert seen == expected
        assert len(seen) == len(everything(app)) - 1


def test_profit_sales_price_takes_debtor_as_input(app: Any, state: AfasState) -> None:
    deal = next(g for g in state.agreements.values() if g.item_code)
    got = rows(
        app,
        "Profit_SalesPrice",
        filterfieldids="Debtor,Item",
        filtervalues=f"{deal.debtor_id},{deal.item_code}",
        operatortypes="1,1",
    )
    assert len(got) == 1
    assert got[0]["Debtor"] == deal.debtor_id and got[0]["Nettoprijs"] == float(deal.price)
    plain = rows(
        app, "Profit_SalesPrice", filterfieldids="Item", filtervalues=deal.item_code, operatortypes="1"
    )
    assert (
        plain[0]["Nettoprijs"] == plain[0]["GrossPrice"] == float(state.articles[deal.item_code].price_excl)
    )


# ---------------------------------------------------------------- metainfo


def test_metainfo_shapes(app: Any) -> None:
    meta = get(app, f"{BASE}/metainfo").json()
    assert set(meta) == {"updateConnectors", "getConnectors", "info"}
    assert set(meta["info"]) == {"envid", "appName", "group", "tokenExpiry"}
    ids = {c["id"] for c in meta["getConnectors"]}
    assert {"Profit_Article", "Sync_Articles", "Sync_Debtors", "Profit_SalesPrice"} <= ids
    assert {c["id"] for c in meta["updateConnectors"]} == {
        "KnSalesRelationOrg",
        "KnSalesRelationPer",
        "FbSales",
        "FbSalesQuotation",
        "FbDirectInvoice",
        "FiEntries",
    }
    get_meta = get(app, f"{BASE}/metainfo/get/Sync_Articles").json()
    assert set(get_meta) == {"name", "description", "fields"}
    assert {f["dataType"] for f in get_meta["fields"]} <= {
        "string",
        "int",
        "decimal",
        "date",
        "boolean",
        "blob",
    }
    for f in get_meta["fields"]:
        assert set(f) == {
            "id",
            "fieldId",
            "dataType",
            "label",
            "length",
            "controlType",
            "decimals",
            "decimalsFieldId",
        }
    upd = get(app, f"{BASE}/metainfo/update/KnSalesRelationOrg").json()
    assert set(upd) == {"name", "description", "fields", "objects"}
    org = next(o for o in upd["objects"] if o["name"] == "KnOrganisation")
    assert {o["name"] for o in org["objects"]} >= {"KnBasicAddressAdr", "KnBasicAddressPad", "KnContact"}
    field = next(f for f in upd["fields"] if f["fieldId"] == "DbId")
    assert field["primaryKey"] is True
    assert set(field) == {
        "fieldId",
        "primaryKey",
        "dataType",
        "label",
        "mandatory",
        "length",
        "controlType",
        "decimals",
        "decimalFieldId",
        "notzero",
        "values",
    }
    assert get(app, f"{BASE}/metainfo/update/Nope").status_code == 500
    assert get(app, f"{BASE}/metainfo/get/Nope").status_code == 500
    assert isinstance(get(app, f"{BASE}/ProfitVersion").json()["version"], str)
