"""Orders and invoices with their lines, payments, VAT totals and addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field

from ..money import cents_to_decimal, decimal_to_cents, decimal_to_quantity, quantity_to_decimal
from .base import Money, Quantity, SoapModel, unwrap_list
from .dates import date_from_soap, date_to_soap, datetime_from_soap, datetime_to_soap


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
    return [OrderLine.from_soap(x) for x in unwrap_list(data, "lineList", "line") or []]


def _payments(data: dict[str, Any]) -> list[Payment]:
    return [Payment.from_soap(x) for x in unwrap_list(data, "paymentList", "payment") or []]


def _vat_groups(data: dict[str, Any]) -> list[VatGroup]:
    return [VatGroup.from_soap(x) for x in unwrap_list(data, "vatGroupList", "vatGroup") or []]


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
            "invoice_ids": unwrap_list(data, "invoiceIds", "id") or [],
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
            "order_ids": unwrap_list(data, "orderIds", "id") or [],
            "ext_order_ids": unwrap_list(data, "extOrderIds", "id") or [],
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
