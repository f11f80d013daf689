"""The demo shop both stand-ins are seeded from: one deterministic description, two systems.

A small Dutch fashion-and-homeware shop. AFAS holds the master data (articles, groups,
stock per warehouse, debtors, price lists); MplusKASSA holds two branches, a few relations
that already exist at the till (one shares an e-mail with an AFAS debtor) and POS orders.
Everything is derived from `seed`, so two builds with the same arguments are equal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from connectors.afas.dates import afas_today

GROUPS: list[tuple[str, str]] = [
    ("100", "Dameskleding"),
    ("200", "Herenkleding"),
    ("300", "Schoenen"),
    ("400", "Accessoires"),
    ("500", "Wonen"),
    ("600", "Cadeaubonnen"),
]
WAREHOUSES: list[tuple[str, str]] = [
    ("01", "Hoofdmagazijn Utrecht"),
    ("02", "Winkel Amsterdam"),
    ("03", "Winkel Haarlem"),
]
BRANCHES: list[tuple[int, str]] = [(1, "Amsterdam Centrum"), (2, "Haarlem Grote Markt")]
COLOURS = ["Zwart", "Wit", "Navy", "Rood", "Groen"]
SIZES = ["XS", "S", "M", "L", "XL"]
SHOE_SIZES = ["38", "39", "40", "41", "42", "43"]
NOUNS = {
    "100": ["Jurk", "Blouse", "Rok", "Vest", "Trui", "Jas"],
    "200": ["Overhemd", "Polo", "Chino", "Colbert", "Hoodie", "Jeans"],
    "300": ["Sneaker", "Laars", "Loafer", "Sandaal"],
    "400": ["Sjaal", "Riem", "Tas", "Pet", "Handschoenen"],
    "500": ["Kaars", "Vaas", "Plaid", "Kussen", "Mok", "Dienblad"],
    "600": ["Cadeaubon"],
}
ADJECTIVES = [
    "Classic",
    "Urban",
    "Linnen",
    "Wollen",
    "Katoenen",
    "Basic",
    "Premium",
    "Vintage",
    "Sport",
    "Eco",
]
STREETS = [
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsweg",
    "Molenweg",
    "Hoofdstraat",
    "Prinsengracht",
    "Lange Voorhout",
    "Rue Neuve",
    "Bahnhofstraße",
    "Oudegracht",
]
CITIES = {
    "NL": [("1015 CJ", "Amsterdam"), ("3511 AB", "Utrecht"), ("2011 RA", "Haarlem"), ("2514 EE", "Den Haag")],
    "BE": [("1000", "Brussel"), ("2000", "Antwerpen"), ("9000", "Gent")],
    "DE": [("47051", "Duisburg"), ("40213", "Düsseldorf"), ("50667", "Köln")],
}
FIRST_NAMES = [
    "Jan",
    "Sanne",
    "Pieter",
    "Eva",
    "Daan",
    "Lotte",
    "Bram",
    "Fleur",
    "Koen",
    "Anouk",
    "Lars",
    "Noor",
]
LAST_NAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("de", "Boer"),
    ("van den", "Berg"),
    ("", "Mulder"),
    ("", "Peeters"),
    ("", "Müller"),
]
COMPANY_WORDS = ["Boetiek", "Mode", "Interieur", "Hotel", "Studio", "Atelier", "Concept Store"]
PRICE_LISTS: list[tuple[str, str, bool]] = [
    # (code, description, prices include VAT)
    ("P01", "Groothandel", False),
    ("P02", "Horeca", False),
    ("P03", "Vrienden van de winkel", True),
    ("P99", "Oude beurslijst (niet gekoppeld)", False),
]
PRICE_GROUPS: list[tuple[int, str]] = [(1, "Groothandel"), (2, "Horeca"), (3, "Vrienden")]
PAYMENT_METHODS: list[tuple[str, str]] = [
    ("CASH", "Contant"),
    ("PIN", "Pinbetaling"),
    ("IDEAL", "iDEAL"),
    ("ONACCOUNT", "Op rekening"),
]


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


def _ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(Decimal("0.01"))


def _articles(rng: random.Random, n: int, base: datetime) -> list[DemoArticle]:
    out: list[DemoArticle] = []
    code = 10000
    model_no = 0
    while len(out) < n:
        group, _ = rng.choice(GROUPS[:-1])
        noun = rng.choice(NOUNS[group])
        name = f"{rng.choice(ADJECTIVES)} {noun}"
        price = _money(rng, 5, 180)
        vat = "LAAG" if group == "500" and noun in {"Mok", "Kaars"} and rng.random() < 0.5 else "HOOG"
        brand = rng.choice(["Studio Noord", "Dutch Basics", "Maison Delft", "Grachtwerk"])
        features = {
            "Materiaal": rng.choice(["Katoen", "Linnen", "Wol", "Leer", "Keramiek", "Polyester"]),
            "Herkomst": rng.choice(["Nederland", "Portugal", "Italië", "Turkije"]),
        }
        variant = group in {"100", "200", "300"} and rng.random() < 0.45
        modified = base + timedelta(minutes=len(out) * 7)
        if variant:
            model_no += 1
            model = f"M{model_no:05d}"
            sizes = SHOE_SIZES if group == "300" else SIZES
            colours = rng.sample(COLOURS, k=rng.randint(1, 3))
            chosen_sizes = sizes[: rng.randint(2, len(sizes))]
            for colour in colours:
                for size in chosen_sizes:
                    if len(out) >= n:
                        break
                    code += 1
                    out.append(
                        DemoArticle(
                            item_code=str(code),
                            description=f"{name} {colour} {size}",
                            extra_description=f"{name} in {colour.lower()}, maat {size}. Verzorgingsadvies op het label.",
                            group_code=group,
                            model_code=model,
                            colour=colour,
                            size=size,
                            price_excl=price,
                            vat_group="HOOG",
                            ean=_ean13(f"87{code:010d}"),
                            blocked=False,
                            pos=True,
                            stock_tracked=True,
                            brand=brand,
                            features=features,
                            modified=modified,
                        )
                    )
        else:
            code += 1
            out.append(
                DemoArticle(
                    item_code=str(code),
                    description=name,
                    extra_description=f"{name} van {brand}. Lange omschrijving voor de kassa en webshop.",
                    group_code=group,
                    model_code=None,
                    colour=None,
                    size=None,
                    price_excl=price,
                    vat_group=vat,
                    ean=_ean13(f"87{code:010d}") if rng.random() < 0.9 else None,
                    blocked=False,
                    pos=True,
                    stock_tracked=rng.random() < 0.9,
                    brand=brand,
                    features=features,
                    modified=modified,
                )
            )
    # Irregular rows every real catalogue has; indexes are fixed so tests can rely on them.
    fixed: list[DemoArticle] = []
    for i, a in enumerate(out):
        if i in (3, 77):  # codes with letters: MplusKASSA cannot take them
            a = _replace(
                a,
                item_code=f"GC-{a.item_code}" if i == 3 else f"{a.item_code}A",
                model_code=None,
                colour=None,
                size=None,
            )
        elif i == 11:  # blocked in AFAS
            a = _replace(a, blocked=True)
        elif i in (19, 23):  # not sold in the POS: filtered out by the default filter
            a = _replace(a, pos=False)
        fixed.append(a)
    gift = DemoArticle(
        item_code="99001",
        description="Cadeaubon 25 euro",
        extra_description="Cadeaubon",
        group_code="600",
        model_code=None,
        colour=None,
        size=None,
        price_excl=Decimal("25.00"),
        vat_group="GEEN",
        ean=None,
        blocked=False,
        pos=True,
        stock_tracked=False,
        brand="Eigen",
        modified=base,
    )
    return fixed + [gift]


def _weighed_articles(base: datetime) -> list[DemoArticle]:
    """Articles sold by the kilo (unit KG, quantities such as 0.375). Fixed rows that take nothing from the
    random stream, and kept out of the demo's price lists and POS orders, so the rest of the shop is the
    same with or without them."""
    rows = [
        ("99101", "Koffiebonen huismelange", "LAAG", "24.50", "Vers gebrande koffiebonen, per kilo."),
        ("99102", "Losse thee Earl Grey", "LAAG", "38.00", "Zwarte thee met bergamot, los, per kilo."),
        ("99103", "Geurkorrels lavendel", "HOOG", "16.95", "Geurkorrels voor de geurbrander, per kilo."),
    ]
    return [
        DemoArticle(
            item_code=code,
            description=name,
            extra_description=text,
            group_code="500",
            model_code=None,
            colour=None,
            size=None,
            price_excl=Decimal(price),
            vat_group=vat,
            ean=None,
            blocked=False,
            pos=True,
            stock_tracked=True,
            brand="Eigen",
            features={"Verkocht per": "kilogram"},
            modified=base,
            unit="KG",
        )
        for code, name, vat, price, text in rows
    ]


def _weighed_stock(articles: list[DemoArticle]) -> list[DemoStock]:
    amounts = (Decimal("12.500"), Decimal("3.750"), Decimal("0.875"))
    return [
        DemoStock(a.item_code, "01", amounts[i % len(amounts)], Decimal(0), Decimal(0), Decimal(0))
        for i, a in enumerate(articles)
    ]


def _replace(a: DemoArticle, **changes: object) -> DemoArticle:
    from dataclasses import replace

    return replace(a, **changes)


def _stock(rng: random.Random, articles: list[DemoArticle]) -> list[DemoStock]:
    out: list[DemoStock] = []
    for a in articles:
        if not a.stock_tracked:
            continue
        for wh, _ in WAREHOUSES:
            if wh != "01" and rng.random() < 0.3:
                continue
            physical = Decimal(rng.randint(0, 60))
            reserved = Decimal(rng.randint(0, 8)) if rng.random() < 0.35 else Decimal(0)
            incoming = Decimal(rng.randint(0, 24)) if rng.random() < 0.2 else Decimal(0)
            allocated = min(physical, Decimal(rng.randint(0, 3))) if rng.random() < 0.25 else Decimal(0)
            out.append(DemoStock(a.item_code, wh, physical, allocated, reserved, incoming))
    return out


def _debtors(rng: random.Random, n: int, base: datetime) -> list[DemoDebtor]:
    out: list[DemoDebtor] = []
    for i in range(n):
        country = "NL" if i % 5 < 3 else ("BE" if i % 5 == 3 else "DE")
        zipcode, city = rng.choice(CITIES[country])
        first = rng.choice(FIRST_NAMES)
        prefix, last = rng.choice(LAST_NAMES)
        is_org = i % 3 != 2
        company = f"{rng.choice(COMPANY_WORDS)} {last} {city}" if is_org else None
        email_local = f"{first}.{last}".lower().replace(" ", "")
        domain = (
            f"{company.split()[0].lower()}-{city.lower().replace(' ', '')}.{country.lower()}"
            if company
            else "example.nl"
        )
        email = f"{email_local}{i}@{domain}"
        if i == 7:
            email = None  # no e-mail at all
        if i == 9:
            email = "geen-email-adres"  # malformed: an error row in the customers flow
        price_list = PRICE_LISTS[i % 4][0] if is_org and i % 2 == 0 else None
        out.append(
            DemoDebtor(
                debtor_id=str(20001 + i),
                kind="org" if is_org else "per",
                bc_code=str(5001 + i),
                company_name=company,
                first_name=first,
                prefix=prefix,
                last_name=last if i != 14 else "",
                email=email,
                street=rng.choice(STREETS),
                house_number=str(rng.randint(1, 250)),
                house_addition=rng.choice(["", "", "", "a", "bis", "2"]),
                zipcode=zipcode,
                city=city,
                country=country,
                vat_number=(
                    f"{country}{rng.randint(100000000, 999999999)}B01"
                    if country == "NL"
                    else f"{country}{rng.randint(100000000, 999999999)}"
                )
                if is_org
                else None,
                coc_number=str(rng.randint(10000000, 99999999)) if is_org and country == "NL" else None,
                payment_condition=rng.choice(["14", "30"]) if is_org else "0",
                price_list=price_list,
                customer_group="ZAKELIJK" if is_org else "PARTICULIER",
                discount_pct=Decimal(rng.choice([0, 0, 2, 5])) if is_org else Decimal(0),
                blocked=False,
                modified=base + timedelta(hours=i),
            )
        )
    return out


def _price_rows(rng: random.Random, articles: list[DemoArticle], today: date) -> list[DemoPriceRow]:
    out: list[DemoPriceRow] = []
    long_ago = date(2024, 1, 1)
    sellable = [a for a in articles if a.item_code.isdigit() and not a.blocked][::3]
    for code, _, vat_incl in PRICE_LISTS:
        for a in sellable[: max(10, len(sellable) // 2)]:
            base = a.price_excl * (Decimal("1.21") if vat_incl else 1)
            tiers = [Decimal(1), Decimal(10), Decimal(50)] if rng.random() < 0.5 else [Decimal(1)]
            for t, qty in enumerate(tiers):
                factor = Decimal(1) - Decimal("0.05") * (t + 1)
                out.append(
                    DemoPriceRow(
                        code,
                        a.item_code,
                        qty,
                        (base * factor).quantize(Decimal("0.0001")),
                        Decimal(0),
                        long_ago,
                        None,
                    )
                )
    a0 = sellable[0]
    # dated rows: one that ended yesterday, one that starts tomorrow
    out.append(
        DemoPriceRow(
            "P01",
            a0.item_code,
            Decimal(100),
            Decimal("1.00"),
            Decimal(0),
            long_ago,
            today - timedelta(days=1),
        )
    )
    out.append(
        DemoPriceRow(
            "P01", a0.item_code, Decimal(200), Decimal("0.90"), Decimal(0), today + timedelta(days=1), None
        )
    )
    return out


def _agreements(debtors: list[DemoDebtor], articles: list[DemoArticle], today: date) -> list[DemoAgreement]:
    sellable = [a for a in articles if a.item_code.isdigit() and not a.blocked]
    orgs = [d for d in debtors if d.kind == "org"][:4]
    out: list[DemoAgreement] = []
    for i, d in enumerate(orgs):
        a = sellable[i * 5]
        out.append(
            DemoAgreement(
                d.debtor_id,
                a.item_code,
                None,
                Decimal(1),
                (a.price_excl * Decimal("0.8")).quantize(Decimal("0.01")),
                Decimal(0),
                date(2024, 1, 1),
                None,
            )
        )
        out.append(
            DemoAgreement(
                d.debtor_id, None, a.group_code, Decimal(1), None, Decimal(10), date(2024, 1, 1), None
            )
        )
    return out


def _relations(debtors: list[DemoDebtor]) -> list[DemoRelation]:
    known = next(d for d in debtors if d.kind == "org" and d.email)
    return [
        # Same e-mail as an AFAS debtor: the customers flow must link it, not create a second one.
        DemoRelation(
            1001,
            f"{known.first_name} {known.last_name}",
            known.company_name,
            known.email,
            f"{known.street} {known.house_number}",
            known.zipcode,
            known.city,
            known.country,
        ),
        DemoRelation(1002, "Kees Kassa", None, "kees@kassaklant.nl", "Markt 1", "2011 AA", "Haarlem", "NL"),
    ]


def _orders(
    rng: random.Random,
    articles: list[DemoArticle],
    debtors: list[DemoDebtor],
    relations: list[DemoRelation],
    base: datetime,
) -> list[DemoOrder]:
    sellable = [a for a in articles if a.item_code.isdigit() and not a.blocked]
    out: list[DemoOrder] = []
    for i in range(12):
        n_lines = rng.randint(1, 3)
        lines = []
        for a in rng.sample(sellable, n_lines):
            vat = (
                Decimal(9)
                if a.vat_group == "LAAG"
                else (Decimal(0) if a.vat_group == "GEEN" else Decimal(21))
            )
            price_incl = (a.price_excl * (1 + vat / 100)).quantize(Decimal("0.01"))
            lines.append(
                DemoOrderLine(
                    a.item_code,
                    a.description,
                    Decimal(rng.randint(1, 3)),
                    price_incl,
                    1 if vat == 9 else 2,
                    vat,
                )
            )
        if i == 10:  # an article AFAS does not know: held with an error until it exists
            lines.append(
                DemoOrderLine(
                    "88888", "Handmatig aangemaakt artikel", Decimal(1), Decimal("12.50"), 2, Decimal(21)
                )
            )
        total = sum((ln.quantity * ln.price_incl for ln in lines), Decimal(0))
        customer: dict[str, object] = {
            "relation_number": None,
            "customer_name": None,
            "company_name": None,
            "email": None,
            "address": None,
            "zipcode": None,
            "city": None,
            "country": None,
            "vat_number": None,
        }
        if i % 4 == 0:  # new company customer
            customer.update(
                customer_name="Mila Kramer",
                company_name=f"Kramer Design {i}",
                email=f"mila{i}@kramerdesign.nl",
                address="Kerkstraat 12a",
                zipcode="1017 GC",
                city="Amsterdam",
                country="NL",
                vat_number="NL812345678B01",
            )
        elif i % 4 == 1:  # new person customer, Belgian
            customer.update(
                customer_name=f"Tom Peeters {i}",
                email=f"tom.peeters{i}@telenet.be",
                address="Rue Neuve 45 bus 3",
                zipcode="1000",
                city="Brussel",
                country="BE",
            )
        elif i % 4 == 2:  # a known AFAS debtor by e-mail
            d = next(x for x in debtors if x.email and "@" in x.email and x.kind == "per")
            # the till knows the customer by the name the customers flow gave the relation: prefix included
            name = " ".join(p for p in (d.first_name, d.prefix, d.last_name) if p)
            customer.update(
                customer_name=name,
                email=d.email,
                address=f"{d.street} {d.house_number}{d.house_addition}",
                zipcode=d.zipcode,
                city=d.city,
                country=d.country,
            )
        # i % 4 == 3: anonymous walk-in: the default debtor
        paid = i not in (5, 9)
        payments = ((rng.choice(["PIN", "CASH", "IDEAL"]), total),) if paid else ()
        out.append(
            DemoOrder(
                ext_order_id=f"POS-{2026000 + i}",
                branch=BRANCHES[i % 2][0],
                entry=base + timedelta(days=i, hours=3),
                lines=tuple(lines),
                payments=payments,
                fully_paid=paid,
                **customer,
            )
        )  # type: ignore[arg-type]
    return out


def _till_invoices(
    articles: list[DemoArticle], weighed: list[DemoArticle], base: datetime
) -> list[DemoOrder]:
    """Four till sales booked as invoices (no order): coffee by the kilo and a piece article, a company with a
    long name at a PO box, a person in a street whose name holds a number, and one not paid yet. Fixed rows
    that take nothing from the random stream, so the rest of the shop is the same with or without them."""
    piece = next(
        a
        for a in articles
        if a.item_code.isdigit() and not a.blocked and a.vat_group == "HOOG" and a.model_code is None
    )
    coffee, tea = weighed[0], weighed[1]

    def line(a: DemoArticle, quantity: str) -> DemoOrderLine:
        vat = Decimal(9) if a.vat_group == "LAAG" else Decimal(21)
        return DemoOrderLine(
            a.item_code,
            a.description,
            Decimal(quantity),
            (a.price_excl * (1 + vat / 100)).quantize(Decimal("0.01")),
            1 if vat == 9 else 2,
            vat,
        )

    def total(lines: tuple[DemoOrderLine, ...]) -> Decimal:
        return sum(((ln.quantity * ln.price_incl).quantize(Decimal("0.01")) for ln in lines), Decimal(0))

    nobody = {
        "relation_number": None,
        "customer_name": None,
        "company_name": None,
        "email": None,
        "address": None,
        "zipcode": None,
        "city": None,
        "country": None,
        "vat_number": None,
    }
    sales = [
        ("F-2026001", (line(coffee, "0.375"), line(piece, "1")), nobody, "CASH", True),
        (
            "F-2026002",
            (line(tea, "1.250"),),
            {
                **nobody,
                "customer_name": "Anna de Vries",
                "email": "inkoop@koffiebranderij-vdv.nl",
                "company_name": "Koffiebranderij en Theehandel Van der Velde-De Groot Import en Export Benelux B.V. "
                "(vestiging Zuidoost-Brabant en Noord-Limburg)",
                "address": "Postbus 51",
                "zipcode": "5600 AB",
                "city": "Eindhoven",
                "country": "NL",
            },
            "IDEAL",
            True,
        ),
        (
            "F-2026003",
            (line(piece, "2"), line(coffee, "0.500")),
            {
                **nobody,
                "customer_name": "Sanne Bakker",
                "email": "sanne.bakker@example.nl",
                "address": "2e Jan Steenstraat 4 hs",
                "zipcode": "1073 VL",
                "city": "Amsterdam",
                "country": "NL",
            },
            "PIN",
            True,
        ),
        (
            "F-2026004",
            (line(tea, "0.250"),),
            {
                **nobody,
                "customer_name": "Jan Smit",
                "email": "jan.smit@example.nl",
                "address": "Dorpsstraat 7",
                "zipcode": "3731 AA",
                "city": "De Bilt",
                "country": "NL",
            },
            "PIN",
            False,
        ),
    ]
    out = []
    for n, (ext, lines, customer, method, paid) in enumerate(sales):
        amount = total(lines)
        out.append(
            DemoOrder(
                ext_order_id=ext,
                branch=BRANCHES[n % 2][0],
                entry=base + timedelta(days=n, hours=5),
                lines=lines,
                payments=((method, amount),) if paid else (),
                fully_paid=paid,
                **customer,
            )
        )  # type: ignore[arg-type]
    return out


def build_catalog(
    n_articles: int = 300, n_debtors: int = 40, seed: int = 42, today: date | None = None
) -> DemoCatalog:
    """The demo shop at the given size; the same arguments always give the same shop."""
    rng = random.Random(seed)
    base = datetime(2026, 1, 5, 9, 0)
    # AFAS's dates are Amsterdam local dates: around midnight UTC the two days differ.
    today = today or afas_today()
    articles = _articles(rng, n_articles, base)
    weighed = _weighed_articles(base)
    debtors = _debtors(rng, n_debtors, base)
    relations = _relations(debtors)
    return DemoCatalog(
        seed=seed,
        today=today,
        groups=list(GROUPS),
        warehouses=list(WAREHOUSES),
        branches=list(BRANCHES),
        articles=articles + weighed,
        stock=_stock(rng, articles) + _weighed_stock(weighed),
        debtors=debtors,
        price_lists=list(PRICE_LISTS),
        price_groups=list(PRICE_GROUPS),
        price_rows=_price_rows(rng, articles, today),
        agreements=_agreements(debtors, articles, today),
        relations=relations,
        orders=_orders(rng, articles, debtors, relations, base),
        payment_methods=list(PAYMENT_METHODS),
        till_invoices=_till_invoices(articles, weighed, base),
    )
