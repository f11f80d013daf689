"""Orders and invoices: getOrders, getOrder, findOrder, getOrderChanges, createOrder, createOrderV3
(idempotent), payOrder, getInvoices, getInvoice, findInvoice.

Orders and invoices each have their own sequence (``orderSyncMarker``, ``invoiceSyncMarker``). Money is
in cents, prices on lines include VAT (``price``) with ``priceExcl`` beside them; line and order totals and
the per-VAT-code ``vatGroupList`` are computed by the server, as a till does, from quantity x price minus
the line discount, rounded half up per line.

Behaviour the notes leave open, chosen here [INF]:

* Article numbers on lines need not exist as products (an article typed in at the till); when one
  exists, its text, vatCode and price fill what the line leaves out, and a stock article's free stock in
  the entry branch goes down by the quantity (history type SALES).
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
* getOrders/getInvoices include ``lineList`` unless ``includeLineList`` is explicitly false.
* A till sale may be booked as an invoice without an order (a receipt): no ``orderIds``, its own
  ``invoiceNumber``, PAID when its payments cover it (``insert_till_invoice``; the demo seeds a few).
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from simulators.mplus.faults import client_fault
from simulators.mplus.handlers.common import inner, listed, page_limit, texts
from simulators.mplus.values import (
    excl_from_incl,
    from_quantity,
    mplus_date,
    mplus_datetime,
    parse_mplus_date,
    parse_mplus_datetime,
    round_half_up,
    to_quantity,
)

if TYPE_CHECKING:
    from simulators.mplus.state import MplusState

DEFAULT_VAT_CODE = 2


# ---------------------------------------------------------------- building blocks
def make_line(
    state: MplusState,
    article_number: int,
    text: str | None,
    quantity: Decimal,
    price: int | None,
    vat_code: int | None,
    discount_pct: int = 0,
    employee: int | None = None,
) -> dict[str, Any]:
    article = state.article_map.get(int(article_number))
    if vat_code is None:
        vat_code = int(article["vatCode"]) if article else DEFAULT_VAT_CODE
    pct = state.vat_pct(vat_code)
    if pct is None:
        raise client_fault(f"The rate for VAT-code {vat_code} is not properly configured.")
    if price is None:
        price = int(article.get("priceIncl", 0)) if article else 0
    gross = Decimal(price) * quantity
    total_incl = round_half_up(gross * (100 - Decimal(discount_pct)) / 100)
    q, places = to_quantity(quantity)
    data: dict[str, Any] = {
        "quantity": q,
        "decimalPlaces": places,
        "price": price,
        "priceExcl": excl_from_incl(price, pct),
        "vatCode": vat_code,
        "vatPercentage": pct,
        "discountPercentage": int(discount_pct),
        "discountAmount": round_half_up(gross) - total_incl,
        "totalInclAmount": total_incl,
        "totalExclAmount": excl_from_incl(total_incl, pct),
    }
    if article and article.get("turnoverGroup") is not None:
        data["turnoverGroup"] = article["turnoverGroup"]
    line: dict[str, Any] = {"lineId": state.new_uuid("line"), "articleNumber": int(article_number)}
    if employee is not None:
        line["employeeNumber"] = employee
    line["text"] = text if text is not None else (article.get("description", "") if article else "")
    line["data"] = data
    return line


def _line_from_request(state: MplusState, line: dict[str, Any], employee: int | None) -> dict[str, Any]:
    data = line.get("data") or {}
    quantity = from_quantity(int(data.get("quantity", 1)), data.get("decimalPlaces"))
    price = data.get("price")
    vat_code = data.get("vatCode")
    if price is None and data.get("priceExcl") is not None:
        pct = state.vat_pct(int(vat_code or DEFAULT_VAT_CODE)) or 0
        price = round_half_up(Decimal(int(data["priceExcl"])) * (100 + pct) / 100)
    return make_line(
        state,
        int(line["articleNumber"]),
        line.get("text"),
        quantity,
        int(price) if price is not None else None,
        int(vat_code) if vat_code is not None else None,
        int(data.get("discountPercentage") or 0),
        line.get("employeeNumber", employee),
    )


def vat_group_list(state: MplusState, lines: list[dict[str, Any]], branch: int) -> dict[str, Any]:
    by_code: dict[int, list[int]] = {}
    for line in lines:
        data = line["data"]
        entry = by_code.setdefault(int(data["vatCode"]), [0, 0])
        entry[0] += int(data["totalInclAmount"])
        entry[1] += int(data["totalExclAmount"])
    country = state.branches.get(branch, {}).get("countryIso3", "NLD")
    return {
        "vatGroup": [
            {
                "branchNumber": branch,
                "countryIso3": country,
                "vatCode": code,
                "vatPercentage": state.vat_pct(code) or 0,
                "exclAmount": excl,
                "vatAmount": incl - excl,
            }
            for code, (incl, excl) in sorted(by_code.items())
        ]
    }


def make_payment(
    state: MplusState,
    method: str,
    amount: int,
    branch: int,
    when: datetime,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    known = next((m for m in state.payment_methods if m["method"] == method), None)
    payment: dict[str, Any] = {
        "paymentId": state.new_uuid("payment"),
        "financialDate": mplus_date(when.date()),
        "entryTimestamp": mplus_datetime(when),
        "branchNumber": branch,
        "workplaceNumber": 1,
        "employeeNumber": 1,
        "method": method,
        "description": known["description"] if known else method,
        "amount": int(amount),
    }
    if known and known.get("type"):
        payment["paymentMethodType"] = known["type"]
    for key, value in (extra or {}).items():
        payment.setdefault(key, value)
    return payment


def _paid(order: dict[str, Any]) -> int:
    return sum(int(p["amount"]) for p in listed(order.get("paymentList"), "payment"))


def touch_order(state: MplusState, order_id: str) -> None:
    order = state.orders[order_id]
    order["syncMarker"] = state.next_marker("order")
    order["changeCounter"] = int(order.get("changeCounter", 0)) + 1
    state.order_index.touch(order_id, order["syncMarker"])


def touch_invoice(state: MplusState, invoice_id: str) -> None:
    invoice = state.invoices[invoice_id]
    invoice["syncMarker"] = state.next_marker("invoice")
    invoice["changeCounter"] = int(invoice.get("changeCounter", 0)) + 1
    state.invoice_index.touch(invoice_id, invoice["syncMarker"])


def insert_order(
    state: MplusState,
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
    from simulators.mplus.handlers.stock import change_stock

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
    order["fullyPaid"] = bool(lines or payments) and _paid(order) >= total_incl
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


def _invoice_state(paid: int, total: int) -> str:
    if total < 0:
        return "INVOICE-STATE-OUTSTANDING-CREDIT"
    if paid >= total:
        return "INVOICE-STATE-PAID"
    return "INVOICE-STATE-PARTLY-PAID" if paid > 0 else "INVOICE-STATE-OUTSTANDING"


def create_invoice(state: MplusState, order_id: str, ext_invoice_id: str | None = None) -> str:
    order = state.orders[order_id]
    invoice_id = state.new_uuid("invoice")
    paid = _paid(order)
    total = int(order["totalInclAmount"])
    entry = parse_mplus_datetime(order["entryTimestamp"]) or state.now()
    invoice: dict[str, Any] = {
        "invoiceId": invoice_id,
        "orderIds": {"id": [order_id]},
        "extOrderIds": {"id": [order["extOrderId"]] if order.get("extOrderId") else []},
        "invoiceNumber": {"year": entry.year, "number": state.next_id("invoiceNumber")},
        "invoiceType": "INVOICE-TYPE-INVOICE",
        "employeeNumber": order.get("employeeNumber", 1),
        "employeeName": order.get("employeeName", ""),
        "entryTimestamp": order["entryTimestamp"],
        "financialDate": order["financialDate"],
        "financialBranchNumber": order["financialBranchNumber"],
        "workplaceNumber": order.get("workplaceNumber", 1),
        "entryBranchNumber": order["entryBranchNumber"],
        "totalInclAmount": total,
        "totalExclAmount": order["totalExclAmount"],
        "vatMethod": order.get("vatMethod", "VAT-METHOD-INCLUSIVE"),
        "vatGroupList": copy.deepcopy(order["vatGroupList"]),
        "changeCounter": 0,
        "versionNumber": 1,
        "paidAmount": paid,
        "state": _invoice_state(paid, total),
        "finalized": True,
        "lineList": copy.deepcopy(order["lineList"]),
        "paymentList": copy.deepcopy(order["paymentList"]),
    }
    if ext_invoice_id:
        invoice["extInvoiceId"] = ext_invoice_id
        state.invoice_by_ext[ext_invoice_id] = invoice_id
    for key in ("relationNumber", "relationName", "relationVatNumber", "invoiceAddress", "deliveryAddress"):
        if key in order:
            invoice[key] = copy.deepcopy(order[key])
    state.invoices[invoice_id] = invoice
    touch_invoice(state, invoice_id)
    order["invoiceIds"] = {"id": [*listed(order.get("invoiceIds"), "id"), invoice_id]}
    return invoice_id


def insert_till_invoice(
    state: MplusState,
    *,
    ext_invoice_id: str | None,
    branch: int,
    entry: datetime,
    lines: list[dict[str, Any]],
    payments: list[dict[str, Any]],
    relation_number: int | None = None,
    invoice_address: dict[str, Any] | None = None,
) -> str:
    """A sale booked at the till as an invoice without an order (a receipt): its own invoiceNumber, state
    PAID when the payments cover it, the lines' stock taken out as a sale. Returns the invoiceId."""
    from simulators.mplus.handlers.stock import change_stock

    invoice_id = state.new_uuid("invoice")
    employee = state.employees.get(1, {})
    total_incl = sum(int(line["data"]["totalInclAmount"]) for line in lines)
    paid = sum(int(p["amount"]) for p in payments)
    invoice: dict[str, Any] = {
        "invoiceId": invoice_id,
        "invoiceNumber": {"year": entry.year, "number": state.next_id("invoiceNumber")},
        "invoiceType": "INVOICE-TYPE-INVOICE",
        "employeeNumber": employee.get("employeeNumber", 1),
        "employeeName": employee.get("name", ""),
        "entryTimestamp": mplus_datetime(entry),
        "financialDate": mplus_date(entry.date()),
        "financialBranchNumber": branch,
        "workplaceNumber": 1,
        "entryBranchNumber": branch,
        "totalInclAmount": total_incl,
        "totalExclAmount": sum(int(line["data"]["totalExclAmount"]) for line in lines),
        "vatMethod": "VAT-METHOD-INCLUSIVE",
        "vatGroupList": vat_group_list(state, lines, branch),
        "changeCounter": 0,
        "versionNumber": 1,
        "paidAmount": paid,
        "state": _invoice_state(paid, total_incl),
        "finalized": True,
        "lineList": {"line": lines},
        "paymentList": {"payment": payments},
    }
    if ext_invoice_id:
        invoice["extInvoiceId"] = ext_invoice_id
        state.invoice_by_ext[ext_invoice_id] = invoice_id
    if relation_number is not None:
        relation = state.relations.get(relation_number, {})
        invoice["relationNumber"] = relation_number
        invoice["relationName"] = relation.get("companyName") or relation.get("name", "")
    if invoice_address:
        invoice["invoiceAddress"] = invoice_address
    state.invoices[invoice_id] = invoice
    touch_invoice(state, invoice_id)
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
            )
    return invoice_id


def _apply_payments(
    state: MplusState, order_id: str, payments: list[dict[str, Any]], prepay: bool
) -> str | None:
    """Add payments to an order; on full payment mark it paid and invoice it. Returns the invoiceId."""
    order = state.orders[order_id]
    order["paymentList"] = {"payment": [*listed(order.get("paymentList"), "payment"), *payments]}
    invoice_id: str | None = None
    if prepay:
        order["prepaidAmount"] = int(order.get("prepaidAmount", 0)) + sum(int(p["amount"]) for p in payments)
    elif _paid(order) >= int(order["totalInclAmount"]):
        order["fullyPaid"] = True
        order["completeState"] = "ORDER-COMPLETE-STATE-COMPLETE"
    invoice_ids = listed(order.get("invoiceIds"), "id")
    if invoice_ids:
        invoice_id = invoice_ids[-1]
        invoice = state.invoices[invoice_id]
        invoice["paymentList"] = copy.deepcopy(order["paymentList"])
        invoice["paidAmount"] = _paid(order)
        invoice["state"] = _invoice_state(invoice["paidAmount"], int(invoice["totalInclAmount"]))
        touch_invoice(state, invoice_id)
    elif order.get("fullyPaid"):
        invoice_id = create_invoice(state, order_id)
    touch_order(state, order_id)
    return invoice_id


def pay_remaining(state: MplusState, order_id: str, method: str = "PIN") -> str:
    """The till mutator: pay whatever is left of an order. Returns the invoiceId."""
    order = state.orders[order_id]
    remaining = int(order["totalInclAmount"]) - _paid(order)
    branch = int(order["entryBranchNumber"])
    payments = [make_payment(state, method, remaining, branch, state.now())] if remaining > 0 else []
    invoice_id = _apply_payments(state, order_id, payments, prepay=False)
    if invoice_id is None:  # nothing left to pay and no invoice yet (an empty order)
        invoice_id = create_invoice(state, order_id)
    return invoice_id


def _payments_from_request(
    state: MplusState, sent: list[dict[str, Any]], branch: int
) -> list[dict[str, Any]]:
    known = {m["method"] for m in state.payment_methods}
    out = []
    for payment in sent:
        method = payment.get("method", "")
        if method not in known:
            raise ValueError(f"Unknown payment method {method!r}")
        extra = {k: v for k, v in payment.items() if k not in ("method", "amount", "paymentId")}
        out.append(make_payment(state, method, int(payment.get("amount", 0)), branch, state.now(), extra))
    return out


# ---------------------------------------------------------------- write operations
def _create(state: MplusState, order_in: dict[str, Any]) -> tuple[str, str | None, str]:
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
    lines = [_line_from_request(state, line, employee) for line in listed(order_in.get("lineList"), "line")]
    try:
        payments = _payments_from_request(state, listed(order_in.get("paymentList"), "payment"), branch)
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


def _info(state: MplusState, order_id: str | None) -> dict[str, Any]:
    if order_id is None:
        return {"orderId": "", "orderString": ""}
    number = state.orders[order_id]["orderNumber"]
    return {"orderId": order_id, "orderString": f"{number['year']}-{number['number']}", "orderQueued": False}


def create_order(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    result, order_id, message = _create(state, inner(request, "order"))
    return {"result": result, "info": _info(state, order_id), "errorMessage": message}


def create_order_v3(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
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


def _pay(state: MplusState, order_id: str, sent: list[dict[str, Any]], prepay: bool) -> dict[str, Any]:
    order = state.orders.get(order_id)
    if order is None:
        return {"result": "PAY-ORDER-RESULT-FAILED", "errorMessage": f"Order {order_id} not found"}
    if order.get("fullyPaid"):
        return {
            "result": "PAY-ORDER-RESULT-ORDER-ALREADY-INVOICED",
            "errorMessage": "The order is already paid",
        }
    try:
        payments = _payments_from_request(state, sent, int(order["entryBranchNumber"]))
    except ValueError as exc:
        return {"result": "PAY-ORDER-RESULT-FAILED", "errorMessage": str(exc)}
    amount = sum(int(p["amount"]) for p in payments)
    if not prepay and _paid(order) + amount < int(order["totalInclAmount"]):
        return {
            "result": "PAY-ORDER-RESULT-PAYMENT-INSUFFICIENT",
            "errorMessage": f"Payments of {amount} do not cover the remaining "
            f"{int(order['totalInclAmount']) - _paid(order)}",
        }
    invoice_id = _apply_payments(state, order_id, payments, prepay)
    out: dict[str, Any] = {"result": "PAY-ORDER-RESULT-OK", "errorMessage": ""}
    if invoice_id and not prepay:
        out["invoiceId"] = invoice_id
    return out


def pay_order(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
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
def _in_dates(item: dict[str, Any], req: dict[str, Any]) -> bool:
    start, end = (
        parse_mplus_date(req.get("fromFinancialDate")),
        parse_mplus_date(req.get("throughFinancialDate")),
    )
    if not start and not end:
        return True
    day = parse_mplus_date(item.get("financialDate"))
    return day is not None and (not start or day >= start) and (not end or day <= end)


def _filter(item: dict[str, Any], req: dict[str, Any]) -> bool:
    branches = req.get("branchNumbers") or []
    if (
        branches
        and item.get("financialBranchNumber") not in branches
        and item.get("entryBranchNumber") not in branches
    ):
        return False
    relations = req.get("relationNumbers") or []
    if relations and item.get("relationNumber") not in relations:
        return False
    employees = req.get("employeeNumbers") or []
    if employees and item.get("employeeNumber") not in employees:
        return False
    articles = set(req.get("articleNumbers") or [])
    if articles and not any(
        line["articleNumber"] in articles for line in listed(item.get("lineList"), "line")
    ):
        return False
    if texts(req.get("articlePluNumbers")) or texts(req.get("articleBarcodes")):
        return False  # [INF] lines carry no PLU/barcode here; a filter on them matches nothing
    return _in_dates(item, req)


def _out(item: dict[str, Any], include_lines: bool) -> dict[str, Any]:
    if include_lines:
        return item
    return {k: v for k, v in item.items() if k != "lineList"}


def _scan(
    state: MplusState,
    index: Any,
    items: dict[str, dict[str, Any]],
    req: dict[str, Any],
    ids: list[str],
    extra: Any = None,
) -> list[dict[str, Any]]:
    marker = req.get("syncMarker")
    limit = page_limit(req.get("syncMarkerLimit")) if marker is not None else None
    include_lines = req.get("includeLineList") is not False
    keys = ids if ids and marker is None else (k for _, k in index.scan(int(marker or 0)))
    wanted = set(ids)
    out: list[dict[str, Any]] = []
    for key in keys:
        item = items.get(key)
        if item is None or (wanted and key not in wanted) or not _filter(item, req):
            continue
        if extra is not None and not extra(item):
            continue
        out.append(_out(item, include_lines))
        if limit is not None and len(out) >= limit:
            break
    return out


def get_orders(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    types = set(listed(req.get("orderTypeList"), "orderType"))
    orders = _scan(
        state,
        state.order_index,
        state.orders,
        req,
        list(req.get("orderIds") or []),
        (lambda o: o.get("orderType") in types) if types else None,
    )
    return {"orderList": {"order": orders}}


def get_order(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    order = state.orders.get((request or {}).get("orderId", ""))
    if order is None:
        return {"result": "GET-ORDER-RESULT-NOT-FOUND"}
    return {"result": "GET-ORDER-RESULT-OK", "order": order}


def find_order(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    order_id = state.order_by_ext.get((request or {}).get("extOrderId", ""))
    return get_order(state, {"orderId": order_id or ""})


def get_order_changes(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    req = {**inner(request), "includeLineList": True}
    types = set(listed(req.get("orderTypeList"), "orderType"))
    changes = []
    for order in _scan(
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


def get_invoices(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    numbers = {(n["year"], n["number"]) for n in req.get("invoiceNumbers") or []}
    invoices = _scan(
        state,
        state.invoice_index,
        state.invoices,
        req,
        list(req.get("invoiceIds") or []),
        (lambda i: (i["invoiceNumber"]["year"], i["invoiceNumber"]["number"]) in numbers)
        if numbers
        else None,
    )
    return {"invoiceList": {"invoice": invoices}}


def get_invoice(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    invoice = state.invoices.get((request or {}).get("invoiceId", ""))
    if invoice is None:
        return {"result": "GET-INVOICE-RESULT-NOT-FOUND"}
    return {"result": "GET-INVOICE-RESULT-OK", "invoice": invoice}


def find_invoice(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    invoice_id = state.invoice_by_ext.get((request or {}).get("extInvoiceId", ""))
    return get_invoice(state, {"invoiceId": invoice_id or ""})
