"""Stock levels of one article in one branch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from ..money import decimal_to_quantity, quantity_to_decimal
from .base import Quantity, SoapModel


class ArticleStock(SoapModel):
    soap_type: ClassVar[str] = "ArticleStock"
    nested_fields: ClassVar[frozenset[str]] = frozenset({"amount_free", "amount_reserved", "amount_incoming"})

    branch_number: int | None = None
    article_number: int
    stock_id: int
    amount_free: Quantity = Decimal(0)
    amount_reserved: Quantity = Decimal(0)
    amount_incoming: Quantity = Decimal(0)
    is_day_stock_article: bool = False

    _AMOUNTS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("amount_free", "amountFree", "decimalPlacesFree"),
        ("amount_reserved", "amountReserved", "decimalPlacesReserved"),
        ("amount_incoming", "amountIncoming", "decimalPlacesIncoming"),
    )

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            field: quantity_to_decimal(data.get(value, 0), data.get(places, 0))
            for field, value, places in cls._AMOUNTS
        }

    def _nested_to_soap(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, value_name, places_name in self._AMOUNTS:
            out[value_name], out[places_name] = decimal_to_quantity(getattr(self, field))
        return out
