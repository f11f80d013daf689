"""What calls return besides records: :class:`Batch` (records plus the ones that did not decode), the pages
of the sync-marker reads, and the results of writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..errors import MplusRecordError
from .orders import Invoice, Order
from .products import Product
from .relations import Relation

T = TypeVar("T")


class Batch(list[T], Generic[T]):
    """Records of one answer (or one streamed batch of it), plus ``errors``: the records of that answer that
    did not decode (:class:`~connectors.mplus.errors.MplusRecordError`, one per record), left out of the list.
    A plain list for callers that only want the good records."""

    def __init__(self, items: Iterable[T] = (), errors: Iterable[MplusRecordError] = ()) -> None:
        super().__init__(items)
        self.errors: list[MplusRecordError] = list(errors)


class _Page(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    next_marker: int | None = None
    # Records of this page that did not decode; their syncMarkers count for next_marker all the same.
    errors: list[MplusRecordError] = Field(default_factory=list)


class ProductsPage(_Page):
    """One getProducts answer. ``next_marker``: max syncMarker seen + 1 (the request's bound is inclusive)."""

    products: list[Product]


class RelationsPage(_Page):
    relations: list[Relation]


class OrdersPage(_Page):
    orders: list[Order]


class InvoicesPage(_Page):
    invoices: list[Invoice]


class CreateProductResult(BaseModel):
    product_number: int
    article_numbers: list[int]
    sync_marker: int | None = None


class UpdateProductResult(BaseModel):
    existing_article_numbers: list[int]
    new_article_numbers: list[int]
    sync_marker: int | None = None


class CreateRelationResult(BaseModel):
    relation_number: int
    sync_marker: int | None = None


class SetStockResult(BaseModel):
    stock_id: int | None = None
