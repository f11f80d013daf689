"""Push step of the products flow: article groups and articles into MplusKASSA.

One call per product (MplusKASSA groups variant articles under one product): createProduct
when the product is new, updateProduct otherwise. The plan row holds what is sent: a create-only
field already carries, on update, the value the POS holds (reverse_etl.diff), so data enriched at the till survives.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from connectors.mplus.errors import MplusError
from connectors.mplus.features import decode_features
from connectors.mplus.models import Article, CustomField, Product
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.base import WriterBase

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


class ArticleGroupWriter(WriterBase):
    """One tree of groups per call (group_key = its top group): parents are written before their children, so a
    child is created under the number its parent just got. An update moves a group (parent), renames it, or
    adopts a group the till already had (its text gets the AFAS code)."""

    flow = "products"
    entity = "article_groups"
    fix = "MplusKASSA refused the group: correct the item group in AFAS; the next run sends it again"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        self.numbers = {
            r["record_key"]: int(r["group_number"])
            for r in rt.warehouse.query(
                "select record_key, group_number from transforms.current_article_groups"
            )
        }
        # Groups without an AFAS code, by (parent number, name): one under a parent adopted in this same push
        # is adopted too (the SQL adopts those under groups it already manages).
        self.unmanaged = {
            (int(r["parent_group_number"]), str(r["group_name"])): int(r["group_number"])
            for r in rt.warehouse.query(
                "select parent_group_number, group_name, min(group_number) as group_number "
                "from transforms.stg_mplus_article_groups where group_code is null and not is_deleted "
                "group by parent_group_number, group_name"
            )
        }
        taken = set(self.numbers.values())  # adopted by the SQL already
        self.unmanaged = {k: n for k, n in self.unmanaged.items() if n not in taken}

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        return [rec for row in _parents_first(rows) for rec in await self._one(row)]

    async def _one(self, row: Row) -> list[CallRecord]:
        key, action, name = str(row["record_key"]), str(row["action"]), str(row["name"])
        parent_code = row.get("parent_code")
        if parent_code and str(parent_code) not in self.numbers:
            return self.not_sent(
                key,
                [key],
                action,
                f"item group {key}: its parent group {parent_code} was not "
                f"created; it is tried again next run",
                operation="newArticleGroup",
            )
        parent = self.numbers[str(parent_code)] if parent_code else 0
        request: dict[str, Any] = {"parentGroupNumber": parent, "name": name, "text": key}
        adopt = self.unmanaged.pop((parent, name), None) if action == "create" else None
        number = adopt if adopt is not None else self.numbers.get(key)

        async def create() -> Any:
            self.numbers[key] = await self.client.new_article_group(parent, name, key)
            return {"groupNumber": self.numbers[key]}

        async def update() -> Any:
            await self.client.update_article_group(number, name=name, text=key, parent=parent)
            self.numbers[key] = number

        if (
            number is None
        ):  # a create; a lost answer is looked up (by its text, the AFAS code) before a resend
            return await self.send(
                key, [key], action, "newArticleGroup", request, create, what=f"item group {key}"
            )
        # an update moves or renames; a create that finds a till group of its name under its parent adopts it
        return await self.send(
            key,
            [key],
            action,
            "updateArticleGroup",
            {**request, "groupNumber": number},
            update,
            what=f"item group {key}",
        )

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Is there a group whose text is this AFAS item group code (as our writes set it)? None: could not look."""
        try:
            batch = await self.client.get_article_groups()
        except MplusError:
            return None
        todo = list(batch)
        while todo:
            group = todo.pop()
            if group.text == group_key:
                return True
            todo.extend(group.sub_groups)
        return False


def _parents_first(rows: Sequence[Row]) -> list[Row]:
    """The rows of one tree, every parent before its children (a parent outside the rows exists already)."""
    pending = {str(r["record_key"]): r for r in rows}
    out: list[Row] = []
    while pending:
        ready = [
            k for k, r in pending.items() if not r.get("parent_code") or str(r["parent_code"]) not in pending
        ]
        for k in sorted(ready or pending):  # no ready row: a cycle the SQL let through; send in key order
            out.append(pending.pop(k))
    return out


class ArticleWriter(WriterBase):
    flow = "products"
    entity = "articles"
    fix = "MplusKASSA refused the record; see the message, fix it in AFAS and the next run sends it again"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        wh = rt.warehouse
        self.group_numbers = {
            r["record_key"]: int(r["group_number"])
            for r in wh.query("select record_key, group_number from transforms.current_article_groups")
        }
        # desired product key -> the MplusKASSA product that already holds one of its articles
        self.products = {
            r["group_key"]: int(r["product_number"])
            for r in wh.query(
                "select d.group_key, min(c.product_number) as product_number from transforms.desired_articles d "
                "join transforms.current_articles c on c.record_key = d.record_key group by d.group_key"
            )
        }
        self.descriptions = {
            r["group_key"]: r["product_description"]
            for r in wh.query(
                "select group_key, min(product_description) as product_description from transforms.desired_articles "
                "group by group_key"
            )
        }

    def article(self, row: Row) -> Article:
        price = row.get("price")
        price = Decimal(str(price)) if price is not None else None
        incl = row.get("price_basis") == "incl"  # products.prices_include_vat, carried in the plan
        features = row.get("features")
        custom = [CustomField.text(k, v) for k, v in decode_features(features)] if features else None
        return Article(
            article_number=int(row["record_key"]),
            ext_article_id=str(row["record_key"]),
            description=row.get("description"),
            extra_text=row.get("extra_text"),
            price_excl=None if incl else price,
            price_incl=price if incl else None,
            vat_code=row.get("vat_code"),
            barcode=row.get("barcode"),
            brand_name=row.get("brand"),
            colour=row.get("colour"),
            size=row.get("size"),
            active=bool(row.get("active")),
            stock_article=bool(row.get("stock_article")),
            custom_fields=custom,
        )

    def product(self, group_key: str, rows: Sequence[Row]) -> tuple[Product, bool]:
        number = self.products.get(group_key)
        group_code = rows[0].get("group_code")
        group_numbers = [self.group_numbers[group_code]] if group_code in self.group_numbers else None
        articles = [self.article(r) for r in rows]
        if number is None:
            return Product(
                description=self.descriptions.get(group_key) or rows[0].get("description"),
                articles=articles,
                group_numbers=group_numbers,
            ), True
        return Product(product_number=number, articles=articles, group_numbers=group_numbers), False

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        action = "create" if all(r["action"] == "create" for r in rows) else str(rows[-1]["action"])
        try:
            product, new = self.product(group_key, rows)
        except (ValueError, KeyError) as exc:  # a row the models let through but the API model refuses
            return self.not_sent(
                group_key, rows, action, f"product {group_key}: cannot build the MplusKASSA product: {exc}"
            )

        async def call() -> Any:
            result = await (
                self.client.create_product(product) if new else self.client.update_product(product)
            )
            return result.model_dump(mode="json")

        # A lost answer of a create is looked up by `lookup` (all its article numbers) before anything is resent.
        op = "createProduct" if new else "updateProduct"
        return await self.send(
            group_key, rows, action, op, product.to_soap(), call, what=f"product {group_key}"
        )

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Write-ahead recovery: does MplusKASSA hold every article of this product? None: could not look."""
        numbers = [int(k) for k in record_keys]
        try:
            page = await self.client.get_products(None, len(numbers), article_numbers=numbers)
        except MplusError:
            return None
        return set(numbers) <= {a.article_number for p in page.products for a in p.articles}
