"""Seed the stand-in from the demo catalog: the MplusKASSA side of the demo shop before the first sync.

What exists at the till: two branches (one workplace each), the VAT table per branch (demo codes
1 = 9 %, 2 = 21 %, 3 = 0 %), the catalog's payment methods, one employee, a turnover group per catalog
article group, the three price groups, the catalog's pre-existing relations (1001 shares its e-mail with
an AFAS debtor), one relation per named order customer without a relation (the till created it; repeat
customers are recognised by e-mail), the demo POS orders, each with an invoice (PAID when fully paid,
else OUTSTANDING), and a few till sales booked as invoices without an order. There are **no products and no article groups**: an empty POS being set up, the first
products sync creates them. Order lines may name article numbers that are no Mplus product (accepted).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

from simulators.demo.records import DemoCatalog, DemoOrder
from simulators.mplus.handlers.invoices import create_invoice, insert_till_invoice
from simulators.mplus.handlers.orders import insert_order
from simulators.mplus.handlers.relations import insert_relation
from simulators.mplus.handlers.sales import make_line, make_payment
from simulators.mplus.store import MplusStore
from simulators.mplus.values import as_local, cents, mplus_datetime

VAT_RATES = {1: 9, 2: 21, 3: 0}  # docs/custom-connectors.md: the demo's MplusKASSA VAT codes
VAT_CODE_BY_PCT = {Decimal(pct): code for code, pct in VAT_RATES.items()}
# [INF] how the demo's payment methods map onto MplusKASSA payment method types.
PAYMENT_TYPES = {
    "CASH": "PAYMENT-METHOD-TYPE-PAYMENT",
    "PIN": "PAYMENT-METHOD-TYPE-EFT",
    "IDEAL": "PAYMENT-METHOD-TYPE-PAYMENT",
    "ONACCOUNT": "PAYMENT-METHOD-TYPE-SUSPENSE",
}
REFUNDABLE = {"CASH", "PIN"}
# The till existed before the demo's first order (2026-01-05); the pre-existing relations date from then.
SETUP_TIME = datetime(2025, 12, 1, 10, 0)
EMPLOYEE = {"employeeNumber": 1, "name": "Demo Kassamedewerker", "username": "kassa", "active": True}


@contextmanager
def frozen_clock(state: MplusStore, when: datetime) -> Iterator[None]:
    """Seeded records carry the catalog's times, not the time the stand-in started."""
    original = state.clock
    local = as_local(when)
    state.clock = lambda: local
    try:
        yield
    finally:
        state.clock = original


def seed_state(state: MplusStore, catalog: DemoCatalog) -> None:
    with state.lock, frozen_clock(state, SETUP_TIME):
        for number, name in catalog.branches:
            city = name.split()[0]
            state.branches[number] = {
                "branchNumber": number,
                "branchName": name,
                "abbreviation": city[:3].upper(),
                "extBranchId": f"B{number:02d}",
                "workplaces": {
                    "workplace": [{"workplaceNumber": 1, "workplaceName": "Kassa 1", "isMobile": False}]
                },
                "countryCode": 528,
                "countryIso3": "NLD",
                "countryName": "Nederland",
            }
        state.vat_rates = dict(VAT_RATES)
        state.payment_methods = [
            {
                "method": method,
                "description": description,
                "buttonText": description,
                "allowNegativeAmount": method in REFUNDABLE,
                "active": True,
                "type": PAYMENT_TYPES.get(method, "PAYMENT-METHOD-TYPE-PAYMENT"),
            }
            for method, description in catalog.payment_methods
        ]
        state.turnover_groups = [
            {
                "turnoverGroupType": "TURNOVER-GROUP-TYPE-TURNOVER",
                "turnoverGroup": int(code),
                "turnoverGroupName": name,
                "allowDiscount": True,
                "defaultVatCode": 3 if name == "Cadeaubonnen" else 2,
            }
            for code, name in catalog.groups
        ]
        state.price_groups = {
            number: {"priceGroupNumber": number, "description": description}
            for number, description in catalog.price_groups
        }
        now = state.now_mplus()
        employee: dict[str, Any] = {**EMPLOYEE, "createTimestamp": now, "changeTimestamp": now}
        employee["syncMarker"] = state.next_marker("employee")
        state.employees[1] = employee
        state.employee_index.touch(1, employee["syncMarker"])
        for relation in catalog.relations:
            insert_relation(
                state,
                {
                    "name": relation.name,
                    "companyName": relation.company_name,
                    "email": relation.email,
                    "address": relation.address,
                    "zipcode": relation.zipcode,
                    "city": relation.city,
                    "country": relation.country,
                },
                number=relation.relation_number,
            )
    for order in catalog.orders:
        add_demo_order(state, order)
    for sale in catalog.till_invoices:
        add_demo_invoice(state, sale)


def _address(order: DemoOrder) -> dict[str, Any] | None:
    if not (order.customer_name or order.company_name):
        return None
    fields = {
        "name": order.customer_name,
        "companyName": order.company_name,
        "address": order.address,
        "zipcode": order.zipcode,
        "city": order.city,
        "country": order.country,
    }
    return {k: v for k, v in fields.items() if v}


def _till_relation(state: MplusStore, order: DemoOrder) -> int | None:
    """The relation a till sale is booked on: the given one, else the customer's (created when new)."""
    if order.relation_number is not None:
        return order.relation_number
    if not order.customer_name:
        return None
    if order.email:
        known = sorted(state.relation_by_email.get(order.email.strip().lower(), ()))
        if known:
            return known[0]
    return insert_relation(
        state,
        {
            "name": order.customer_name,
            "companyName": order.company_name,
            "email": order.email,
            "address": order.address,
            "zipcode": order.zipcode,
            "city": order.city,
            "country": order.country,
            "vatNumber": order.vat_number,
        },
    )


def _lines_and_payments(
    state: MplusStore, order: DemoOrder
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lines = []
    for line in order.lines:
        if not line.article_number.isdigit():
            raise ValueError(f"article number {line.article_number!r} is not numeric (xsd:long)")
        # Derive the code from the rate: the catalog only knows codes 1 and 2.
        vat_code = VAT_CODE_BY_PCT.get(Decimal(line.vat_pct), line.vat_code)
        lines.append(
            make_line(
                state,
                int(line.article_number),
                line.text,
                Decimal(line.quantity),
                cents(line.price_incl),
                vat_code,
                employee=1,
            )
        )
    payments = [
        make_payment(state, method, cents(amount), order.branch, order.entry)
        for method, amount in order.payments
    ]
    return lines, payments


def add_demo_invoice(state: MplusStore, sale: DemoOrder) -> str:
    """A sale booked at the till as an invoice without an order (ext_order_id is its extInvoiceId)."""
    if sale.ext_order_id in state.invoice_by_ext:
        raise ValueError(f"extInvoiceId {sale.ext_order_id} exists already")
    if sale.branch not in state.branches:
        raise ValueError(f"branch {sale.branch} does not exist")
    with state.lock, frozen_clock(state, sale.entry):
        relation_number = _till_relation(state, sale)
        lines, payments = _lines_and_payments(state, sale)
        return insert_till_invoice(
            state,
            ext_invoice_id=sale.ext_order_id,
            branch=sale.branch,
            entry=sale.entry,
            lines=lines,
            payments=payments,
            relation_number=relation_number,
            invoice_address=_address(sale),
        )


def add_demo_order(state: MplusStore, order: DemoOrder) -> str:
    """A sale at the till shaped like the catalog's DemoOrder, invoiced at once. Returns the orderId."""
    if order.ext_order_id in state.order_by_ext:
        raise ValueError(f"extOrderId {order.ext_order_id} exists already")
    if order.branch not in state.branches:
        raise ValueError(f"branch {order.branch} does not exist")
    with state.lock, frozen_clock(state, order.entry):
        relation_number = _till_relation(state, order)
        lines, payments = _lines_and_payments(state, order)
        address = _address(order)
        order_id = insert_order(
            state,
            ext_order_id=order.ext_order_id,
            branch=order.branch,
            entry=order.entry,
            lines=lines,
            payments=payments,
            relation_number=relation_number,
            invoice_address=address,
            delivery_address=dict(address) if address else None,
        )
        record = state.orders[order_id]
        record["fullyPaid"] = bool(order.fully_paid)  # the catalog decides, as the till recorded it
        record["completeState"] = (
            "ORDER-COMPLETE-STATE-COMPLETE" if order.fully_paid else "ORDER-COMPLETE-STATE-NOTHING"
        )
        record["entryTimestamp"] = mplus_datetime(order.entry)
        create_invoice(state, order_id)
    return order_id
