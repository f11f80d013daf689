"""AFAS pages as Arrow tables: types from metainfo hints, exact decimals, aware dates, clear errors."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pyarrow as pa
import pytest

from connectors.afas.dates import AMSTERDAM, parse_afas_datetime
from pipelines.arrow import RowFieldError, page_table

HINTS = {
    "ItemCode": {"data_type": "text"},
    "Price": {"data_type": "decimal", "precision": 18, "scale": 4},
    "Blocked": {"data_type": "bool"},
    "Stock": {"data_type": "bigint"},
    "ModifiedDate": {"data_type": "timestamp", "timezone": True},
}


def test_types_follow_the_hints_and_values_stay_exact() -> None:
    rows = [
        {"ItemCode": "100", "Price": Decimal("12.3456"), "Blocked": False, "Stock": 3,
         "ModifiedDate": parse_afas_datetime("2026-10-25T02:30:00Z"), "Extra": "x"},
        {"ItemCode": "101", "Price": None, "Blocked": None, "Stock": None, "ModifiedDate": None, "Extra": None},
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
