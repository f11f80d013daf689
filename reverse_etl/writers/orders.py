"""Push step of the orders flow (MplusKASSA → AFAS): debtors first, then the documents.

Exactly once: an order already in AFAS (CustomerReference read back through Profit_Salesorders)
is never planned; a journal row that says AFAS confirmed it is never sent again; and an insert
that timed out is looked up in AFAS before anything is repeated. The same holds for debtors,
looked up by e-mail.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from connectors.afas.bodies import element
from connectors.afas.errors import AfasError, AfasTransportError, AfasValidationError
from connectors.afas.filters import Op, where
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


CENT = Decimal("0.01")
LINES_OF = {"FbSales": "FbSalesLines", "FbSalesQuotation": "FbSalesQuotationLines",
            "FbDirectInvoice": "FbDirectInvoiceLines"}


def _error(exc: Exception, what: str) -> str:
    if isinstance(exc, AfasValidationError):
        return (f"{what}: AFAS refused it: {exc.external_message} (log reference {exc.profit_log_reference}). "
                f"Correct the data or the settings; the next run sends it again.")
    return f"{what}: {type(exc).__name__}: {exc}"


def _opt(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v != ""}


class DebtorWriter:
    """Creates (KnSalesRelationOrg/Per) or updates the AFAS debtor of an order's customer."""

    flow = "orders"
    entity = "debtors"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.afas
        self.settings: Any = rt.settings.orders  # afas_mplus.settings.OrdersSettings
        self.debtors_connector = rt.settings.afas.connectors.debtors
        self.current = {r["record_key"]: r for r in rt.warehouse.query(
            "select record_key, debtor_id, bc_co from transforms.current_order_debtors")}

    def body(self, row: Row, debtor_id: str | None = None, bc_co: str | None = None) -> tuple[str, dict[str, Any]]:
        company = row["debtor_kind"] == "company"
        address = element(_opt({"CoId": row["country"], "PbAd": False, "Ad": row["street"],
                                "HmNr": row["house_number"], "HmAd": row["house_number_addition"],
                                "ZpCd": row["zipcode"], "Rs": row["city"]}))
        if company:
            contact = element(_opt({"EmAd": row["email"]}), {"KnPerson": element(_opt({
                "MatchPer": "7", "FiNm": row["first_name"], "LaNm": row["last_name"] or row["company_name"]}))})
            party = element(_opt({"MatchOga": "0" if bc_co else "6", "BcCo": bc_co, "Nm": row["company_name"],
                                  "EmAd": row["email"]}),
                            {"KnBasicAddressAdr": address, **({} if bc_co else {"KnContact": contact})})
            conn, sub = "KnSalesRelationOrg", "KnOrganisation"
        else:
            party = element(_opt({"MatchPer": "0" if bc_co else "7", "BcCo": bc_co, "FiNm": row["first_name"],
                                  "LaNm": row["last_name"], "EmAd": row["email"]}),
                            {"KnBasicAddressAdr": address})
            conn, sub = "KnSalesRelationPer", "KnPerson"
        fields = _opt({"VaId": row.get("vat_number")})
        if debtor_id is None:
            fields.update(CuId=self.settings.currency, PaCd=self.settings.payment_condition,
                          ColA=self.settings.debtor_collective_account)
        key = {"DbId": debtor_id} if debtor_id else None
        return conn, element(fields, {sub: party}, key=key)

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        action = str(row["action"])
        current = self.current.get(group_key) or {}
        debtor_id = current.get("debtor_id") if action != "create" else None
        conn, body = self.body(row, debtor_id, current.get("bc_co") if debtor_id else None)
        started = time.perf_counter()
        response: Any = None
        try:
            if debtor_id:
                response = await self.client.update(conn, body)
            else:
                response = await self.client.insert(conn, body)
            status, error = "ok", None
        except AfasTransportError as exc:
            status, error = "failed", _error(exc, f"debtor for {group_key}")
            if exc.may_have_reached_server and not debtor_id:
                found = await self.find_by_email(group_key)
                if found:
                    status, error, response = "confirmed", None, {"DbId": found}
        except AfasError as exc:
            status, error = "failed", _error(exc, f"debtor for {group_key}")
        return [CallRecord(self.flow, self.entity, group_key, [group_key], action,
                           f"{'PUT' if debtor_id else 'POST'} {conn}", {conn: body}, response, status, error,
                           duration_ms=(time.perf_counter() - started) * 1000)]

    async def find_by_email(self, email: str) -> str | None:
        try:
            rows = await self.client.get_page(self.debtors_connector, skip=0, take=5,
                                              filters=where("Email", Op.EQ, email), order_by=["DebtorId"])
        except AfasError:
            return None
        return str(rows[0]["DebtorId"]) if rows else None


class SalesOrderWriter:
    """One AFAS document per MplusKASSA order: FbSales, FbSalesQuotation, FbDirectInvoice or FiEntries."""

    flow = "orders"
    entity = "sales_orders"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.afas
        self.settings: Any = rt.settings.orders  # afas_mplus.settings.OrdersSettings
        self.unit = rt.settings.afas.administration
        self.orders_connector = rt.settings.afas.connectors.sales_orders
        self.lines: dict[str, list[Row]] = defaultdict(list)
        for line in rt.warehouse.query("select * from transforms.desired_sales_order_lines order by order_key, line_no"):
            self.lines[line["order_key"]].append(line)
        self.payments: dict[str, list[Row]] = defaultdict(list)
        for p in rt.warehouse.query(
                "select o.order_key, p.method, p.amount from transforms.stg_mplus_order_payments p "
                "join transforms.stg_mplus_orders o on o.order_id = p.order_id order by o.order_key, p.seq"):
            self.payments[p["order_key"]].append(p)
        # Orders AFAS confirmed in an earlier run: never again, whatever the read-back says.
        self.confirmed = rt.journal.confirmed_keys(self.flow, self.entity, "create")

    # -- bodies -------------------------------------------------------------------------------------------

    def document(self, row: Row) -> tuple[str, dict[str, Any]]:
        kind = self.settings.document_type
        if kind == "FiEntries":
            return kind, self.financial_entry(row)
        order_date: date = row["financial_date"] or date.today()
        pay = self.payments.get(row["record_key"]) or []
        pay_type = self.settings.payment_methods.get(str(pay[0]["method"])) if pay else None
        header = _opt({"OrDa": order_date.isoformat(), "DbId": row["debtor_id"], "RfCs": row["record_key"],
                       "Unit": self.unit, "War": self.settings.warehouse, "CuId": self.settings.currency,
                       "PaCd": self.settings.payment_condition, "PaTp": pay_type})
        lines = [element(_opt({
            "VaIt": "2", "ItCd": line["item_code"], "BiUn": self.settings.unit, "QuUn": line["quantity"],
            "Upri": (line["price_excl"] or Decimal(0)).quantize(Decimal("0.0001"), ROUND_HALF_UP),
            "PRDc": line["discount_percentage"] or None, "Ds": line["text"],
        })) for line in self.lines.get(row["record_key"], [])]
        return kind, element(header, {LINES_OF[kind]: lines})

    def financial_entry(self, row: Row) -> dict[str, Any]:
        """A balanced entry: the debtor is debited the total, revenue per country and VAT are credited."""
        order_date: date = row["financial_date"] or date.today()
        lines = self.lines.get(row["record_key"], [])
        revenue: dict[str, Decimal] = defaultdict(Decimal)
        vat = Decimal(0)
        total = Decimal(0)
        for line in lines:
            incl = Decimal(line["total_incl"] or 0).quantize(CENT, ROUND_HALF_UP)
            excl = Decimal(line["total_excl"] or 0).quantize(CENT, ROUND_HALF_UP)
            account = line["revenue_account"] or self.settings.revenue_accounts.get("NL", "8000")
            revenue[account] += excl
            vat += incl - excl
            total += incl
        # One entry (EnNo 1) per document; the order key is the document and invoice number, so the
        # entry can be traced back to the till.
        common = {"EnNo": 1, "EnDa": order_date.isoformat(), "BpDa": order_date.isoformat(),
                  "BpNr": row["record_key"], "InId": row["record_key"], "Ds": f"MplusKASSA {row['record_key']}"}
        entries = [element(_opt({"VaAs": "2", "AcNr": row["debtor_id"], "AmDe": total, **common}))]
        entries += [element(_opt({"VaAs": "1", "AcNr": acc, "AmCr": amount, **common}))
                    for acc, amount in sorted(revenue.items())]
        if vat:
            entries.append(element(_opt({"VaAs": "1", "AcNr": self.settings.vat_account, "AmCr": vat, **common})))
        par = element({"Year": order_date.year, "Peri": order_date.month, "UnId": self.unit,
                       "JoCo": self.settings.journal}, {"FiEntries": entries})
        return {"FiEntryPar": par}

    # -- push ---------------------------------------------------------------------------------------------

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        kind = self.settings.document_type
        if group_key in self.confirmed:
            return [CallRecord(self.flow, self.entity, group_key, [group_key], "create", kind, None,
                               {"skipped": "already confirmed by AFAS in an earlier run"}, "skipped")]
        if not row.get("debtor_id"):
            return [CallRecord(self.flow, self.entity, group_key, [group_key], "create", kind, None, None, "failed",
                               f"order {group_key}: no AFAS debtor for customer {row.get('email')!r}: the debtor "
                               f"could not be created (see the debtors rows of this run) or orders.default_debtor "
                               f"is empty")]
        conn, body = self.document(row)
        started = time.perf_counter()
        response: Any = None
        try:
            response = await self.client.insert(conn, body)
            status, error = "ok", None
        except AfasTransportError as exc:
            status, error = "failed", _error(exc, f"order {group_key}")
            if exc.may_have_reached_server and await self.in_afas(group_key):
                status, error = "confirmed", None
        except AfasError as exc:
            status, error = "failed", _error(exc, f"order {group_key}")
        sent = {conn: body} if "Element" in body else body  # the JSON exactly as AFAS received it
        return [CallRecord(self.flow, self.entity, group_key, [group_key], "create", f"POST {conn}", sent,
                           response, status, error, duration_ms=(time.perf_counter() - started) * 1000)]

    async def in_afas(self, order_key: str) -> bool:
        """After a timeout: did AFAS store the order after all? (CustomerReference = our key.)"""
        if self.settings.document_type == "FiEntries":
            return False  # financial entries have no read-back by reference: the journal guards them
        try:
            rows = await self.client.get_page(self.orders_connector, skip=0, take=1,
                                              filters=where("CustomerReference", Op.EQ, order_key),
                                              order_by=["OrderNumber"])
        except AfasError:
            return False
        return bool(rows)
