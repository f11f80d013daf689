"""Sales price of an article for a debtor on a date: price list rows, debtor agreements, staffel tiers.

Simplified from AFAS [INF]: an item-specific agreement price beats the debtor's price list, which beats
the article's sales price; the agreement's (item or discount group) discount % then applies. Price lists
that include VAT are converted to excl. VAT so every result is excl. VAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .model import VAT_PCT, Agreement, Article, PriceRow
from .store import AfasStore

PRICE_QUANT = Decimal("0.0001")


@dataclass
class PriceIndex:
    rows: dict[tuple[str, str], list[PriceRow]]  # (price list, item) -> rows
    agreements: dict[str, list[Agreement]]  # debtor -> agreements
    stamp: tuple[int, int, int]


def price_index(state: AfasStore) -> PriceIndex:
    """The (cached) lookup tables; rebuilt when price rows, lists or agreements changed."""
    stamp = (state.table_seq["price_rows"], state.table_seq["price_lists"], state.table_seq["agreements"])
    cached: PriceIndex | None = state.views.get("_price_index")
    if cached is not None and cached.stamp == stamp:
        return cached
    rows: dict[tuple[str, str], list[PriceRow]] = {}
    for r in state.price_rows.values():
        rows.setdefault((r.price_list, r.item_code), []).append(r)
    agreements: dict[str, list[Agreement]] = {}
    for g in state.agreements.values():
        agreements.setdefault(g.debtor_id, []).append(g)
    index = PriceIndex(rows, agreements, stamp)
    state.views["_price_index"] = index
    return index


def _valid(start: datetime, end: datetime | None, at: datetime) -> bool:
    return start <= at and (end is None or at <= end)


def tiers(
    state: AfasStore,
    index: PriceIndex,
    article: Article,
    price_list: str | None,
    debtor_id: str | None,
    at: datetime,
) -> list[Decimal]:
    """The from-quantities at which the price for this debtor changes (always including 1)."""
    found = {Decimal(1)}
    if price_list:
        found.update(
            r.from_qty
            for r in index.rows.get((price_list, article.item_code), ())
            if _valid(r.valid_from, r.valid_to, at)
        )
    if debtor_id:
        found.update(
            g.from_qty
            for g in index.agreements.get(debtor_id, ())
            if g.item_code == article.item_code and _valid(g.valid_from, g.valid_to, at)
        )
    return sorted(found)


def net_price(
    state: AfasStore,
    index: PriceIndex,
    article: Article,
    price_list: str | None,
    debtor_id: str | None,
    qty: Decimal,
    at: datetime,
) -> tuple[Decimal, Decimal]:
    """(gross, net) unit price excl. VAT."""
    gross = article.price_excl
    base = gross
    discount = Decimal(0)
    if price_list:
        best: PriceRow | None = None
        for r in index.rows.get((price_list, article.item_code), ()):
            if (
                r.from_qty <= qty
                and _valid(r.valid_from, r.valid_to, at)
                and (best is None or r.from_qty > best.from_qty)
            ):
                best = r
        if best is not None:
            plist = state.price_lists.get(price_list)
            base = best.price
            if plist is not None and plist.vat_included:
                base = base / (1 + VAT_PCT.get(article.vat_group, Decimal(21)) / 100)
            discount = best.discount_pct
    if debtor_id:
        item_deal: Agreement | None = None
        group_deal: Agreement | None = None
        for g in index.agreements.get(debtor_id, ()):
            if g.from_qty > qty or not _valid(g.valid_from, g.valid_to, at):
                continue
            if g.item_code == article.item_code and (item_deal is None or g.from_qty > item_deal.from_qty):
                item_deal = g
            elif g.item_code is None and g.discount_group and g.discount_group == article.discount_group:
                group_deal = g
        deal = item_deal or group_deal
        if deal is not None:
            if deal.price is not None:
                base = deal.price
            discount = deal.discount_pct
    net = (base * (1 - discount / 100)).quantize(PRICE_QUANT)
    return gross, net
