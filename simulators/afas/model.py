"""The records the stand-in keeps (AFAS's tables, simplified); their JSON form is in records.py.

All datetimes are naive and hold Europe/Amsterdam wall-clock time, as AFAS stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

VAT_PCT: dict[str, Decimal] = {"HOOG": Decimal(21), "LAAG": Decimal(9), "GEEN": Decimal(0)}
CURRENCIES: frozenset[str] = frozenset({"EUR", "USD", "GBP", "CHF"})
# Units (AFAS "eenheden") and the decimals a quantity in them may have: pieces are counted, kilos weighed.
UNIT_DECIMALS: dict[str, int] = {"STK": 0, "KG": 3}


@dataclass(slots=True, kw_only=True)
class Article:
    item_code: str
    description: str
    extra_description: str | None = None
    group_code: str | None = None
    discount_group: str | None = None
    model_code: str | None = None
    colour: str | None = None
    size: str | None = None
    price_excl: Decimal = Decimal(0)
    currency: str = "EUR"
    vat_group: str = "HOOG"
    ean: str | None = None
    blocked: bool = False
    pos: bool = True  # free field "sold in the POS"
    stock_tracked: bool = True
    brand: str | None = None
    unit: str = "STK"  # basic unit, the one order lines (BiUn) must use: "STK", or "KG" for weighed articles
    features: dict[str, str] = field(default_factory=dict)
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    ALIASES: ClassVar[dict[str, str]] = {
        "ItemCode": "item_code",
        "Description": "description",
        "ExtraDescription": "extra_description",
        "ArtGroup": "group_code",
        "DiscountGroup": "discount_group",
        "ModelCode": "model_code",
        "SalesPrice": "price_excl",
        "Currency": "currency",
        "VATGroup": "vat_group",
        "Barcode": "ean",
        "Blocked": "blocked",
        "PosArticle": "pos",
        "Stock": "stock_tracked",
        "Brand": "brand",
        "UnitId": "unit",
        "CreateDate": "created",
        "ModifiedDate": "modified",
    }


@dataclass(slots=True, kw_only=True)
class Group:
    code: str
    description: str
    parent: str | None = None  # the parent item group's code (a nested category) [INF]


@dataclass(slots=True, kw_only=True)
class Warehouse:
    code: str
    description: str
    blocked: bool = False
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)


@dataclass(slots=True, kw_only=True)
class Stock:
    item_code: str
    warehouse: str
    physical: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)  # physical - allocated = available
    reserved: Decimal = Decimal(0)  # sales reservations
    incoming: Decimal = Decimal(0)  # open purchase orders
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    ALIASES: ClassVar[dict[str, str]] = {
        "PhysicalStock": "physical",
        "SalesReservations": "reserved",
        "PurchaseOrdered": "incoming",
        "ModifiedDate": "modified",
    }


@dataclass(slots=True, kw_only=True)
class OrgPer:
    """An organisation ("O") or person ("P") in AFAS's CRM (KnOrganisation / KnPerson)."""

    bc_co: str
    kind: str  # "O" or "P"
    name: str | None = None  # organisation name; for persons derived from the name parts
    first_name: str | None = None
    initials: str | None = None
    prefix: str | None = None
    last_name: str | None = None
    gender: str | None = None
    birth_date: datetime | None = None
    bsn: str | None = None
    search_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    homepage: str | None = None
    note: str | None = None
    street: str | None = None
    house_number: str | None = None
    house_addition: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str | None = None  # AFAS code
    po_box: bool | None = None  # PbAd of the visiting address: street "Postbus", the box number as HmNr
    postal_address: dict[str, Any] | None = None  # KnBasicAddressPad as sent
    coc_number: str | None = None
    fiscal_number: str | None = None
    contact_first_name: str | None = None  # organisations: the contact person (KnContact/KnPerson)
    contact_prefix: str | None = None
    contact_last_name: str | None = None
    contact_email: str | None = None
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    def display_name(self) -> str | None:
        if self.kind == "O":
            return self.name
        parts = [p for p in (self.first_name or self.initials, self.prefix, self.last_name) if p]
        return " ".join(parts) or self.name


@dataclass(slots=True, kw_only=True)
class Debtor:
    """A sales relation (KnSalesRelationOrg/Per) pointing at one organisation or person."""

    debtor_id: str
    bc_co: str
    kind: str  # "O" / "P" (RelationType)
    payment_condition: str | None = None
    price_list: str | None = None
    customer_group: str | None = None
    discount_pct: Decimal = Decimal(0)
    blocked: bool = False
    currency: str = "EUR"
    vat_number: str | None = None
    vat_duty: str | None = "1"
    collect_account: str | None = "1300"
    credit_limit: Decimal | None = None
    iban: str | None = None
    auto_payment: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # other UpdateConnector fields, as sent
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    ALIASES: ClassVar[dict[str, str]] = {
        "PaymentCondition": "payment_condition",
        "PayCon": "payment_condition",
        "PriceList": "price_list",
        "CustomerGroup": "customer_group",
        "DiscountPercentage": "discount_pct",
        "Blocked": "blocked",
        "VatNumber": "vat_number",
        "VatNr": "vat_number",
        "CurrencyId": "currency",
        "IBAN": "iban",
        "ModifiedDate": "modified",
    }
    ORGPER_ALIASES: ClassVar[dict[str, str]] = {
        "OrganisationName": "name",
        "DebtorName": "name",
        "FirstName": "first_name",
        "Prefix": "prefix",
        "LastName": "last_name",
        "Email": "email",
        "Street": "street",
        "HouseNumber": "house_number",
        "HouseNumberAddition": "house_addition",
        "ZipCode": "zipcode",
        "City": "city",
        "CountryId": "country",
        "ChamberOfCommerce": "coc_number",
        "ContactFirstName": "contact_first_name",
        "ContactPrefix": "contact_prefix",
        "ContactLastName": "contact_last_name",
        "TelNr": "phone",
    }


@dataclass(slots=True, kw_only=True)
class PriceList:
    code: str
    description: str
    vat_included: bool = False


@dataclass(slots=True, kw_only=True)
class PriceRow:
    row_id: int
    price_list: str
    item_code: str
    from_qty: Decimal
    price: Decimal
    discount_pct: Decimal = Decimal(0)
    valid_from: datetime = datetime(2024, 1, 1)
    valid_to: datetime | None = None
    currency: str = "EUR"
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    ALIASES: ClassVar[dict[str, str]] = {
        "PriceList": "price_list",
        "ItemCode": "item_code",
        "FromQuantity": "from_qty",
        "Price": "price",
        "DiscountPercentage": "discount_pct",
        "ValidFrom": "valid_from",
        "ValidTo": "valid_to",
        "Currency": "currency",
        "ModifiedDate": "modified",
    }


@dataclass(slots=True, kw_only=True)
class Agreement:
    agreement_id: int
    debtor_id: str
    item_code: str | None = None
    discount_group: str | None = None
    from_qty: Decimal = Decimal(1)
    price: Decimal | None = None
    discount_pct: Decimal = Decimal(0)
    valid_from: datetime = datetime(2024, 1, 1)
    valid_to: datetime | None = None
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    ALIASES: ClassVar[dict[str, str]] = {
        "DebtorId": "debtor_id",
        "ItemCode": "item_code",
        "DiscountGroup": "discount_group",
        "FromQuantity": "from_qty",
        "Price": "price",
        "DiscountPercentage": "discount_pct",
        "ValidFrom": "valid_from",
        "ValidTo": "valid_to",
        "ModifiedDate": "modified",
    }


@dataclass(slots=True, kw_only=True)
class OrderLine:
    seq_no: int
    guid: str
    item_type: str  # VaIt: 2 article, 1 work type, 3 text, 6 costs ...
    item_code: str | None
    description: str | None
    unit: str | None
    quantity: Decimal
    price: Decimal  # Upri, per unit
    discount_pct: Decimal = Decimal(0)
    warehouse: str | None = None
    vat_pct: Decimal = Decimal(21)
    fields: dict[str, Any] = field(default_factory=dict)  # every field as sent (JSON form)
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)

    @property
    def gross(self) -> Decimal:
        return self.quantity * self.price

    @property
    def discount_amount(self) -> Decimal:
        return (self.gross * self.discount_pct / 100).quantize(Decimal("0.01"))

    @property
    def net(self) -> Decimal:
        return self.gross - self.discount_amount


@dataclass(slots=True, kw_only=True)
class SalesOrder:
    """An order from FbSales, FbSalesQuotation or FbDirectInvoice."""

    order_number: str
    connector: str  # FbSales / FbSalesQuotation / FbDirectInvoice
    debtor_id: str
    order_date: datetime
    reference: str | None = None  # RfCs
    currency: str = "EUR"
    unit: int = 1
    warehouse: str | None = None
    vat_included: bool = False
    status: str = "Open"
    invoice_number: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # header fields as sent (JSON form)
    lines: list[OrderLine] = field(default_factory=list)
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)


@dataclass(slots=True, kw_only=True)
class FiEntry:
    entry_no: int
    year: int
    period: int
    unit: int
    journal: str
    lines: list[dict[str, Any]] = field(default_factory=list)  # JSON form of each FiEntries line
    created: datetime = datetime(2024, 1, 1, 9, 0)
