"""AFAS stand-in: UpdateConnectors (orders, debtors, financial entries) and their validation."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from simulators.afas import AfasSimConfig, AfasState, create_app
from simulators.afas.testing import (
    BASE,
    ManualClock,
    client,
    demo_state,
    fi_entries_body,
    openapi_request_schema,
    order_body,
    org_relation_body,
    person_relation_body,
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


ACCEPTED: list[tuple[str, str, Any]] = []  # (method, OpenAPI path, body) of every write the stand-in accepted


@pytest.fixture(autouse=True)
def accepted_bodies_match_the_openapi(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every body a test sends and the stand-in accepts must also be valid per AFAS's *_POST/*_PUT schema
    (bodies sent with lenient=True test value coercion on purpose and are left out)."""
    try:
        api: Path | None = request.getfixturevalue("shared_api")
    except pytest.skip.Exception:
        api = None
    ACCEPTED.clear()
    yield
    for method, path, body in ACCEPTED if api else []:
        schema = openapi_request_schema(api, method, path)
        assert schema is not None, (method, path)
        jsonschema.validate(body, schema)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def state(clock: ManualClock) -> AfasState:
    return demo_state(clock=clock)


@pytest.fixture
def app(state: AfasState) -> Any:
    return create_app(state, AfasSimConfig())


def call(
    app: Any, method: str, path: str, body: Any = None, *, lenient: bool = False, **params: Any
) -> httpx.Response:
    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.request(method, f"{BASE}/{path}", json=body, params=params or None)

    r = run(go())
    if body is not None and r.status_code < 300 and not lenient:
        ACCEPTED.append((method, "/" + re.sub(r"(?i)^connectors/", "connectors/", path), body))
    return r


def rows(app: Any, connector: str, **filters: str) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"skip": -1, "take": -1}
    if filters:
        params.update(
            filterfieldids=",".join(filters),
            filtervalues=",".join(filters.values()),
            operatortypes=",".join("1" for _ in filters),
        )
    r = call(app, "GET", f"connectors/{connector}", **params)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def error(r: httpx.Response) -> str:
    assert r.status_code == 500, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"externalMessage", "errorNumber", "profitLogReference"}
    return body["externalMessage"]


def sellable(state: AfasState, n: int = 2) -> list[str]:
    return [
        a.item_code
        for a in state.articles.values()
        if a.item_code.isdigit() and not a.blocked and a.stock_tracked
    ][:n]


# ---------------------------------------------------------------- FbSales and friends


def test_fbsales_insert_appears_in_salesorders_with_customer_reference(app: Any, state: AfasState) -> None:
    a, b = sellable(state)
    body = order_body(
        "20001",
        [{"ItCd": a, "QuUn": 2, "Upri": 10.5}, {"ItCd": b, "QuUn": "1", "Upri": "4.50", "PRDc": 10}],
        reference="POS-2026001",
    )
    r = call(app, "POST", "connectors/FbSales", body, lenient=True)  # "1" and "4.50" for numbers
    assert r.status_code == 201, r.text
    ornu = r.json()["results"]["FbSales"]["OrNu"]
    (order,) = rows(app, "Profit_Salesorders", OrderNumber=ornu)
    assert order["CustomerReference"] == "POS-2026001"
    assert order["DebtorId"] == "20001" and order["Ordersoort"] == "Verkooporder"
    assert order["OrderDate"] == "2026-03-02T00:00:00Z"
    assert order["TotalAmount"] == pytest.approx(21 + 4.05)
    assert order["VAT"] == pytest.approx(round(25.05 * 0.21, 2))
    lines = rows(app, "Profit_SalesorderLines", OrderNumber=ornu)
    assert [(x["SeqNo"], x["ItemCodeId"], x["PiecePerUnit"]) for x in lines] == [(1, a, 2.0), (2, b, 1.0)]
    assert lines[1]["AmtRowDiscount"] == pytest.approx(0.45)
    assert all(x["CustomerReference"] == "POS-2026001" and x["LineGuid"].startswith("{") for x in lines)
    # an order reserves stock (as AFAS does)
    assert state.stock[(a, "01")].reserved >= Decimal(2)


def test_order_line_price_defaults_to_the_debtor_price(app: Any, state: AfasState) -> None:
    deal = next(g for g in state.agreements.values() if g.item_code)
    r = call(app, "POST", "connectors/FbSales", order_body(deal.debtor_id, [{"ItCd": deal.item_code}]))
    ornu = r.json()["results"]["FbSales"]["OrNu"]
    (line,) = rows(app, "Profit_SalesorderLines", OrderNumber=ornu)
    assert line["PricePerUnit"] == float(deal.price)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DbId": None}, "DbId"),
        ({"DbId": "99999"}, "bestaat niet"),
        ({"Unit": 2}, "Unit"),
        ({"War": "77"}, "War"),
        ({"Bogus": "1"}, "Onbekend veld 'Bogus'"),
        ({"RfCs": "x" * 101}, "te lang"),
        ({"OrDa": "gisteren"}, "ongeldig"),
    ],
)
def test_fbsales_header_validation(app: Any, state: AfasState, change: dict[str, Any], message: str) -> None:
    body = order_body("20001", [{"ItCd": sellable(state)[0]}])
    fields = body["FbSales"]["Element"]["Fields"]
    for k, v in change.items():
        if v is None:
            fields.pop(k)
        else:
            fields[k] = v
    assert message in error(call(app, "POST", "connectors/FbSales", body))
    assert state.orders == {}


def test_fbsales_line_validation(app: Any, state: AfasState) -> None:
    blocked = next(a.item_code for a in state.articles.values() if a.blocked)
    ok = sellable(state)[0]
    cases = [
        ({"ItCd": "88888"}, "bestaat niet"),
        ({"ItCd": blocked}, "geblokkeerd"),
        ({"ItCd": ok, "BiUn": "DOOS"}, "eenheid"),
        ({"ItCd": ok, "VaIt": "9"}, "VaIt"),
        ({"ItCd": ok, "Nope": 1}, "Onbekend veld 'Nope'"),
        ({"ItCd": ok, "QuUn": "een"}, "ongeldig"),
    ]
    for line, message in cases:
        body = order_body("20001", [{"ItCd": ok}, line])
        assert message.lower() in error(call(app, "POST", "connectors/FbSales", body)).lower()
    assert state.orders == {}  # one bad line rejects the whole order
    text_line = {"VaIt": "3", "ItCd": "", "BiUn": "", "QuUn": 0, "Ds": "Let op: cadeauverpakking"}
    body = order_body("20001", [{"ItCd": ok}])
    body["FbSales"]["Element"]["Objects"][0]["FbSalesLines"]["Element"].append({"Fields": text_line})
    assert call(app, "POST", "connectors/FbSales", body).status_code == 201


def test_fbsales_put_and_subobject_post_and_delete(app: Any, state: AfasState) -> None:
    a, b = sellable(state)
    reserved = state.stock[(a, "01")].reserved
    ornu = call(app, "POST", "connectors/FbSales", order_body("20001", [{"ItCd": a}])).json()["results"][
        "FbSales"
    ]["OrNu"]
    assert state.stock[(a, "01")].reserved == reserved + 1
    with_dbid = {"FbSales": {"Element": {"Fields": {"OrNu": ornu, "DbId": "20002"}}}}
    assert "DbId" in error(call(app, "PUT", "connectors/FbSales", with_dbid))
    put = {"FbSales": {"Element": {"Fields": {"OrNu": ornu, "RfCs": "changed"}}}}
    r = call(app, "PUT", "connectors/FbSales", put)
    assert r.status_code == 201 and r.json()["results"]["FbSales"]["OrNu"] == ornu
    assert rows(app, "Profit_Salesorders", OrderNumber=ornu)[0]["CustomerReference"] == "changed"
    sub = {
        "FbSales": {
            "Element": {
                "Fields": {"OrNu": ornu, "DbId": "20001"},
                "Objects": [
                    {
                        "FbSalesLines": {
                            "Element": [{"Fields": {"VaIt": "2", "ItCd": b, "BiUn": "STK", "QuUn": 3}}]
                        }
                    }
                ],
            }
        }
    }
    assert call(app, "POST", "connectors/FbSales/FbSalesLines", sub).status_code == 201
    assert [x["ItemCodeId"] for x in rows(app, "Profit_SalesorderLines", OrderNumber=ornu)] == [a, b]
    assert "bestaat niet" in error(
        call(app, "PUT", "connectors/FbSales", {"FbSales": {"Element": {"Fields": {"OrNu": "1"}}}})
    )
    assert call(app, "DELETE", f"connectors/FbSales/FbSales/@OrNu/{ornu}").status_code == 200
    assert rows(app, "Profit_Salesorders", OrderNumber=ornu) == []
    assert state.stock[(a, "01")].reserved == reserved  # the reservation is released
    assert call(app, "DELETE", f"connectors/FbSales/FbSales/@OrNu/{ornu}").status_code == 500


def test_direct_invoice_and_quotation(app: Any, state: AfasState) -> None:
    a = sellable(state)[0]
    before = state.stock[(a, "01")].physical
    r = call(
        app,
        "POST",
        "connectors/FbDirectInvoice",
        order_body("20003", [{"ItCd": a, "QuUn": 2}], connector="FbDirectInvoice", reference="POS-9"),
    )
    assert r.status_code == 201
    keys = r.json()["results"]["FbDirectInvoice"]
    assert set(keys) == {"OrNu", "Liln"}
    assert state.stock[(a, "01")].physical == before - 2  # delivered at once
    (row,) = rows(app, "Profit_Salesorders", OrderNumber=keys["OrNu"])
    assert row["Ordersoort"] == "Directe factuur" and row["CustomerReference"] == "POS-9"
    q = call(
        app,
        "POST",
        "connectors/FbSalesQuotation",
        order_body("20003", [{"ItCd": a}], connector="FbSalesQuotation"),
    )
    assert (
        rows(app, "Profit_Salesorders", OrderNumber=q.json()["results"]["FbSalesQuotation"]["OrNu"])[0][
            "Ordersoort"
        ]
        == "Offerte"
    )


# ---------------------------------------------------------------- debtors


def test_sales_relation_org_insert_appears_everywhere(app: Any, state: AfasState, clock: ManualClock) -> None:
    clock.advance(hours=1)
    body = org_relation_body(
        "Kramer Design", country="B", email="mila@kramer.be", PrLs="P01", VaId="BE0123456789"
    )
    r = call(app, "POST", "connectors/KnSalesRelationOrg", body)
    assert r.status_code == 201, r.text
    keys = r.json()["results"]["KnSalesRelationOrg"]
    assert set(keys) == {"DbId", "BcCo"}
    (sync,) = rows(app, "Sync_Debtors", DebtorId=keys["DbId"])
    assert sync["RelationType"] == "O" and sync["OrganisationName"] == "Kramer Design"
    assert (sync["ContactFirstName"], sync["ContactLastName"]) == ("Mila", "Kramer")
    assert (sync["CountryId"], sync["Street"], sync["HouseNumber"], sync["Email"]) == (
        "B",
        "Kerkstraat",
        "12",
        "mila@kramer.be",
    )
    assert sync["PriceList"] == "P01" and sync["VatNumber"] == "BE0123456789"
    assert sync["ModifiedDate"] == "2026-03-02T13:00:00Z"
    (debtor,) = rows(app, "Profit_Debtor", DebtorId=keys["DbId"])
    assert debtor["BcCo"] == keys["BcCo"] and debtor["PayCon"] == "14"
    assert debtor["ModifiedDate"] == "2026-03-02T13:00:00Z"
    (org,) = rows(app, "Profit_OrgPer", BcCo=keys["BcCo"])
    assert org["Name"] == "Kramer Design" and org["MailWork"] == "mila@kramer.be"


def test_sales_relation_validation_and_matching(app: Any, state: AfasState) -> None:
    assert "Land" in error(
        call(app, "POST", "connectors/KnSalesRelationOrg", org_relation_body(country="BE"))
    )
    no_currency = org_relation_body()
    del no_currency["KnSalesRelationOrg"]["Element"]["Fields"]["CuId"]
    assert "CuId" in error(call(app, "POST", "connectors/KnSalesRelationOrg", no_currency))
    assert "Onbekend veld" in error(
        call(app, "POST", "connectors/KnSalesRelationOrg", org_relation_body(Foo=1))
    )
    assert "PrLs" in error(call(app, "POST", "connectors/KnSalesRelationOrg", org_relation_body(PrLs="X9")))
    existing = state.orgpers[state.debtors["20001"].bc_co]
    # MatchOga 0 (BcCo) and 3 (name) find the organisation, which already is a debtor
    for match, extra in (("0", {"bc_co": existing.bc_co}), ("3", {})):
        body = org_relation_body(existing.name or "", match=match, **extra)
        assert "al verkooprelatie" in error(call(app, "POST", "connectors/KnSalesRelationOrg", body))
    # MatchOga 6 always adds a new one, even with the same name
    r = call(app, "POST", "connectors/KnSalesRelationOrg", org_relation_body(existing.name or "", match="6"))
    assert r.status_code == 201 and r.json()["results"]["KnSalesRelationOrg"]["BcCo"] != existing.bc_co
    dup = org_relation_body(debtor_id="20001")
    assert "bestaat al" in error(call(app, "POST", "connectors/KnSalesRelationOrg", dup))


def test_sales_relation_per_insert_and_match(app: Any, state: AfasState) -> None:
    r = call(
        app, "POST", "connectors/KnSalesRelationPer", person_relation_body("Tom", "Peeters", prefix="de")
    )
    keys = r.json()["results"]["KnSalesRelationPer"]
    (sync,) = rows(app, "Sync_Debtors", DebtorId=keys["DbId"])
    assert (sync["RelationType"], sync["FirstName"], sync["Prefix"], sync["LastName"]) == (
        "P",
        "Tom",
        "de",
        "Peeters",
    )
    assert sync["CountryId"] == "B" and sync["HouseNumberAddition"] == "bus 3"
    # MatchPer 3 (name + e-mail) finds him again: he already is a debtor
    again = person_relation_body("Tom", "Peeters", prefix="de", match="3")
    assert "al verkooprelatie" in error(call(app, "POST", "connectors/KnSalesRelationPer", again))
    other_mail = person_relation_body("Tom", "Peeters", prefix="de", match="3", email="other@x.be")
    assert call(app, "POST", "connectors/KnSalesRelationPer", other_mail).status_code == 201
    nameless = person_relation_body("Tom", "")
    assert "LaNm" in error(call(app, "POST", "connectors/KnSalesRelationPer", nameless))


def test_sales_relation_put_updates_existing_debtor(app: Any, state: AfasState, clock: ManualClock) -> None:
    clock.advance(days=1)
    bc = state.debtors["20001"].bc_co
    body = {
        "KnSalesRelationOrg": {
            "Element": {
                "@DbId": "20001",
                "Fields": {"DbId": "20001", "Bl": True, "PaCd": "30"},
                "Objects": [
                    {
                        "KnOrganisation": {
                            "Element": [
                                {
                                    "Fields": {"MatchOga": "0", "BcId": 1, "BcCo": bc, "EmAd": "new@shop.nl"},
                                    "Objects": [
                                        {
                                            "KnBasicAddressAdr": {
                                                "Element": [
                                                    {
                                                        "Fields": {
                                                            "CoId": "D",
                                                            "PbAd": False,
                                                            "Ad": "Hauptstraße",
                                                            "HmNr": 5,
                                                            "ZpCd": "50667",
                                                            "Rs": "Köln",
                                                            "BeginDate": "2026-03-03",
                                                            "ResZip": False,
                                                        }
                                                    }
                                                ]
                                            }
                                        }
                                    ],
                                }
                            ]
                        }
                    }
                ],
            }
        }
    }
    r = call(app, "PUT", "connectors/KnSalesRelationOrg", body)
    assert r.status_code == 201 and r.json()["results"]["KnSalesRelationOrg"] == {"DbId": "20001", "BcCo": bc}
    (sync,) = rows(app, "Sync_Debtors", DebtorId="20001")
    assert (sync["Blocked"], sync["PaymentCondition"], sync["Email"]) == (True, "30", "new@shop.nl")
    assert (sync["CountryId"], sync["City"], sync["HouseNumber"]) == ("D", "Köln", "5")
    assert sync["ModifiedDate"] == "2026-03-03T12:00:00Z"
    missing = {"KnSalesRelationOrg": {"Element": {"@DbId": "99999", "Fields": {"Bl": True}}}}
    assert "bestaat niet" in error(call(app, "PUT", "connectors/KnSalesRelationOrg", missing))


# ---------------------------------------------------------------- financial entries


def test_fientries_balanced_and_unbalanced(app: Any, state: AfasState) -> None:
    r = call(
        app,
        "POST",
        "connectors/FiEntries",
        fi_entries_body([("1", "1000", 121.0, 0), ("1", "8000", 0, 100), ("1", "1500", 0, 21.0)]),
    )
    assert r.status_code == 201
    assert set(r.json()["results"]["FiEntries"]) == {"EnNo", "UnId", "InID"}
    unbalanced = call(
        app, "POST", "connectors/FiEntries", fi_entries_body([("1", "1000", 100, 0), ("1", "8000", 0, 99.99)])
    )
    assert "niet in balans" in error(unbalanced)
    bad_debtor = call(
        app, "POST", "connectors/FiEntries", fi_entries_body([("2", "99999", 10, 0), ("1", "8000", 0, 10)])
    )
    assert "AcNr" in error(bad_debtor)
    assert len(state.fi_entries) == 1


def test_write_errors_for_unknown_connectors_objects_and_bodies(app: Any) -> None:
    assert "bestaat niet" in error(call(app, "POST", "connectors/FbNope", {}))
    assert "Onbekend object" in error(
        call(app, "POST", "connectors/FbSales", {"FbSalesQuotation": {"Element": {}}})
    )
    assert "Onbekend object" in error(
        call(
            app,
            "POST",
            "connectors/FbSales",
            {
                "FbSales": {
                    "Element": {"Fields": {"DbId": "20001"}, "Objects": [{"KnPerson": {"Element": {}}}]}
                }
            },
        )
    )

    async def raw() -> httpx.Response:
        async with client(app) as c:
            return await c.post(f"{BASE}/connectors/FbSales", content=b"{not json")

    assert run(raw()).status_code == 400


def test_lenient_values_and_plain_object_forms(app: Any, state: AfasState) -> None:
    """AFAS's own examples send numbers and booleans as strings and Objects/Element as plain objects."""
    body = {
        "FbSales": {
            "Element": {
                "Fields": {"DbId": "20001", "Unit": "1", "InVa": "0", "OrDa": "2026-03-02"},
                "Objects": {
                    "FbSalesLines": {
                        "Element": {
                            "Fields": {
                                "VaIt": "2",
                                "ItCd": sellable(state)[0],
                                "BiUn": "stk",
                                "QuUn": "3",
                                "Upri": "2,5",
                            }
                        }
                    }
                },
            }
        }
    }
    r = call(app, "POST", "connectors/FbSales", body, lenient=True)
    assert r.status_code == 201, r.text
    (line,) = rows(app, "Profit_SalesorderLines", OrderNumber=r.json()["results"]["FbSales"]["OrNu"])
    assert (line["PiecePerUnit"], line["PricePerUnit"], line["UnitId"]) == (3.0, 2.5, "STK")


def test_batch_element_list_is_one_transaction(app: Any, state: AfasState) -> None:
    a = sellable(state)[0]
    good = order_body("20001", [{"ItCd": a}])["FbSales"]["Element"]
    bad = order_body("99999", [{"ItCd": a}])["FbSales"]["Element"]
    error(call(app, "POST", "connectors/FbSales", {"FbSales": {"Element": [good, bad]}}))
    assert state.orders == {}
    r = call(app, "POST", "connectors/FbSales", {"FbSales": {"Element": [good, good]}}, lenient=True)
    assert len(r.json()["results"]["FbSales"]) == 2
