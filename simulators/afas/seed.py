"""Seed the AFAS stand-in from the demo catalog: AFAS's side of the demo shop before the first sync."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..demo.records import DemoCatalog
from .countries import afas_country
from .model import Agreement, Article, Debtor, Group, OrgPer, PriceList, PriceRow, Stock, Warehouse
from .records import as_datetime
from .store import TABLES, AfasStore

_SEED_MODIFIED = datetime(2026, 1, 5, 9, 0)  # the catalog's base time, for rows it gives no date


def seed_tables(store: AfasStore, catalog: DemoCatalog) -> None:
    """Fill `store` (emptied first) with the catalog's AFAS data; every table counts as changed."""
    store.clear_tables()
    store.groups = {c: Group(code=c, description=d) for c, d in catalog.groups}
    store.warehouses = {
        c: Warehouse(code=c, description=d, created=_SEED_MODIFIED, modified=_SEED_MODIFIED)
        for c, d in catalog.warehouses
    }
    for a in catalog.articles:
        store.articles[a.item_code] = Article(
            item_code=a.item_code,
            description=a.description,
            extra_description=a.extra_description,
            group_code=a.group_code,
            discount_group=a.group_code,
            model_code=a.model_code,
            colour=a.colour,
            size=a.size,
            price_excl=a.price_excl,
            vat_group=a.vat_group,
            ean=a.ean,
            blocked=a.blocked,
            pos=a.pos,
            stock_tracked=a.stock_tracked,
            brand=a.brand,
            features=dict(a.features),
            unit=a.unit,
            created=a.created,
            modified=a.modified,
        )
    for s in catalog.stock:
        modified = store.articles[s.item_code].modified
        store.put_stock_row(
            Stock(
                item_code=s.item_code,
                warehouse=s.warehouse,
                physical=s.physical,
                allocated=s.allocated,
                reserved=s.reserved,
                incoming=s.incoming,
                modified=modified,
            )
        )
    for d in catalog.debtors:
        created = d.modified - timedelta(days=30)
        if d.kind == "org":
            op = OrgPer(
                bc_co=d.bc_code,
                kind="O",
                name=d.company_name,
                contact_first_name=d.first_name,
                contact_prefix=d.prefix or None,
                contact_last_name=d.last_name or None,
                email=d.email,
                coc_number=d.coc_number,
                created=created,
                modified=d.modified,
            )
        else:
            op = OrgPer(
                bc_co=d.bc_code,
                kind="P",
                first_name=d.first_name,
                prefix=d.prefix or None,
                last_name=d.last_name or None,
                initials=d.first_name[:1] + ".",
                email=d.email,
                created=created,
                modified=d.modified,
            )
        op.street, op.house_number, op.house_addition = d.street, d.house_number, d.house_addition or None
        op.zipcode, op.city, op.country = d.zipcode, d.city, afas_country(d.country)
        op.search_name = (op.display_name() or "").upper()[:10] or None
        store.orgpers[op.bc_co] = op
        store.put_debtor_row(
            Debtor(
                debtor_id=d.debtor_id,
                bc_co=d.bc_code,
                kind=op.kind,
                payment_condition=d.payment_condition,
                price_list=d.price_list,
                customer_group=d.customer_group,
                discount_pct=d.discount_pct,
                blocked=d.blocked,
                vat_number=d.vat_number,
                created=created,
                modified=d.modified,
            )
        )
    store.price_lists = {
        c: PriceList(code=c, description=desc, vat_included=incl) for c, desc, incl in catalog.price_lists
    }
    for p in catalog.price_rows:
        store.counters["price_row"] += 1
        rid = store.counters["price_row"]
        store.price_rows[rid] = PriceRow(
            row_id=rid,
            price_list=p.price_list,
            item_code=p.item_code,
            from_qty=p.from_qty,
            price=p.price,
            discount_pct=p.discount_pct,
            valid_from=as_datetime(p.valid_from) or _SEED_MODIFIED,
            valid_to=as_datetime(p.valid_to),
            currency=p.currency,
            modified=_SEED_MODIFIED,
        )
    for g in catalog.agreements:
        store.counters["agreement"] += 1
        aid = store.counters["agreement"]
        store.agreements[aid] = Agreement(
            agreement_id=aid,
            debtor_id=g.debtor_id,
            item_code=g.item_code,
            discount_group=g.discount_group,
            from_qty=g.from_qty,
            price=g.price,
            discount_pct=g.discount_pct,
            valid_from=as_datetime(g.valid_from) or _SEED_MODIFIED,
            valid_to=as_datetime(g.valid_to),
            modified=_SEED_MODIFIED,
        )
    store.counters["debtor"] = max((int(k) for k in store.debtors if k.isdigit()), default=10000)
    store.counters["bc"] = max((int(k) for k in store.orgpers if k.isdigit()), default=1000)
    for table in TABLES:
        store.touch_all(table)
