"""UpdateConnector bodies and calls, metainfo, stats."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import httpx
import respx

from connectors.afas import AfasClient, element

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "ab" * 32


def test_element_builds_the_afas_shape() -> None:
    line = {"VaIt": "2", "ItCd": "1006", "BiUn": "STK", "QuUn": Decimal("1"), "Upri": Decimal("261.72")}
    body = element(
        {"OrDa": "2024-02-16", "DbId": "10001", "Unit": 1, "War": "01"},
        {"FbSalesLines": [line, element({"VaIt": "3", "Ds": "text"})]},
    )
    assert body == {
        "Element": {
            "Fields": {"OrDa": "2024-02-16", "DbId": "10001", "Unit": 1, "War": "01"},
            "Objects": [
                {"FbSalesLines": {"Element": [{"Fields": line}, {"Fields": {"VaIt": "3", "Ds": "text"}}]}}
            ],
        }
    }


def test_element_with_key_and_single_nested_object() -> None:
    org = element(
        {"MatchOga": "6", "Nm": "Bakker BV"}, {"KnBasicAddressAdr": {"CoId": "NL", "Ad": "Dorpsstraat"}}
    )
    body = element({"CuId": "EUR", "IsDb": True}, {"KnOrganisation": org}, key={"DbId": "10001"})
    assert body["Element"]["@DbId"] == "10001"
    assert body["Element"]["Objects"][0]["KnOrganisation"]["Element"]["Fields"]["Nm"] == "Bakker BV"
    address = body["Element"]["Objects"][0]["KnOrganisation"]["Element"]["Objects"][0]
    assert address == {"KnBasicAddressAdr": {"Element": {"Fields": {"CoId": "NL", "Ad": "Dorpsstraat"}}}}
    assert element({"A": 1}, key={"@DbId": "1"})["Element"]["@DbId"] == "1"


class Recorder:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response


def test_insert_update_insert_sub_delete() -> None:
    post = Recorder(
        httpx.Response(201, json={"results": {"KnSalesRelationOrg": {"DbId": "10001", "BcCo": "42"}}})
    )
    put = Recorder(httpx.Response(200, content=b""))
    sub = Recorder(httpx.Response(201, json={"results": {"KnSalesRelationOrg": {"DbId": "10001"}}}))
    delete = Recorder(httpx.Response(200))

    async def run() -> tuple[Any, ...]:
        with respx.mock() as router:
            router.post(f"{BASE}/connectors/KnSalesRelationOrg").mock(side_effect=post)
            router.put(f"{BASE}/connectors/KnSalesRelationOrg").mock(side_effect=put)
            router.post(f"{BASE}/connectors/KnSalesRelationOrg/KnContact").mock(side_effect=sub)
            router.delete(url__startswith=f"{BASE}/connectors/FbSales/FbSales/").mock(side_effect=delete)
            async with AfasClient(BASE, TOKEN) as client:
                body = element({"CuId": "EUR", "CreditLimit": Decimal("1500.00")})
                inserted = await client.insert("KnSalesRelationOrg", body)
                updated = await client.update(
                    "KnSalesRelationOrg", element({"Bl": True}, key={"DbId": "10001"})
                )
                added = await client.insert_sub(
                    "KnSalesRelationOrg", "KnContact", element({"EmAd": "a@b.nl"})
                )
                deleted = await client.delete("FbSales", "FbSales", {"OrNu": "2024/1 A", "Unit": 1})
                return inserted, updated, added, deleted, client.stats

    inserted, updated, added, deleted, stats = asyncio.run(run())
    assert inserted == {"KnSalesRelationOrg": {"DbId": "10001", "BcCo": "42"}}
    assert updated == {} and deleted is None
    assert added == {"KnSalesRelationOrg": {"DbId": "10001"}}
    assert (
        post.requests[0].content
        == b'{"KnSalesRelationOrg":{"Element":{"Fields":{"CuId":"EUR","CreditLimit":1500.00}}}}'
    )
    assert post.requests[0].headers["Content-Type"] == "application/json"
    assert json.loads(put.requests[0].content) == {
        "KnSalesRelationOrg": {"Element": {"@DbId": "10001", "Fields": {"Bl": True}}}
    }
    assert sub.requests[0].url.path == "/ProfitRestServices/connectors/KnSalesRelationOrg/KnContact"
    assert (
        delete.requests[0].url.raw_path
        == b"/ProfitRestServices/connectors/FbSales/FbSales/@OrNu,@Unit/2024%2F1%20A,1"
    )
    assert stats.calls[("POST", "KnSalesRelationOrg")] == 2
    assert stats.calls[("PUT", "KnSalesRelationOrg")] == 1
    assert stats.calls[("DELETE", "FbSales")] == 1
    assert stats.bytes_sent == sum(len(r.requests[0].content) for r in (post, put, sub))
    assert stats.bytes_received > 0


def test_root_other_than_the_connector_is_sent_as_given() -> None:
    post = Recorder(
        httpx.Response(201, json={"results": {"FiEntries": {"EnNo": "7", "UnId": "1", "InID": "1"}}})
    )
    lines = [
        {"VaAs": "1", "AcNr": "8000", "AmDe": Decimal("10.10")},
        {"VaAs": "1", "AcNr": "1300", "AmCr": Decimal("10.10")},
    ]
    body = {"FiEntryPar": element({"Year": 2024, "Peri": 2, "UnId": 1, "JoCo": "90"}, {"FiEntries": lines})}

    async def run() -> dict:
        with respx.mock() as router:
            router.post(f"{BASE}/connectors/FiEntries").mock(side_effect=post)
            async with AfasClient(BASE, TOKEN) as client:
                return await client.insert("FiEntries", body)

    assert asyncio.run(run()) == {"FiEntries": {"EnNo": "7", "UnId": "1", "InID": "1"}}
    sent = json.loads(post.requests[0].content, parse_float=Decimal)
    assert list(sent) == ["FiEntryPar"]
    assert sent["FiEntryPar"]["Element"]["Objects"][0]["FiEntries"]["Element"][1]["Fields"][
        "AmCr"
    ] == Decimal("10.10")


def test_metainfo_calls() -> None:
    meta = {
        "updateConnectors": [{"id": "FbSales", "description": "Verkooporder"}],
        "getConnectors": [],
        "info": {},
    }
    fields = {"name": "Sync_Articles", "fields": [{"id": "ItemCode", "dataType": "string", "length": 16}]}
    update = {"name": "FbSales", "fields": [{"fieldId": "OrNu", "primaryKey": True}], "objects": []}

    async def run() -> tuple[Any, ...]:
        with respx.mock() as router:
            router.get(f"{BASE}/metainfo").mock(return_value=httpx.Response(200, json=meta))
            router.get(f"{BASE}/metainfo/get/Sync_Articles").mock(
                return_value=httpx.Response(200, json=fields)
            )
            router.get(f"{BASE}/metainfo/update/FbSales").mock(return_value=httpx.Response(200, json=update))
            router.get(f"{BASE}/ProfitVersion").mock(
                return_value=httpx.Response(200, json={"version": "22.22.5"})
            )
            async with AfasClient(BASE, TOKEN) as client:
                return (
                    await client.metainfo(),
                    await client.metainfo_get("Sync_Articles"),
                    await client.metainfo_update("FbSales"),
                    await client.profit_version(),
                )

    assert asyncio.run(run()) == (meta, fields, update, "22.22.5")
