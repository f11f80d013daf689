"""The records of the demo shop (frozen dataclasses) and the catalogue that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class DemoArticle:
    item_code: str  # AFAS ItemCode; MplusKASSA articleNumber when it is digits only
    description: str
    extra_description: str  # long description
    group_code: str
    model_code: str | None  # items sharing a model code form one MplusKASSA product
    colour: str | None
    size: str | None
    price_excl: Decimal  # sales price excl. VAT, euros
    vat_group: str  # AFAS VAT group: "HOOG" (21 %) or "LAAG" (9 %)
    ean: str | None
    blocked: bool
    pos: bool  # free field "sold in the POS": the default user filter
    stock_tracked: bool
    brand: str
    features: dict[str, str] = field(default_factory=dict)  # extra info fields
    created: datetime = datetime(2024, 1, 1, 9, 0)
    modified: datetime = datetime(2024, 1, 1, 9, 0)
    unit: str = "STK"  # AFAS sales (basic) unit; "KG" articles are weighed and sold in decimal quantities


@dataclass(frozen=True)
class DemoStock:
    item_code: str
    warehouse: str
    physical: Decimal
    allocated: Decimal  # picked / on delivery notes: physical - allocated = available
    reserved: Decimal  # sales reservations (open sales orders not yet allocated)
    incoming: Decimal  # open purchase orders


@dataclass(frozen=True)
class DemoDebtor:
    debtor_id: str  # AFAS DbId
    kind: str  # "org" or "per"
    bc_code: str  # BcCo of the organisation/person
    company_name: str | None
    first_name: str
    prefix: str
    last_name: str
    email: str | None
    street: str
    house_number: str
    house_addition: str
    zipcode: str
    city: str
    country: str  # ISO 3166 alpha-2
    vat_number: str | None
    coc_number: str | None
    payment_condition: str
    price_list: str | None
    customer_group: str
    discount_pct: Decimal
    blocked: bool
    modified: datetime


@dataclass(frozen=True)
class DemoPriceRow:
    price_list: str
    item_code: str
    from_qty: Decimal
    price: Decimal
    discount_pct: Decimal
    valid_from: date
    valid_to: date | None
    currency: str = "EUR"


@dataclass(frozen=True)
class DemoAgreement:
    """A debtor-specific price or discount for one article or one article discount group."""

    debtor_id: str
    item_code: str | None
    discount_group: str | None
    from_qty: Decimal
    price: Decimal | None
    discount_pct: Decimal
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class DemoRelation:
    """A relation that already exists in MplusKASSA before the first sync."""

    relation_number: int
    name: str
    company_name: str | None
    email: str | None
    address: str
    zipcode: str
    city: str
    country: str


@dataclass(frozen=True)
class DemoOrderLine:
    article_number: str  # may be an article AFAS does not know
    text: str
    quantity: Decimal
    price_incl: Decimal  # euros per unit incl. VAT
    vat_code: int  # MplusKASSA vat code: 1 low, 2 high
    vat_pct: Decimal


@dataclass(frozen=True)
class DemoOrder:
    ext_order_id: str
    branch: int
    entry: datetime
    relation_number: int | None  # an existing MplusKASSA relation, or None
    customer_name: str | None  # invoice address on the order
    company_name: str | None
    email: str | None
    address: str | None  # one string, e.g. "Kerkstraat 12a"
    zipcode: str | None
    city: str | None
    country: str | None
    vat_number: str | None
    lines: tuple[DemoOrderLine, ...]
    payments: tuple[tuple[str, Decimal], ...]  # (payment method, euros)
    fully_paid: bool


@dataclass
class DemoCatalog:
    seed: int
    today: date
    groups: list[tuple[str, str]]
    warehouses: list[tuple[str, str]]
    branches: list[tuple[int, str]]
    articles: list[DemoArticle]
    stock: list[DemoStock]
    debtors: list[DemoDebtor]
    price_lists: list[tuple[str, str, bool]]
    price_groups: list[tuple[int, str]]
    price_rows: list[DemoPriceRow]
    agreements: list[DemoAgreement]
    relations: list[DemoRelation]
    orders: list[DemoOrder]
    payment_methods: list[tuple[str, str]]
    # Sales booked at the till as an invoice without an order (a receipt), shaped like an order; ext_order_id is
    # the invoice's extInvoiceId.
    till_invoices: list[DemoOrder] = field(default_factory=list)
