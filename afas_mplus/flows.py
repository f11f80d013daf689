"""The flows: for each, what it extracts, which SQL models it runs, and what it plans and pushes.

A flow is data, not code: the steps in `afas_mplus.steps` run any flow, and the Dagster
assets in `dagster_project` are generated from the same definitions.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from afas_mplus.settings import Settings
from connectors.afas.dates import afas_today
from connectors.mplus.limits import MAX_ABS_STOCK, PRICE_DECIMAL_PLACES, limits_table
from reverse_etl.spec import PlanSpec

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime
    from reverse_etl.push import Writer

MODELS_DIR = Path(__file__).resolve().parents[1] / "transforms" / "models"
STAGING_DIR = MODELS_DIR / "staging"  # one model per source entity, shared by the flows (contracts.yml)


@dataclass(frozen=True)
class Entity:
    """One plan + push within a flow, e.g. the article groups of the products flow."""

    name: str
    spec: Callable[[Settings], PlanSpec]
    writer: Callable[[Runtime], Writer]
    # Target resources re-extracted after this entity's push, before the next entity is planned
    # (new article groups get their numbers from MplusKASSA).
    refresh_after_push: tuple[str, ...] = ()
    # The plan-size check (settings.guard) applies: a push that would overwrite or remove much of what the
    # target holds is blocked until a person looked at it.
    guarded: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    direction: str  # "afas->mplus" or "mplus->afas"
    afas_resources: tuple[str, ...]
    mplus_resources: tuple[str, ...]
    model_folders: tuple[str, ...]
    entities: tuple[Entity, ...]
    schedule: str  # cron, Europe/Amsterdam
    params: Callable[[Settings], dict[str, str]]
    settings_tables: Callable[[Settings], dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]]

    # Resources that run only when a setting says so.
    optional: tuple[tuple[str, Callable[[Settings], bool]], ...] = ()
    # Python run before the models, on what was extracted (tables the models join; see afas_mplus.order_texts).
    prepare: Callable[[Runtime], None] | None = None

    def afas_to_extract(self, settings: Settings) -> tuple[str, ...]:
        off = {name for name, enabled in self.optional if not enabled(settings)}
        return tuple(r for r in self.afas_resources if r not in off)

    @property
    def folders(self) -> list[Path]:
        return [MODELS_DIR / f for f in self.model_folders]


# Placeholders whose value is a user's SQL expression (the data mapper), and the setting it comes from: an
# expression that does not bind is the user's to fix, reported with this name.
USER_EXPRESSIONS = {
    "article_filter": "products.article_filter",
    "debtor_filter": "customers.debtor_filter",
    "order_status_filter": "orders.status_filter",
}


def writer(module: str, name: str) -> Callable[[Runtime], Writer]:
    """A flow's writer, imported when a push needs it (the writers import the API clients)."""

    def make(rt: Runtime) -> Writer:
        return getattr(importlib.import_module(module), name)(rt)

    return make


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


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

# -- stock ---------------------------------------------------------------------------------------------------


def _stock_params(s: Settings) -> dict[str, str]:
    return {
        "stock_calculation": sql_literal(s.stock.calculation),
        "clamp_negative": "true" if s.stock.clamp_negative else "false",
        "max_abs_stock": str(MAX_ABS_STOCK),
    }


def _stock_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    return {
        "warehouse_branches": (
            {"warehouse": "varchar", "branch_number": "integer"},
            sorted(s.stock.warehouse_branches.items()),
        )
    }


def stock_spec(s: Settings) -> PlanSpec:
    return PlanSpec(
        flow="stock",
        entity="stock",
        desired="transforms.desired_stock",
        current="transforms.current_stock",
        fields=("quantity",),
        errors="transforms.errors_stock",
        carry=("branch_number", "article_number"),
    )


_stock_writer = writer("reverse_etl.writers.stock", "StockWriter")


STOCK = Flow(
    name="stock",
    direction="afas->mplus",
    afas_resources=("afas_stock",),
    mplus_resources=("mplus_articles", "mplus_stock"),
    model_folders=("stock",),
    entities=(Entity("stock", stock_spec, _stock_writer),),
    schedule="*/5 * * * *",
    params=_stock_params,
    settings_tables=_stock_tables,
)


# -- customers -----------------------------------------------------------------------------------------------

# AFAS's own country codes (not ISO) -> ISO 3166 alpha-2.
AFAS_COUNTRIES = {
    "NL": "NL",
    "B": "BE",
    "D": "DE",
    "A": "AT",
    "F": "FR",
    "E": "ES",
    "I": "IT",
    "L": "LU",
    "GB": "GB",
    "USA": "US",
    "DK": "DK",
    "S": "SE",
    "PL": "PL",
    "P": "PT",
    "CH": "CH",
}


def _customers_params(s: Settings) -> dict[str, str]:
    return {
        "debtor_filter": s.customers.debtor_filter,
        "deleted_debtors": sql_literal(s.customers.deleted_debtors),
    }


def _customers_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    known = {iso for iso in s.customers.countries}
    return {
        "afas_countries": (
            {"afas_code": "varchar", "iso_code": "varchar"},
            sorted((a, i) for a, i in AFAS_COUNTRIES.items() if i in known),
        ),
        "customer_countries": (
            {"iso_code": "varchar", "vat_method": "varchar"},
            sorted((iso, str(c.get("vat_method", ""))) for iso, c in s.customers.countries.items()),
        ),
        "mplus_limits": limits_table(),
    }


RELATION_FIELDS = (
    "ext_relation_id",
    "name",
    "company_name",
    "contact",
    "address",
    "zipcode",
    "city",
    "country",
    "email",
    "vat_number",
    "commerce_number",
    "payment_within_days",
    "vat_method",
    "active",
)


def relation_spec(s: Settings) -> PlanSpec:
    return PlanSpec(
        flow="customers",
        entity="relations",
        desired="transforms.desired_relations",
        current="transforms.current_relations",
        fields=RELATION_FIELDS,
        errors="transforms.errors_customers",
        active_field="active",
    )


_relation_writer = writer("reverse_etl.writers.customers", "RelationWriter")


CUSTOMERS = Flow(
    name="customers",
    direction="afas->mplus",
    afas_resources=("afas_debtors",),
    mplus_resources=("mplus_relations",),
    model_folders=("customers",),
    entities=(Entity("relations", relation_spec, _relation_writer, guarded=True),),
    schedule="15 * * * *",
    params=_customers_params,
    settings_tables=_customers_tables,
)

# -- orders (MplusKASSA -> AFAS) ---------------------------------------------------------------------------

ISO_TO_AFAS = {iso: afas for afas, iso in AFAS_COUNTRIES.items()}


def _orders_params(s: Settings) -> dict[str, str]:
    default = s.orders.default_debtor
    # Everything the order settings decide goes into each document's content hash: a document AFAS refused is
    # sent again when a setting it depends on was corrected (reverse_etl.held).
    settings_hash = hashlib.sha256(s.orders.model_dump_json().encode() + str(s.afas.administration).encode())
    return {
        "order_status_filter": s.orders.status_filter,
        "default_debtor": sql_literal(default) if default else "cast(null as varchar)",
        "orders_settings_hash": sql_literal(settings_hash.hexdigest()[:16]),
    }


# AFAS field lengths (from its OpenAPI) the orders models check values against: those no rule may shorten.
ORDER_FIELD_LIMITS = {
    "email": ("KnSalesRelationPer", "KnPerson", "EmAd"),
    "zipcode": ("KnSalesRelationPer", "KnPerson/KnBasicAddressAdr", "ZpCd"),
    "vat_number": ("KnSalesRelationPer", None, "VaId"),
    "reference": ("FbSales", None, "RfCs"),
    "unit": ("FbSales", "FbSalesLines", "BiUn"),
    "entry_number": ("FiEntries", "FiEntryPar/FiEntries", "BpNr"),
}


def _orders_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    from connectors.afas.field_limits import field_limit

    o = s.orders
    isos = sorted(set(ISO_TO_AFAS) | set(o.vat_codes) | set(o.revenue_accounts))
    rows = [
        (iso, ISO_TO_AFAS.get(iso, iso), o.vat_codes.get(iso), o.revenue_accounts.get(iso)) for iso in isos
    ]
    limits = [
        (name, field_limit(conn, path, fid).max_length)
        for name, (conn, path, fid) in ORDER_FIELD_LIMITS.items()
    ]
    return {
        "order_countries": (
            {
                "iso_code": "varchar",
                "afas_code": "varchar",
                "vat_code": "varchar",
                "revenue_account": "varchar",
            },
            rows,
        ),
        "order_sources": (
            {"source": "varchar", "document_type": "varchar"},
            [("order", o.document_type), ("invoice", o.invoice_type)],
        ),
        "order_field_limits": ({"field": "varchar", "max_length": "integer"}, sorted(limits)),
    }


# Compared debtor fields. An organisation's contact person is set when the debtor is created (a PUT cannot
# change it without adding a second contact), so its name is create-only.
DEBTOR_FIELDS = (
    "debtor_kind",
    "company_name",
    "first_name",
    "last_name",
    "contact_first_name",
    "contact_last_name",
    "street",
    "house_number",
    "house_number_addition",
    "zipcode",
    "city",
    "country",
    "vat_number",
)


def order_debtor_spec(s: Settings) -> PlanSpec:
    return PlanSpec(
        flow="orders",
        entity="debtors",
        desired="transforms.desired_order_debtors",
        current="transforms.current_order_debtors",
        fields=DEBTOR_FIELDS,
        create_only=frozenset({"debtor_kind", "contact_first_name", "contact_last_name"}),
        carry=("email", "po_box", "warning", "memo"),
    )


SALES_ORDER_FIELDS = ("order_key", "debtor_id", "financial_date", "total_incl", "total_excl")


def sales_order_spec(s: Settings) -> PlanSpec:
    # Documents are never updated in AFAS: every field is create-only, so a known document is "unchanged".
    return PlanSpec(
        flow="orders",
        entity="sales_orders",
        desired="transforms.desired_sales_orders",
        current="transforms.current_sales_orders",
        fields=SALES_ORDER_FIELDS,
        errors="transforms.errors_orders",
        create_only=frozenset(SALES_ORDER_FIELDS),
        carry=(
            "email",
            "country",
            "source",
            "document_id",
            "document_number",
            "document_type",
            "delivery_method",
            "payment_method",
            "content_hash",
        ),
    )


_debtor_writer = writer("reverse_etl.writers.orders", "DebtorWriter")


_sales_order_writer = writer("reverse_etl.writers.orders", "SalesOrderWriter")


def _prepare_orders(rt: Runtime) -> None:
    from afas_mplus.order_texts import prepare

    prepare(rt)


ORDERS = Flow(
    name="orders",
    direction="mplus->afas",
    afas_resources=("afas_articles", "afas_debtors", "afas_sales_orders"),
    mplus_resources=("mplus_relations", "mplus_orders", "mplus_invoices"),
    model_folders=("orders",),
    entities=(
        Entity(
            "debtors", order_debtor_spec, _debtor_writer, refresh_after_push=("afas_debtors",), guarded=True
        ),
        Entity(
            "sales_orders", sales_order_spec, _sales_order_writer, refresh_after_push=("afas_sales_orders",)
        ),
    ),
    schedule="*/10 * * * *",
    params=_orders_params,
    settings_tables=_orders_tables,
    prepare=_prepare_orders,
)

# -- prices (B2B: price lists, staffel tiers, debtor agreements; AFAS -> MplusKASSA) -------------------------


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

# In the order their data depends on, which is the order `sync` runs them: orders first (they create AFAS
# debtors and reserve AFAS stock, which customers and stock then carry to the till in the same run); products
# before stock and prices (the articles must exist in MplusKASSA), customers before prices (the relations).
FLOWS: dict[str, Flow] = {f.name: f for f in (ORDERS, PRODUCTS, CUSTOMERS, STOCK, PRICES)}
