"""Articles (SKUs), the products that group them, their custom fields, price-group prices and relation
discounts, and the article group tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from ..money import decimal_to_quantity, quantity_to_decimal
from .base import ArticleNumber, Money, Quantity, SoapModel, unwrap_list, wrap_list
from .dates import datetime_from_soap


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
        if (items := unwrap_list(data, "customFieldList", "customField")) is not None:
            out["custom_fields"] = [CustomField.from_soap(i) for i in items]
        if (items := unwrap_list(data, "priceGroupList", "priceGroup")) is not None:
            out["price_groups"] = [PriceGroupEntry.from_soap(i) for i in items]
        if (items := unwrap_list(data, "relationArticleDiscountList", "relationArticleDiscount")) is not None:
            out["relation_article_discounts"] = [RelationArticleDiscount.from_soap(i) for i in items]
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        # changeTimestamp is server-maintained: never sent.
        return {
            "customFieldList": wrap_list(self.custom_fields, "customField"),
            "priceGroupList": wrap_list(self.price_groups, "priceGroup"),
            "relationArticleDiscountList": wrap_list(
                self.relation_article_discounts, "relationArticleDiscount"
            ),
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
        return {"articles": [Article.from_soap(a) for a in unwrap_list(data, "articleList", "article") or []]}

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
            "sub_groups": [cls.from_soap(g) for g in unwrap_list(data, "subGroupList", "articleGroups") or []]
        }
        if (numbers := unwrap_list(data, "productNumbers", "number")) is not None:
            out["product_numbers"] = numbers
        if (numbers := unwrap_list(data, "articleNumbers", "number")) is not None:
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
