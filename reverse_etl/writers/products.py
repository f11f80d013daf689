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
from connectors.mplus.models import Article, CustomField, Product
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


def _keys(rows: Sequence[Row]) -> list[str]:
    return [str(r["record_key"]) for r in rows]


def _error_text(exc: Exception) -> str:
    if isinstance(exc, MplusResultError):
        return f"{exc} — MplusKASSA refused the record; see the message, fix it in AFAS and the next run retries"
    return f"{type(exc).__name__}: {exc}"


class ArticleGroupWriter:
    """One tree of groups per call (group_key = its top group): parents are written before their children, so a
    child is created under the number its parent just got. An update moves a group (parent), renames it, or
    adopts a group the till already had (its text gets the AFAS code)."""

    flow = "products"
    entity = "article_groups"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        self.numbers = {r["record_key"]: int(r["group_number"]) for r in rt.warehouse.query(
            "select record_key, group_number from transforms.current_article_groups")}
        # Groups without an AFAS code, by (parent number, name): one under a parent adopted in this same push
        # is adopted too (the SQL adopts those under groups it already manages).
        self.unmanaged = {(int(r["parent_group_number"]), str(r["group_name"])): int(r["group_number"])
                          for r in rt.warehouse.query(
            "select parent_group_number, group_name, min(group_number) as group_number "
            "from transforms.stg_mplus_article_groups where group_code is null and not is_deleted "
            "group by parent_group_number, group_name")}
        taken = set(self.numbers.values())  # adopted by the SQL already
        self.unmanaged = {k: n for k, n in self.unmanaged.items() if n not in taken}

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        return [await self._one(row) for row in _parents_first(rows)]

    async def _one(self, row: Row) -> CallRecord:
        started = time.perf_counter()
        key, action = str(row["record_key"]), str(row["action"])
        parent_code = row.get("parent_code")
        op = "newArticleGroup" if action == "create" else "updateArticleGroup"
        request: dict[str, Any] = {"name": row["name"], "text": key}
        response: Any = None
        try:
            parent = self.numbers[str(parent_code)] if parent_code else 0  # KeyError: its parent failed
            request["parentGroupNumber"] = parent
            adopt = self.unmanaged.pop((parent, str(row["name"])), None) if action == "create" else None
            if adopt is not None:
                op, request["groupNumber"] = "updateArticleGroup", adopt
                await self.client.update_article_group(adopt, name=str(row["name"]), text=key, parent=parent)
                self.numbers[key] = adopt
            elif action == "create":
                number = await self.client.new_article_group(parent, str(row["name"]), key)
                self.numbers[key] = number
                response = {"groupNumber": number}
            else:
                request["groupNumber"] = self.numbers[key]
                await self.client.update_article_group(self.numbers[key], name=str(row["name"]), text=key,
                                                       parent=parent)
            status, error = "ok", None
        except MplusError as exc:
            status, error = "failed", _error_text(exc)
        except KeyError:
            status, error = "failed", f"parent group {parent_code} was not created; it is tried again next run"
        return CallRecord(self.flow, self.entity, key, [key], action, op, request, response, status, error,
                          duration_ms=(time.perf_counter() - started) * 1000)


def _parents_first(rows: Sequence[Row]) -> list[Row]:
    """The rows of one tree, every parent before its children (a parent outside the rows exists already)."""
    pending = {str(r["record_key"]): r for r in rows}
    out: list[Row] = []
    while pending:
        ready = [k for k, r in pending.items() if not r.get("parent_code") or str(r["parent_code"]) not in pending]
        for k in sorted(ready or pending):  # no ready row: a cycle the SQL let through; send in key order
            out.append(pending.pop(k))
    return out


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
        custom = [CustomField.text(k, v) for k, _, v in (p.partition("=") for p in features.split("|"))] \
            if features else None
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
            response, status, error = None, "failed", _error_text(exc)
            # The create may have landed: look before anyone sends it again.
            if exc.may_have_reached_server and new and await self._exists([int(r["record_key"]) for r in rows]):
                status, error = "confirmed", None
        except MplusError as exc:
            response, status, error = None, "failed", _error_text(exc)
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
