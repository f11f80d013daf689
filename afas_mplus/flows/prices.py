"""The prices flow (B2B, AFAS -> MplusKASSA): price lists, staffel tiers, debtor agreements."""

from __future__ import annotations

from datetime import date
from typing import Any

from afas_mplus.flows.base import Entity, Flow, sql_literal, writer
from afas_mplus.settings import Settings
from connectors.afas.dates import afas_today
from connectors.mplus.limits import PRICE_DECIMAL_PLACES
from reverse_etl.spec import PlanSpec


def prices_today(s: Settings) -> date:
    """The day price rows must be valid on: prices.today, else today in Europe/Amsterdam."""
    return s.prices.today or afas_today()


def _prices_params(s: Settings) -> dict[str, str]:
    return {
        "today": f"cast({sql_literal(prices_today(s).isoformat())} as date)",
        "currency": sql_literal(s.products.currency),
        "price_decimals": str(PRICE_DECIMAL_PLACES),
        "debtor_filter": s.customers.debtor_filter,
    }


def _prices_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    return {
        "price_list_groups": (
            {"price_list": "varchar", "price_group_number": "integer"},
            sorted(s.prices.price_list_groups.items()),
        )
    }


def article_price_spec(s: Settings) -> PlanSpec:
    # Row = one tier: (article, price group, minimum amount); a tier gone from AFAS is a `delete`.
    return PlanSpec(
        flow="prices",
        entity="article_prices",
        desired="transforms.desired_article_prices",
        current="transforms.current_article_prices",
        fields=("price", "discount_percentage"),
        errors="transforms.errors_article_prices",
        delete_missing=True,
        carry=("article_number", "price_group_number", "minimum_amount", "price_basis", "price_list"),
    )


def relation_price_spec(s: Settings) -> PlanSpec:
    # Rows: the relation itself (price group, general discount) and one per agreement entry
    # (relation, article or discount group, minimum amount).
    return PlanSpec(
        flow="prices",
        entity="relation_prices",
        desired="transforms.desired_relation_prices",
        current="transforms.current_relation_prices",
        fields=("price_group_number", "discount_percentage", "price_excl"),
        errors="transforms.errors_relation_prices",
        delete_missing=True,
        carry=("relation_number", "entry_kind", "article_number", "discount_group_number", "minimum_amount"),
    )


_article_price_writer = writer("reverse_etl.writers.prices", "ArticlePriceWriter")


_relation_price_writer = writer("reverse_etl.writers.prices", "RelationPriceWriter")


PRICES = Flow(
    name="prices",
    direction="afas->mplus",
    # afas_debtors: each debtor's price list and discount; articles and relations must exist in MplusKASSA
    # (the products and customers flows create them): a missing one is an error row, not a crash.
    afas_resources=("afas_price_list_rows", "afas_debtor_agreements", "afas_debtors"),
    mplus_resources=("mplus_price_groups", "mplus_articles", "mplus_relations"),
    model_folders=("prices",),
    entities=(
        # The plan-size check also stops a run whose AFAS read suddenly returned (almost) no price rows from
        # clearing the till's price groups.
        Entity("article_prices", article_price_spec, _article_price_writer, guarded=True),
        Entity("relation_prices", relation_price_spec, _relation_price_writer, guarded=True),
    ),
    # Just after midnight (rows whose validity starts or ended that day) and each morning before opening.
    schedule="5 0,7 * * *",
    params=_prices_params,
    settings_tables=_prices_tables,
)
