"""MplusKASSA stand-in: seeded POS orders and invoices, getOrders paging, payments, idempotent createOrderV3."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulators.demo.catalog import build_catalog
from simulators.demo.records import DemoOrderLine
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import article, drive, optional_schema, product

SCHEMA = optional_schema()


@pytest.fixture
def app():
    return create_app(MplusState.from_catalog(build_catalog()), MplusSimConfig())


def test_seeded_orders_page_by_sync_marker_with_lines_payments_and_addresses(app):
    async def scenario(mp):
        seen, marker = [], 1
        while True:
            orders = (
                await mp.call(
                    "getOrders",
                    {
                        "syncMarker": marker,
                        "syncMarkerLimit": 5,
                        "articlePluNumbers": {},
                        "articleBarcodes": {},
                    },
                )
            )["orderList"]["order"]
            if not orders:
                break
            assert len(orders) <= 5
            seen.extend(orders)
            marker = orders[-1]["syncMarker"] + 1
        return seen

    orders = drive(app, scenario, SCHEMA)
    assert [o["extOrderId"] for o in orders] == [f"POS-{2026000 + i}" for i in range(12)]
    first = orders[0]
    assert first["relationNumber"] == 1003 and first["invoiceAddress"]["companyName"] == "Kramer Design 0"
    assert first["deliveryAddress"]["city"] == "Amsterdam"
    assert first["totalInclAmount"] == 28734 and first["fullyPaid"] is True
    assert first["paymentList"]["payment"][0] == {
        **first["paymentList"]["payment"][0],
        "method": "IDEAL",
        "amount": 28734,
    }
    line = first["lineList"]["line"][2]
    assert (line["articleNumber"], line["data"]["quantity"], line["data"]["decimalPlaces"]) == (10001, 2, 0)
    assert (line["data"]["price"], line["data"]["totalInclAmount"], line["data"]["vatCode"]) == (
        10314,
        20628,
        2,
    )
    vat = first["vatGroupList"]["vatGroup"][0]
    assert vat["exclAmount"] + vat["vatAmount"] == 28734
    assert [o["extOrderId"] for o in orders if not o["fullyPaid"]] == ["POS-2026005", "POS-2026009"]
    assert orders[3].get("relationNumber") is None  # anonymous walk-in
    assert 88888 in [ln["articleNumber"] for ln in orders[10]["lineList"]["line"]]  # unknown article accepted


def test_pay_order_at_the_till_raises_order_and_invoice_markers(app):
    state = app.state.mplus_state

    async def scenario(mp):
        found = await mp.call("findOrder", {"extOrderId": "POS-2026005"})
        assert found["result"] == "GET-ORDER-RESULT-OK" and found["order"]["fullyPaid"] is False
        invoice_id = found["order"]["invoiceIds"]["id"][0]
        invoice = (await mp.call("getInvoice", {"invoiceId": invoice_id}))["invoice"]
        assert invoice["state"] == "INVOICE-STATE-OUTSTANDING" and invoice["paidAmount"] == 0
        markers = await mp.call("getCurrentSyncMarkers")

        assert state.pay_order("POS-2026005") == invoice_id

        orders = (
            await mp.call(
                "getOrders",
                {
                    "syncMarker": markers["orderSyncMarker"] + 1,
                    "articlePluNumbers": {},
                    "articleBarcodes": {},
                },
            )
        )["orderList"]["order"]
        assert [(o["extOrderId"], o["fullyPaid"]) for o in orders] == [("POS-2026005", True)]
        invoices = await mp.call(
            "getInvoices",
            {"syncMarker": markers["invoiceSyncMarker"] + 1, "articlePluNumbers": {}, "articleBarcodes": {}},
        )
        [paid] = invoices["invoiceList"]["invoice"]
        assert paid["invoiceId"] == invoice_id and paid["state"] == "INVOICE-STATE-PAID"
        assert paid["paidAmount"] == paid["totalInclAmount"] == found["order"]["totalInclAmount"]
        again = await mp.call(
            "payOrder",
            {
                "orderId": found["order"]["orderId"],
                "prepay": False,
                "paymentList": {"payment": [{"method": "PIN", "amount": 1}]},
            },
        )
        assert again["result"] == "PAY-ORDER-RESULT-ORDER-ALREADY-INVOICED"

    drive(app, scenario, SCHEMA)


def test_create_order_v3_is_idempotent_and_pay_order_invoices(app):
    state = app.state.mplus_state

    async def scenario(mp):
        await mp.call("createProduct", product(article(10001, priceIncl=2500)))
        await mp.call("setStock", {"branchNumber": 1, "articleNumber": 10001, "amount": 10})
        request = {
            "idempotencyKey": "key-1",
            "order": {
                "orderId": "",
                "extOrderId": "WEB-1",
                "entryBranchNumber": 1,
                "relationNumber": 1002,
                "lineList": {
                    "line": [
                        {"articleNumber": 10001, "data": {"quantity": 2, "decimalPlaces": 0}},
                        {
                            "articleNumber": 77777,
                            "text": "Los",
                            "data": {"quantity": 1500, "decimalPlaces": 3, "price": 1000, "vatCode": 1},
                        },
                    ]
                },
            },
        }
        first = await mp.call("createOrderV3", request)
        assert first["result"] == "CREATE-ORDER-RESULT-OK"
        assert first["idempotencyResult"] == "IDEMPOTENCY-RESULT-ORIGINAL-RESPONSE"
        assert first["order"]["totalInclAmount"] == 2 * 2500 + 1500
        assert state.stock(1, 10001) == 8  # a sale takes stock
        replay = await mp.call("createOrderV3", request)
        assert replay["idempotencyResult"] == "IDEMPOTENCY-RESULT-REPLAY-RESPONSE"
        assert {k: v for k, v in replay.items() if k != "idempotencyResult"} == {
            k: v for k, v in first.items() if k != "idempotencyResult"
        }
        assert len([o for o in state.orders.values() if o.get("extOrderId") == "WEB-1"]) == 1

        dup = await mp.call("createOrder", {"order": {"orderId": "", "extOrderId": "WEB-1"}})
        assert dup["result"] == "CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS"
        assert dup["info"]["orderId"] == first["info"]["orderId"]

        order_id = first["info"]["orderId"]
        short = await mp.call(
            "payOrder",
            {
                "orderId": order_id,
                "prepay": False,
                "paymentList": {"payment": [{"method": "PIN", "amount": 100}]},
            },
        )
        assert short["result"] == "PAY-ORDER-RESULT-PAYMENT-INSUFFICIENT"
        paid = await mp.call(
            "payOrder",
            {
                "orderId": order_id,
                "prepay": False,
                "paymentList": {"payment": [{"method": "PIN", "amount": 6500}]},
            },
        )
        assert paid["result"] == "PAY-ORDER-RESULT-OK" and paid["invoiceId"]
        invoice = (await mp.call("getInvoice", {"invoiceId": paid["invoiceId"]}))["invoice"]
        assert invoice["state"] == "INVOICE-STATE-PAID" and invoice["extOrderIds"]["id"] == ["WEB-1"]
        got = await mp.call("getOrder", {"orderId": order_id})
        assert got["order"]["fullyPaid"] is True and got["order"]["invoiceIds"]["id"] == [paid["invoiceId"]]
        assert (await mp.call("getOrder", {"orderId": "nope"}))["result"] == "GET-ORDER-RESULT-NOT-FOUND"
        assert (await mp.call("findInvoice", {"extInvoiceId": "nope"}))[
            "result"
        ] == "GET-INVOICE-RESULT-NOT-FOUND"

        v3_paid = await mp.call(
            "createOrderV3",
            {
                "idempotencyKey": "key-2",
                "order": {
                    "orderId": "",
                    "extOrderId": "WEB-2",
                    "lineList": {"line": [{"articleNumber": 10001, "data": {"quantity": 1}}]},
                },
                "paymentList": {"payment": [{"method": "IDEAL", "amount": 2500}]},
            },
        )
        assert v3_paid["payResult"] == "PAY-ORDER-RESULT-OK" and v3_paid["invoiceId"]

    drive(app, scenario, SCHEMA)


def test_add_order_mutator_creates_relation_and_invoice(app):
    state = app.state.mplus_state
    before = state.markers["order"]
    order_id = state.add_order(
        ext_order_id="POS-9000001",
        branch=2,
        entry=state.now().replace(tzinfo=None),
        customer_name="Nieuwe Klant",
        email="nieuw@klant.nl",
        lines=(DemoOrderLine("10001", "Iets", Decimal(1), Decimal("9.95"), 2, Decimal(21)),),
        payments=(),
        fully_paid=False,
    )
    order = state.find_order("POS-9000001")
    assert order["orderId"] == order_id and order["syncMarker"] == before + 1
    assert state.get_relation(order["relationNumber"])["email"] == "nieuw@klant.nl"
    assert state.invoices[order["invoiceIds"]["id"][0]]["state"] == "INVOICE-STATE-OUTSTANDING"


def test_order_changes(app):
    async def scenario(mp):
        changes = (await mp.call("getOrderChanges", {"syncMarker": 11}))["orderChangeList"]["orderChange"]
        assert [c["extOrderId"] for c in changes] == ["POS-2026010", "POS-2026011"]

    drive(app, scenario, SCHEMA)
