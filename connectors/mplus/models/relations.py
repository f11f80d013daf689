"""Relations: customers (or suppliers), with their contacts, custom fields and article discounts."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import Money, SoapModel, unwrap_list, wrap_list
from .products import CustomField, RelationArticleDiscount


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
        if (items := unwrap_list(data, "customFieldList", "customField")) is not None:
            out["custom_fields"] = [CustomField.from_soap(i) for i in items]
        if (items := unwrap_list(data, "contactList", "relation")) is not None:
            out["contacts"] = [cls.from_soap(i) for i in items]
        if (items := unwrap_list(data, "relationArticleDiscountList", "relationArticleDiscount")) is not None:
            out["relation_article_discounts"] = [RelationArticleDiscount.from_soap(i) for i in items]
        return out

    def _nested_to_soap(self) -> dict[str, Any]:
        return {
            "customFieldList": wrap_list(self.custom_fields, "customField"),
            "contactList": wrap_list(self.contacts, "relation"),
            "relationArticleDiscountList": wrap_list(
                self.relation_article_discounts, "relationArticleDiscount"
            ),
        }
