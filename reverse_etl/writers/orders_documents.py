"""Push step of the orders flow (MplusKASSA → AFAS): one AFAS document per till sale (the debtors are
reverse_etl.writers.orders_debtors).

Exactly once: a document AFAS has (CustomerReference read back through Profit_Salesorders, or a financial entry
AFAS confirmed) is never planned; a journal row that says AFAS confirmed it is never sent again; and an insert
that timed out is looked up in AFAS before anything is repeated (a debtor by e-mail, a document by its
reference, a financial entry by its entry number in Profit_Transactions).

Never a write AFAS is sure to refuse: every body is checked against AFAS's OpenAPI (`connectors.afas.check`)
before it is sent; a value the models could not make fit is not sent but refused here, naming the field and
its limit. What AFAS refuses on business grounds (a 500 with its message) is marked `refused`: the row is
held (`reverse_etl.held`) until its data changes, its back-off passes, or `afas-mplus retry` asks.

Where the settings go (AFAS's OpenAPI puts them there):
- a document's header: Unit = afas.administration (FiEntryPar.UnId for an entry), War = orders.warehouse,
  CuId = orders.currency, PaTp = orders.payment_methods[the sale's payment method], PaCd =
  orders.payment_conditions[that method] else orders.payment_condition, DtId (FbSales and FbSalesQuotation
  only: a direct invoice is delivered at once) = orders.shipping_methods[the order's delivery method];
- a line: BiUn = the AFAS article's own unit, QuUn the till's quantity exactly (0.375 kg);
- a financial entry: JoCo = orders.journal, the debtor line (PaCd as above), revenue lines on
  orders.revenue_accounts[country] with VaId = orders.vat_codes[country], the VAT on orders.vat_account;
- a new debtor: CuId, PaCd = orders.payment_condition, ColA = orders.debtor_collective_account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from connectors.afas.bodies import element
from connectors.afas.dates import afas_today
from connectors.afas.errors import AfasError
from connectors.afas.field_limits import field_limit
from connectors.afas.filters import Op, where
from reverse_etl.held import REFUSED
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.orders_afas import AfasWriter, not_sendable, opt

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


CENT = Decimal("0.01")
PRICE = Decimal("0.0001")
LINES_OF = {
    "FbSales": "FbSalesLines",
    "FbSalesQuotation": "FbSalesQuotationLines",
    "FbDirectInvoice": "FbDirectInvoiceLines",
}
# Documents that have a delivery type (DtId): a direct invoice is delivered at the till.
HAS_DELIVERY_TYPE = frozenset({"FbSales", "FbSalesQuotation"})
INVOICE_NUMBER_MAX = field_limit("FiEntries", "FiEntries", "InId").max_length or 12


def _payment_method(row: Row, payments: list[Row]) -> str | None:
    """The sale's payment method: the order's own, else the method that paid the most."""
    if row.get("payment_method"):
        return str(row["payment_method"])
    if not payments:
        return None
    return str(max(payments, key=lambda p: (abs(Decimal(p["amount"] or 0)), -int(p["seq"])))["method"])


def _debit_credit(amount: Decimal, debit: bool) -> dict[str, Decimal]:
    """An amount on its side of an entry; a negative one (a credit invoice) on the other side, positive."""
    if amount < 0:
        amount, debit = -amount, not debit
    return {"AmDe": amount} if debit else {"AmCr": amount}


class SalesOrderWriter(AfasWriter):
    """One AFAS document per till sale: FbSales, FbSalesQuotation, FbDirectInvoice or FiEntries."""

    flow = "orders"
    entity = "sales_orders"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.afas
        self.warehouse = rt.warehouse
        self.settings: Any = rt.settings.orders  # afas_mplus.settings.OrdersSettings
        self.unit = rt.settings.afas.administration
        self.orders_connector = rt.settings.afas.connectors.sales_orders
        self.transactions_connector = rt.settings.afas.connectors.transactions
        # Only the documents this push sends: the till's whole history is in the models.
        pending = "select record_key from plan.orders_sales_orders where action = 'create'"
        self.lines: dict[str, list[Row]] = defaultdict(list)
        for line in rt.warehouse.query(
            f"select * from transforms.desired_sales_order_lines where order_key in "
            f"({pending}) order by order_key, line_no"
        ):
            self.lines[line["order_key"]].append(line)
        self.payments: dict[str, list[Row]] = defaultdict(list)
        for p in rt.warehouse.query(
            f"select order_key, seq, method, amount from transforms.stg_mplus_document_payments "
            f"where order_key in ({pending}) order by order_key, seq"
        ):
            self.payments[p["order_key"]].append(p)
        # Documents AFAS confirmed in an earlier run: never again, whatever the read-back says.
        self.confirmed = rt.journal.confirmed_keys(self.flow, self.entity, "create")

    # -- bodies -------------------------------------------------------------------------------------------

    def payment(self, row: Row) -> tuple[str | None, str]:
        """(PaTp, PaCd) of a document, from the sale's payment method."""
        method = _payment_method(row, self.payments.get(row["record_key"]) or [])
        pay_type = self.settings.payment_methods.get(method) if method else None
        condition = (
            self.settings.payment_conditions.get(method) if method else None
        ) or self.settings.payment_condition
        return pay_type, condition

    def document(self, row: Row) -> tuple[str, dict[str, Any]]:
        kind = str(row["document_type"])
        if kind == "FiEntries":
            return kind, self.financial_entry(row)
        order_date: date = row["financial_date"] or afas_today()
        pay_type, condition = self.payment(row)
        delivery = (
            self.settings.shipping_methods.get(row["delivery_method"]) if row.get("delivery_method") else None
        )
        header = opt(
            {
                "OrDa": order_date.isoformat(),
                "DbId": row["debtor_id"],
                "RfCs": row["record_key"],
                "Unit": self.unit,
                "War": self.settings.warehouse,
                "CuId": self.settings.currency,
                "PaCd": condition,
                "PaTp": pay_type,
                "DtId": delivery if kind in HAS_DELIVERY_TYPE else None,
            }
        )
        lines = [
            element(
                opt(
                    {
                        "VaIt": "2",
                        "ItCd": line["item_code"],
                        "BiUn": line["unit"],
                        "QuUn": line["quantity"],
                        "Upri": (line["price_excl"] or Decimal(0)).quantize(PRICE, ROUND_HALF_UP),
                        "PRDc": line["discount_percentage"] or None,
                        "Ds": line["text"],
                        "Re": line["full_text"],
                    }
                )
            )
            for line in self.lines.get(row["record_key"], [])
        ]
        return kind, element(header, {LINES_OF[kind]: lines})

    def financial_entry(self, row: Row) -> dict[str, Any]:
        """A balanced entry: the debtor is debited the total, revenue per country and VAT are credited."""
        order_date: date = row["financial_date"] or afas_today()
        lines = self.lines.get(row["record_key"], [])
        revenue: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
        vat = Decimal(0)
        total = Decimal(0)
        for line in lines:
            incl = Decimal(line["total_incl"] or 0).quantize(CENT, ROUND_HALF_UP)
            excl = Decimal(line["total_excl"] or 0).quantize(CENT, ROUND_HALF_UP)
            account = line["revenue_account"] or self.settings.revenue_accounts.get("NL", "8000")
            revenue[(account, line["afas_vat_code"])] += excl
            vat += incl - excl
            total += incl
        number = str(row["document_number"])
        _, condition = self.payment(row)
        # One entry (EnNo 1) per document. BpNr is the till's number (short and unique: the key may be a 36-char
        # id, BpNr keeps 32), the invoice number too where it fits AFAS's 12; the key itself is in the text.
        common = opt(
            {
                "EnNo": 1,
                "EnDa": order_date.isoformat(),
                "BpDa": order_date.isoformat(),
                "BpNr": number,
                "InId": number if len(number) <= INVOICE_NUMBER_MAX else None,
                "Ds": f"MplusKASSA {row['record_key']}",
            }
        )
        entries = [
            element(
                opt(
                    {
                        "VaAs": "2",
                        "AcNr": row["debtor_id"],
                        **_debit_credit(total, True),
                        "PaCd": condition,
                        **common,
                    }
                )
            )
        ]
        entries += [
            element(
                opt({"VaAs": "1", "AcNr": acc, **_debit_credit(amount, False), "VaId": vat_code, **common})
            )
            for (acc, vat_code), amount in sorted(revenue.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        ]
        if vat:
            entries.append(
                element(
                    opt(
                        {
                            "VaAs": "1",
                            "AcNr": self.settings.vat_account,
                            **_debit_credit(vat, False),
                            **common,
                        }
                    )
                )
            )
        par = element(
            {
                "Year": order_date.year,
                "Peri": order_date.month,
                "UnId": self.unit,
                "JoCo": self.settings.journal,
            },
            {"FiEntries": entries},
        )
        return {"FiEntryPar": par}

    # -- push ---------------------------------------------------------------------------------------------

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        kind = str(row["document_type"])
        what = f"{row.get('source') or 'order'} {group_key}"
        if group_key in self.confirmed:
            return [
                self.record(
                    group_key,
                    [group_key],
                    "create",
                    kind,
                    None,
                    {"skipped": "already confirmed by AFAS in an earlier run"},
                    "skipped",
                    None,
                )
            ]
        if not row.get("debtor_id"):
            return self.not_sent(
                group_key,
                [group_key],
                "create",
                operation=kind,
                message=(
                    f"{what}: no AFAS debtor for customer {row.get('email')!r}: the debtor could not be created (see "
                    f"the debtors rows of this run) or orders.default_debtor is empty"
                ),
            )
        conn, body = self.document(row)
        sent = {conn: body} if "Element" in body else body  # the JSON exactly as AFAS receives it
        refusal = not_sendable(conn, sent, "POST", what)
        if refusal:
            return self.not_sent(
                group_key, [group_key], "create", refusal, request=sent, status=REFUSED, operation="?"
            )
        if kind == "FiEntries" and await self.entry_in_afas(row):  # e.g. the journal was purged meanwhile
            return [
                self.record(
                    group_key,
                    [group_key],
                    "create",
                    f"POST {conn}",
                    None,
                    {"found": "the entry is in AFAS already"},
                    "confirmed",
                    None,
                )
            ]

        async def call() -> Any:
            return await self.client.insert(conn, body)

        return await self.send(group_key, [group_key], "create", f"POST {conn}", sent, call, what=what)

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Read-back after a lost answer: is this sale's document in AFAS? The planned row says which kind."""
        rows = self.warehouse.query(
            "select * from plan.orders_sales_orders where record_key = ?", [group_key]
        )
        row = rows[0] if rows else {"record_key": group_key, "document_type": "FbSales"}
        return await self.in_afas(row)

    async def in_afas(self, row: Row) -> bool:
        """After a timeout: did AFAS store the document after all?"""
        if row["document_type"] == "FiEntries":
            return await self.entry_in_afas(row)
        try:
            rows = await self.client.get_page(
                self.orders_connector,
                skip=0,
                take=1,
                filters=where("CustomerReference", Op.EQ, str(row["record_key"])),
                order_by=["OrderNumber"],
            )
        except AfasError:
            return False
        return bool(rows)

    async def entry_in_afas(self, row: Row) -> bool:
        """A financial entry of this sale in the orders journal (its entry number is the till's number)."""
        try:
            rows = await self.client.get_page(
                self.transactions_connector,
                skip=0,
                take=1,
                filters=where("VoucherNo", Op.EQ, str(row["document_number"]))
                & where("JournalId", Op.EQ, self.settings.journal),
                order_by=["EntryNo"],
            )
        except AfasError:
            return False
        return bool(rows)
