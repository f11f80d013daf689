"""The orders flow (MplusKASSA -> AFAS): debtors first, then one document per till sale."""

from __future__ import annotations

import hashlib
from typing import Any

from afas_mplus.flows.base import Entity, Flow, sql_literal, writer
from afas_mplus.flows.customers import AFAS_COUNTRIES
from afas_mplus.order_texts import prepare
from afas_mplus.settings import Settings
from connectors.afas.field_limits import field_limit
from reverse_etl.spec import PlanSpec

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


_debtor_writer = writer("reverse_etl.writers.orders_debtors", "DebtorWriter")


_sales_order_writer = writer("reverse_etl.writers.orders_documents", "SalesOrderWriter")


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
    prepare=prepare,  # the till texts made to fit AFAS (afas_mplus.order_texts)
)
