"""HTTP details of the MplusKASSA extract: syncMarker paging through the client, flattening to rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.aio import Portal
from connectors.mplus.client import MplusClient
from connectors.mplus.features import encode_features
from connectors.mplus.models import (
    Article,
    ArticleGroup,
    ArticleStock,
    Invoice,
    Order,
    OrderLine,
    Payment,
    PriceGroup,
    Product,
    Relation,
)

Row = dict[str, Any]


class MplusReader:
    """Sync view of the async client for dlt resources."""

    def __init__(self, client: MplusClient, portal: Portal, limit: int = 500) -> None:
        self.client = client
        self.portal = portal
        self.limit = limit

    def products(self, from_marker: int) -> Iterator[list[Product]]:
        yield from self.portal.iterate(lambda: self.client.iter_products(from_marker, limit=self.limit))

    def article_groups(self) -> list[ArticleGroup]:
        return self.portal.call(self.client.get_article_groups)

    def price_groups(self) -> list[PriceGroup]:
        return self.portal.call(self.client.get_price_groups)

    def orders(self, from_marker: int) -> Iterator[list[Order]]:
        yield from self.portal.iterate(lambda: self.client.iter_orders(from_marker, limit=self.limit))

    def invoices(self, from_marker: int) -> Iterator[list[Invoice]]:
        yield from self.portal.iterate(lambda: self.client.iter_invoices(from_marker, limit=self.limit))

    def relations(self, from_marker: int) -> Iterator[list[Relation]]:
        yield from self.portal.iterate(lambda: self.client.iter_relations(from_marker, limit=1000))

    def stock_changes(self, branches: list[int], since_stock_id: int) -> Iterator[list[ArticleStock]]:
        """getStock in sync mode: per branch, every level changed since `since_stock_id` (inclusive), in
        batches parsed while the answer streams in (a branch's answer can hold every level it has)."""
        for branch in branches:
            yield from self.portal.iterate(
                lambda branch=branch: self.client.iter_stock(branch, since_stock_id=since_stock_id)
            )


def features_text(article: Article) -> str | None:
    """Custom fields as the canonical features text the SQL models compare (connectors.mplus.features)."""
    return encode_features((f.field_name, f.value) for f in article.custom_fields or [])


def article_rows(product: Product) -> list[Row]:
    group = (product.group_numbers or [None])[0]
    return [
        {
            "article_number": a.article_number,
            "product_number": product.product_number,
            "product_description": product.description,
            "description": a.description,
            "extra_text": a.extra_text,
            "price_excl": a.price_excl,
            "price_incl": a.price_incl,
            "vat_code": a.vat_code,
            "barcode": a.barcode,
            "brand": a.brand_name,
            "colour": a.colour,
            "size": a.size,
            "features": features_text(a),
            "group_number": group,
            "active": a.active,
            "stock_article": a.stock_article,
            "ext_article_id": a.ext_article_id,
            "sync_marker": product.sync_marker,
        }
        for a in product.articles
    ]


def price_group_entry_rows(products: list[Product]) -> list[Row]:
    """Each article's priceGroupList (quantity tiers per price group), staged as mplus_article_price_groups;
    an article without tiers gives one placeholder row (see pipelines.mplus.source)."""
    rows: list[Row] = []
    for product in products:
        for a in product.articles:
            entries = [
                {
                    "article_number": a.article_number,
                    "is_placeholder": False,
                    "price_group_number": g.price_group_number,
                    "minimum_amount": g.minimum_amount,
                    "price_incl": g.price_incl,
                    "price_excl": g.price_excl,
                    "discount_percentage": g.discount_percentage,
                }
                for g in a.price_groups or []
            ]
            rows.extend(entries or [{"article_number": a.article_number, "is_placeholder": True}])
    return rows


def discount_entry_rows(relations: list[Relation]) -> list[Row]:
    """Each relation's relationArticleDiscountList, staged as mplus_relation_discounts; a relation without
    entries gives one placeholder row (see pipelines.mplus.source)."""
    rows: list[Row] = []
    for r in relations:
        entries = [
            {
                "relation_number": r.relation_number,
                "is_placeholder": False,
                "relation_article_discount_id": d.relation_article_discount_id,
                "article_number": d.article_number,
                "article_discount_group_number": d.article_discount_group_number,
                "minimum_amount": d.minimum_amount,
                "discount_percentage": d.discount_percentage,
                "price_incl": d.price_incl,
                "price_excl": d.price_excl,
            }
            for d in r.relation_article_discounts or []
        ]
        rows.extend(entries or [{"relation_number": r.relation_number, "is_placeholder": True}])
    return rows


def price_group_rows(groups: list[PriceGroup]) -> list[Row]:
    return [{"price_group_number": g.price_group_number, "description": g.description} for g in groups]


def group_rows(groups: list[ArticleGroup]) -> list[Row]:
    return [
        {
            "group_number": g.group_number,
            "parent_group_number": parent,
            "name": g.name,
            "text": g.text or None,
            "is_deleted": bool(g.is_deleted),
            "sync_marker": g.sync_marker,
        }
        for root in groups
        for parent, g in root.walk()
    ]


def relation_rows(relations: list[Relation]) -> list[Row]:
    rows = []
    for r in relations:
        contact = r.contact or next((c.name for c in r.contacts or [] if c.name), None)
        rows.append(
            {
                "relation_number": r.relation_number,
                "ext_relation_id": r.ext_relation_id,
                "name": r.name,
                "company_name": r.company_name,
                "contact": contact,
                "address": r.address,
                "zipcode": r.zipcode,
                "city": r.city,
                "country": r.country,
                "email": r.email,
                "vat_number": r.vat_number,
                "commerce_number": r.commerce_number,
                "payment_within_days": r.payment_within_days,
                "default_vat_method": r.default_vat_method,
                "price_group_number": r.price_group_number,
                "discount_percentage": r.discount_percentage,
                "active": r.active,
                "sync_marker": r.sync_marker,
            }
        )
    return rows


def stock_rows(stocks: list[ArticleStock]) -> list[Row]:
    return [
        {
            "branch_number": s.branch_number,
            "article_number": s.article_number,
            "stock_id": s.stock_id,
            "amount_free": s.amount_free,
            "amount_reserved": s.amount_reserved,
            "amount_incoming": s.amount_incoming,
        }
        for s in stocks
    ]


def order_rows(orders: list[Order]) -> list[Row]:
    """Orders with their lines and payments as nested lists (dlt makes child tables of them)."""
    rows = []
    for o in orders:
        inv = o.invoice_address
        rows.append(
            {
                "order_id": o.order_id,
                "ext_order_id": o.ext_order_id,
                "sync_marker": o.sync_marker,
                "relation_number": o.relation_number,
                "entry_branch_number": o.entry_branch_number,
                "financial_date": o.financial_date,
                "entry_timestamp": o.entry_timestamp,
                "total_incl": o.total_incl,
                "total_excl": o.total_excl,
                "vat_method": o.vat_method,
                "fully_paid": o.fully_paid,
                "cancel_state": o.cancel_state,
                "complete_state": o.complete_state,
                "order_year": o.order_year,
                "order_number": o.order_number,
                "delivery_method": o.delivery_method,
                "payment_method": o.payment_method,
                "invoice_name": inv.name if inv else None,
                "invoice_company_name": inv.company_name if inv else None,
                "invoice_address": inv.address if inv else None,
                "invoice_zipcode": inv.zipcode if inv else None,
                "invoice_city": inv.city if inv else None,
                "invoice_country": inv.country if inv else None,
                "lines": line_rows("order_id", o.order_id, o.lines),
                "payments": payment_rows("order_id", o.order_id, o.payments),
            }
        )
    return rows


def line_rows(key: str, document_id: str, lines: list[OrderLine]) -> list[Row]:
    return [
        {
            key: document_id,
            "line_no": n,
            "line_id": line.line_id,
            "article_number": line.article_number,
            "text": line.text,
            "quantity": line.quantity,
            "price_incl": line.price_incl,
            "price_excl": line.price_excl,
            "discount_percentage": line.discount_percentage,
            "vat_code": line.vat_code,
            "vat_percentage": line.vat_percentage,
            "total_incl": line.total_incl,
            "total_excl": line.total_excl,
        }
        for n, line in enumerate(lines, start=1)
    ]


def payment_rows(key: str, document_id: str, payments: list[Payment]) -> list[Row]:
    return [
        {key: document_id, "seq": n, "method": pay.method, "amount": pay.amount}
        for n, pay in enumerate(payments, start=1)
    ]


def invoice_rows(invoices: list[Invoice]) -> list[Row]:
    """Invoices with their lines and payments as nested lists (dlt makes child tables of them)."""
    rows = []
    for i in invoices:
        inv = i.invoice_address
        invoice_id = str(i.invoice_id or "")
        rows.append(
            {
                "invoice_id": invoice_id,
                "ext_invoice_id": i.ext_invoice_id,
                "sync_marker": i.sync_marker,
                "invoice_year": i.invoice_year,
                "invoice_number": i.invoice_number,
                "invoice_type": i.invoice_type,
                "state": i.state,
                "relation_number": i.relation_number,
                "relation_name": i.relation_name,
                "entry_branch_number": i.entry_branch_number or i.financial_branch_number,
                "financial_date": i.financial_date,
                "entry_timestamp": i.entry_timestamp,
                "total_incl": i.total_incl,
                "total_excl": i.total_excl,
                "paid_amount": i.paid_amount,
                "vat_method": i.vat_method,
                "ext_order_ids": ",".join(i.ext_order_ids) or None,
                "invoice_name": inv.name if inv else None,
                "invoice_company_name": inv.company_name if inv else None,
                "invoice_address": inv.address if inv else None,
                "invoice_zipcode": inv.zipcode if inv else None,
                "invoice_city": inv.city if inv else None,
                "invoice_country": inv.country if inv else None,
                "lines": line_rows("invoice_id", invoice_id, i.lines),
                "payments": payment_rows("invoice_id", invoice_id, i.payments),
                "orders": [{"invoice_id": invoice_id, "order_id": order_id} for order_id in i.order_ids],
            }
        )
    return rows
