"""Push step of the prices flow: price group tiers per article and B2B agreements per relation.

The plan is row-level (one row per tier, one per agreement entry), grouped per article and per relation
(`group_key`), so a write receives every changed row of one article or relation. MplusKASSA's update rule
(the stand-in documents it in simulators/mplus/handlers/products.py and relations.py): an element present in
updateProduct / updateRelation replaces the stored value *whole*, lists included; an empty list clears it.
So a write never sends only the changed rows: it sends the article's (the relation's) COMPLETE list, built
from the desired state of the whole group plus the entries this flow must keep as they are (price groups it
does not manage, tiers held by an error row: `transforms.kept_*`). Deleted tiers are simply absent from it.

Writes are idempotent (the same full list twice is the same state), so a call that timed out is sent again
by the next run's plan without further checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from connectors.mplus.models import Article, PriceGroupEntry, Product, Relation, RelationArticleDiscount
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.base import WriterBase

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext
    from staging.warehouse import Warehouse

PENDING = "select distinct group_key from {plan} where action in ('create', 'update', 'deactivate', 'delete')"


def _action(rows: Sequence[Row]) -> str:
    actions = {str(r["action"]) for r in rows}
    return actions.pop() if len(actions) == 1 else "update"


def _by_group(wh: Warehouse, sql: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in wh.query(sql):
        out[str(r["group_key"])].append(r)
    return out


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class ArticlePriceWriter(WriterBase):
    """One updateProduct per article, carrying the article's whole priceGroupList."""

    flow = "prices"
    entity = "article_prices"
    fix = "MplusKASSA refused the prices: correct them in AFAS; the next run sends them again"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        wh = rt.warehouse
        # Only the articles the plan changes are loaded (a catalogue may hold 100k+ tiers).
        pending = PENDING.format(plan="plan.prices_article_prices")
        self.desired = _by_group(
            wh, f"select * from transforms.desired_article_prices where group_key in ({pending})"
        )
        self.kept = _by_group(
            wh, f"select * from transforms.kept_article_prices where group_key in ({pending})"
        )
        self.products = {
            str(r["item_code"]): r["product_number"]
            for r in wh.query(
                f"select item_code, product_number from transforms.stg_mplus__articles where item_code in ({pending})"
            )
        }

    def entries(self, article: str) -> list[PriceGroupEntry]:
        out = []
        for d in self.desired.get(article, []):
            price = _dec(d["price"])
            incl = d["price_basis"] == "incl"
            out.append(
                PriceGroupEntry(
                    price_group_number=int(d["price_group_number"]),
                    minimum_amount=int(d["minimum_amount"]),
                    price_incl=price if incl else None,
                    price_excl=None if incl else price,
                    discount_percentage=int(d["discount_percentage"]),
                )
            )
        for k in self.kept.get(article, []):
            out.append(
                PriceGroupEntry(
                    price_group_number=int(k["price_group_number"]),
                    minimum_amount=int(k["minimum_amount"]),
                    price_incl=_dec(k["price_incl"]),
                    price_excl=_dec(k["price_excl"]),
                    discount_percentage=int(k["discount_percentage"]),
                )
            )
        return sorted(out, key=lambda e: (e.price_group_number, e.minimum_amount or 0))

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        action = _action(rows)
        product_number = self.products.get(group_key)
        if product_number is None:
            return self.not_sent(
                group_key,
                rows,
                action,
                f"article {group_key} is not in MplusKASSA (anymore): run the products flow",
            )
        try:
            product = Product(
                product_number=int(product_number),
                articles=[Article(article_number=int(group_key), price_groups=self.entries(group_key))],
            )
        except (ValueError, KeyError) as exc:
            return self.not_sent(
                group_key, rows, action, f"cannot build the price groups of article {group_key}: {exc}"
            )

        async def call() -> Any:
            return (await self.client.update_product(product)).model_dump(mode="json")

        return await self.send(
            group_key, rows, action, "updateProduct", product.to_soap(), call, what=f"article {group_key}"
        )


class RelationPriceWriter(WriterBase):
    """One updateRelation per relation: priceGroupNumber, discountPercentage and, when an agreement entry
    changed, the relation's whole relationArticleDiscountList."""

    flow = "prices"
    entity = "relation_prices"
    fix = "MplusKASSA refused the prices: correct them in AFAS; the next run sends them again"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        wh = rt.warehouse
        pending = PENDING.format(plan="plan.prices_relation_prices")
        self.desired = _by_group(
            wh, f"select * from transforms.desired_relation_prices where group_key in ({pending})"
        )
        self.kept = _by_group(
            wh, f"select * from transforms.kept_relation_prices where group_key in ({pending})"
        )
        self.numbers = {
            str(r["debtor_id"]): r["relation_number"]
            for r in wh.query(
                f"select debtor_id, relation_number from transforms.int_debtor_prices where debtor_id in ({pending})"
            )
        }

    def relation(self, debtor: str, rows: Sequence[Row]) -> Relation:
        number = self.numbers.get(debtor)
        if number is None:
            raise KeyError(f"debtor {debtor} has no MplusKASSA relation: run the customers flow")
        desired = self.desired.get(debtor, [])
        header = next((d for d in desired if d["entry_kind"] == "relation"), None)
        relation = Relation(relation_number=int(number))
        if header is not None:  # held by an error row: left as MplusKASSA has it
            relation.price_group_number = int(header["price_group_number"])
            relation.discount_percentage = int(header["discount_percentage"])
        # The relation's own row has record_key = debtor id; an entry row's key adds article/group and quantity.
        if any(str(r["record_key"]) != debtor for r in rows):
            entries = [
                RelationArticleDiscount(
                    relation_number=int(number),
                    article_number=int(d["article_number"]) if d["article_number"] is not None else None,
                    article_discount_group_number=(
                        int(d["discount_group_number"]) if d["discount_group_number"] is not None else None
                    ),
                    minimum_amount=_dec(d["minimum_amount"]),
                    discount_percentage=int(d["discount_percentage"]),
                    price_excl=_dec(d["price_excl"]),
                )
                for d in desired
                if d["entry_kind"] != "relation"
            ]
            entries += [
                RelationArticleDiscount(
                    relation_number=int(number),
                    article_number=int(k["article_number"]) if k["article_number"] is not None else None,
                    article_discount_group_number=(
                        int(k["discount_group_number"]) if k["discount_group_number"] is not None else None
                    ),
                    minimum_amount=_dec(k["minimum_amount"]),
                    discount_percentage=int(k["discount_percentage"]),
                    price_incl=_dec(k["price_incl"]),
                    price_excl=_dec(k["price_excl"]),
                )
                for k in self.kept.get(debtor, [])
            ]
            relation.relation_article_discounts = sorted(
                entries,
                key=lambda e: (
                    e.article_number is None,
                    e.article_number or 0,
                    e.article_discount_group_number or 0,
                    e.minimum_amount or 0,
                ),
            )
        return relation

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        action = _action(rows)
        try:
            relation = self.relation(group_key, rows)
        except (ValueError, KeyError) as exc:
            return self.not_sent(
                group_key, rows, action, f"cannot build the prices of debtor {group_key}: {exc}"
            )

        async def call() -> Any:
            return {"syncMarker": await self.client.update_relation(relation)}

        return await self.send(
            group_key, rows, action, "updateRelation", relation.to_soap(), call, what=f"debtor {group_key}"
        )
