"""GetConnectors: Sales orders, quotations and direct invoices, and financial entries: Profit_Salesorders,
Profit_SalesorderLines, Profit_Transactions.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import OrderLine, SalesOrder
from ..records import as_datetime
from ..store import AfasStore
from .base import (
    GetConnector,
    Row,
    field_defs,
    ident,
    text_or_none,
)

ORDER_KINDS = {"FbSales": "Verkooporder", "FbSalesQuotation": "Offerte", "FbDirectInvoice": "Directe factuur"}
ITEM_TYPES = {"1": "Wst", "2": "Art", "3": "Tkst", "6": "Kst"}
CENT = Decimal("0.01")


def order_amounts(order: SalesOrder) -> dict[str, Decimal]:
    """Gross (as entered), line discounts, total excl. VAT, VAT and invoice total of an order."""
    gross = discount = total = vat = qty = Decimal(0)
    for line in order.lines:
        gross += line.gross
        discount += line.discount_amount
        qty += line.quantity
        excl = line.net / (1 + line.vat_pct / 100) if order.vat_included else line.net
        total += excl
        vat += excl * line.vat_pct / 100
    total, vat = total.quantize(CENT), vat.quantize(CENT)
    return {
        "Gross": gross.quantize(CENT),
        "Discount": discount.quantize(CENT),
        "TotalAmount": total,
        "VAT": vat,
        "Quantity": qty,
        "InvoiceTotal": total + vat,
    }


def _order(state: AfasStore, number: str) -> list[Row]:
    o = state.orders.get(number)
    if o is None:
        return []
    return [
        {
            "Ordersoort": ORDER_KINDS.get(o.connector, o.connector),
            "OrderNumber": o.order_number,
            "Status": o.status,
            "OrderDate": o.order_date,
            "DebtorId": o.debtor_id,
            "CurrencyId": text_or_none(o.currency),
            "CustomerReference": text_or_none(o.reference),
            **order_amounts(o),
        }
    ]


def _line_row(o: SalesOrder, line: OrderLine) -> Row:
    return {
        "OrderNumber": o.order_number,
        "Status": o.status,
        "OrderDate": o.order_date,
        "DebtorId": o.debtor_id,
        "CurrencyId": text_or_none(o.currency),
        "CustomerReference": text_or_none(o.reference),
        "SeqNo": line.seq_no,
        "LineStatusCode": o.status,
        "LineGuid": line.guid,
        "ItemTypeCode": ITEM_TYPES.get(line.item_type),
        "ItemCodeId": text_or_none(line.item_code),
        "Description": text_or_none(line.description),
        "UnitId": text_or_none(line.unit),
        "PiecePerUnit": line.quantity,
        "PricePerUnit": line.price,
        "AmtRowDiscount": line.discount_amount,
        "PriceNet": (line.price * (1 - line.discount_pct / 100)).quantize(Decimal("0.0001")),
        "AmtTotal": line.net.quantize(CENT),
        "CreateDate": line.created,
        "ModifiedDate": line.modified,
    }


def _order_lines(state: AfasStore, number: str) -> list[Row]:
    o = state.orders.get(number)
    return [_line_row(o, line) for line in o.lines] if o else []


def _transactions(state: AfasStore, entry_no: int) -> list[Row]:
    """Profit_Transactions: one row per line of a financial entry (FiEntries), as booked."""
    e = state.fi_entries.get(entry_no)
    if e is None:
        return []
    rows = []
    for seq, line in enumerate(e.lines, start=1):
        debit = Decimal(str(line.get("AmDe") or 0))
        credit = Decimal(str(line.get("AmCr") or 0))
        rows.append(
            {
                "UnitId": e.unit,
                "EntryNo": e.entry_no,
                "SeqNo": seq,
                "Year": e.year,
                "Period": e.period,
                "JournalId": e.journal,
                "AccountNo": text_or_none(line.get("AcNr")),
                "AmtDebit": debit,
                "AmtCredit": credit,
                "EntryDate": as_datetime(line["EnDa"]) if line.get("EnDa") else None,
                "InvoiceId": text_or_none(line.get("InId")),
                "VoucherDate": as_datetime(line["BpDa"]) if line.get("BpDa") else None,
                "VoucherNo": text_or_none(line.get("BpNr")),
                "VatCode": text_or_none(line.get("VaId")),
                "VatAmt": None,
                "Description": text_or_none(line.get("Ds")),
                "Created": e.created,
                "Modified": e.created,
            }
        )
    return rows


CONNECTORS: list[GetConnector] = [
    GetConnector(
        "Profit_Salesorders",
        "Verkooporders",
        field_defs("""
        Ordersoort:string:40::Soort order
        OrderNumber:string:12::Ordernummer
        Status:string:40::Status
        OrderDate:date:0::Datum
        DebtorId:string:16::Verkooprelatie
        CurrencyId:string:3::Valuta
        CustomerReference:string:100::Ordernummer/referentie
        Gross:decimal:18:2:Bruto bedrag
        Discount:decimal:18:2:Factuurkorting
        TotalAmount:decimal:18:2:Totaalbedrag
        VAT:decimal:18:2:Btw-bedrag
        Quantity:decimal:18:4:Totaal aantal
        InvoiceTotal:decimal:18:2:Factuurtotaal"""),
        lambda s: s.orders,
        _order,
        {"orders": ident},
    ),
    GetConnector(
        "Profit_SalesorderLines",
        "Verkooporderregels",
        field_defs("""
        OrderNumber:string:12::Ordernummer
        Status:string:40::Status
        OrderDate:date:0::Datum
        DebtorId:string:16::Verkooprelatie
        CurrencyId:string:3::Valuta
        CustomerReference:string:100::Ordernummer/referentie
        SeqNo:int:9::Volgnummer
        LineStatusCode:string:40::Regel statuscode
        LineGuid:string:38::GUID regel
        ItemTypeCode:string:10::Type itemcode
        ItemCodeId:string:40::Itemcode
        Description:string:255::Omschrijving
        UnitId:string:10::Eenheid
        PiecePerUnit:decimal:18:4:Aantal eenheden
        PricePerUnit:decimal:18:4:Prijs per eenheid
        AmtRowDiscount:decimal:18:2:Bedrag regelkorting
        PriceNet:decimal:18:4:Nettoprijs
        AmtTotal:decimal:18:2:Regelbedrag
        CreateDate:date:0::Aangemaakt op
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.orders,
        _order_lines,
        {"orders": ident},
    ),
    GetConnector(
        "Profit_Transactions",
        "Financiële mutaties",
        field_defs("""
        UnitId:int:9::Administratie
        EntryNo:int:9::Boekstuknummer intern
        SeqNo:int:9::Volgnummer
        Year:int:4::Boekjaar
        Period:int:4::Periode
        JournalId:string:6::Dagboek
        AccountNo:string:16::Rekeningnummer
        AmtDebit:decimal:18:2:Bedrag debet
        AmtCredit:decimal:18:2:Bedrag credit
        EntryDate:date:0::Boekdatum
        InvoiceId:string:12::Factuurnummer
        VoucherDate:date:0::Datum boekstuk
        VoucherNo:string:32::Boekstuknummer
        VatCode:string:3::Btw-code
        VatAmt:decimal:18:2:Btw-bedrag
        Description:string:255::Omschrijving
        Created:date:0::Aangemaakt op
        Modified:date:0::Gewijzigd op"""),
        lambda s: s.fi_entries,
        _transactions,
        {"fi_entries": ident},
    ),
]
