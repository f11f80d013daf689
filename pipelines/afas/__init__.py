"""dlt source for AFAS Profit: the GetConnectors every flow reads, loaded into `staging.afas_*`.

Incremental resources filter on ModifiedDate; `lag` re-reads an overlap window because AFAS
dates lack sub-second precision, and `merge` on the primary key makes the re-read harmless.

An incremental read never sees a deleted row. For the resources in `KEY_SWEEPS` (price list rows,
debtor agreements: rows AFAS users delete, and whose removal must reach the till) the extract step
also reads every key and removes staged rows whose key AFAS no longer has (`sweep_removed`).
Measured on the stand-in at 200k price rows, per run: `replace` disposition ~55 s (dlt normalises
and loads every row again); a key table loaded through dlt (one column, replace, as
`afas_article_keys` does) ~21 s; the incremental read plus this in-place sweep ~5.5 s, of which
~4 s is reading the connector (AFAS cannot narrow a GetConnector to its key columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import dlt
from dlt.sources import DltResource
from pyarrow import Table

from afas_mplus.settings import AfasConnectors
from connectors.afas.filters import Filter
from pipelines.afas.helpers import AfasReader, modified_since

Page = list[dict[str, Any]]


@dlt.source(name="afas", max_table_nesting=0)
def afas_source(reader: AfasReader, connectors: AfasConnectors, overlap_minutes: int = 10) -> list[DltResource]:
    """Every resource yields Arrow tables (one per AFAS page): dlt writes them to parquet as they are."""
    lag = overlap_minutes * 60

    def incremental() -> Any:
        return dlt.sources.incremental("ModifiedDate", initial_value=None, lag=lag, on_cursor_value_missing="include")

    @dlt.resource(name="afas_articles", primary_key="ItemCode", write_disposition="merge", parallelized=True)
    def articles(modified: Any = incremental()) -> Iterator[Table]:
        yield from reader.tables(connectors.articles, order_by=["ItemCode"], key="ItemCode",
                                 filters=modified_since(modified.start_value), keyset="ItemCode")

    @dlt.resource(name="afas_article_keys", primary_key="ItemCode", write_disposition="replace",
                  parallelized=True)
    def article_keys() -> Iterator[Table]:
        # Incremental reads never see a deleted item: this key scan does (products.detect_deleted).
        for page in reader.pages(connectors.articles, order_by=["ItemCode"], keyset="ItemCode",
                                 datetime_columns=()):
            yield reader.table(connectors.articles, [{"ItemCode": row["ItemCode"]} for row in page], "ItemCode")

    @dlt.resource(name="afas_item_attributes", primary_key=("ItemCode", "AttributeCode"), write_disposition="merge",
                  parallelized=True)
    def item_attributes(modified: Any = incremental()) -> Iterator[Table]:
        yield from reader.tables(connectors.item_attributes, order_by=["ItemCode", "AttributeCode"], key="ItemCode",
                                 filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_item_features", primary_key=("ItemCode", "FeatureCode"), write_disposition="merge",
                  parallelized=True)
    def item_features(modified: Any = incremental()) -> Iterator[Table]:
        yield from reader.tables(connectors.item_features, order_by=["ItemCode", "FeatureCode"], key="ItemCode",
                                 filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_article_groups", primary_key="Artikelgroep", write_disposition="replace",
                  parallelized=True)
    def article_groups() -> Iterator[Table]:
        yield from reader.tables(connectors.article_groups, order_by=["Artikelgroep"], key="Artikelgroep",
                                 datetime_columns=())

    @dlt.resource(name="afas_stock", primary_key=("ItemCode", "Warehouse"), write_disposition="merge",
                  parallelized=True)
    def stock(modified: Any = incremental()) -> Iterator[Table]:
        yield from reader.tables(connectors.stock, order_by=["ItemCode", "Warehouse"], key="ItemCode",
                                 filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_warehouses", primary_key="Warehouse", write_disposition="replace",
                  parallelized=True)
    def warehouses() -> Iterator[Table]:
        yield from reader.tables(connectors.warehouses, order_by=["Warehouse"], key="Warehouse", datetime_columns=())

    @dlt.resource(name="afas_debtors", primary_key="DebtorId", write_disposition="merge", parallelized=True)
    def debtors(modified: Any = incremental()) -> Iterator[Table]:
        yield from reader.tables(connectors.debtors, order_by=["DebtorId"], key="DebtorId",
                                 filters=modified_since(modified.start_value), keyset="DebtorId")

    @dlt.resource(name="afas_price_list_rows", primary_key="PriceRowKey", write_disposition="merge",
                  parallelized=True)
    def price_list_rows(modified: Any = incremental()) -> Iterator[Table]:
        for page in price_list_pages(reader, connectors, modified_since(modified.start_value)):
            yield reader.table(connectors.price_list_rows, page, "PriceRowKey")

    @dlt.resource(name="afas_debtor_agreements", primary_key="AgreementKey", write_disposition="merge",
                  parallelized=True)
    def debtor_agreements(modified: Any = incremental()) -> Iterator[Table]:
        for page in agreement_pages(reader, connectors, modified_since(modified.start_value)):
            yield reader.table(connectors.debtor_agreements, page, "AgreementKey")

    @dlt.resource(name="afas_sales_orders", primary_key="OrderNumber", write_disposition="replace",
                  parallelized=True)
    def sales_orders() -> Iterator[Table]:
        # Read back to find orders already in AFAS (CustomerReference = MplusKASSA order id).
        yield from reader.tables(connectors.sales_orders, order_by=["OrderNumber"], key="OrderNumber",
                                 datetime_columns=("OrderDate", "ModifiedDate", "CreateDate"))

    return [articles, article_keys, item_attributes, item_features, article_groups, stock, warehouses, debtors,
            price_list_rows, debtor_agreements, sales_orders]


# resource -> (settings.afas.connectors attribute, columns holding a date without time)
RESOURCE_CONNECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "afas_articles": ("articles", ()),
    "afas_article_keys": ("articles", ()),
    "afas_item_attributes": ("item_attributes", ()),
    "afas_item_features": ("item_features", ()),
    "afas_article_groups": ("article_groups", ()),
    "afas_stock": ("stock", ()),
    "afas_warehouses": ("warehouses", ()),
    "afas_debtors": ("debtors", ()),
    "afas_price_list_rows": ("price_list_rows", ("ValidFrom", "ValidTo")),
    "afas_debtor_agreements": ("debtor_agreements", ("ValidFrom", "ValidTo")),
    "afas_sales_orders": ("sales_orders", ()),
}


# -- price rows and agreements: one text key per row, shared by the load and the removal sweep ----------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):  # 10, 10.0 and 10.0000 are one quantity
        return format(value.normalize(), "f")
    return str(value)


PRICE_ROW_KEY = ("PriceList", "ItemCode", "FromQuantity", "ValidFrom")
# ItemCode or DiscountGroup is empty by design: a merge key must not contain NULLs, so the key is one text.
AGREEMENT_KEY = ("DebtorId", "ItemCode", "DiscountGroup", "FromQuantity", "ValidFrom")


def row_key(row: dict[str, Any], columns: tuple[str, ...]) -> str:
    return "|".join(_text(row.get(c)) for c in columns)


def price_list_pages(reader: AfasReader, connectors: AfasConnectors, filters: Filter | None) -> Iterator[Page]:
    for page in reader.pages(connectors.price_list_rows, order_by=["PriceList", "ItemCode", "FromQuantity"],
                             filters=filters, date_columns=("ValidFrom", "ValidTo")):
        for row in page:
            row["PriceRowKey"] = row_key(row, PRICE_ROW_KEY)
        yield page


def agreement_pages(reader: AfasReader, connectors: AfasConnectors, filters: Filter | None) -> Iterator[Page]:
    for page in reader.pages(connectors.debtor_agreements, order_by=["DebtorId", "ItemCode", "FromQuantity"],
                             filters=filters, date_columns=("ValidFrom", "ValidTo")):
        for row in page:
            row["AgreementKey"] = row_key(row, AGREEMENT_KEY)
        yield page


# resource -> (pages of the whole connector, key column as dlt names it in staging)
KEY_SWEEPS: dict[str, tuple[Callable[[AfasReader, AfasConnectors], Iterator[Page]], str, str]] = {
    "afas_price_list_rows": (lambda r, c: price_list_pages(r, c, None), "PriceRowKey", "price_row_key"),
    "afas_debtor_agreements": (lambda r, c: agreement_pages(r, c, None), "AgreementKey", "agreement_key"),
}


def sweep_removed(reader: AfasReader, connectors: AfasConnectors, warehouse: Any, resource: str) -> int:
    """Delete staged rows of `resource` whose key AFAS no longer has; returns how many went.

    One full read of the connector (AFAS GetConnectors cannot select columns), keys only kept in memory;
    a row added or changed meanwhile is not deleted (only staged keys missing from AFAS are)."""
    if not warehouse.table_exists("staging", resource):
        return 0
    pages, key, column = KEY_SWEEPS[resource]
    present = {row[key] for page in pages(reader, connectors) for row in page}
    staged = [r[column] for r in warehouse.query(f"select {column} from staging.{resource}")]
    gone = [k for k in staged if k not in present]
    if gone:
        warehouse.execute(f"create or replace temp table sweep_gone ({column} varchar)")
        warehouse.append_rows("sweep_gone", {column: "varchar"}, ([k] for k in gone))
        warehouse.execute(f"delete from staging.{resource} where {column} in (select {column} from sweep_gone)")
        warehouse.execute("drop table sweep_gone")
    return len(gone)
