"""Filter building: aligned query lists, filterjson, value formatting, automatic form and length checks."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote

import httpx
import pytest
import respx

from connectors.afas import AfasClient, AfasQueryTooLong, Filter, Op, format_value, where

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "ab" * 32
CONN_URL = f"{BASE}/connectors/Sync_Articles"


def test_operator_codes() -> None:
    assert len(Op) == 15
    assert [op.value for op in Op] == list(range(1, 16))
    assert (Op.CONTAINS, Op.EMPTY, Op.NOT_EMPTY, Op.QUICK) == (6, 8, 9, 15)
    assert Op.NOT_ENDS_WITH == 14 and Op.NE == 7


def test_and_or_query_form_matches_the_documented_example() -> None:
    flt = where("A", Op.EQ, 1) & where("B", Op.CONTAINS, "x") | where("A", Op.EQ, 3)
    assert flt.to_query() == {"filterfieldids": "A,B;A", "filtervalues": "1,x;3", "operatortypes": "1,6;1"}


def test_and_distributes_over_or() -> None:
    flt = (where("A", Op.EQ, 1) | where("A", Op.EQ, 2)) & where("B", Op.GT, 5)
    assert flt.to_query() == {
        "filterfieldids": "A,B;A,B",
        "filtervalues": "1,5;2,5",
        "operatortypes": "1,4;1,4",
    }
    both = (where("A", Op.EQ, 1) | where("B", Op.EQ, 2)) & (where("C", Op.EQ, 3) | where("D", Op.EQ, 4))
    assert both.to_query()["filterfieldids"] == "A,C;A,D;B,C;B,D"


def test_filterjson_form() -> None:
    flt = where("A", Op.EQ, 1) & where("B", Op.CONTAINS, "x") | where("A", Op.EQ, 3)
    assert json.loads(flt.to_filterjson()) == {
        "Filters": {
            "Filter": [
                {
                    "@FilterId": "f1",
                    "Field": [
                        {"@FieldId": "A", "@OperatorType": "1", "#text": "1"},
                        {"@FieldId": "B", "@OperatorType": "6", "#text": "x"},
                    ],
                },
                {"@FilterId": "f2", "Field": [{"@FieldId": "A", "@OperatorType": "1", "#text": "3"}]},
            ]
        }
    }


def test_value_formatting() -> None:
    summer_utc = datetime(2024, 7, 1, 10, 0, 5, 123456, tzinfo=UTC)
    assert format_value(summer_utc, Op.GE) == "2024-07-01T12:00:05"
    assert format_value(datetime(2024, 1, 15, 10, 0, tzinfo=UTC), Op.GE) == "2024-01-15T11:00:00"
    assert format_value(datetime(2024, 2, 16, 9, 49, 49), Op.GE) == "2024-02-16T09:49:49"
    assert format_value(date(2024, 2, 16), Op.EQ) == "2024-02-16"
    assert format_value(Decimal("1E+2"), Op.EQ) == "100"
    assert format_value(Decimal("0.10"), Op.EQ) == "0.10"
    assert format_value(42, Op.EQ) == "42"
    assert format_value(True, Op.EQ) == "true" and format_value(False, Op.EQ) == "false"
    assert format_value(None, Op.EMPTY) == "" and format_value(None, Op.NOT_EMPTY) == ""
    with pytest.raises(ValueError):
        format_value(None, Op.EQ)
    flt = where("Email", Op.EMPTY) | where("Blocked", Op.EQ, False)
    assert flt.to_query() == {
        "filterfieldids": "Email;Blocked",
        "filtervalues": ";false",
        "operatortypes": "8;1",
    }


def test_separator_values_cannot_use_the_query_form() -> None:
    flt = where("Description", Op.CONTAINS, "a,b")
    assert not flt.query_safe
    with pytest.raises(ValueError):
        flt.to_query()
    assert json.loads(flt.to_filterjson())["Filters"]["Filter"][0]["Field"][0]["#text"] == "a,b"
    with pytest.raises(ValueError):
        where("A,B", Op.EQ, 1)
    with pytest.raises(ValueError):
        Filter(())


def _capture_get(flt: Filter) -> httpx.Request:
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"skip": 0, "take": 10, "rows": []})

    async def run() -> None:
        with respx.mock() as router:
            router.get(url__startswith=CONN_URL).mock(side_effect=reply)
            async with AfasClient(BASE, TOKEN) as client:
                await client.get_page("Sync_Articles", skip=0, take=10, filters=flt, order_by=["ItemCode"])

    asyncio.run(run())
    assert len(seen) == 1
    return seen[0]


def test_client_uses_the_query_form_for_plain_values() -> None:
    request = _capture_get(where("ArtGroup", Op.EQ, "100") & where("Blocked", Op.EQ, False))
    params = request.url.params
    assert params["filterfieldids"] == "ArtGroup,Blocked"
    assert params["filtervalues"] == "100,false"
    assert params["operatortypes"] == "1,1"
    assert params["orderbyfieldids"] == "ItemCode"
    assert (params["skip"], params["take"]) == ("0", "10")
    assert "filterjson" not in params


@pytest.mark.parametrize("value", ["Bolts, nuts", "a;b"])
def test_client_switches_to_filterjson_for_separators(value: str) -> None:
    request = _capture_get(where("Description", Op.CONTAINS, value) | where("ItemCode", Op.EQ, "X"))
    params = request.url.params
    assert "filterfieldids" not in params and "filtervalues" not in params
    sent = json.loads(params["filterjson"])
    assert sent["Filters"]["Filter"][0]["Field"][0] == {
        "@FieldId": "Description",
        "@OperatorType": "6",
        "#text": value,
    }
    assert sent["Filters"]["Filter"][1]["Field"][0]["#text"] == "X"
    assert len(request.url.query) <= 2049


def _many(n: int, value_len: int = 8) -> Filter:
    flt = where("ItemCode", Op.EQ, "0" * value_len)
    for i in range(1, n):
        flt = flt | where("ItemCode", Op.EQ, str(i).zfill(value_len))
    return flt


def test_long_query_close_to_the_limit_is_sent_and_fits() -> None:
    # ~90 OR groups fit in 2049 characters in the aligned form.
    request = _capture_get(_many(90))
    assert "filterfieldids" in request.url.params
    assert len(request.url.query) <= 2049
    assert unquote(request.url.params["filtervalues"]).count(";") == 89


def test_query_over_the_limit_raises_before_sending() -> None:
    calls: list[httpx.Request] = []

    async def run() -> None:
        with respx.mock(assert_all_called=False) as router:
            router.get(url__startswith=CONN_URL).mock(
                side_effect=lambda r: calls.append(r) or httpx.Response(200)
            )
            async with AfasClient(BASE, TOKEN) as client:
                await client.get_page(
                    "Sync_Articles", skip=0, take=10, filters=_many(200), order_by=["ItemCode"]
                )

    with pytest.raises(AfasQueryTooLong) as info:
        asyncio.run(run())
    assert info.value.connector == "Sync_Articles"
    assert "Sync_Articles" in str(info.value) and "2049" in str(info.value)
    assert calls == []


def test_separator_value_whose_filterjson_is_too_long_raises() -> None:
    # Fits in the aligned form, but the comma forces filterjson, which is longer than 2049 characters.
    flt = where("Description", Op.CONTAINS, "x," + "y" * 1200) | where("Description", Op.CONTAINS, "z" * 700)
    with pytest.raises(AfasQueryTooLong):
        _capture_get(flt)
    ok = where("Description", Op.CONTAINS, "x," + "y" * 1200)
    assert "filterjson" in _capture_get(ok).url.params
