"""AFAS's side of the demo shop, generated from a seeded random source: articles (including weighed ones),
stock per warehouse, debtors, price-list rows and price agreements."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from simulators.demo.records import (
    DemoAgreement,
    DemoArticle,
    DemoDebtor,
    DemoPriceRow,
    DemoStock,
)
from simulators.demo.tables import (
    ADJECTIVES,
    CITIES,
    COLOURS,
    COMPANY_WORDS,
    FIRST_NAMES,
    GROUPS,
    LAST_NAMES,
    NOUNS,
    PRICE_LISTS,
    SHOE_SIZES,
    SIZES,
    STREETS,
    WAREHOUSES,
)


def _ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) / 100).quantize(Decimal("0.01"))


def demo_articles(rng: random.Random, n: int, base: datetime) -> list[DemoArticle]:
    out: list[DemoArticle] = []
    code = 10000
    model_no = 0
    while len(out) < n:
        group, _ = rng.choice(GROUPS[:-1])
        noun = rng.choice(NOUNS[group])
        name = f"{rng.choice(ADJECTIVES)} {noun}"
        price = money(rng, 5, 180)
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
            a = replace(
                a,
                item_code=f"GC-{a.item_code}" if i == 3 else f"{a.item_code}A",
                model_code=None,
                colour=None,
                size=None,
            )
        elif i == 11:  # blocked in AFAS
            a = replace(a, blocked=True)
        elif i in (19, 23):  # not sold in the POS: filtered out by the default filter
            a = replace(a, pos=False)
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


def demo_weighed_articles(base: datetime) -> list[DemoArticle]:
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


def demo_weighed_stock(articles: list[DemoArticle]) -> list[DemoStock]:
    amounts = (Decimal("12.500"), Decimal("3.750"), Decimal("0.875"))
    return [
        DemoStock(a.item_code, "01", amounts[i % len(amounts)], Decimal(0), Decimal(0), Decimal(0))
        for i, a in enumerate(articles)
    ]


def demo_stock(rng: random.Random, articles: list[DemoArticle]) -> list[DemoStock]:
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


def demo_debtors(rng: random.Random, n: int, base: datetime) -> list[DemoDebtor]:
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


def demo_price_rows(rng: random.Random, articles: list[DemoArticle], today: date) -> list[DemoPriceRow]:
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


def demo_agreements(
    debtors: list[DemoDebtor], articles: list[DemoArticle], today: date
) -> list[DemoAgreement]:
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
