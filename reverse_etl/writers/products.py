"""Push step of the products flow: article groups and articles into MplusKASSA.

One call per product (MplusKASSA groups variant articles under one product): createProduct
when the product is new, updateProduct otherwise. Create-only fields keep the value the POS
holds (`<field>__current` in the plan row), so data enriched at the till survives.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from connectors.mplus.errors import MplusError, MplusResultError, MplusTransportError
from connectors.mplus.features import decode_features
from connectors.mplus.models import Article, CustomField, Product
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.wording import failure_text

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


def _keys(rows: Sequence[Row]) -> list[str]:
    return [str(r["record_key"]) for r in rows]


def _error_text(exc: Exception, what: str) -> str:
    fix = ("MplusKASSA refused the record; see the message, fix it in AFAS and the next run retries"
           if isinstance(exc, MplusResultError) else "see the message; the next run retries")
    return failure_text(exc, what, fix)


class ArticleGroupWriter:
    flow = "products"
    entity = "article_groups"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        self.numbers = {r["record_key"]: int(r["group_number"]) for r in rt.warehouse.query(
            "select record_key, group_number from transforms.current_article_groups")}

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        started = time.perf_counter()
        action = str(row["action"])
        try:
            if action == "create":
                request: dict[str, Any] = {"parentGroupNumber": 0, "name": row["name"], "text": group_key}
                number = await self.client.new_article_group(0, str(row["name"]), group_key)
                response: Any = {"groupNumber": number}
                op = "newArticleGroup"
            else:
                number = self.numbers[group_key]
                request = {"groupNumber": number, "name": row["name"], "text": group_key}
                await self.client.update_article_group(number, name=str(row["name"]), text=group_key)
                response = None
                op = "updateArticleGroup"
            status, error = "ok", None
        except MplusError as exc:
            op = "newArticleGroup" if action == "create" else "updateArticleGroup"
            request, response, status, error = {"name": row["name"], "text": group_key}, None, "failed", _error_text(
                exc, f"article group {group_key}")
        return [CallRecord(self.flow, self.entity, group_key, _keys(rows), action, op, request, response, status,
                           error, duration_ms=(time.perf_counter() - started) * 1000)]


class ArticleWriter:
    flow = "products"
    entity = "articles"

    def __init__(self, rt: WriterContext) -> None:
        s = rt.settings.products
        self.client = rt.mplus
        wh = rt.warehouse
        self.group_numbers = {r["record_key"]: int(r["group_number"]) for r in wh.query(
            "select record_key, group_number from transforms.current_article_groups")}
        # desired product key -> the MplusKASSA product that already holds one of its articles
        self.products = {r["group_key"]: int(r["product_number"]) for r in wh.query(
            "select d.group_key, min(c.product_number) as product_number from transforms.desired_articles d "
            "join transforms.current_articles c on c.record_key = d.record_key group by d.group_key")}
        self.descriptions = {r["group_key"]: r["product_description"] for r in wh.query(
            "select group_key, min(product_description) as product_description from transforms.desired_articles "
            "group by group_key")}
        self.create_only = {f for f in ("description", "extra_text", "price", "vat_code", "barcode", "brand",
                                        "group_code", "colour", "size", "features", "active", "stock_article")
                            if not s.update_on_change.get(_SETTING.get(f, f), True)}

    def _value(self, row: Row, field: str) -> Any:
        # On update a create-only field keeps what the POS holds.
        if row["action"] != "create" and field in self.create_only:
            return row.get(f"{field}__current")
        return row.get(field)

    def article(self, row: Row) -> Article:
        price = self._value(row, "price")
        price = Decimal(str(price)) if price is not None else None
        incl = row.get("price_basis") == "incl"  # products.prices_include_vat, carried in the plan
        features = self._value(row, "features")
        custom = [CustomField.text(k, v) for k, v in decode_features(features)] if features else None
        return Article(
            article_number=int(row["record_key"]), ext_article_id=str(row["record_key"]),
            description=self._value(row, "description"), extra_text=self._value(row, "extra_text"),
            price_excl=None if incl else price, price_incl=price if incl else None,
            vat_code=self._value(row, "vat_code"), barcode=self._value(row, "barcode"),
            brand_name=self._value(row, "brand"), colour=self._value(row, "colour"), size=self._value(row, "size"),
            active=bool(self._value(row, "active")), stock_article=bool(self._value(row, "stock_article")),
            custom_fields=custom)

    def product(self, group_key: str, rows: Sequence[Row]) -> tuple[Product, bool]:
        number = self.products.get(group_key)
        group_code = self._value(rows[0], "group_code")
        group_numbers = [self.group_numbers[group_code]] if group_code in self.group_numbers else None
        articles = [self.article(r) for r in rows]
        if number is None:
            return Product(description=self.descriptions.get(group_key) or rows[0].get("description"),
                           articles=articles, group_numbers=group_numbers), True
        return Product(product_number=number, articles=articles, group_numbers=group_numbers), False

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        started = time.perf_counter()
        action = "create" if all(r["action"] == "create" for r in rows) else str(rows[-1]["action"])
        try:
            product, new = self.product(group_key, rows)
        except (ValueError, KeyError) as exc:  # a row the models let through but the API model refuses
            return [CallRecord(self.flow, self.entity, group_key, _keys(rows), action, "build", None, None,
                               "failed", f"cannot build the MplusKASSA product: {exc}")]
        op = "createProduct" if new else "updateProduct"
        request = product.to_soap()
        try:
            result = await (self.client.create_product(product) if new else self.client.update_product(product))
            response: Any = result.model_dump(mode="json")
            status, error = "ok", None
        except MplusTransportError as exc:
            response, status, error = None, "failed", _error_text(exc, f"product {group_key}")
            # The create may have landed: look before anyone sends it again.
            if exc.may_have_reached_server and new and await self._exists([int(r["record_key"]) for r in rows]):
                status, error = "confirmed", None
        except MplusError as exc:
            response, status, error = None, "failed", _error_text(exc, f"product {group_key}")
        return [CallRecord(self.flow, self.entity, group_key, _keys(rows), action, op, request, response, status,
                           error, duration_ms=(time.perf_counter() - started) * 1000)]

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Write-ahead recovery: does MplusKASSA hold every article of this product? None: could not look."""
        numbers = [int(k) for k in record_keys]
        try:
            page = await self.client.get_products(None, len(numbers), article_numbers=numbers)
        except MplusError:
            return None
        return set(numbers) <= {a.article_number for p in page.products for a in p.articles}

    async def _exists(self, numbers: list[int]) -> bool:
        try:
            page = await self.client.get_products(None, len(numbers), article_numbers=numbers)
        except MplusError:
            return False
        found = {a.article_number for p in page.products for a in p.articles}
        return set(numbers) <= found


_SETTING = {"group_code": "group"}
