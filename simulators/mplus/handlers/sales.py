"""What orders and invoices share: sale lines, payments, the per-VAT-code totals, and the filter and scan
behind getOrders / getInvoices.

Money is in cents, prices on lines include VAT (``price``) with ``priceExcl`` beside them; line and order
totals and the per-VAT-code ``vatGroupList`` are computed by the server, as a till does, from quantity x
price minus the line discount, rounded half up per line.

Article numbers on lines need not exist as products (an article typed in at the till) [INF]; when one
exists, its text, vatCode and price fill what the line leaves out.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from simulators.mplus.faults import client_fault
from simulators.mplus.handlers.common import listed, page_limit, texts
from simulators.mplus.store import MplusStore
from simulators.mplus.values import (
    excl_from_incl,
    from_quantity,
    mplus_date,
    mplus_datetime,
    parse_mplus_date,
    round_half_up,
    to_quantity,
)

DEFAULT_VAT_CODE = 2


# ---------------------------------------------------------------- building blocks
def make_line(
    state: MplusStore,
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


def line_from_request(state: MplusStore, line: dict[str, Any], employee: int | None) -> dict[str, Any]:
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


def vat_group_list(state: MplusStore, lines: list[dict[str, Any]], branch: int) -> dict[str, Any]:
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
    state: MplusStore,
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


def paid_amount(order: dict[str, Any]) -> int:
    return sum(int(p["amount"]) for p in listed(order.get("paymentList"), "payment"))


def payments_from_request(state: MplusStore, sent: list[dict[str, Any]], branch: int) -> list[dict[str, Any]]:
    known = {m["method"] for m in state.payment_methods}
    out = []
    for payment in sent:
        method = payment.get("method", "")
        if method not in known:
            raise ValueError(f"Unknown payment method {method!r}")
        extra = {k: v for k, v in payment.items() if k not in ("method", "amount", "paymentId")}
        out.append(make_payment(state, method, int(payment.get("amount", 0)), branch, state.now(), extra))
    return out


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


def scan_sales(
    state: MplusStore,
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
