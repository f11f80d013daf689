"""FbSales, FbSalesQuotation, FbDirectInvoice: sales orders, quotations and direct invoices with their lines,
and the stock they reserve or deliver.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..errors import AfasError
from ..model import CURRENCIES, Debtor, OrderLine, SalesOrder
from ..pricing import net_price, price_index
from ..records import to_json
from ..store import AfasStore
from .bodies import Apply, Elem, not_found, required

LINE_OBJECTS = {
    "FbSales": "FbSalesLines",
    "FbSalesQuotation": "FbSalesQuotationLines",
    "FbDirectInvoice": "FbDirectInvoiceLines",
}
ITEM_TYPES = frozenset({"1", "10", "11", "14", "2", "3", "4", "5", "6", "7", "8"})


def order_plan(state: AfasStore, conn: str, e: Elem, method: str, sub_post: bool) -> Apply:
    if method == "POST" and not sub_post:
        return _new_order_plan(state, conn, e)
    # PUT, or POST /connectors/{conn}/{lines}: update the header, insert/update lines
    required(e, "OrNu")
    number = str(e.get("OrNu"))
    order = state.orders.get(number)
    if order is None or order.connector != conn:
        raise AfasError(f"De order '{number}' bestaat niet.")
    # DbId may not be sent on a PUT; the sub-object POST (whose OpenAPI schema requires DbId) may repeat it
    if e.has("DbId") and (not sub_post or str(e.get("DbId")) != order.debtor_id):
        raise AfasError(
            "Het veld 'Verkooprelatie' (DbId) mag bij het wijzigen van een order niet worden meegegeven."
        )
    _check_header(state, e)
    debtor = state.debtors[order.debtor_id]
    by_guid = {line.guid.casefold(): line for line in order.lines}
    updates: list[tuple[OrderLine, Elem]] = []
    new_lines: list[OrderLine] = []
    warehouse = e.get("War") or order.warehouse
    for le in e.kids(LINE_OBJECTS[conn]):
        guid = le.get("GuLi")
        existing = by_guid.get(str(guid).casefold()) if guid and not sub_post else None
        if existing is not None:
            _check_line_update(state, le, existing)
            updates.append((existing, le))
        else:
            new_lines.append(_new_line(state, le, debtor, warehouse, order.order_date, order.vat_included))

    def apply() -> dict[str, Any]:
        now = state.now()
        _set_header(order, e)
        for line, le in updates:
            stock_effect(state, order, [line], sign=-1)  # release the old quantity, book the new one
            _update_line(state, line, le, now)
            stock_effect(state, order, [line], sign=1)
        seq = max((line.seq_no for line in order.lines), default=0)
        for line in new_lines:
            seq += 1
            line.seq_no, line.created, line.modified = seq, now, now
            order.lines.append(line)
        stock_effect(state, order, new_lines, sign=1)
        order.modified = now
        state.touch("orders", order.order_number)
        return _order_keys(order)

    return apply


def _check_header(state: AfasStore, e: Elem) -> None:
    unit = e.get("Unit")
    if unit is not None and unit not in state.administrations:
        raise not_found(e, "Unit", unit)
    war = e.get("War")
    if war is not None and war not in state.warehouses:
        raise not_found(e, "War", war)
    currency = e.get("CuId")
    if currency is not None and currency not in CURRENCIES:
        raise not_found(e, "CuId", currency)


def _new_order_plan(state: AfasStore, conn: str, e: Elem) -> Apply:
    required(e, "DbId")
    debtor_id = str(e.get("DbId"))
    debtor = state.debtors.get(debtor_id)
    if debtor is None:
        raise not_found(e, "DbId", debtor_id)
    if debtor.blocked:  # [INF] AFAS's wording; a blocked sales relation takes no new documents
        raise AfasError(
            f"De verkooprelatie '{debtor_id}' is geblokkeerd: er kunnen geen orders of facturen voor "
            "worden ingevoerd."
        )
    _check_header(state, e)
    number = e.get("OrNu")
    if number is not None and number in state.orders:
        raise AfasError(f"Het ordernummer '{number}' bestaat al.")
    order_date = e.get("OrDa") or state.today()
    warehouse = e.get("War") or "01"
    vat_included = bool(e.get("InVa", False))
    lines = [
        _new_line(state, le, debtor, warehouse, order_date, vat_included) for le in e.kids(LINE_OBJECTS[conn])
    ]

    def apply() -> dict[str, Any]:
        now = state.now()
        ornu = str(number) if number is not None else _next_order_number(state, conn)
        order = SalesOrder(
            order_number=ornu,
            connector=conn,
            debtor_id=debtor_id,
            order_date=order_date,
            reference=e.get("RfCs"),
            currency=e.get("CuId") or debtor.currency,
            unit=e.get("Unit") or 1,
            warehouse=warehouse,
            vat_included=vat_included,
            status="Open",
            fields=to_json(e.raw),
            created=now,
            modified=now,
        )
        if conn == "FbDirectInvoice":
            order.status = "Gefactureerd"
            order.invoice_number = str(state.next_number("invoice"))
        for seq, line in enumerate(lines, 1):
            line.seq_no, line.created, line.modified = seq, now, now
        order.lines = lines
        state.orders[ornu] = order
        stock_effect(state, order, lines, sign=1)
        state.touch("orders", ornu)
        return _order_keys(order)

    return apply


def _next_order_number(state: AfasStore, conn: str) -> str:
    while True:
        number = str(state.next_number(conn))
        if number not in state.orders:
            return number


def _order_keys(order: SalesOrder) -> dict[str, Any]:
    keys: dict[str, Any] = {"OrNu": order.order_number}
    if order.connector == "FbDirectInvoice":
        keys["Liln"] = order.invoice_number
    return keys


def _set_header(order: SalesOrder, e: Elem) -> None:
    if "RfCs" in e.fields:
        order.reference = e.fields["RfCs"]
    if e.get("OrDa") is not None:
        order.order_date = e.get("OrDa")
    if e.get("War") is not None:
        order.warehouse = e.get("War")
    if e.get("CuId") is not None:
        order.currency = e.get("CuId")
    if e.get("InVa") is not None:
        order.vat_included = bool(e.get("InVa"))
    order.fields.update(to_json(e.raw))


def _new_line(
    state: AfasStore, le: Elem, debtor: Debtor, warehouse: str, at: datetime, vat_included: bool
) -> OrderLine:
    required(le, "VaIt")
    item_type = str(le.get("VaIt"))
    if item_type not in ITEM_TYPES:
        raise not_found(le, "VaIt", item_type)
    code = le.get("ItCd")
    if item_type != "3":
        required(le, "ItCd", "QuUn")
    quantity = le.get("QuUn", Decimal(1) if item_type == "3" else None)
    war = le.get("War") or warehouse
    if war not in state.warehouses:
        raise not_found(le, "War", war)
    unit = le.get("BiUn")
    description = le.get("Ds")
    vat = Decimal(0) if item_type == "3" else Decimal(21)
    price = le.get("Upri")
    if item_type == "2":
        article = state.articles.get(code)
        if article is None:
            raise not_found(le, "ItCd", code)
        if article.blocked:
            raise AfasError(f"Artikel '{code}' is geblokkeerd en kan niet worden verkocht.")
        if unit is not None and unit.casefold() != article.unit.casefold():
            raise AfasError(f"Eenheid '{unit}' (BiUn) bestaat niet voor artikel '{code}'.")
        unit = article.unit
        description = description or article.description
        vat = state.vat_pct(code)
        if price is None:
            _, price = net_price(
                state, price_index(state), article, debtor.price_list, debtor.debtor_id, quantity, at
            )
            if vat_included:
                price = (price * (1 + vat / 100)).quantize(Decimal("0.01"))
    return OrderLine(
        seq_no=0,
        guid=str(le.get("GuLi") or state.new_guid()),
        item_type=item_type,
        item_code=code,
        description=description,
        unit=unit,
        quantity=quantity,
        price=price if price is not None else Decimal(0),
        discount_pct=le.get("PRDc", Decimal(0)),
        warehouse=war,
        vat_pct=vat,
        fields=to_json(le.raw),
    )


def _check_line_update(state: AfasStore, le: Elem, line: OrderLine) -> None:
    if le.has("ItCd") and le.get("ItCd") != line.item_code:
        raise AfasError("Het itemcode van een bestaande orderregel kan niet worden gewijzigd.")
    war = le.get("War")
    if war is not None and war not in state.warehouses:
        raise not_found(le, "War", war)


def _update_line(state: AfasStore, line: OrderLine, le: Elem, now: datetime) -> None:
    mapping = {
        "QuUn": "quantity",
        "Upri": "price",
        "Ds": "description",
        "PRDc": "discount_pct",
        "War": "warehouse",
    }
    for fid, attr in mapping.items():
        if fid in le.fields:
            value = le.fields[fid]
            if value is None and attr in ("quantity", "price", "discount_pct"):
                value = Decimal(0)
            setattr(line, attr, value)
    line.fields.update(to_json(le.raw))
    line.modified = now


def stock_effect(state: AfasStore, order: SalesOrder, lines: list[OrderLine], sign: int) -> None:
    """Orders reserve stock; direct invoices deliver it at once (physical stock goes down)."""
    if not state.order_stock_effects or order.connector == "FbSalesQuotation":
        return
    for line in lines:
        article = state.articles.get(line.item_code or "")
        if line.item_type != "2" or article is None or not article.stock_tracked or not line.quantity:
            continue
        qty = line.quantity * sign
        war = line.warehouse or order.warehouse or "01"
        if order.connector == "FbDirectInvoice":
            state.adjust_stock(article.item_code, war, physical=-qty)
        else:
            state.adjust_stock(article.item_code, war, reserved=qty)
