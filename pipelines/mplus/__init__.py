"""dlt source for MplusKASSA: the target's current state, loaded into `staging.mplus_*`.

Products are read by syncMarker: dlt keeps the highest marker seen and the next run asks
from that value + 1 (MplusKASSA's lower bound is inclusive), so an idle POS costs one call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from pipelines.mplus.helpers import (
    MplusReader,
    article_rows,
    group_rows,
    order_rows,
    price_group_rows,
    relation_rows,
    stock_rows,
)

Page = list[dict[str, Any]]

ARTICLE_COLUMNS: dict[str, Any] = {
    "article_number": {"data_type": "bigint", "nullable": False},
    "product_number": {"data_type": "bigint"},
    "product_description": {"data_type": "text"},
    "description": {"data_type": "text"},
    "extra_text": {"data_type": "text"},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "vat_code": {"data_type": "bigint"},
    "barcode": {"data_type": "text"},
    "brand": {"data_type": "text"},
    "colour": {"data_type": "text"},
    "size": {"data_type": "text"},
    "features": {"data_type": "text"},
    "group_number": {"data_type": "bigint"},
    "active": {"data_type": "bool"},
    "stock_article": {"data_type": "bool"},
    "ext_article_id": {"data_type": "text"},
    "sync_marker": {"data_type": "bigint"},
}
GROUP_COLUMNS: dict[str, Any] = {
    "group_number": {"data_type": "bigint", "nullable": False},
    "parent_group_number": {"data_type": "bigint"},
    "name": {"data_type": "text"},
    "text": {"data_type": "text"},
    "is_deleted": {"data_type": "bool"},
    "sync_marker": {"data_type": "bigint"},
}


RELATION_COLUMNS: dict[str, Any] = {
    "relation_number": {"data_type": "bigint", "nullable": False},
    **{c: {"data_type": "text"} for c in ("ext_relation_id", "name", "company_name", "contact", "address",
                                          "zipcode", "city", "country", "email", "vat_number", "commerce_number")},
    "payment_within_days": {"data_type": "bigint"},
    "default_vat_method": {"data_type": "text"},
    "price_group_number": {"data_type": "bigint"},
    "discount_percentage": {"data_type": "bigint"},
    "active": {"data_type": "bool"},
    "sync_marker": {"data_type": "bigint"},
}
STOCK_COLUMNS: dict[str, Any] = {
    "branch_number": {"data_type": "bigint", "nullable": False},
    "article_number": {"data_type": "bigint", "nullable": False},
    "stock_id": {"data_type": "bigint"},
    **{c: {"data_type": "decimal", "precision": 18, "scale": 4}
       for c in ("amount_free", "amount_reserved", "amount_incoming")},
}


MONEY = {"data_type": "decimal", "precision": 18, "scale": 4}
ORDER_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False},
    **{c: {"data_type": "text"} for c in ("ext_order_id", "vat_method", "cancel_state", "complete_state",
                                          "invoice_name", "invoice_company_name", "invoice_address",
                                          "invoice_zipcode", "invoice_city", "invoice_country")},
    **{c: {"data_type": "bigint"} for c in ("sync_marker", "relation_number", "entry_branch_number")},
    "financial_date": {"data_type": "date"},
    "entry_timestamp": {"data_type": "timestamp", "timezone": True},
    "total_incl": MONEY, "total_excl": MONEY,
    "fully_paid": {"data_type": "bool"},
}
ORDER_LINE_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False},
    "line_no": {"data_type": "bigint", "nullable": False},
    "line_id": {"data_type": "text"}, "article_number": {"data_type": "bigint"}, "text": {"data_type": "text"},
    **{c: MONEY for c in ("quantity", "price_incl", "price_excl", "total_incl", "total_excl")},
    **{c: {"data_type": "bigint"} for c in ("discount_percentage", "vat_code", "vat_percentage")},
}
ORDER_PAYMENT_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False}, "seq": {"data_type": "bigint", "nullable": False},
    "method": {"data_type": "text"}, "amount": MONEY,
}


ARTICLE_PRICE_GROUP_COLUMNS: dict[str, Any] = {
    "article_number": {"data_type": "bigint", "nullable": False},
    "price_group_number": {"data_type": "bigint", "nullable": False},
    "minimum_amount": {"data_type": "bigint"},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "discount_percentage": {"data_type": "bigint"},
}
RELATION_DISCOUNT_COLUMNS: dict[str, Any] = {
    "relation_number": {"data_type": "bigint", "nullable": False},
    "relation_article_discount_id": {"data_type": "bigint"},
    "article_number": {"data_type": "bigint"},
    "article_discount_group_number": {"data_type": "bigint"},
    "minimum_amount": {"data_type": "decimal", "precision": 18, "scale": 4},
    "discount_percentage": {"data_type": "bigint"},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
}
PRICE_GROUP_COLUMNS: dict[str, Any] = {
    "price_group_number": {"data_type": "bigint", "nullable": False},
    "description": {"data_type": "text"},
}


@dlt.source(name="mplus", max_table_nesting=0)
def mplus_source(reader: MplusReader, stock_branches: list[int] | None = None) -> list[DltResource]:
    # An article's price group entries are a nested list: dlt stages them in mplus_articles__price_groups and,
    # on merge, replaces a re-read article's entries whole (so a removed tier disappears from staging too).
    @dlt.resource(name="mplus_articles", primary_key="article_number", write_disposition="merge",
                  columns=ARTICLE_COLUMNS, max_table_nesting=1,
                  nested_hints={"price_groups": dlt.mark.make_nested_hints(columns=ARTICLE_PRICE_GROUP_COLUMNS)})
    def articles(marker: Any = dlt.sources.incremental("sync_marker", initial_value=0)) -> Iterator[Page]:
        start = int(marker.last_value) + 1 if marker.last_value else 0
        for products in reader.products(start):
            yield [row for p in products for row in article_rows(p)]

    @dlt.resource(name="mplus_article_groups", primary_key="group_number", write_disposition="replace",
                  columns=GROUP_COLUMNS)
    def article_groups() -> Iterator[Page]:
        yield group_rows(reader.article_groups())

    @dlt.resource(name="mplus_relations", primary_key="relation_number", write_disposition="merge",
                  columns=RELATION_COLUMNS, max_table_nesting=1,
                  nested_hints={"discounts": dlt.mark.make_nested_hints(columns=RELATION_DISCOUNT_COLUMNS)})
    def relations(marker: Any = dlt.sources.incremental("sync_marker", initial_value=0)) -> Iterator[Page]:
        start = int(marker.last_value) + 1 if marker.last_value else 0
        for page in reader.relations(start):
            yield relation_rows(page)

    @dlt.resource(name="mplus_price_groups", primary_key="price_group_number", write_disposition="replace",
                  columns=PRICE_GROUP_COLUMNS)
    def price_groups() -> Iterator[Page]:
        yield price_group_rows(reader.price_groups())

    @dlt.resource(name="mplus_stock", primary_key=("branch_number", "article_number"), write_disposition="merge",
                  columns=STOCK_COLUMNS)
    def stock() -> Iterator[Page]:
        # getStock in sync mode: the levels changed since the highest stockId seen (inclusive bound, like a
        # syncMarker), one call per branch; the first run asks from 0, i.e. every level ever set. A level
        # never set is 0 and is not reported: current_stock reads a missing level as 0.
        state = dlt.current.resource_state()
        since = int(state.get("stock_id", -1)) + 1
        for page in reader.stock_changes(stock_branches or [], since):
            if page:
                state["stock_id"] = max(since - 1, *(s.stock_id for s in page))
                yield stock_rows(page)

    @dlt.resource(name="mplus_orders", primary_key="order_id", write_disposition="merge", columns=ORDER_COLUMNS,
                  max_table_nesting=1)
    def orders(marker: Any = dlt.sources.incremental("sync_marker", initial_value=0)) -> Iterator[Page]:
        # Lines and payments are nested lists: dlt puts them in mplus_orders__lines / __payments and,
        # on merge, replaces a changed order's children whole.
        start = int(marker.last_value) + 1 if marker.last_value else 0
        for page in reader.orders(start):
            yield order_rows(page)

    return [articles, article_groups, relations, price_groups, stock, orders]


# Tables a resource fills besides its own: created empty when the resource had nothing to say yet.
CHILD_TABLES: dict[str, dict[str, dict[str, Any]]] = {
    "mplus_orders": {"mplus_orders__lines": ORDER_LINE_COLUMNS, "mplus_orders__payments": ORDER_PAYMENT_COLUMNS},
    "mplus_articles": {"mplus_articles__price_groups": ARTICLE_PRICE_GROUP_COLUMNS},
    "mplus_relations": {"mplus_relations__discounts": RELATION_DISCOUNT_COLUMNS},
}
