"""Invoices: getInvoices, getInvoice, findInvoice, and how invoices come to be.

Invoices have their own sequence (``invoiceSyncMarker``). An order gets its invoice when it is paid in full
(``create_invoice``, called from :mod:`simulators.mplus.handlers.orders`); its state follows the payments:
PAID when they cover the total, PARTLY-PAID / OUTSTANDING otherwise.

Behaviour the notes leave open, chosen here [INF]:

* getInvoices includes ``lineList`` unless ``includeLineList`` is explicitly false.
* A till sale may be booked as an invoice without an order (a receipt): no ``orderIds``, its own
  ``invoiceNumber``, PAID when its payments cover it (``insert_till_invoice``; the demo seeds a few).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from simulators.mplus.handlers.common import inner, listed
from simulators.mplus.handlers.sales import paid_amount, scan_sales, vat_group_list
from simulators.mplus.handlers.stock import change_stock
from simulators.mplus.store import MplusStore
from simulators.mplus.values import from_quantity, mplus_date, mplus_datetime, parse_mplus_datetime


def touch_invoice(state: MplusStore, invoice_id: str) -> None:
    invoice = state.invoices[invoice_id]
    invoice["syncMarker"] = state.next_marker("invoice")
    invoice["changeCounter"] = int(invoice.get("changeCounter", 0)) + 1
    state.invoice_index.touch(invoice_id, invoice["syncMarker"])


def invoice_state(paid: int, total: int) -> str:
    if total < 0:
        return "INVOICE-STATE-OUTSTANDING-CREDIT"
    if paid >= total:
        return "INVOICE-STATE-PAID"
    return "INVOICE-STATE-PARTLY-PAID" if paid > 0 else "INVOICE-STATE-OUTSTANDING"


def create_invoice(state: MplusStore, order_id: str, ext_invoice_id: str | None = None) -> str:
    order = state.orders[order_id]
    invoice_id = state.new_uuid("invoice")
    paid = paid_amount(order)
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
        "state": invoice_state(paid, total),
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
    state: MplusStore,
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
        "state": invoice_state(paid, total_incl),
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


def get_invoices(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    numbers = {(n["year"], n["number"]) for n in req.get("invoiceNumbers") or []}
    invoices = scan_sales(
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


def get_invoice(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    invoice = state.invoices.get((request or {}).get("invoiceId", ""))
    if invoice is None:
        return {"result": "GET-INVOICE-RESULT-NOT-FOUND"}
    return {"result": "GET-INVOICE-RESULT-OK", "invoice": invoice}


def find_invoice(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    invoice_id = state.invoice_by_ext.get((request or {}).get("extInvoiceId", ""))
    return get_invoice(state, {"invoiceId": invoice_id or ""})
