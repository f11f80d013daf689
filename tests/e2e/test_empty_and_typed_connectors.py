"""Empty is normal, and a column's type is AFAS's choice: every flow runs, plans and converges when any one of
its AFAS connectors answers no rows, and when columns come integer-typed where the documented connector has
text (AFAS's own OpenAPI types the house number `HmNr` an integer) or text where it has numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from afas_mplus.flows import FLOWS
from pipelines.afas.resources import catalog

SMALL = {"articles": 60, "debtors": 15}
# Connectors a flow writes into: "empty" is an AFAS without such records (the stand-in would otherwise hide
# what the flow itself creates there, which no real AFAS does).
WRITTEN = {("orders", "debtors")}


def _cases() -> list[tuple[str, str]]:
    resources = catalog()
    return [
        (flow.name, setting)
        for flow in FLOWS.values()
        for setting in sorted({resources[r].connector for r in flow.afas_resources})
    ]


def _no_debtors(afas: Any) -> None:
    with afas.lock:
        afas.agreements.clear()
        afas.debtors.clear()
        afas.debtors_by_bc.clear()
        afas.views.clear()


def _converges(h: Any, flow: str) -> None:
    first = h.sync(flow)
    assert first.status == "ok" and first.error is None, first.error
    again = h.sync(flow)
    assert again.status == "ok" and again.error is None, again.error
    assert again.write_calls == 0 and again.pushed_failed == 0, (again.plan, again.errors)


@pytest.mark.parametrize(("flow", "setting"), _cases())
def test_a_flow_converges_when_one_of_its_connectors_is_empty(
    harness: Callable[..., Any], flow: str, setting: str
) -> None:
    h = harness(simulator=SMALL)
    if (flow, setting) in WRITTEN:
        _no_debtors(h.afas)
    else:
        h.sims.afas_config.empty_connectors = [getattr(h.settings.afas.connectors, setting)]
    _converges(h, flow)
    if (flow, setting) in WRITTEN:
        return  # the flow created records there
    empty = [r for r in FLOWS[flow].afas_resources if catalog()[r].connector == setting]
    counts = {
        r["t"]: r["n"]
        for r in h.query(
            " union all ".join(f"select '{t}' as t, count(*) as n from staging.{t}" for t in empty)
        )
    }
    assert set(counts) == set(empty) and not any(counts.values()), counts  # the tables exist, empty


def test_an_empty_price_agreements_connector_still_sweeps_the_price_rows(harness: Callable[..., Any]) -> None:
    h = harness(simulator=SMALL, afas={"key_sweep_every_minutes": 0})  # sweeps each run, not once an hour
    h.sims.afas_config.empty_connectors = ["Sync_DebtorAgreements"]
    _converges(h, "prices")
    row = next(iter(h.afas.price_rows.values()))
    h.afas.remove_price_row(row.price_list, row.item_code, row.from_qty, valid_from=row.valid_from)
    assert h.sync("prices").status == "ok"
    left = h.query("select count(*) as n from staging.afas_price_list_rows")[0]["n"]
    assert left == len(h.afas.price_rows)


# (connector, field, type): the documented connector's text fields as integers and number fields as text
VARIANTS = {
    "integer": {
        "Sync_Debtors": {"HouseNumber": "int", "DebtorId": "int", "BcCo": "int", "ZipCode": "string"},
        "Sync_Articles": {"ItemCode": "int", "ArtGroup": "int"},
        "Sync_StockPerWarehouse": {"ItemCode": "int", "Warehouse": "int"},
        "Sync_PriceListRows": {"ItemCode": "int"},
        "Sync_DebtorAgreements": {"ItemCode": "int", "DebtorId": "int"},
    },
    "text": {
        "Sync_StockPerWarehouse": {"PhysicalStock": "string", "AvailableStock": "string"},
        "Sync_Debtors": {"DiscountPercentage": "string"},
        "Sync_Articles": {"SalesPrice": "string"},
    },
}


STAGED = {
    "integer": ("afas_debtors", "house_number", "int"),
    "text": ("afas_stock", "physical_stock", "char"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("flow", list(FLOWS))
def test_integer_or_text_typed_columns_give_the_same_sync(
    harness: Callable[..., Any], flow: str, variant: str
) -> None:
    h = harness(simulator=SMALL)
    h.sims.afas_config.field_types = VARIANTS[variant]
    _converges(h, flow)
    table, column, kind = STAGED[variant]
    with h.runtime() as rt:
        schema = rt.warehouse.schema("staging")  # PostgreSQL: this test's prefixed schema
        staged = rt.warehouse.query(
            "select data_type from information_schema.columns where table_schema = ? and table_name = ? "
            "and column_name = ?",
            [schema, table, column],
        )
    if staged:  # the flow reads this table: it was staged with the other type, and the models read it
        assert kind in staged[0]["data_type"].lower(), staged
