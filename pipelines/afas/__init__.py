"""dlt source for AFAS Profit: the GetConnectors every flow reads, loaded into `staging.afas_*`.

Incremental resources filter on ModifiedDate; `lag` re-reads an overlap window because AFAS
dates lack sub-second precision, and `merge` on the primary key makes the re-read harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.sources import DltResource

from afas_mplus.settings import AfasConnectors
from pipelines.afas.helpers import AfasReader, modified_since

Page = list[dict[str, Any]]


@dlt.source(name="afas", max_table_nesting=0)
def afas_source(reader: AfasReader, connectors: AfasConnectors, overlap_minutes: int = 10) -> list[DltResource]:
    lag = overlap_minutes * 60

    def incremental() -> Any:
        return dlt.sources.incremental("ModifiedDate", initial_value=None, lag=lag, on_cursor_value_missing="include")

    @dlt.resource(name="afas_articles", primary_key="ItemCode", write_disposition="merge")
    def articles(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.articles, order_by=["ItemCode"],
                                filters=modified_since(modified.start_value), keyset="ItemCode")

    @dlt.resource(name="afas_item_attributes", primary_key=("ItemCode", "AttributeCode"), write_disposition="merge")
    def item_attributes(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.item_attributes, order_by=["ItemCode", "AttributeCode"],
                                filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_item_features", primary_key=("ItemCode", "FeatureCode"), write_disposition="merge")
    def item_features(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.item_features, order_by=["ItemCode", "FeatureCode"],
                                filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_article_groups", primary_key="Artikelgroep", write_disposition="replace")
    def article_groups() -> Iterator[Page]:
        yield from reader.pages(connectors.article_groups, order_by=["Artikelgroep"], datetime_columns=())

    @dlt.resource(name="afas_stock", primary_key=("ItemCode", "Warehouse"), write_disposition="merge")
    def stock(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.stock, order_by=["ItemCode", "Warehouse"],
                                filters=modified_since(modified.start_value))

    @dlt.resource(name="afas_warehouses", primary_key="Warehouse", write_disposition="replace")
    def warehouses() -> Iterator[Page]:
        yield from reader.pages(connectors.warehouses, order_by=["Warehouse"], datetime_columns=())

    @dlt.resource(name="afas_debtors", primary_key="DebtorId", write_disposition="merge")
    def debtors(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.debtors, order_by=["DebtorId"],
                                filters=modified_since(modified.start_value), keyset="DebtorId")

    @dlt.resource(name="afas_price_list_rows", primary_key=("PriceList", "ItemCode", "FromQuantity", "ValidFrom"),
                  write_disposition="merge")
    def price_list_rows(modified: Any = incremental()) -> Iterator[Page]:
        yield from reader.pages(connectors.price_list_rows, order_by=["PriceList", "ItemCode", "FromQuantity"],
                                filters=modified_since(modified.start_value),
                                date_columns=("ValidFrom", "ValidTo"))

    @dlt.resource(name="afas_debtor_agreements", primary_key="AgreementKey", write_disposition="merge")
    def debtor_agreements(modified: Any = incremental()) -> Iterator[Page]:
        for page in reader.pages(connectors.debtor_agreements, order_by=["DebtorId", "ItemCode", "FromQuantity"],
                                 filters=modified_since(modified.start_value),
                                 date_columns=("ValidFrom", "ValidTo")):
            # ItemCode or DiscountGroup is empty by design: a merge key must not contain NULLs.
            for row in page:
                row["AgreementKey"] = "|".join(str(row.get(k) or "") for k in (
                    "DebtorId", "ItemCode", "DiscountGroup", "FromQuantity", "ValidFrom"))
            yield page

    @dlt.resource(name="afas_sales_orders", primary_key="OrderNumber", write_disposition="replace")
    def sales_orders() -> Iterator[Page]:
        # Read back to find orders already in AFAS (CustomerReference = MplusKASSA order id).
        yield from reader.pages(connectors.sales_orders, order_by=["OrderNumber"],
                                datetime_columns=("OrderDate", "ModifiedDate", "CreateDate"))

    return [articles, item_attributes, item_features, article_groups, stock, warehouses, debtors,
            price_list_rows, debtor_agreements, sales_orders]


# resource -> (settings.afas.connectors attribute, columns holding a date without time)
RESOURCE_CONNECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "afas_articles": ("articles", ()),
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
