"""The products flow (AFAS -> MplusKASSA): article groups, then articles."""

from __future__ import annotations

from typing import Any

from afas_mplus.flows.base import Entity, Flow, sql_literal, writer
from afas_mplus.settings import Settings
from connectors.mplus.limits import PRICE_DECIMAL_PLACES, limits_table
from reverse_etl.spec import PlanSpec


def _products_params(s: Settings) -> dict[str, str]:
    return {
        "article_filter": s.products.article_filter,
        "attribute_colour": sql_literal(s.products.attribute_colour),
        "attribute_size": sql_literal(s.products.attribute_size),
        # AFAS's sales price is sent (and compared) as MplusKASSA's priceIncl or priceExcl: one setting, read by
        # the SQL (desired and current) and carried to the writer in the plan.
        "price_basis": sql_literal("incl" if s.products.prices_include_vat else "excl"),
        "price_decimals": str(PRICE_DECIMAL_PLACES),
    }


def _products_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    return {
        "vat_codes": ({"vat_group": "varchar", "vat_code": "integer"}, sorted(s.products.vat_codes.items())),
        "products_fields": (
            {"field": "varchar", "update_on_change": "boolean"},
            sorted(s.products.update_on_change.items()),
        ),
        "mplus_limits": limits_table(),
    }


# Compared article fields; `update_on_change` maps setting names to them.
ARTICLE_FIELDS = (
    "description",
    "extra_text",
    "price",
    "vat_code",
    "barcode",
    "brand",
    "group_code",
    "colour",
    "size",
    "features",
    "active",
    "stock_article",
)
_SETTING_OF_FIELD = {
    "extra_text": "extra_text",
    "group_code": "group",
    "features": "features",
    "price": "price",
    "vat_code": "vat_code",
    "barcode": "barcode",
    "brand": "brand",
    "description": "description",
    "active": "active",
    "stock_article": "stock_article",
}


def article_spec(s: Settings) -> PlanSpec:
    switches = s.products.update_on_change
    create_only = frozenset(f for f, key in _SETTING_OF_FIELD.items() if switches.get(key, True) is False)
    return PlanSpec(
        flow="products",
        entity="articles",
        desired="transforms.desired_articles",
        current="transforms.current_articles",
        fields=ARTICLE_FIELDS,
        errors="transforms.errors_products",
        create_only=create_only,
        active_field="active",
        carry=("price_basis",),
    )


def article_group_spec(s: Settings) -> PlanSpec:
    return PlanSpec(
        flow="products",
        entity="article_groups",
        desired="transforms.desired_article_groups",
        current="transforms.current_article_groups",
        fields=("name", "parent_code", "text"),
    )


_article_group_writer = writer("reverse_etl.writers.products", "ArticleGroupWriter")


_article_writer = writer("reverse_etl.writers.products", "ArticleWriter")


PRODUCTS = Flow(
    name="products",
    direction="afas->mplus",
    afas_resources=(
        "afas_articles",
        "afas_article_keys",
        "afas_item_attributes",
        "afas_item_features",
        "afas_article_groups",
    ),
    mplus_resources=("mplus_articles", "mplus_article_groups"),
    optional=(("afas_article_keys", lambda s: s.products.detect_deleted),),
    model_folders=("products",),
    entities=(
        Entity(
            "article_groups",
            article_group_spec,
            _article_group_writer,
            refresh_after_push=("mplus_article_groups",),
        ),
        Entity("articles", article_spec, _article_writer, guarded=True),
    ),
    schedule="*/30 * * * *",
    params=_products_params,
    settings_tables=_products_tables,
)
