"""HTTP details of the MplusKASSA extract: syncMarker paging through the client, flattening to rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from afas_mplus.aio import Portal
from connectors.mplus.client import MplusClient
from connectors.mplus.models import Article, ArticleGroup, Product

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


def features_text(article: Article) -> str | None:
    """Custom fields as the canonical "code=value|..." text the SQL models compare."""
    fields = sorted((f.field_name, "" if f.value is None else str(f.value)) for f in article.custom_fields or [])
    return "|".join(f"{k}={v}" for k, v in fields) or None


def article_rows(product: Product) -> list[Row]:
    group = (product.group_numbers or [None])[0]
    return [{
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
    } for a in product.articles]


def group_rows(groups: list[ArticleGroup]) -> list[Row]:
    return [{"group_number": g.group_number, "parent_group_number": parent, "name": g.name, "text": g.text or None,
             "is_deleted": bool(g.is_deleted), "sync_marker": g.sync_marker}
            for root in groups for parent, g in root.walk()]
