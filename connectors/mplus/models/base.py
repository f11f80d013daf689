"""The base of every MplusKASSA record (:class:`SoapModel`: snake_case fields <-> the XSD's camelCase,
cents <-> Decimal euros) and the checked value types its fields use (money, quantities, article numbers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel

from ..money import cents_to_decimal, decimal_to_cents

XSD_LONG_MAX = 2**63 - 1


def _no_float(value: Any) -> Any:
    # pydantic would quietly turn 9.95 (float) into Decimal('9.949999...'); refuse it instead.
    if isinstance(value, float):
        raise ValueError("float is not accepted for money or quantities: use Decimal")
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float)]
Quantity = Annotated[Decimal, BeforeValidator(_no_float)]


def validate_article_number(value: Any) -> int:
    """MplusQapi's articleNumber is xsd:long: only a positive integer (or a string of digits without leading
    zeros, which converts losslessly) is accepted. Anything else fails *before* a call, naming the SKU."""
    if isinstance(value, bool):
        raise ValueError(f"article number {value!r} is not a positive integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and not value.startswith("0"):
        number = int(value)
    else:
        raise ValueError(
            f"SKU {value!r} cannot be an MplusKASSA article number: articleNumber is digits only "
            "(xsd:long, no leading zeros); keep the original code in extArticleId"
        )
    if not 0 < number <= XSD_LONG_MAX:
        raise ValueError(f"SKU {value!r} is outside the articleNumber range 1..{XSD_LONG_MAX}")
    return number


ArticleNumber = Annotated[int, BeforeValidator(validate_article_number)]


class SoapModel(BaseModel):
    """Flat fields map by name (snake_case -> camelCase); subclasses handle nested ones in ``_nested_*``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # The XSD complex type this model maps to (tests check every soap name against it).
    soap_type: ClassVar[str]
    # Fields carried as cents on the wire.
    cents_fields: ClassVar[frozenset[str]] = frozenset()
    # Fields the subclass converts itself (nested lists, quantities, dates).
    nested_fields: ClassVar[frozenset[str]] = frozenset()
    # Python name -> soap name where to_camel does not give it.
    soap_names: ClassVar[dict[str, str]] = {}
    _flat_map_cache: ClassVar[tuple[tuple[str, str, bool], ...] | None] = None

    @classmethod
    def soap_name(cls, field: str) -> str:
        return cls.soap_names.get(field, to_camel(field))

    @classmethod
    def flat_fields(cls) -> list[str]:
        return [f for f in cls.model_fields if f not in cls.nested_fields]

    @classmethod
    def _flat_map(cls) -> tuple[tuple[str, str, bool], ...]:
        """(python name, soap name, is cents) per flat field, computed once per class (pages hold thousands)."""
        cached = cls.__dict__.get("_flat_map_cache")
        if cached is None:
            cached = tuple((f, cls.soap_name(f), f in cls.cents_fields) for f in cls.flat_fields())
            cls._flat_map_cache = cached
        return cached

    @classmethod
    def from_soap(cls, data: dict[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for field, soap_name, cents in cls._flat_map():
            raw = data.get(soap_name)
            if raw is None:
                continue
            values[field] = cents_to_decimal(raw) if cents else raw
        values.update(cls._nested_from_soap(data))
        return cls(**values)

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {}

    def to_soap(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, soap_name, cents in self._flat_map():
            value = getattr(self, field)
            if value is None:
                continue
            out[soap_name] = decimal_to_cents(value) if cents else value
        for key, value in self._nested_to_soap().items():
            if value is not None:
                out[key] = value
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        return {}


def unwrap_list(data: dict[str, Any], wrapper: str, item: str) -> list[Any] | None:
    """Items of a list wrapper such as ``priceGroupList{priceGroup*}``; None when the wrapper is absent."""
    inner = data.get(wrapper)
    if inner is None:
        return None
    return list(inner.get(item, []))


def wrap_list(items: list[SoapModel] | None, item: str) -> dict[str, Any] | None:
    return None if items is None else {item: [i.to_soap() for i in items]}
