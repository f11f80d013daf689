"""Fixture tests of the flows' `int_*` models: given input rows of the models they read (and the flow's real
settings tables), the model alone produces exactly the expected rows. Beside the end-to-end tests, these pin the
business rules (stock per branch, the default stock calculation, debtor typing, price tiers valid today) to rows a
reader can check by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from afas_mplus import flow_models
from afas_mplus.flows import FLOWS
from afas_mplus.settings import Settings
from tests.transforms.model_fixture import run_model

D = Decimal


def _stock(
    item: str, warehouse: str, physical: int, available: int, reserved: int, incoming: int = 0
) -> dict:
    return {
        "record_key": f"{item}|{warehouse}",
        "item_code": item,
        "warehouse": warehouse,
        "physical": D(physical),
        "available": D(available),
        "reserved": D(reserved),
        "incoming": D(incoming),
    }


def test_stock_of_mapped_warehouses_adds_up_per_branch(tmp_path: Path) -> None:
    rows = run_model(
        "stock",
        "int_stock_by_branch",
        {
            "transforms.stg_afas__stock": [
                _stock("10001", "01", 5, 4, 1),
                _stock("10001", "02", 3, 3, 0, 2),
                _stock("10001", "03", 7, 7, 2),
                _stock("10001", "99", 100, 100, 0),  # a warehouse no branch takes: counted nowhere
            ]
        },
        tmp_path,
        stock={"warehouse_branches": {"01": 1, "02": 1, "03": 2}},
    )
    got = {
        (r["item_code"], r["branch_number"]): (r["physical"], r["available"], r["reserved"], r["incoming"])
        for r in rows
    }
    assert got == {("10001", 1): (8, 7, 1, 2), ("10001", 2): (7, 7, 2, 0)}


def test_the_default_stock_is_available_minus_reserved(tmp_path: Path) -> None:
    rows = run_model(
        "stock",
        "int_stock_available_minus_reserved",
        {
            "transforms.int_stock_by_branch": [
                {
                    "item_code": "10001",
                    "branch_number": 1,
                    "physical": D(8),
                    "available": D(7),
                    "reserved": D(3),
                    "incoming": D(0),
                },
                {
                    "item_code": "10002",
                    "branch_number": 1,
                    "physical": D(1),
                    "available": D(1),
                    "reserved": D(4),
                    "incoming": D(9),
                },
            ]
        },
        tmp_path,
    )
    assert sorted((r["item_code"], r["quantity"]) for r in rows) == [("10001", 4), ("10002", -3)]


def _debtor(debtor_id: str, **fields: Any) -> dict[str, Any]:
    base = {
        c: None
        for c in (
            "organisation_name",
            "first_name",
            "prefix",
            "last_name",
            "contact_first_name",
            "contact_prefix",
            "contact_last_name",
            "street",
            "house_number",
            "house_number_addition",
            "zip_code",
            "city",
            "country_id",
            "email",
            "vat_number",
            "chamber_of_commerce",
            "payment_condition",
        )
    }
    return {"record_key": debtor_id, "debtor_id": debtor_id, **base, "blocked": False, **fields}


def test_debtors_are_typed_from_the_data(tmp_path: Path) -> None:
    rows = run_model(
        "customers",
        "int_debtors",
        {
            "transforms.stg_afas__debtors": [
                _debtor(
                    "20001",
                    organisation_name="Bloem & Co",
                    contact_first_name="Anna",
                    contact_last_name="Bloem",
                    vat_number="NL001",
                    country_id="NL",
                    street="Markt",
                    house_number="1",
                    house_number_addition="a",
                    payment_condition="14",
                ),
                _debtor("20002", first_name="Fleur", prefix="de", last_name="Boer", country_id="B"),
            ]
        },
        tmp_path,
    )
    by_id = {r["debtor_id"]: r for r in rows}
    company, person = by_id["20001"], by_id["20002"]
    assert (company["relation_kind"], company["name"], company["contact"]) == (
        "company",
        "Bloem & Co",
        "Anna Bloem",
    )
    assert (company["address"], company["country"], company["payment_within_days"]) == ("Markt 1a", "NL", 14)
    assert (person["relation_kind"], person["name"], person["contact"]) == ("person", "Fleur de Boer", None)
    assert person["country"] == "BE" and person["vat_method"] == "VAT-METHOD-INCLUSIVE"


def test_price_rows_valid_today_only(tmp_path: Path) -> None:
    today = date(2026, 6, 15)

    def row(key: str, start: date | None, end: date | None) -> dict[str, Any]:
        return {
            "record_key": key,
            "price_row_key": key,
            "price_list": "P01",
            "price_list_description": "Groot",
            "vat_included": False,
            "item_code": "10001",
            "from_quantity": D(key).quantize(D("0.0001")),  # decimal(18, 4) as in the contract
            "price": D("9.95"),
            "discount_percentage": D(0),
            "valid_from": start,
            "valid_to": end,
            "currency": "EUR",
        }

    inputs = {
        "transforms.stg_afas__price_list_rows": [
            row("1", date(2026, 1, 1), None),
            row("10", None, today),  # valid (ValidTo is the last valid day)
            row("100", date(2026, 1, 1), date(2026, 6, 14)),
            row("200", date(2026, 6, 16), None),  # not today
        ],
        "transforms.int_price_lists": [
            {
                "price_list": "P01",
                "description": "Groot",
                "status": "mapped",
                "price_group_number": 1,
                "vat_included": False,
            }
        ],
        "transforms.stg_mplus__articles": [
            {"item_code": "10001", "article_number": 10001, "product_number": 1}
        ],
    }
    rows = run_model("prices", "int_price_tiers", inputs, tmp_path, prices={"today": today})
    assert sorted(int(r["from_quantity"]) for r in rows) == [1, 10]
    assert {r["record_key"] for r in rows} == {"10001|1|1", "10001|1|10"}


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_every_flow_has_int_models(flow: str, tmp_path: Path) -> None:
    graph = flow_models.model_graph(FLOWS[flow], Settings(data_dir=tmp_path))
    names = {m.name for m in graph.models}
    assert any(n.startswith("int_") for n in names), names
