"""The demo shop both stand-ins are seeded from: one deterministic description, two systems.

A small Dutch fashion-and-homeware shop. AFAS holds the master data (articles, groups,
stock per warehouse, debtors, price lists); MplusKASSA holds two branches, a few relations
that already exist at the till (one shares an e-mail with an AFAS debtor) and POS orders.
Everything is derived from `seed`, so two builds with the same arguments are equal.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from connectors.afas.dates import afas_today
from simulators.demo import master_data, till
from simulators.demo.records import DemoCatalog
from simulators.demo.tables import BRANCHES, GROUPS, PAYMENT_METHODS, PRICE_GROUPS, PRICE_LISTS, WAREHOUSES


def build_catalog(
    n_articles: int = 300, n_debtors: int = 40, seed: int = 42, today: date | None = None
) -> DemoCatalog:
    """The demo shop at the given size; the same arguments always give the same shop."""
    rng = random.Random(seed)
    base = datetime(2026, 1, 5, 9, 0)
    # AFAS's dates are Amsterdam local dates: around midnight UTC the two days differ.
    today = today or afas_today()
    articles = master_data.demo_articles(rng, n_articles, base)
    weighed = master_data.demo_weighed_articles(base)
    debtors = master_data.demo_debtors(rng, n_debtors, base)
    relations = till.demo_relations(debtors)
    return DemoCatalog(
        seed=seed,
        today=today,
        groups=list(GROUPS),
        warehouses=list(WAREHOUSES),
        branches=list(BRANCHES),
        articles=articles + weighed,
        stock=master_data.demo_stock(rng, articles) + master_data.demo_weighed_stock(weighed),
        debtors=debtors,
        price_lists=list(PRICE_LISTS),
        price_groups=list(PRICE_GROUPS),
        price_rows=master_data.demo_price_rows(rng, articles, today),
        agreements=master_data.demo_agreements(debtors, articles, today),
        relations=relations,
        orders=till.demo_orders(rng, articles, debtors, relations, base),
        payment_methods=list(PAYMENT_METHODS),
        till_invoices=till.demo_till_invoices(articles, weighed, base),
    )
