"""Orders: getOrders, getOrder, findOrder, getOrderChanges, createOrder, createOrderV3 (idempotent),
payOrder.

Orders have their own sequence (``orderSyncMarker``). Lines, payments and totals are built as
:mod:`simulators.mplus.handlers.sales` describes; invoices are in :mod:`simulators.mplus.handlers.invoices`.

Behaviour the notes leave open, chosen here [INF]:

* A stock article on a line takes its quantity out of the free stock in the entry branch (history type
  SALES).
* A sale is invoiced when it is paid in full: ``payOrder`` (``prepay=false``) must cover the remaining
  amount (else ``PAY-ORDER-RESULT-PAYMENT-INSUFFICIENT``, nothing applied), then the order is
  ``fullyPaid`` and gets an invoice in state PAID. ``prepay=true`` only adds to ``prepaidAmount``. Paying
  a fully paid order answers ``PAY-ORDER-RESULT-ORDER-ALREADY-INVOICED``. Seeded till orders all have an
  invoice: PAID when fully paid, OUTSTANDING otherwise; paying the rest makes it PAID.
* ``createOrder`` with an ``extOrderId`` that exists answers ``CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-
  EXISTS`` with the existing ``orderId`` in ``info``.
* ``createOrderV3`` stores its full response under the ``idempotencyKey``; the same key again returns
  that response unchanged except ``idempotencyResult=IDEMPOTENCY-RESULT-REPLAY-RESPONSE`` [DOC], even if
  the rest of the request differs.
* getOrders includes ``lineList`` unless ``includeLineList`` is explicitly false.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from simulators.mplus.handlers.common import inner, listed
from simulators.mplus.handlers.invoices import create_invoice, invoice_state, touch_invoice
from simulators.mplus.handlers.sales import (
    line_from_request,
    make_payment,
    paid_amount,
    payments_from_request,
    scan_sales,
    vat_group_list,
)
from simulators.mplus.handlers.stock import change_stock
from simulators.mplus.store import MplusStore
from simulators.mplus.values import from_quantity, mplus_date, mplus_datetime, parse_mplus_datetime


def touch_order(state: MplusStore, order_id: str) -> None:
    order = state.orders[order_id]
    order["syncMarker"] = state.next_marker("order")
    order["changeCounter"] = int(order.get("changeCounter", 0)) + 1
    state.order_index.touch(order_id, order["syncMarker"])


def insert_order(
    state: MplusStore,
    *,
    ext_order_id: str | None,
    branch: int,
    entry: datetime,
    lines: list[dict[str, Any]],
    payments: list[dict[str, Any]],
    relation_number: int | None = None,
    invoice_address: dict[str, Any] | None = None,
    delivery_address: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """Store a new order (API or till) and take its lines out of stock; returns the orderId."""
    order_id = state.new_uuid("order")
    employee = state.employees.get(1, {})
    total_incl = sum(int(line["data"]["totalInclAmount"]) for line in lines)
    total_excl = sum(int(line["data"]["totalExclAmount"]) for line in lines)
    number = state.next_id("orderNumber")
    order: dict[str, Any] = {
        "orderId": order_id,
        "orderType": "ORDER-TYPE-SALES-ORDER",
        "entryBranchNumber": branch,
        "employeeNumber": employee.get("employeeNumber", 1),
        "employeeName": employee.get("name", ""),
        "entryTimestamp": mplus_datetime(entry),
        "financialDate": mplus_date(entry.date()),
        "financialBranchNumber": branch,
        "workplaceNumber": 1,
        "totalInclAmount": total_incl,
        "totalExclAmount": total_excl,
        "vatMethod": "VAT-METHOD-INCLUSIVE",
        "vatGroupList": vat_group_list(state, lines, branch),
        "changeCounter": 0,
        "versionNumber": 1,
        "prepaidAmount": 0,
        "deliveryState": "ORDER-DELIVERY-STATE-COMPLETE",
        "cancelState": "ORDER-CANCEL-STATE-NOTHING",
        "completeState": "ORDER-COMPLETE-STATE-NOTHING",
        "orderNumber": {"year": entry.year, "number": number},
        "lineList": {"line": lines},
        "paymentList": {"payment": payments},
    }
    if ext_order_id:
        order["extOrderId"] = ext_order_id
    if relation_number is not None:
        relation = state.relations.get(relation_number, {})
        order["relationNumber"] = relation_number
        order["relationName"] = relation.get("companyName") or relation.get("name", "")
        if relation.get("vatNumber"):
            order["relationVatNumber"] = relation["vatNumber"]
    if invoice_address:
        order["invoiceAddress"] = invoice_address
    if delivery_address:
        order["deliveryAddress"] = delivery_address
    for key, value in (extra or {}).items():
        order.setdefault(key, value)
    order["fullyPaid"] = bool(lines or payments) and paid_amount(order) >= total_incl
    if order["fullyPaid"]:
        order["completeState"] = "ORDER-COMPLETE-STATE-COMPLETE"
    state.orders[order_id] = order
    if ext_order_id:
        state.order_by_ext[ext_order_id] = order_id
    touch_order(state, order_id)
    for line in lines:
        article = state.article_map.get(int(line["articleNumber"]))
        if article is not None and article.get("stockArticle", True):
            quantity = from_quantity(line["data"]["quantity"], line["data"].get("decimalPlaces"))
            change_stock(
                state,
                branch,
                int(line["articleNumber"]),
                -quantity,
                absolute=False,
                history_type="STOCK-HISTORY-TYPE-SALES",
                order_id=order_id,
            )
    return order_id


def _apply_payments(
    state: MplusStore, order_id: str, payments: list[dict[str, Any]], prepay: bool
) -> str | None:
    """Add payments to an order; on full payment mark it paid and invoice it. Returns the invoiceId."""
    order = state.orders[order_id]
    order["paymentList"] = {"payment": [*listed(order.get("paymentList"), "payment"), *payments]}
    invoice_id: str | None = None
    if prepay:
        order["prepaidAmount"] = int(order.get("prepaidAmount", 0)) + sum(int(p["amount"]) for p in payments)
    elif paid_amount(order) >= int(order["totalInclAmount"]):
        order["fullyPaid"] = True
        order["completeState"] = "ORDER-COMPLETE-STATE-COMPLETE"
    invoice_ids = listed(order.get("invoiceIds"), "id")
    if invoice_ids:
        invoice_id = invoice_ids[-1]
        invoice = state.invoices[invoice_id]
        invoice["paymentList"] = copy.deepcopy(order["paymentList"])
        invoice["paidAmount"] = paid_amount(order)
        invoice["state"] = invoice_state(invoice["paidAmount"], int(invoice["totalInclAmount"]))
        touch_invoice(state, invoice_id)
    elif order.get("fullyPaid"):
        invoice_id = create_invoice(state, order_id)
    touch_order(state, order_id)
    return invoice_id


def pay_remaining(state: MplusStore, order_id: str, method: str = "PIN") -> str:
    """The till mutator: pay whatever is left of an order. Returns the invoiceId."""
    order = state.orders[order_id]
    remaining = int(order["totalInclAmount"]) - paid_amount(order)
    branch = int(order["entryBranchNumber"])
    payments = [make_payment(state, method, remaining, branch, state.now())] if remaining > 0 else []
    invoice_id = _apply_payments(state, order_id, payments, prepay=False)
    if invoice_id is None:  # nothing left to pay and no invoice yet (an empty order)
        invoice_id = create_invoice(state, order_id)
    return invoice_id


# ---------------------------------------------------------------- write operations
def _create(state: MplusStore, order_in: dict[str, Any]) -> tuple[str, str | None, str]:
    """(result, orderId, errorMessage) for createOrder / createOrderV3."""
    ext = order_in.get("extOrderId") or None
    if ext and ext in state.order_by_ext:
        return (
            "CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS",
            state.order_by_ext[ext],
            f"An order with extOrderId {ext} already exists",
        )
    branch = int(
        order_in.get("entryBranchNumber") or order_in.get("financialBranchNumber") or min(state.branches)
    )
    if branch not in state.branches:
        return "CREATE-ORDER-RESULT-FAILED", None, f"Branch {branch} not found"
    relation_number = order_in.get("relationNumber")
    if relation_number is not None and int(relation_number) not in state.relations:
        return "CREATE-ORDER-RESULT-FAILED", None, f"Relation {relation_number} not found"
    employee = order_in.get("employeeNumber")
    lines = [line_from_request(state, line, employee) for line in listed(order_in.get("lineList"), "line")]
    try:
        payments = payments_from_request(state, listed(order_in.get("paymentList"), "payment"), branch)
    except ValueError as exc:
        return "CREATE-ORDER-RESULT-PAYMENT-FAILED", None, str(exc)
    entry = parse_mplus_datetime(order_in.get("entryTimestamp")) or state.now()
    extra = {
        k: order_in[k]
        for k in ("reference", "deliveryMethod", "deliveryDate", "activityId")
        if order_in.get(k) is not None
    }
    order_id = insert_order(
        state,
        ext_order_id=ext,
        branch=branch,
        entry=entry,
        lines=lines,
        payments=payments,
        relation_number=int(relation_number) if relation_number is not None else None,
        invoice_address=order_in.get("invoiceAddress"),
        delivery_address=order_in.get("deliveryAddress"),
        extra=extra,
    )
    if payments:
        state.orders[order_id]["prepaidAmount"] = sum(int(p["amount"]) for p in payments)
    if state.orders[order_id].get("fullyPaid") and payments:
        create_invoice(state, order_id)
    return "CREATE-ORDER-RESULT-OK", order_id, ""


def _info(state: MplusStore, order_id: str | None) -> dict[str, Any]:
    if order_id is None:
        return {"orderId": "", "orderString": ""}
    number = state.orders[order_id]["orderNumber"]
    return {"orderId": order_id, "orderString": f"{number['year']}-{number['number']}", "orderQueued": False}


def create_order(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    result, order_id, message = _create(state, inner(request, "order"))
    return {"result": result, "info": _info(state, order_id), "errorMessage": message}


def create_order_v3(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    key = req.get("idempotencyKey") or ""
    if key and key in state.idempotency:
        replay = copy.deepcopy(state.idempotency[key])
        replay["idempotencyResult"] = "IDEMPOTENCY-RESULT-REPLAY-RESPONSE"
        return replay
    result, order_id, message = _create(state, req.get("order") or {})
    response: dict[str, Any] = {"idempotencyResult": "IDEMPOTENCY-RESULT-ORIGINAL-RESPONSE", "result": result}
    if result == "CREATE-ORDER-RESULT-OK" and order_id is not None:
        sent = listed(req.get("paymentList"), "payment")
        if sent:
            pay = _pay(state, order_id, sent, bool(req.get("prepay")))
            response["payResult"] = pay["result"]
            if pay.get("invoiceId"):
                response["invoiceId"] = pay["invoiceId"]
            if pay["result"] != "PAY-ORDER-RESULT-OK":
                message = pay.get("errorMessage", "")
        response["order"] = copy.deepcopy(state.orders[order_id])
    response["errorMessage"] = message
    response["info"] = _info(state, order_id)
    if key:
        state.idempotency[key] = copy.deepcopy(response)
    return response


def _pay(state: MplusStore, order_id: str, sent: list[dict[str, Any]], prepay: bool) -> dict[str, Any]:
    order = state.orders.get(order_id)
    if order is None:
        return {"result": "PAY-ORDER-RESULT-FAILED", "errorMessage": f"Order {order_id} not found"}
    if order.get("fullyPaid"):
        return {
            "result": "PAY-ORDER-RESULT-ORDER-ALREADY-INVOICED",
            "errorMessage": "The order is already paid",
        }
    try:
        payments = payments_from_request(state, sent, int(order["entryBranchNumber"]))
    except ValueError as exc:
        return {"result": "PAY-ORDER-RESULT-FAILED", "errorMessage": str(exc)}
    amount = sum(int(p["amount"]) for p in payments)
    if not prepay and paid_amount(order) + amount < int(order["totalInclAmount"]):
        return {
            "result": "PAY-ORDER-RESULT-PAYMENT-INSUFFICIENT",
            "errorMessage": f"Payments of {amount} do not cover the remaining "
            f"{int(order['totalInclAmount']) - paid_amount(order)}",
        }
    invoice_id = _apply_payments(state, order_id, payments, prepay)
    out: dict[str, Any] = {"result": "PAY-ORDER-RESULT-OK", "errorMessage": ""}
    if invoice_id and not prepay:
        out["invoiceId"] = invoice_id
    return out


def pay_order(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    out = _pay(
        state, req.get("orderId", ""), listed(req.get("paymentList"), "payment"), bool(req.get("prepay"))
    )
    return {
        "result": out["result"],
        **({"invoiceId": out["invoiceId"]} if "invoiceId" in out else {}),
        "errorMessage": out.get("errorMessage", ""),
    }


# ---------------------------------------------------------------- read operations
def get_orders(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    types = set(listed(req.get("orderTypeList"), "orderType"))
    orders = scan_sales(
        state,
        state.order_index,
        state.orders,
        req,
        list(req.get("orderIds") or []),
        (lambda o: o.get("orderType") in types) if types else None,
    )
    return {"orderList": {"order": orders}}


def get_order(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    order = state.orders.get((request or {}).get("orderId", ""))
    if order is None:
        return {"result": "GET-ORDER-RESULT-NOT-FOUND"}
    return {"result": "GET-ORDER-RESULT-OK", "order": order}


def find_order(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    order_id = state.order_by_ext.get((request or {}).get("extOrderId", ""))
    return get_order(state, {"orderId": order_id or ""})


def get_order_changes(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = {**inner(request), "includeLineList": True}
    types = set(listed(req.get("orderTypeList"), "orderType"))
    changes = []
    for order in scan_sales(
        state,
        state.order_index,
        state.orders,
        req,
        [],
        (lambda o: o.get("orderType") in types) if types else None,
    ):
        change = {
            k: order[k]
            for k in (
                "orderId",
                "extOrderId",
                "entryTimestamp",
                "entryBranchNumber",
                "workplaceNumber",
                "financialBranchNumber",
                "reference",
                "changeCounter",
                "versionNumber",
                "orderNumber",
                "syncMarker",
                "orderType",
            )
            if k in order
        }
        changes.append(change)
    return {"orderChangeList": {"orderChange": changes}}
