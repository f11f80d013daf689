"""Dates (Amsterdam local time behind a misleading Z) and exact decimals in and out."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
import respx

from connectors.afas import (
    AMSTERDAM,
    AfasClient,
    dumps,
    element,
    loads,
    parse_afas_date,
    parse_afas_datetime,
    to_afas_filter_value,
    to_decimal,
)

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "ab" * 32


def test_z_is_ignored_summer_time() -> None:
    parsed = parse_afas_datetime("2024-07-01T12:00:00Z")
    assert parsed is not None
    assert (parsed.hour, parsed.minute) == (12, 0)
    assert parsed.tzinfo == AMSTERDAM
    assert parsed.utcoffset() == timedelta(hours=2)
    assert parsed.astimezone(UTC) == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)


def test_z_is_ignored_winter_time() -> None:
    parsed = parse_afas_datetime("2012-11-22T09:49:49Z")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=1)
    assert parsed.astimezone(UTC) == datetime(2012, 11, 22, 8, 49, 49, tzinfo=UTC)


def test_datetime_variants() -> None:
    assert parse_afas_datetime(None) is None and parse_afas_datetime("") is None
    frac = parse_afas_datetime("2024-02-16T09:49:49.1234567Z")
    assert frac is not None and frac.microsecond == 123456
    no_z = parse_afas_datetime("2024-02-16T09:49:49")
    assert no_z == datetime(2024, 2, 16, 9, 49, 49, tzinfo=AMSTERDAM)
    explicit = parse_afas_datetime("2024-02-16T09:49:49+00:00")
    assert explicit is not None and explicit.hour == 10 and explicit.tzinfo == AMSTERDAM
    with pytest.raises(ValueError):
        parse_afas_datetime("yesterday")


def test_parse_date() -> None:
    assert parse_afas_date("2024-02-16T00:00:00Z") == date(2024, 2, 16)
    assert parse_afas_date("2024-02-16") == date(2024, 2, 16)
    assert parse_afas_date(None) is None and parse_afas_date(" ") is None


def test_filter_value_is_amsterdam_local_without_zone() -> None:
    assert to_afas_filter_value(datetime(2024, 7, 1, 10, 0, tzinfo=UTC)) == "2024-07-01T12:00:00"
    assert to_afas_filter_value(datetime(2024, 12, 1, 10, 0, tzinfo=UTC)) == "2024-12-01T11:00:00"
    assert to_afas_filter_value(datetime(2024, 12, 1, 10, 0)) == "2024-12-01T10:00:00"
    assert to_afas_filter_value(date(2024, 12, 1)) == "2024-12-01"
    parsed = parse_afas_datetime("2024-03-31T03:30:00Z")
    assert parsed is not None and to_afas_filter_value(parsed) == "2024-03-31T03:30:00"


def test_loads_keeps_decimal_digits() -> None:
    data = loads(b'{"a": 0.1, "b": 0.2, "price": 261.720, "qty": 3, "big": 12345678901234567.89}')
    assert isinstance(data["a"], Decimal) and data["a"] + data["b"] == Decimal("0.3")
    assert str(data["price"]) == "261.720"
    assert data["qty"] == 3 and isinstance(data["qty"], int)
    assert data["big"] == Decimal("12345678901234567.89")


def test_dumps_writes_exact_decimal_digits() -> None:
    body = {
        "Upri": Decimal("261.720"),
        "Small": Decimal("0.1"),
        "Exp": Decimal("1E+2"),
        "Neg": Decimal("-0.005"),
    }
    text = dumps(body)
    assert text == '{"Upri":261.720,"Small":0.1,"Exp":100,"Neg":-0.005}'
    assert json.loads(text, parse_float=Decimal) == {
        "Upri": Decimal("261.720"),
        "Small": Decimal("0.1"),
        "Exp": 100,
        "Neg": Decimal("-0.005"),
    }
    long = Decimal("12345678901234567890.123456789")
    assert dumps([long]) == "[12345678901234567890.123456789]"
    assert dumps({"s": 'quote " and ; , \\', "d": date(2024, 2, 16), "n": None, "b": True}) == (
        '{"s":"quote \\" and ; , \\\\","d":"2024-02-16","n":null,"b":true}'
    )
    with pytest.raises(ValueError):
        dumps({"x": Decimal("NaN")})
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_to_decimal_is_lenient_but_exact() -> None:
    assert to_decimal("1") == Decimal("1")
    assert str(to_decimal("2,50")) == "2.50"
    assert str(to_decimal(0.1)) == "0.1"
    assert to_decimal(Decimal("3.30")) == Decimal("3.30")
    assert to_decimal("") is None and to_decimal(None) is None
    with pytest.raises(TypeError):
        to_decimal(True)
    with pytest.raises(ValueError):
        to_decimal("abc")


def test_client_round_trips_money_without_float() -> None:
    sent: list[bytes] = []
    raw_page = b'{"skip":0,"take":100,"rows":[{"ItemCode":"1006","Price":0.1,"Vat":0.2,"Total":261.72}]}'

    def on_post(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(201, json={"results": {"FbSales": {"OrNu": "2024001"}}})

    async def run() -> tuple[list[dict], dict]:
        with respx.mock() as router:
            router.get(url__startswith=f"{BASE}/connectors/Sync_Articles").mock(
                return_value=httpx.Response(
                    200, content=raw_page, headers={"Content-Type": "application/json"}
                )
            )
            router.post(f"{BASE}/connectors/FbSales").mock(side_effect=on_post)
            async with AfasClient(BASE, TOKEN) as client:
                rows = await client.get_page("Sync_Articles", skip=0, take=100, order_by=["ItemCode"])
                line = {
                    "VaIt": "2",
                    "ItCd": "1006",
                    "QuUn": Decimal("1"),
                    "Upri": rows[0]["Total"] + Decimal("0.000"),
                }
                body = element({"DbId": "10001", "OrDa": date(2024, 2, 16)}, {"FbSalesLines": [line]})
                return rows, await client.insert("FbSales", body)

    rows, result = asyncio.run(run())
    assert rows[0]["Price"] + rows[0]["Vat"] == Decimal("0.3")
    assert str(rows[0]["Total"]) == "261.72"
    assert result == {"FbSales": {"OrNu": "2024001"}}
    assert b'"Upri":261.720' in sent[0]
    assert b'"QuUn":1' in sent[0] and b'"OrDa":"2024-02-16"' in sent[0]
