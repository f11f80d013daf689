"""Typed MplusKASSA records with Decimal money/quantities at the edges, one module per entity family.

Each model converts from/to the codec's dicts (``from_soap`` / ``to_soap``): cents <-> Decimal euros,
integer + decimalPlaces <-> Decimal quantities, SoapMplusDate(Time) <-> date/datetime. Python field names
are snake_case and map to the XSD's camelCase (``price_incl`` <-> ``priceIncl``). Only the fields the sync
needs are modelled; ``to_soap`` leaves out every field that is ``None`` so an update touches only what is set.

List fields follow the same rule: ``None`` = leave the list alone (no element sent), ``[]`` = send an empty
list (replace with nothing).

This package lists every model (callers import them from here; tests check each against the XSD).
"""

from .base import (
    XSD_LONG_MAX,
    ArticleNumber,
    Money,
    Quantity,
    SoapModel,
    validate_article_number,
)
from .dates import date_from_soap, date_to_soap, datetime_from_soap, datetime_to_soap
from .orders import Address, Invoice, Order, OrderLine, Payment, VatGroup
from .products import Article, ArticleGroup, CustomField, PriceGroupEntry, Product, RelationArticleDiscount
from .reference import ApiVersion, Branch, PaymentMethod, PriceGroup, SyncMarkers, Workplace
from .relations import Relation
from .results import (
    Batch,
    CreateProductResult,
    CreateRelationResult,
    InvoicesPage,
    OrdersPage,
    ProductsPage,
    RelationsPage,
    SetStockResult,
    UpdateProductResult,
)
from .stock import ArticleStock

__all__ = [
    "XSD_LONG_MAX",
    "Address",
    "ApiVersion",
    "Article",
    "ArticleGroup",
    "ArticleNumber",
    "ArticleStock",
    "Batch",
    "Branch",
    "CreateProductResult",
    "CreateRelationResult",
    "CustomField",
    "Invoice",
    "InvoicesPage",
    "Money",
    "Order",
    "OrderLine",
    "OrdersPage",
    "Payment",
    "PaymentMethod",
    "PriceGroup",
    "PriceGroupEntry",
    "Product",
    "ProductsPage",
    "Quantity",
    "Relation",
    "RelationArticleDiscount",
    "RelationsPage",
    "SetStockResult",
    "SoapModel",
    "SyncMarkers",
    "UpdateProductResult",
    "VatGroup",
    "Workplace",
    "date_from_soap",
    "date_to_soap",
    "datetime_from_soap",
    "datetime_to_soap",
    "validate_article_number",
]
