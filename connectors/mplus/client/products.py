"""Products (with their articles) and the article group tree."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ..models import (
    ArticleGroup,
    Batch,
    CreateProductResult,
    Product,
    ProductsPage,
    UpdateProductResult,
    validate_article_number,
)
from .calls import MplusCalls, marker_after


class ProductCalls(MplusCalls):
    """Products and article groups."""

    async def get_products(
        self,
        sync_marker: int | None = None,
        limit: int = 500,
        article_numbers: Sequence[int | str] | None = None,
        *,
        product_numbers: Sequence[int] | None = None,
        only_active: bool | None = None,
    ) -> ProductsPage:
        """One page of products. With ``sync_marker``: products changed at/after that marker (inclusive),
        capped at about ``limit`` *articles* (a first product larger than the limit comes whole)."""
        request: dict[str, Any] = {
            "articleNumbers": [validate_article_number(n) for n in article_numbers or ()],
            # Required by the XSD even when there are no PLU numbers to filter on.
            "pluNumbers": {},
            "onlyActive": only_active,
            "productNumbers": list(product_numbers or ()),
        }
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        products = await self._records("getProducts", request, Product)
        markers = [m for p in products for m in (p.sync_marker, *(a.sync_marker for a in p.articles)) if m]
        return ProductsPage(
            products=products, next_marker=marker_after(markers, products.errors), errors=products.errors
        )

    async def iter_products(self, from_marker: int = 0, limit: int = 500) -> AsyncIterator[Batch[Product]]:
        """Pages of products changed since ``from_marker`` (inclusive). The next request starts at the
        highest syncMarker seen + 1. Stops only on an *empty* page: the limit counts articles and a page
        ends before a product that would not fit, so a page below the limit does not prove the end (a first
        product larger than the limit comes whole). That costs one extra call per run, never a lost product.
        Products that did not decode are in each page's ``errors``."""
        marker = from_marker
        while True:
            page = await self.get_products(marker, limit)
            if not page.products and not page.errors:
                return
            yield Batch(page.products, page.errors)
            marker = self._advance("getProducts", marker, page.next_marker)

    async def create_product(self, product: Product) -> CreateProductResult:
        if not product.articles:
            raise ValueError("a product needs at least one article (a product only groups articles)")
        key = product.articles[0].article_number or product.articles[0].ext_article_id
        response = await self.call("createProduct", {"product": product.to_soap()})
        self._check("createProduct", response, "CREATE-PRODUCT-RESULT-OK", key)
        return CreateProductResult(
            product_number=response["productNumber"],
            article_numbers=response["articleNumbers"],
            sync_marker=response.get("syncMarker"),
        )

    async def update_product(self, product: Product) -> UpdateProductResult:
        if product.product_number is None:
            raise ValueError("update_product needs product.product_number")
        response = await self.call("updateProduct", {"product": product.to_soap()})
        self._check("updateProduct", response, "UPDATE-PRODUCT-RESULT-OK", product.product_number)
        return UpdateProductResult(
            existing_article_numbers=response["existingArticleNumbers"],
            new_article_numbers=response["newArticleNumbers"],
            sync_marker=response.get("syncMarker"),
        )

    # --- article groups ---------------------------------------------------------------------------------

    async def get_article_groups(
        self, group_numbers: Sequence[int] | None = None, *, with_article_numbers: bool = False
    ) -> Batch[ArticleGroup]:
        """The article group tree (roots; children in ``sub_groups``)."""
        request: dict[str, Any] = {"groupNumbers": list(group_numbers or ())}
        if with_article_numbers:
            request["retrieveArticleNumbers"] = True
        return await self._records("getArticleGroups", request, ArticleGroup)

    async def new_article_group(self, parent: int, name: str, text: str = "") -> int:
        """Creates a group under ``parent`` (0 for the root level [INF]); returns its groupNumber."""
        request = {"parentGroupNumber": parent, "name": name, "text": text}
        response = await self.call("newArticleGroup", request)
        self._check("newArticleGroup", response, "NEW-ARTICLE-GROUP-RESULT-OK", name)
        return int(response["groupNumber"])

    async def update_article_group(
        self,
        group_number: int,
        *,
        name: str | None = None,
        text: str | None = None,
        parent: int | None = None,
        sort_order: int | None = None,
    ) -> None:
        request = {
            "groupNumber": group_number,
            "name": name,
            "text": text,
            "sortOrder": sort_order,
            "parentGroupNumber": parent,
        }
        response = await self.call("updateArticleGroup", request)
        self._check("updateArticleGroup", response, "SAVE-ARTICLE-GROUP-RESULT-OK", group_number)

    async def add_products_to_article_group(self, group_number: int, product_numbers: Sequence[int]) -> None:
        request = {"groupNumber": group_number, "productNumbers": {"number": list(product_numbers)}}
        response = await self.call("addProductsToArticleGroup", request)
        self._check(
            "addProductsToArticleGroup", response, "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-OK", group_number
        )
