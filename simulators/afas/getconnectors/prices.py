"""GetConnectors of prices: Profit_SalesPrice (a parameter connector: its rows are computed from the inputs), Sync_PriceListRows,
Sync_DebtorAgreements.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..pricing import net_price, price_index, tiers
from ..store import AfasStore
from .base import (
    GetConnector,
    Row,
    field_defs,
    ident,
    rebuild,
    text_or_none,
)


def _price_row(state: AfasStore, rid: int) -> list[Row]:
    r = state.price_rows.get(rid)
    if r is None:
        return []
    plist = state.price_lists.get(r.price_list)
    return [
        {
            "PriceList": r.price_list,
            "PriceListDescription": text_or_none(plist.description) if plist else None,
            "VatIncluded": bool(plist and plist.vat_included),
            "ItemCode": r.item_code,
            "FromQuantity": r.from_qty,
            "Price": r.price,
            "DiscountPercentage": r.discount_pct,
            "ValidFrom": r.valid_from,
            "ValidTo": r.valid_to,
            "Currency": text_or_none(r.currency),
            "ModifiedDate": r.modified,
        }
    ]


def _agreement(state: AfasStore, aid: int) -> list[Row]:
    g = state.agreements.get(aid)
    if g is None:
        return []
    return [
        {
            "DebtorId": g.debtor_id,
            "ItemCode": text_or_none(g.item_code),
            "DiscountGroup": text_or_none(g.discount_group),
            "FromQuantity": g.from_qty,
            "Price": g.price,
            "DiscountPercentage": g.discount_pct,
            "ValidFrom": g.valid_from,
            "ValidTo": g.valid_to,
            "ModifiedDate": g.modified,
        }
    ]


def _sales_prices(state: AfasStore, inputs: dict[str, Any]) -> list[Row]:
    """Profit_SalesPrice: the price of every (not blocked) article for the Debtor filter on Date;
    Volume=true adds a row per staffel tier; Level names a price list to use instead of the debtor's."""
    debtor_id = inputs.get("Debtor")
    at = inputs.get("Date") or state.today()
    volume = bool(inputs.get("Volume"))
    debtor = state.debtors.get(debtor_id) if debtor_id else None
    price_list = inputs.get("Level") or (debtor.price_list if debtor else None)
    index = price_index(state)
    out: list[Row] = []
    for a in state.articles.values():
        if a.blocked:
            continue
        quantities = tiers(state, index, a, price_list, debtor_id, at) if volume else [Decimal(1)]
        for qty in quantities:
            gross, net = net_price(state, index, a, price_list, debtor_id if debtor else None, qty, at)
            out.append(
                {
                    "Debtor": debtor_id,
                    "Date": at,
                    "Currency": inputs.get("Currency") or "EUR",
                    "Volume": volume,
                    "Level": inputs.get("Level"),
                    "Item": a.item_code,
                    "Description": text_or_none(a.description),
                    "Quantity": qty,
                    "Unit": text_or_none(a.unit),
                    "GrossPrice": gross,
                    "Discount": gross - net,
                    "Nettoprijs": net,
                }
            )
    return out


CONNECTORS: list[GetConnector] = [
    GetConnector(
        "Profit_SalesPrice",
        "Prijslijst per debiteur (GetConnector)",
        field_defs("""
        Debtor:string:16::Verkooprelatie (filter)
        Date:date:0::Peildatum (filter)
        Currency:string:3::Valutacode (filter)
        Volume:boolean:1::Staffel tonen (filter)
        Level:string:10::Prijsniveau (filter)
        Item:string:40::Itemcode
        Description:string:255::Omschrijving
        Quantity:decimal:18:4:Aantal
        Unit:string:10::Eenheid
        GrossPrice:decimal:18:4:Verkoopprijs
        Discount:decimal:18:4:Kortingsbedrag
        Nettoprijs:decimal:18:4:Nettoprijs"""),
        lambda s: (),
        lambda s, k: [],
        {},
        inputs=("Debtor", "Date", "Currency", "Volume", "Level"),
        dynamic=_sales_prices,
    ),
    # ---- custom connectors (docs/custom-connectors.md)
    GetConnector(
        "Sync_PriceListRows",
        "Sync: prijslijstregels",
        field_defs("""
        PriceList:string:10::Prijslijst
        PriceListDescription:string:80::Omschrijving prijslijst
        VatIncluded:boolean:1::Incl. btw
        ItemCode:string:40::Itemcode
        FromQuantity:decimal:18:4:Vanaf aantal
        Price:decimal:18:4:Prijs
        DiscountPercentage:decimal:5:2:Kortingspercentage
        ValidFrom:date:0::Begindatum
        ValidTo:date:0::Einddatum
        Currency:string:3::Valuta
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.price_rows,
        _price_row,
        {"price_rows": ident, "price_lists": rebuild},
    ),
    GetConnector(
        "Sync_DebtorAgreements",
        "Sync: prijsafspraken debiteur",
        field_defs("""
        DebtorId:string:16::Debiteurnummer
        ItemCode:string:40::Itemcode
        DiscountGroup:string:15::Kortingsgroep
        FromQuantity:decimal:18:4:Vanaf aantal
        Price:decimal:18:4:Prijs
        DiscountPercentage:decimal:5:2:Kortingspercentage
        ValidFrom:date:0::Begindatum
        ValidTo:date:0::Einddatum
        ModifiedDate:date:0::Gewijzigd op"""),
        lambda s: s.agreements,
        _agreement,
        {"agreements": ident},
    ),
]
