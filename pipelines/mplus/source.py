"""The dlt source of MplusKASSA: the target's current state, loaded into `staging.mplus_*`.

Products and relations are read by syncMarker: dlt keeps the highest marker seen and the next run asks
from that value + 1 (MplusKASSA's lower bound is inclusive), so an idle POS costs one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import dlt
from dlt.sources import DltResource
from pyarrow import Table

from connectors.mplus.models import Product, Relation
from pipelines.arrow import page_table
from pipelines.mplus.columns import (
    ARTICLE_COLUMNS,
    ARTICLE_PRICE_GROUP_COLUMNS,
    GROUP_COLUMNS,
    INVOICE_COLUMNS,
    ORDER_COLUMNS,
    PRICE_GROUP_COLUMNS,
    RELATION_COLUMNS,
    RELATION_DISCOUNT_COLUMNS,
    RELATION_ERROR_COLUMNS,
    STOCK_COLUMNS,
)
from pipelines.mplus.helpers import (
    MplusReader,
    article_rows,
    discount_entry_rows,
    group_rows,
    invoice_rows,
    order_rows,
    price_group_entry_rows,
    price_group_rows,
    relation_rows,
    stock_rows,
)

Page = list[dict[str, Any]]


def relation_error_rows(errors: list[Any]) -> list[dict[str, Any]]:
    """The relations of an answer that did not decode (MplusRecordError), those whose number could be read."""
    seen = datetime.now(UTC)
    return [
        {
            "relation_number": int(e.key["relationNumber"]),
            "ext_relation_id": e.key.get("extRelationId"),
            "field": e.field,
            "reason": e.reason,
            "seen_at": seen,
        }
        for e in errors
        if str(e.key.get("relationNumber", "")).isdigit()
    ]


def by_sync_marker(state: dict[str, Any], read: Callable[[int], Iterator[list[Any]]]) -> Iterator[list[Any]]:
    """Pages changed since the highest syncMarker in `state` (the resource's dlt state): MplusKASSA's lower
    bound is inclusive, so the next run asks from that value + 1 and an idle POS costs one call."""
    last = int(state.get("sync_marker") or 0)
    for page in read(last + 1 if last else 0):
        errors = getattr(page, "errors", None) or []  # records of the answer that did not decode (left out)
        if page or errors:
            yield page
            last = max(
                [last, *(item.sync_marker or 0 for item in page), *(e.sync_marker or 0 for e in errors)]
            )
            state["sync_marker"] = last


# A list inside a record (an article's tiers, a relation's discounts) is its own table, merged by the record's
# key with dlt's delete-insert: a re-read record's old entries are deleted and its current ones inserted, so an
# entry removed at the till disappears from staging too. A record read with an empty list sends one
# placeholder row, so that its old entries are deleted as well; the SQL models skip placeholders.
def _entries(name: str, key: str, columns: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "write_disposition": {"disposition": "merge", "strategy": "delete-insert"},
        "merge_key": key,
        "columns": columns,
    }


# dlt takes a source's config section from its module's name: keep it `mplus`, not `source`
@dlt.source(name="mplus", section="mplus", max_table_nesting=0)
def mplus_source(reader: MplusReader, stock_branches: list[int] | None = None) -> list[DltResource]:
    """Products and relations are read once per page (syncMarker paging, marker in the reading resource's
    state) and loaded as Arrow tables by two transformers each: the records and their list entries."""

    @dlt.resource(name="mplus_product_pages", selected=False)
    def product_pages() -> Iterator[list[Product]]:
        yield from by_sync_marker(dlt.current.resource_state(), reader.products)

    @dlt.transformer(
        data_from=product_pages,
        name="mplus_articles",
        primary_key="article_number",
        write_disposition="merge",
        columns=ARTICLE_COLUMNS,
    )
    def articles(products: list[Product]) -> Iterator[Table]:
        yield page_table(
            "MplusKASSA getProducts",
            [r for p in products for r in article_rows(p)],
            ARTICLE_COLUMNS,
            "article_number",
        )

    @dlt.transformer(
        data_from=product_pages,
        **_entries("mplus_article_price_groups", "article_number", ARTICLE_PRICE_GROUP_COLUMNS),
    )
    def article_price_groups(products: list[Product]) -> Iterator[Table]:
        yield page_table(
            "MplusKASSA getProducts",
            price_group_entry_rows(products),
            ARTICLE_PRICE_GROUP_COLUMNS,
            "article_number",
        )

    @dlt.resource(
        name="mplus_article_groups",
        primary_key="group_number",
        write_disposition="replace",
        columns=GROUP_COLUMNS,
    )
    def article_groups() -> Iterator[Page]:
        yield group_rows(reader.article_groups())

    @dlt.resource(name="mplus_relation_pages", selected=False)
    def relation_pages() -> Iterator[list[Relation]]:
        yield from by_sync_marker(dlt.current.resource_state(), reader.relations)

    @dlt.transformer(
        data_from=relation_pages,
        name="mplus_relations",
        primary_key="relation_number",
        write_disposition="merge",
        columns=RELATION_COLUMNS,
    )
    def relations(page: list[Relation]) -> Iterator[Table]:
        yield page_table("MplusKASSA getRelations", relation_rows(page), RELATION_COLUMNS, "relation_number")

    @dlt.transformer(
        data_from=relation_pages,
        **_entries("mplus_relation_discounts", "relation_number", RELATION_DISCOUNT_COLUMNS),
    )
    def relation_discounts(page: list[Relation]) -> Iterator[Table]:
        yield page_table(
            "MplusKASSA getRelations", discount_entry_rows(page), RELATION_DISCOUNT_COLUMNS, "relation_number"
        )

    @dlt.transformer(
        data_from=relation_pages,
        name="mplus_relation_errors",
        primary_key="relation_number",
        write_disposition="merge",
        columns=RELATION_ERROR_COLUMNS,
    )
    def relation_errors(page: list[Relation]) -> Iterator[list[dict[str, Any]]]:
        # A relation MplusKASSA answered but we could not read is not in mplus_relations: its debtor must not be
        # created again (errors_customers). Field and reason only: the value may be personal.
        rows = relation_error_rows(getattr(page, "errors", None) or [])
        if rows:
            yield rows

    @dlt.resource(
        name="mplus_price_groups",
        primary_key="price_group_number",
        write_disposition="replace",
        columns=PRICE_GROUP_COLUMNS,
    )
    def price_groups() -> Iterator[Page]:
        yield price_group_rows(reader.price_groups())

    @dlt.resource(
        name="mplus_stock",
        primary_key=("branch_number", "article_number"),
        write_disposition="merge",
        columns=STOCK_COLUMNS,
    )
    def stock() -> Iterator[Page]:
        # getStock in sync mode: the levels changed since the highest stockId seen (inclusive bound, like a
        # syncMarker), one call per branch; the first run asks from 0, i.e. every level ever set. A level
        # never set is 0 and is not reported: current_stock reads a missing level as 0.
        state = dlt.current.resource_state()
        since = int(state.get("stock_id", -1)) + 1
        for page in reader.stock_changes(stock_branches or [], since):
            if page:
                state["stock_id"] = max(since - 1, *(s.stock_id for s in page))
                # an Arrow table, not rows: dlt's per-row normalising cost ~2/3 of a 20k-level read-back
                yield page_table("MplusKASSA getStock", stock_rows(page), STOCK_COLUMNS, "article_number")

    @dlt.resource(
        name="mplus_orders",
        primary_key="order_id",
        write_disposition="merge",
        columns=ORDER_COLUMNS,
        max_table_nesting=1,
    )
    def orders(marker: Any = dlt.sources.incremental("sync_marker", initial_value=0)) -> Iterator[Page]:
        # Lines and payments are nested lists: dlt puts them in mplus_orders__lines / __payments and,
        # on merge, replaces a changed order's children whole.
        start = int(marker.last_value) + 1 if marker.last_value else 0
        for page in reader.orders(start):
            yield order_rows(page)

    @dlt.resource(
        name="mplus_invoices",
        primary_key="invoice_id",
        write_disposition="merge",
        columns=INVOICE_COLUMNS,
        max_table_nesting=1,
    )
    def invoices(marker: Any = dlt.sources.incremental("sync_marker", initial_value=0)) -> Iterator[Page]:
        # Invoices have their own syncMarker sequence; lines, payments and the orders an invoice came from become
        # mplus_invoices__lines / __payments / __orders, replaced whole when an invoice changes, as orders' are.
        start = int(marker.last_value) + 1 if marker.last_value else 0
        for page in reader.invoices(start):
            yield invoice_rows(page)

    return [
        product_pages,
        articles,
        article_price_groups,
        article_groups,
        relation_pages,
        relations,
        relation_discounts,
        relation_errors,
        price_groups,
        stock,
        orders,
        invoices,
    ]


# Resources loaded whenever the first is asked for: the list entries read with the same pages.
COMPANIONS: dict[str, tuple[str, ...]] = {
    "mplus_articles": ("mplus_article_price_groups",),
    "mplus_relations": ("mplus_relation_discounts", "mplus_relation_errors"),
}
