"""Typed MplusKASSA records with Decimal money/quantities at the edges.

Each model converts from/to the codec's dicts (``from_soap`` / ``to_soap``): cents <-> Decimal euros,
integer + decimalPlaces <-> Decimal quantities, SoapMplusDate(Time) <-> date/datetime. Python field names
are snake_case and map to the XSD's camelCase (``price_incl`` <-> ``priceIncl``). Only the fields the sync
needs are modelled; ``to_soap`` leaves out every field that is ``None`` so an update touches only what is set.

List fields follow the same rule: ``None`` = leave the list alone (no element sent), ``[]`` = send an empty
list (replace with nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .errors import MplusRecordError
from .money import cents_to_decimal, decimal_to_cents, decimal_to_quantity, quantity_to_decimal

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


# --- dates ------------------------------------------------------------------------------------------------


def date_from_soap(value: dict[str, int] | None) -> dt.date | None:
    """SoapMplusDate{day, mon, year} -> date (mon is 1-12 in MplusQapi). An all-zero date means "unset"."""
    if not value or not value.get("year"):
        return None
    return dt.date(value["year"], value["mon"], value["day"])


def date_to_soap(value: dt.date | None) -> dict[str, int] | None:
    if value is None:
        return None
    return {"day": value.day, "mon": value.month, "year": value.year}


def datetime_from_soap(value: dict[str, Any] | None) -> dt.datetime | None:
    """SoapMplusDateTime -> aware datetime. ``timezone`` is read as the UTC offset in minutes east of UTC
    (60 for CET, 120 for CEST) [INF: the notes say "UTC offset in minutes"; sign convention unconfirmed]."""
    if not value or not value.get("year"):
        return None
    tz = dt.timezone(dt.timedelta(minutes=value.get("timezone", 0)))
    return dt.datetime(
        value["year"], value["mon"], value["day"], value["hour"], value["min"], value["sec"], tzinfo=tz
    )


def datetime_to_soap(value: dt.datetime | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime: MplusQapi timestamps need a UTC offset")
    offset = value.utcoffset() or dt.timedelta(0)
    dst = value.dst()
    return {
        "sec": value.second,
        "min": value.minute,
        "hour": value.hour,
        "day": value.day,
        "mon": value.month,
        "year": value.year,
        "isdst": bool(dst),
        "timezone": int(offset.total_seconds() // 60),
    }


# --- base -------------------------------------------------------------------------------------------------


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


def _wrapped(data: dict[str, Any], wrapper: str, item: str) -> list[Any] | None:
    """Items of a list wrapper such as ``priceGroupList{priceGroup*}``; None when the wrapper is absent."""
    inner = data.get(wrapper)
    if inner is None:
        return None
    return list(inner.get(item, []))


def _wrap(items: list[SoapModel] | None, item: str) -> dict[str, Any] | None:
    return None if items is None else {item: [i.to_soap() for i in items]}


# --- articles and products --------------------------------------------------------------------------------


class CustomField(SoapModel):
    """An MplusKASSA custom ("extra info") field on an article or relation. The field must be defined in
    MplusKASSA first; ``field_name`` refers to it. Text values go in ``str_value``; DATA-TYPE-DECIMAL
    values are ``int_value`` with ``decimal_places``."""

    soap_type: ClassVar[str] = "CustomField"

    field_name: str
    data_type: str | None = None
    str_value: str | None = None
    int_value: int | None = None
    decimal_places: int | None = None
    bool_value: bool | None = None

    @classmethod
    def text(cls, name: str, value: str) -> CustomField:
        return cls(field_name=name, data_type="DATA-TYPE-STRING", str_value=value)

    @property
    def value(self) -> str | int | Decimal | bool | None:
        if self.bool_value is not None and self.data_type == "DATA-TYPE-BOOL":
            return self.bool_value
        if self.int_value is not None:
            if self.data_type == "DATA-TYPE-DECIMAL":
                return quantity_to_decimal(self.int_value, self.decimal_places or 0)
            return self.int_value
        if self.bool_value is not None:
            return self.bool_value
        return self.str_value


class PriceGroupEntry(SoapModel):
    """One entry of an article's ``priceGroupList``: the article's price (or discount) in a price group,
    from ``minimum_amount`` units on (quantity tiers)."""

    soap_type: ClassVar[str] = "PriceGroup"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"price_incl", "price_excl"})

    price_group_number: int
    description: str | None = None
    price_incl: Money | None = None
    price_excl: Money | None = None
    discount_percentage: int | None = None
    minimum_amount: int | None = None


class RelationArticleDiscount(SoapModel):
    """A relation-specific price or discount for one article (or article discount group), from
    ``minimum_amount`` units on. Lives on Article and on Relation."""

    soap_type: ClassVar[str] = "RelationArticleDiscount"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"price_incl", "price_excl"})
    nested_fields: ClassVar[frozenset[str]] = frozenset({"minimum_amount"})

    relation_article_discount_id: int | None = None
    relation_number: int | None = None
    article_number: ArticleNumber | None = None
    article_discount_group_number: int | None = None
    minimum_amount: Quantity | None = None
    discount_percentage: int | None = None
    price_incl: Money | None = None
    price_excl: Money | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("minimumAmount") is None:
            return {}
        places = data.get("minimumAmountDecimalPlaces", 0)
        return {"minimum_amount": quantity_to_decimal(data["minimumAmount"], places)}

    def _nested_to_soap(self) -> dict[str, Any]:
        if self.minimum_amount is None:
            return {}
        value, places = decimal_to_quantity(self.minimum_amount)
        return {"minimumAmount": value, "minimumAmountDecimalPlaces": places}


class Article(SoapModel):
    """A sellable article (SKU). Variants of one product are separate articles with colour/size."""

    soap_type: ClassVar[str] = "Article"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"price_incl", "price_excl", "purchase_price"})
    nested_fields: ClassVar[frozenset[str]] = frozenset(
        {"custom_fields", "price_groups", "relation_article_discounts", "change_timestamp"}
    )

    article_number: ArticleNumber | None = None
    ext_article_id: str | None = None
    plu_number: str | None = None
    sync_marker: int | None = None
    change_timestamp: dt.datetime | None = None
    active: bool | None = None
    description: str | None = None
    colour: str | None = None
    colour_sequence_number: int | None = None
    size: str | None = None
    size_sequence_number: int | None = None
    invoice_text: str | None = None
    receipt_text: str | None = None
    display_text: str | None = None
    barcode: str | None = None
    brand_name: str | None = None
    extra_text: str | None = None
    turnover_group: int | None = None
    vat_code: int | None = None
    vat_percentage: int | None = None
    purchase_price: Money | None = None
    price_incl: Money | None = None
    price_excl: Money | None = None
    supplier_relation_number: int | None = None
    supplier_article_number: str | None = None
    webshop: bool | None = None
    stock_article: bool | None = None
    custom_fields: list[CustomField] | None = None
    price_groups: list[PriceGroupEntry] | None = None
    relation_article_discounts: list[RelationArticleDiscount] | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"change_timestamp": datetime_from_soap(data.get("changeTimestamp"))}
        if (items := _wrapped(data, "customFieldList", "customField")) is not None:
            out["custom_fields"] = [CustomField.from_soap(i) for i in items]
        if (items := _wrapped(data, "priceGroupList", "priceGroup")) is not None:
            out["price_groups"] = [PriceGroupEntry.from_soap(i) for i in items]
        if (items := _wrapped(data, "relationArticleDiscountList", "relationArticleDiscount")) is not None:
            out["relation_article_discounts"] = [RelationArticleDiscount.from_soap(i) for i in items]
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        # changeTimestamp is server-maintained: never sent.
        return {
            "customFieldList": _wrap(self.custom_fields, "customField"),
            "priceGroupList": _wrap(self.price_groups, "priceGroup"),
            "relationArticleDiscountList": _wrap(self.relation_article_discounts, "relationArticleDiscount"),
        }


class Product(SoapModel):
    """A product groups articles (its variants); article group (category) membership is ``group_numbers``."""

    soap_type: ClassVar[str] = "Product"
    nested_fields: ClassVar[frozenset[str]] = frozenset({"articles"})

    product_number: int | None = None
    sync_marker: int | None = None
    description: str | None = None
    extra_text: str | None = None
    articles: list[Article] = Field(default_factory=list)
    # Repeated element without a wrapper: [] and None both send nothing, so updateProduct cannot clear
    # memberships this way (use the article group calls).
    group_numbers: list[int] | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"articles": [Article.from_soap(a) for a in _wrapped(data, "articleList", "article") or []]}

    def _nested_to_soap(self) -> dict[str, Any]:
        return {"articleList": {"article": [a.to_soap() for a in self.articles]}}


class ArticleGroup(SoapModel):
    """A node of the article group tree (webshop/POS categories). ``sub_groups`` holds the children."""

    soap_type: ClassVar[str] = "ArticleGroup"
    nested_fields: ClassVar[frozenset[str]] = frozenset({"sub_groups", "product_numbers", "article_numbers"})

    group_number: int
    sync_marker: int | None = None
    name: str = ""
    text: str = ""
    sort_order: int = 0
    is_deleted: bool | None = None
    sub_groups: list[ArticleGroup] = Field(default_factory=list)
    product_numbers: list[int] | None = None
    article_numbers: list[int] | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sub_groups": [cls.from_soap(g) for g in _wrapped(data, "subGroupList", "articleGroups") or []]
        }
        if (numbers := _wrapped(data, "productNumbers", "number")) is not None:
            out["product_numbers"] = numbers
        if (numbers := _wrapped(data, "articleNumbers", "number")) is not None:
            out["article_numbers"] = numbers
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        return {
            "subGroupList": {"articleGroups": [g.to_soap() for g in self.sub_groups]},
            "productNumbers": None if self.product_numbers is None else {"number": self.product_numbers},
            "articleNumbers": None if self.article_numbers is None else {"number": self.article_numbers},
        }

    def walk(self, parent: int | None = None) -> Iterator[tuple[int | None, ArticleGroup]]:
        """(parent group number, group) for this group and every descendant, parents first."""
        yield parent, self
        for child in self.sub_groups:
            yield from child.walk(self.group_number)


# --- relations --------------------------------------------------------------------------------------------


class Relation(SoapModel):
    """A customer (or supplier). There is no company flag: a company is a relation with ``company_name``."""

    soap_type: ClassVar[str] = "Relation"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"credit_limit"})
    nested_fields: ClassVar[frozenset[str]] = frozenset(
        {"custom_fields", "contacts", "relation_article_discounts"}
    )

    relation_number: int | None = None
    ext_relation_id: str | None = None
    sync_marker: int | None = None
    active: bool | None = None
    name: str | None = None
    company_name: str | None = None
    contact: str | None = None
    address: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str | None = None
    delivery_address: str | None = None
    delivery_zipcode: str | None = None
    delivery_city: str | None = None
    delivery_country: str | None = None
    telephone: str | None = None
    mobile: str | None = None
    email: str | None = None
    website: str | None = None
    vat_number: str | None = None
    commerce_number: str | None = None
    price_group_number: int | None = None
    discount_percentage: int | None = None
    payment_within_days: int | None = None
    default_vat_method: str | None = None  # VAT-METHOD-INCLUSIVE | EXCLUSIVE | SHIFTED | NONE
    credit_limit: Money | None = None
    extra_text: str | None = None
    custom_fields: list[CustomField] | None = None
    contacts: list[Relation] | None = None
    relation_article_discounts: list[RelationArticleDiscount] | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if (items := _wrapped(data, "customFieldList", "customField")) is not None:
            out["custom_fields"] = [CustomField.from_soap(i) for i in items]
        if (items := _wrapped(data, "contactList", "relation")) is not None:
            out["contacts"] = [cls.from_soap(i) for i in items]
        if (items := _wrapped(data, "relationArticleDiscountList", "relationArticleDiscount")) is not None:
            out["relation_article_discounts"] = [RelationArticleDiscount.from_soap(i) for i in items]
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        return {
            "customFieldList": _wrap(self.custom_fields, "customField"),
            "contactList": _wrap(self.contacts, "relation"),
            "relationArticleDiscountList": _wrap(self.relation_article_discounts, "relationArticleDiscount"),
        }


# --- stock ------------------------------------------------------------------------------------------------


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


# --- orders and invoices ----------------------------------------------------------------------------------


class Address(SoapModel):
    soap_type: ClassVar[str] = "Address"

    name: str | None = None
    company_name: str | None = None
    contact: str | None = None
    address: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str | None = None


class VatGroup(SoapModel):
    """A VAT rate (getVatGroupList) or a VAT total of an order/invoice (amounts in euros)."""

    soap_type: ClassVar[str] = "VatGroup"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"excl_amount", "vat_amount"})

    branch_number: int | None = None
    country_iso3: str | None = None
    vat_code: int
    vat_percentage: int
    excl_amount: Money | None = None
    vat_amount: Money | None = None


class OrderLine(SoapModel):
    """An order/invoice line; ``Line{articleNumber, text, data: LineData{quantity, price, ...}}`` flattened.
    ``price_incl``/``price_excl`` are unit prices (LineData price/priceExcl)."""

    soap_type: ClassVar[str] = "Line"
    nested_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "quantity",
            "price_incl",
            "price_excl",
            "discount_percentage",
            "discount_amount",
            "vat_code",
            "vat_percentage",
            "total_incl",
            "total_excl",
        }
    )
    # LineData field -> python field, for the cents fields.
    _DATA_CENTS: ClassVar[dict[str, str]] = {
        "price": "price_incl",
        "priceExcl": "price_excl",
        "discountAmount": "discount_amount",
        "totalInclAmount": "total_incl",
        "totalExclAmount": "total_excl",
    }
    _DATA_INTS: ClassVar[dict[str, str]] = {
        "discountPercentage": "discount_percentage",
        "vatCode": "vat_code",
        "vatPercentage": "vat_percentage",
    }

    line_id: str | None = None
    # Not an ArticleNumber: lines the server reports must load even for odd articles (text lines).
    article_number: int
    text: str | None = None
    quantity: Quantity
    price_incl: Money | None = None
    price_excl: Money | None = None
    discount_percentage: int | None = None
    discount_amount: Money | None = None
    vat_code: int | None = None
    vat_percentage: int | None = None
    total_incl: Money | None = None
    total_excl: Money | None = None

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        line_data = data.get("data") or {}
        out: dict[str, Any] = {
            "quantity": quantity_to_decimal(line_data.get("quantity", 0), line_data.get("decimalPlaces", 0))
        }
        for soap_name, field in cls._DATA_CENTS.items():
            if line_data.get(soap_name) is not None:
                out[field] = cents_to_decimal(line_data[soap_name])
        for soap_name, field in cls._DATA_INTS.items():
            if line_data.get(soap_name) is not None:
                out[field] = line_data[soap_name]
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        quantity, places = decimal_to_quantity(self.quantity)
        line_data: dict[str, Any] = {"quantity": quantity, "decimalPlaces": places}
        for soap_name, field in self._DATA_CENTS.items():
            if (value := getattr(self, field)) is not None:
                line_data[soap_name] = decimal_to_cents(value)
        for soap_name, field in self._DATA_INTS.items():
            if (value := getattr(self, field)) is not None:
                line_data[soap_name] = value
        return {"data": line_data}


class Payment(SoapModel):
    soap_type: ClassVar[str] = "Payment"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"amount"})

    payment_id: str | None = None
    method: str
    description: str | None = None
    amount: Money
    payment_method_type: str | None = None
    external_payment_id: str | None = None
    external_reference: str | None = None


def _lines(data: dict[str, Any]) -> list[OrderLine]:
    return [OrderLine.from_soap(x) for x in _wrapped(data, "lineList", "line") or []]


def _payments(data: dict[str, Any]) -> list[Payment]:
    return [Payment.from_soap(x) for x in _wrapped(data, "paymentList", "payment") or []]


def _vat_groups(data: dict[str, Any]) -> list[VatGroup]:
    return [VatGroup.from_soap(x) for x in _wrapped(data, "vatGroupList", "vatGroup") or []]


def _address(data: dict[str, Any], key: str) -> Address | None:
    return Address.from_soap(data[key]) if data.get(key) is not None else None


class Order(SoapModel):
    soap_type: ClassVar[str] = "Order"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"total_incl", "total_excl", "prepaid_amount"})
    soap_names: ClassVar[dict[str, str]] = {
        "total_incl": "totalInclAmount",
        "total_excl": "totalExclAmount",
    }
    nested_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "invoice_ids",
            "order_year",
            "order_number",
            "entry_timestamp",
            "financial_date",
            "invoice_address",
            "delivery_address",
            "lines",
            "payments",
            "vat_groups",
        }
    )

    order_id: str = ""
    # orderNumber{year, number}: the till's own number, assigned by the server (read only here).
    order_year: int | None = None
    order_number: int | None = None
    ext_order_id: str | None = None
    sync_marker: int | None = None
    order_type: str | None = None
    relation_number: int | None = None
    employee_number: int | None = None
    entry_branch_number: int | None = None
    financial_branch_number: int | None = None
    workplace_number: int | None = None
    entry_timestamp: dt.datetime | None = None
    financial_date: dt.date | None = None
    reference: str | None = None
    total_incl: Money | None = None
    total_excl: Money | None = None
    vat_method: str | None = None
    delivery_method: str | None = None
    payment_method: str | None = None
    prepaid_amount: Money | None = None
    fully_paid: bool | None = None
    delivery_state: str | None = None
    cancel_state: str | None = None
    complete_state: str | None = None
    invoice_ids: list[str] = Field(default_factory=list)
    invoice_address: Address | None = None
    delivery_address: Address | None = None
    lines: list[OrderLine] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    vat_groups: list[VatGroup] = Field(default_factory=list)

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        number = data.get("orderNumber") or {}
        return {
            "order_id": data.get("orderId", ""),
            "order_year": number.get("year"),
            "order_number": number.get("number"),
            "invoice_ids": _wrapped(data, "invoiceIds", "id") or [],
            "entry_timestamp": datetime_from_soap(data.get("entryTimestamp")),
            "financial_date": date_from_soap(data.get("financialDate")),
            "invoice_address": _address(data, "invoiceAddress"),
            "delivery_address": _address(data, "deliveryAddress"),
            "lines": _lines(data),
            "payments": _payments(data),
            "vat_groups": _vat_groups(data),
        }

    def _nested_to_soap(self) -> dict[str, Any]:
        # orderId is required by the XSD (empty for a new order: the server assigns it).
        return {
            "orderId": self.order_id,
            "invoiceIds": {"id": self.invoice_ids} if self.invoice_ids else None,
            "entryTimestamp": datetime_to_soap(self.entry_timestamp),
            "financialDate": date_to_soap(self.financial_date),
            "invoiceAddress": self.invoice_address.to_soap() if self.invoice_address else None,
            "deliveryAddress": self.delivery_address.to_soap() if self.delivery_address else None,
            "vatGroupList": {"vatGroup": [v.to_soap() for v in self.vat_groups]} if self.vat_groups else None,
            "lineList": {"line": [line.to_soap() for line in self.lines]},
            "paymentList": {"payment": [p.to_soap() for p in self.payments]} if self.payments else None,
        }

    @classmethod
    def flat_fields(cls) -> list[str]:
        return [f for f in super().flat_fields() if f != "order_id"]


class Invoice(SoapModel):
    soap_type: ClassVar[str] = "Invoice"
    cents_fields: ClassVar[frozenset[str]] = frozenset({"total_incl", "total_excl", "paid_amount"})
    soap_names: ClassVar[dict[str, str]] = {
        "total_incl": "totalInclAmount",
        "total_excl": "totalExclAmount",
    }
    nested_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "invoice_year",
            "invoice_number",
            "order_ids",
            "ext_order_ids",
            "entry_timestamp",
            "financial_date",
            "invoice_address",
            "delivery_address",
            "lines",
            "payments",
            "vat_groups",
        }
    )

    invoice_id: str | None = None
    ext_invoice_id: str | None = None
    sync_marker: int | None = None
    invoice_year: int | None = None
    invoice_number: int | None = None
    invoice_type: str | None = None
    state: str | None = None
    relation_number: int | None = None
    relation_name: str | None = None
    employee_number: int | None = None
    financial_branch_number: int | None = None
    entry_branch_number: int | None = None
    entry_timestamp: dt.datetime | None = None
    financial_date: dt.date | None = None
    reference: str | None = None
    total_incl: Money | None = None
    total_excl: Money | None = None
    paid_amount: Money | None = None
    vat_method: str | None = None
    finalized: bool | None = None
    order_ids: list[str] = Field(default_factory=list)
    ext_order_ids: list[str] = Field(default_factory=list)
    invoice_address: Address | None = None
    delivery_address: Address | None = None
    lines: list[OrderLine] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    # Use these VAT totals as the server computed them rather than recomputing from lines.
    vat_groups: list[VatGroup] = Field(default_factory=list)

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        number = data.get("invoiceNumber") or {}
        return {
            "invoice_year": number.get("year"),
            "invoice_number": number.get("number"),
            "order_ids": _wrapped(data, "orderIds", "id") or [],
            "ext_order_ids": _wrapped(data, "extOrderIds", "id") or [],
            "entry_timestamp": datetime_from_soap(data.get("entryTimestamp")),
            "financial_date": date_from_soap(data.get("financialDate")),
            "invoice_address": _address(data, "invoiceAddress"),
            "delivery_address": _address(data, "deliveryAddress"),
            "lines": _lines(data),
            "payments": _payments(data),
            "vat_groups": _vat_groups(data),
        }

    def _nested_to_soap(self) -> dict[str, Any]:
        number = None
        if self.invoice_year is not None and self.invoice_number is not None:
            number = {"year": self.invoice_year, "number": self.invoice_number}
        return {
            "invoiceNumber": number,
            "orderIds": {"id": self.order_ids} if self.order_ids else None,
            "extOrderIds": {"id": self.ext_order_ids} if self.ext_order_ids else None,
            "entryTimestamp": datetime_to_soap(self.entry_timestamp),
            "financialDate": date_to_soap(self.financial_date),
            "invoiceAddress": self.invoice_address.to_soap() if self.invoice_address else None,
            "deliveryAddress": self.delivery_address.to_soap() if self.delivery_address else None,
            "vatGroupList": {"vatGroup": [v.to_soap() for v in self.vat_groups]} if self.vat_groups else None,
            "lineList": {"line": [line.to_soap() for line in self.lines]} if self.lines else None,
            "paymentList": {"payment": [p.to_soap() for p in self.payments]} if self.payments else None,
        }


# --- reference data ---------------------------------------------------------------------------------------


class Workplace(SoapModel):
    soap_type: ClassVar[str] = "Workplace"

    workplace_number: int
    workplace_name: str = ""
    is_mobile: bool = False


class Branch(SoapModel):
    soap_type: ClassVar[str] = "Branch"
    nested_fields: ClassVar[frozenset[str]] = frozenset({"workplaces"})

    branch_number: int
    branch_name: str = ""
    abbreviation: str = ""
    ext_branch_id: str | None = None
    price_group_number: int | None = None
    country_code: int = 0
    country_iso3: str = ""
    country_name: str = ""
    workplaces: list[Workplace] = Field(default_factory=list)

    @classmethod
    def _nested_from_soap(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "workplaces": [Workplace.from_soap(w) for w in _wrapped(data, "workplaces", "workplace") or []]
        }

    def _nested_to_soap(self) -> dict[str, Any]:
        return {"workplaces": {"workplace": [w.to_soap() for w in self.workplaces]}}


class PaymentMethod(SoapModel):
    soap_type: ClassVar[str] = "PaymentMethod"

    method: str
    description: str = ""
    button_text: str = ""
    allow_negative_amount: bool = False
    active: bool | None = None
    type: str | None = None


class PriceGroup(SoapModel):
    """A price group as listed by getPriceGroupList (per-article prices are :class:`PriceGroupEntry`)."""

    soap_type: ClassVar[str] = "PriceGroup"

    price_group_number: int
    description: str | None = None


# --- call results -----------------------------------------------------------------------------------------


class ApiVersion(SoapModel):
    soap_type: ClassVar[str] = "getApiVersionResponse"

    major_number: int
    minor_number: int
    revision_number: int
    service_version_display_string: str | None = None
    in_debug_mode: bool = False


class SyncMarkers(SoapModel):
    """Current maxima of each change sequence (getCurrentSyncMarkers)."""

    soap_type: ClassVar[str] = "getCurrentSyncMarkersResponse"

    article_sync_marker: int = 0
    article_group_sync_marker: int | None = None
    relation_sync_marker: int = 0
    employee_sync_marker: int = 0
    invoice_sync_marker: int = 0
    receipt_sync_marker: int = 0
    order_sync_marker: int = 0
    stock_id: int | None = None


T = TypeVar("T")


class Batch(list[T], Generic[T]):
    """Records of one answer (or one streamed batch of it), plus ``errors``: the records of that answer that
    did not decode (:class:`~connectors.mplus.errors.MplusRecordError`, one per record), left out of the list.
    A plain list for callers that only want the good records."""

    def __init__(self, items: Iterable[T] = (), errors: Iterable[MplusRecordError] = ()) -> None:
        super().__init__(items)
        self.errors: list[MplusRecordError] = list(errors)


class _Page(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    next_marker: int | None = None
    # Records of this page that did not decode; their syncMarkers count for next_marker all the same.
    errors: list[MplusRecordError] = Field(default_factory=list)


class ProductsPage(_Page):
    """One getProducts answer. ``next_marker``: max syncMarker seen + 1 (the request's bound is inclusive)."""

    products: list[Product]


class RelationsPage(_Page):
    relations: list[Relation]


class OrdersPage(_Page):
    orders: list[Order]


class InvoicesPage(_Page):
    invoices: list[Invoice]


class CreateProductResult(BaseModel):
    product_number: int
    article_numbers: list[int]
    sync_marker: int | None = None


class UpdateProductResult(BaseModel):
    existing_article_numbers: list[int]
    new_article_numbers: list[int]
    sync_marker: int | None = None


class CreateRelationResult(BaseModel):
    relation_number: int
    sync_marker: int | None = None


class SetStockResult(BaseModel):
    stock_id: int | None = None
