"""Exact conversions between MplusQapi's integer wire values and Decimal.

MplusQapi sends money typed ``xsd:long`` as cents (9.95 -> 995) and quantities as an integer plus a
``decimalPlaces`` count (530 with 3 places -> 0.530). Floats are refused everywhere: a binary float cannot
hold 9.95 exactly, and one stray float would make prices drift by a cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal(1)


def _require_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    return value


def _require_decimal(value: object, what: str) -> Decimal:
    # int is exact, so it is accepted (whole euros / whole units); float and str are not.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be finite, got {value}")
    return result


def cents_to_decimal(cents: int) -> Decimal:
    """995 -> Decimal('9.95'); always two places (1000 -> Decimal('10.00'))."""
    return Decimal(_require_int(cents, "cents")).scaleb(-2)


def decimal_to_cents(amount: Decimal) -> int:
    """Decimal('9.95') -> 995; sub-cent amounts round half up (Decimal('0.005') -> 1, '-0.005' -> -1),
    the commercial rounding a till uses. Raises TypeError for float."""
    return int((_require_decimal(amount, "amount") * 100).quantize(_CENT, rounding=ROUND_HALF_UP))


def quantity_to_decimal(value: int, decimal_places: int) -> Decimal:
    """(530, 3) -> Decimal('0.530'): keeps the given places so the value shows the server's precision."""
    places = _require_int(decimal_places, "decimal_places")
    if places < 0:
        raise ValueError(f"decimal_places must be >= 0, got {places}")
    return Decimal(_require_int(value, "quantity")).scaleb(-places)


def decimal_to_quantity(quantity: Decimal, decimal_places: int | None = None) -> tuple[int, int]:
    """Decimal -> (value, decimalPlaces).

    Without ``decimal_places`` the result uses the *fewest* places that hold the value exactly:
    Decimal('0.530') -> (53, 2), Decimal('5') and Decimal('5.000') -> (5, 0), Decimal('1E+2') -> (100, 0).
    Minimal places make equal quantities encode identically, so diffs do not flap on trailing zeros.
    With ``decimal_places`` the value is scaled to exactly that many places (Decimal('0.53'), 3 -> (530, 3));
    a value that needs more places raises ValueError instead of being rounded.
    """
    q = _require_decimal(quantity, "quantity")
    if decimal_places is None:
        exponent = q.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # finite, checked above
        places = max(0, -exponent)
    else:
        places = _require_int(decimal_places, "decimal_places")
        if places < 0:
            raise ValueError(f"decimal_places must be >= 0, got {places}")
    scaled = q.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"quantity {q} needs more than {places} decimal places")
    return int(scaled), places
