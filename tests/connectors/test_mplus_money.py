"""Exact cents and quantity conversions for MplusQapi."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.mplus.money import (
    cents_to_decimal,
    decimal_to_cents,
    decimal_to_quantity,
    quantity_to_decimal,
)


@pytest.mark.parametrize(
    ("cents", "amount"),
    [
        (995, "9.95"),
        (1000, "10.00"),
        (0, "0.00"),
        (-250, "-2.50"),
        (1, "0.01"),
        (123456789012, "1234567890.12"),
    ],
)
def test_cents_round_trip(cents: int, amount: str) -> None:
    assert cents_to_decimal(cents) == Decimal(amount)
    assert str(cents_to_decimal(cents)) == amount
    assert decimal_to_cents(Decimal(amount)) == cents


@pytest.mark.parametrize(
    ("amount", "cents"),
    [("0.005", 1), ("0.004", 0), ("-0.005", -1), ("9.945", 995), ("2.675", 268), ("19.999", 2000)],
)
def test_decimal_to_cents_rounds_half_up(amount: str, cents: int) -> None:
    assert decimal_to_cents(Decimal(amount)) == cents


def test_whole_euros_as_int_are_exact() -> None:
    assert decimal_to_cents(12) == 1200


@pytest.mark.parametrize("bad", [9.95, "9.95", True, None])
def test_float_and_other_types_are_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        decimal_to_cents(bad)  # type: ignore[arg-type]


def test_cents_must_be_int() -> None:
    with pytest.raises(TypeError):
        cents_to_decimal(9.95)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cents_to_decimal(True)
    with pytest.raises(ValueError):
        decimal_to_cents(Decimal("NaN"))


def test_quantity_to_decimal_keeps_server_places() -> None:
    assert quantity_to_decimal(530, 3) == Decimal("0.530")
    assert str(quantity_to_decimal(530, 3)) == "0.530"
    assert quantity_to_decimal(5, 0) == Decimal(5)
    assert quantity_to_decimal(-1500, 3) == Decimal("-1.5")
    with pytest.raises(ValueError):
        quantity_to_decimal(5, -1)
    with pytest.raises(TypeError):
        quantity_to_decimal(5.0, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0.530", (53, 2)),
        ("0.53", (53, 2)),
        ("5", (5, 0)),
        ("5.000", (5, 0)),
        ("1E+2", (100, 0)),
        ("100", (100, 0)),
        ("-2.5", (-25, 1)),
        ("0", (0, 0)),
        ("0.001", (1, 3)),
    ],
)
def test_decimal_to_quantity_uses_minimal_places(quantity: str, expected: tuple[int, int]) -> None:
    value, places = decimal_to_quantity(Decimal(quantity))
    assert (value, places) == expected
    assert quantity_to_decimal(value, places) == Decimal(quantity)


def test_decimal_to_quantity_with_fixed_places() -> None:
    assert decimal_to_quantity(Decimal("0.53"), 3) == (530, 3)
    assert decimal_to_quantity(Decimal("0.530"), 3) == (530, 3)
    with pytest.raises(ValueError, match="more than 2"):
        decimal_to_quantity(Decimal("0.535"), 2)
    with pytest.raises(TypeError):
        decimal_to_quantity(0.53)  # type: ignore[arg-type]
