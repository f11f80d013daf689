"""AFAS pages as Arrow tables: types from metainfo hints, exact decimals, aware dates, clear errors."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pyarrow as pa
import pytest

from connectors.afas.dates import AMSTERDAM, parse_afas_datetime
from pipelines.arrow import RowFieldError, page_table, typed_page

HINTS = {
    "ItemCode": {"data_type": "text"},
    "Price": {"data_type": "decimal", "precision": 18, "scale": 4},
    "Blocked": {"data_type": "bool"},
    "Stock": {"data_type": "bigint"},
    "ModifiedDate": {"data_type": "timestamp", "timezone": True},
}


def test_types_follow_the_hints_and_values_stay_exact() -> None:
    rows = [
        {
            "ItemCode": "100",
            "Price": Decimal("12.3456"),
            "Blocked": False,
            "Stock": 3,
            "ModifiedDate": parse_afas_datetime("2026-10-25T02:30:00Z"),
            "Extra": "x",
        },
        {
            "ItemCode": "101",
            "Price": None,
            "Blocked": None,
            "Stock": None,
            "ModifiedDate": None,
            "Extra": None,
        },
    ]
    table = page_table("AFAS Profit_Articles", rows, HINTS)
    assert table.schema.field("Price").type == pa.decimal128(18, 4)
    assert table.schema.field("Stock").type == pa.int64()
    assert table.schema.field("ModifiedDate").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("Extra").type == pa.string()  # not in the metainfo: inferred
    assert table.column("Price").to_pylist() == [Decimal("12.3456"), None]
    # 02:30 on the autumn DST day is ambiguous: AFAS dates resolve to summer time (UTC+2) -> 00:30 UTC.
    stamp = table.column("ModifiedDate").to_pylist()[0]
    assert stamp.astimezone(AMSTERDAM) == datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM)
    assert stamp.utcoffset() is not None and stamp.hour == 0


def test_only_the_columns_the_rows_carry() -> None:
    table = page_table("AFAS Profit_Articles", [{"ItemCode": "1"}], HINTS)
    assert table.column_names == ["ItemCode"]


def test_a_value_that_does_not_fit_names_connector_record_and_field() -> None:
    rows = [{"ItemCode": "100", "Price": Decimal("1.5")}, {"ItemCode": "ABC-7", "Price": Decimal("1.123456")}]
    with pytest.raises(RowFieldError) as err:
        page_table("AFAS Profit_Articles", rows, HINTS, key="ItemCode")
    text = str(err.value)
    assert "Profit_Articles" in text and "ItemCode='ABC-7'" in text and "field Price = 1.123456" in text


def test_without_a_key_the_row_number_is_named() -> None:
    rows = [{"Stock": 1}, {"Stock": "many"}]
    with pytest.raises(RowFieldError, match=r"row 2 of the page: field Stock = 'many'"):
        page_table("AFAS Profit_Stock", rows, HINTS)


# -- casting, and values that do not fit (typed_page) ---------------------------------------------------------


def test_a_value_of_another_type_is_cast_when_that_loses_nothing() -> None:
    hints = {
        "HouseNumber": {"data_type": "text"},
        "Seq": {"data_type": "bigint"},
        "Flag": {"data_type": "bool"},
        "Price": {"data_type": "decimal", "precision": 18, "scale": 4},
        "Ratio": {"data_type": "double"},
    }
    rows = [
        {"HouseNumber": 12, "Seq": "3", "Flag": "true", "Price": "2,50", "Ratio": Decimal("0.5")},
        {"HouseNumber": "12a", "Seq": Decimal("4"), "Flag": 0, "Price": 7, "Ratio": "1.25"},
    ]
    page = typed_page(rows, hints)
    assert page.bad == []
    assert page.table.column("HouseNumber").to_pylist() == ["12", "12a"]  # AFAS's HmNr is an integer
    assert page.table.column("Seq").to_pylist() == [3, 4]
    assert page.table.column("Flag").to_pylist() == [True, False]
    assert page.table.column("Price").to_pylist() == [Decimal("2.5000"), Decimal("7.0000")]
    assert page.table.column("Ratio").to_pylist() == [0.5, 1.25]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Decimal("1.23456"), "5 decimals, the column keeps 4"),
        (Decimal("1E15"), "more than 14 digits before the decimal point"),
        ("abc", "not a decimal"),
        (True, "true/false is not a number"),
    ],
)
def test_a_price_that_does_not_fit_decimal_18_4_is_a_bad_value(value: object, reason: str) -> None:
    rows = [
        {"ItemCode": "A1", "Price": Decimal("9.99")},
        {"ItemCode": "A2", "Price": value},
        {"ItemCode": "A3", "Price": Decimal("99999999999999.9999")},
    ]
    page = typed_page(rows, HINTS, key=("ItemCode",))
    assert [(b.record_key, b.field, b.value) for b in page.bad] == [("A2", "Price", value)]
    assert reason in page.bad[0].message
    assert page.table.column("Price").to_pylist() == [Decimal("9.99"), None, Decimal("99999999999999.9999")]


def test_a_fraction_is_never_truncated_into_a_whole_number_column() -> None:
    # Arrow alone turns Decimal("1.5") into 1 for an int64 column
    page = typed_page([{"Stock": Decimal("1.5")}, {"Stock": 2.0}, {"Stock": 2**63}], HINTS)
    assert [(b.record_key, b.value) for b in page.bad] == [
        ("row 1 of the page", Decimal("1.5")),
        ("row 3 of the page", 2**63),
    ]
    assert page.table.column("Stock").to_pylist() == [None, 2, None]


def test_bad_rows_are_left_out_when_asked_and_always_when_the_key_itself_is_bad() -> None:
    hints = {**HINTS, "Seq": {"data_type": "bigint"}}
    rows = [
        {"Seq": 1, "Price": Decimal("1")},
        {"Seq": 2, "Price": Decimal("1.00001")},
        {"Seq": "x", "Price": Decimal("2")},
    ]
    kept = typed_page(rows, hints, key=("Seq",))
    assert kept.table.column("Seq").to_pylist() == [1, 2]  # the bad key's row cannot be merged: out
    assert kept.rows_left_out == 1
    assert [(b.record_key, b.field) for b in kept.bad] == [("2", "Price"), ("x", "Seq")]
    skipped = typed_page(rows, hints, key=("Seq",), keep_bad_rows=False)
    assert skipped.table.column("Seq").to_pylist() == [1]
    assert skipped.rows_left_out == 2


def test_an_undeclared_column_of_mixed_types_stays_text() -> None:
    page = typed_page([{"Extra": 1}, {"Extra": "a"}], HINTS)
    assert page.bad == []
    assert page.table.column("Extra").to_pylist() == ["1", "a"]
