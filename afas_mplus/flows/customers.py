"""The customers flow (AFAS -> MplusKASSA): debtors as relations."""

from __future__ import annotations

from typing import Any

from afas_mplus.flows.base import Entity, Flow, sql_literal, writer
from afas_mplus.settings import Settings
from connectors.mplus.limits import limits_table
from reverse_etl.spec import PlanSpec

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
