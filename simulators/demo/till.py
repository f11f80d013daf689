"""MplusKASSA's side of the demo shop: relations that already exist at the till, POS orders and sales booked
as invoices without an order."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from simulators.demo.records import (
    DemoArticle,
    DemoDebtor,
    DemoOrder,
    DemoOrderLine,
    DemoRelation,
)
from simulators.demo.tables import (
    BRANCHES,
)


def demo_relations(debtors: list[DemoDebtor]) -> list[DemoRelation]:
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


def demo_orders(
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


def demo_till_invoices(
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
