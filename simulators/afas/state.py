"""The AFAS stand-in's state: the storage (:mod:`simulators.afas.store`) plus seeding from the demo catalog
and the test mutators that change data as a user in AFAS would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields as dc_fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..demo.catalog import build_catalog
from ..demo.records import DemoCatalog
from .countries import afas_country
from .model import (
    Agreement,
    Article,
    Debtor,
    Group,
    OrgPer,
    PriceList,
    PriceRow,
    Stock,
    Warehouse,
)
from .records import apply_fields, as_datetime, coerce_decimal
from .seed import seed_tables
from .store import AfasStore, state_file


class AfasState(AfasStore):
    """All AFAS data of one environment (administration 1), with seeding and test mutators."""

    # ------------------------------------------------------------ construction

    @classmethod
    def from_catalog(cls, catalog: DemoCatalog, *, clock: Callable[[], datetime] | None = None) -> AfasState:
        state = cls(clock=clock, seed=catalog.seed)
        state._catalog = catalog
        seed_tables(state, catalog)
        return state

    @classmethod
    def load_or_seed(
        cls, path: Path | str | None, *, clock: Callable[[], datetime] | None = None, **catalog_kwargs: Any
    ) -> AfasState:
        """Load the saved state at `path` (a file, or a directory holding afas-state.json) if present;
        else seed from build_catalog(**catalog_kwargs) and, with a path, save it there at once."""
        file = state_file(path)
        if file is not None and file.exists():
            state = cls.load(file, clock=clock)
        else:
            state = cls.from_catalog(build_catalog(**catalog_kwargs), clock=clock)
            if file is not None:
                state.save(file)
        state.path = file
        return state

    def reset(self) -> None:
        """Back to the seeded (or loaded) content; stats are kept (see stats.reset())."""
        with self.lock:
            if self._catalog is not None:
                seed_tables(self, self._catalog)
            elif self._snapshot is not None:
                self._restore(self._snapshot)

    # ------------------------------------------------------------ test mutators: articles

    def add_article(self, item_code: str, description: str | None = None, **fields: Any) -> Article:
        """A new article (ModifiedDate = now); fields by attribute or AFAS column name."""
        with self.lock:
            if item_code in self.articles:
                raise ValueError(f"article {item_code!r} already exists")
            now = self.now()
            article = Article(
                item_code=item_code,
                description=description or f"Artikel {item_code}",
                created=now,
                modified=now,
            )
            apply_fields(article, fields, Article.ALIASES)
            article.discount_group = article.discount_group or article.group_code
            self.articles[item_code] = article
            self.touch("articles", item_code)
            return article

    def add_article_for_code(self, item_code: str, **fields: Any) -> Article:
        """Create the article an order line refers to, using that line's text and price where the demo
        catalog has one (e.g. "88888", sold at the till before AFAS knew it)."""
        with self.lock:
            values: dict[str, Any] = {
                "group_code": "500",
                "vat_group": "HOOG",
                "price_excl": Decimal("10.00"),
            }
            for order in self._catalog.orders if self._catalog else []:
                for line in order.lines:
                    if line.article_number == item_code:
                        vat_group = {Decimal(9): "LAAG", Decimal(0): "GEEN"}.get(line.vat_pct, "HOOG")
                        values.update(
                            description=line.text,
                            vat_group=vat_group,
                            price_excl=(line.price_incl / (1 + line.vat_pct / 100)).quantize(Decimal("0.01")),
                        )
            values.update(fields)
            return self.add_article(item_code, **values)

    def modify_article(self, item_code: str, **fields: Any) -> Article:
        """Change fields (attribute or column names, e.g. description= or Description=); ModifiedDate = now."""
        with self.lock:
            article = self.articles[item_code]
            apply_fields(article, fields, Article.ALIASES, stamp=self.now(), frozen={"item_code"})
            self.touch("articles", item_code)
            return article

    def block_article(self, item_code: str, blocked: bool = True) -> Article:
        return self.modify_article(item_code, blocked=blocked)

    def remove_article(self, item_code: str) -> None:
        """Delete an article and its stock (AFAS refuses this for used articles; tests may want it)."""
        with self.lock:
            del self.articles[item_code]
            self.touch("articles", item_code)
            for wh in list(self.stock_by_item.pop(item_code, {})):
                del self.stock[(item_code, wh)]
                self.touch("stock", (item_code, wh))

    def set_group(self, code: str, description: str, parent: str | None = None) -> None:
        with self.lock:
            self.groups[code] = Group(code=code, description=description, parent=parent)
            self.touch("groups", code)

    def set_warehouse(self, code: str, description: str, blocked: bool = False) -> None:
        with self.lock:
            now = self.now()
            old = self.warehouses.get(code)
            self.warehouses[code] = Warehouse(
                code=code,
                description=description,
                blocked=blocked,
                created=old.created if old else now,
                modified=now,
            )
            self.touch("warehouses", code)

    # ------------------------------------------------------------ test mutators: stock

    def set_stock(
        self,
        item_code: str,
        warehouse: str = "01",
        *,
        physical: Any = None,
        allocated: Any = None,
        reserved: Any = None,
        incoming: Any = None,
        available: Any = None,
    ) -> Stock:
        """Set stock figures of one article in one warehouse (created when missing); ModifiedDate = now.
        `available` sets allocated = physical - available."""
        with self.lock:
            if item_code not in self.articles:
                raise KeyError(f"unknown article {item_code!r}")
            s = self.stock.get((item_code, warehouse))
            if s is None:
                s = Stock(item_code=item_code, warehouse=warehouse)
                self.put_stock_row(s)
            for name, value in (
                ("physical", physical),
                ("allocated", allocated),
                ("reserved", reserved),
                ("incoming", incoming),
            ):
                if value is not None:
                    setattr(s, name, coerce_decimal(value))
            if available is not None:
                s.allocated = s.physical - coerce_decimal(available)
            s.modified = self.now()
            self.touch("stock", (item_code, warehouse))
            return s

    def remove_stock(self, item_code: str, warehouse: str) -> None:
        with self.lock:
            del self.stock[(item_code, warehouse)]
            del self.stock_by_item[item_code][warehouse]
            self.touch("stock", (item_code, warehouse))

    # ------------------------------------------------------------ test mutators: debtors

    def add_debtor(self, kind: str = "O", *, debtor_id: str | None = None, **fields: Any) -> Debtor:
        """A new debtor with its organisation ("O") or person ("P"); fields as in modify_debtor."""
        with self.lock:
            now = self.now()
            kind = "O" if kind.upper().startswith("O") else "P"
            op = OrgPer(bc_co=self.next_bc_co(), kind=kind, created=now, modified=now)
            debtor = Debtor(
                debtor_id=debtor_id or self.next_debtor_id(),
                bc_co=op.bc_co,
                kind=kind,
                created=now,
                modified=now,
            )
            if debtor.debtor_id in self.debtors:
                raise ValueError(f"debtor {debtor.debtor_id!r} already exists")
            self.put_orgper(op)
            self.put_debtor(debtor)
            if fields:
                self.modify_debtor(debtor.debtor_id, **fields)
            return debtor

    def modify_debtor(self, debtor_id: str, **fields: Any) -> Debtor:
        """Change a debtor or its organisation/person: attribute names of Debtor or OrgPer, or Sync_Debtors
        column names (Email=, City=, CountryId= (ISO codes are converted), Blocked=...); ModifiedDate = now."""
        with self.lock:
            debtor = self.debtors[debtor_id]
            op = self.orgpers[debtor.bc_co]
            now = self.now()
            debtor_names = {f.name for f in dc_fields(Debtor)}
            own: dict[str, Any] = {}
            other: dict[str, Any] = {}
            for name, value in fields.items():
                name = Debtor.ALIASES.get(name, name)
                if name in debtor_names and name not in ("bc_co", "kind", "created"):
                    own[name] = value
                else:
                    other[Debtor.ORGPER_ALIASES.get(name, name)] = value
            if "country" in other:
                other["country"] = afas_country(other["country"])
            apply_fields(debtor, own, {}, stamp=now, frozen={"debtor_id"})
            apply_fields(op, other, {}, stamp=now, frozen={"bc_co", "kind"})
            self.touch("debtors", debtor_id)
            self.touch_orgper(op.bc_co)
            return debtor

    def block_debtor(self, debtor_id: str, blocked: bool = True) -> Debtor:
        return self.modify_debtor(debtor_id, blocked=blocked)

    # ------------------------------------------------------------ test mutators: prices

    def add_price_row(
        self,
        price_list: str,
        item_code: str,
        price: Any,
        *,
        from_qty: Any = 1,
        discount_pct: Any = 0,
        valid_from: date | datetime | str | None = None,
        valid_to: date | datetime | str | None = None,
        currency: str = "EUR",
    ) -> PriceRow:
        with self.lock:
            if price_list not in self.price_lists:
                self.price_lists[price_list] = PriceList(code=price_list, description=price_list)
                self.touch("price_lists", price_list)
            rid = self.next_number("price_row")
            row = PriceRow(
                row_id=rid,
                price_list=price_list,
                item_code=item_code,
                from_qty=coerce_decimal(from_qty),
                price=coerce_decimal(price),
                discount_pct=coerce_decimal(discount_pct),
                valid_from=as_datetime(valid_from) or self.today(),
                valid_to=as_datetime(valid_to),
                currency=currency,
                modified=self.now(),
            )
            self.price_rows[rid] = row
            self.touch("price_rows", rid)
            return row

    def find_price_rows(
        self,
        price_list: str,
        item_code: str,
        from_qty: Any = 1,
        valid_from: date | datetime | str | None = None,
    ) -> list[PriceRow]:
        qty = coerce_decimal(from_qty)
        start = as_datetime(valid_from)
        return [
            r
            for r in self.price_rows.values()
            if r.price_list == price_list
            and r.item_code == item_code
            and r.from_qty == qty
            and (start is None or r.valid_from == start)
        ]

    def modify_price_row(
        self,
        price_list: str,
        item_code: str,
        from_qty: Any = 1,
        *,
        valid_from: date | datetime | str | None = None,
        **fields: Any,
    ) -> list[PriceRow]:
        """Change the matching rows (all validity periods unless valid_from is given); ModifiedDate = now."""
        with self.lock:
            rows = self.find_price_rows(price_list, item_code, from_qty, valid_from)
            if not rows:
                raise KeyError(f"no price row {price_list}/{item_code}/{from_qty}")
            now = self.now()
            for row in rows:
                apply_fields(row, fields, PriceRow.ALIASES, stamp=now, frozen={"row_id"})
                self.touch("price_rows", row.row_id)
            return rows

    def remove_price_row(
        self,
        price_list: str,
        item_code: str,
        from_qty: Any = 1,
        *,
        valid_from: date | datetime | str | None = None,
    ) -> int:
        with self.lock:
            rows = self.find_price_rows(price_list, item_code, from_qty, valid_from)
            if not rows:
                raise KeyError(f"no price row {price_list}/{item_code}/{from_qty}")
            for row in rows:
                del self.price_rows[row.row_id]
                self.touch("price_rows", row.row_id)
            return len(rows)

    def add_agreement(
        self,
        debtor_id: str,
        *,
        item_code: str | None = None,
        discount_group: str | None = None,
        price: Any = None,
        discount_pct: Any = 0,
        from_qty: Any = 1,
        valid_from: date | datetime | str | None = None,
        valid_to: date | datetime | str | None = None,
    ) -> Agreement:
        with self.lock:
            aid = self.next_number("agreement")
            agreement = Agreement(
                agreement_id=aid,
                debtor_id=debtor_id,
                item_code=item_code,
                discount_group=discount_group,
                from_qty=coerce_decimal(from_qty),
                price=None if price is None else coerce_decimal(price),
                discount_pct=coerce_decimal(discount_pct),
                valid_from=as_datetime(valid_from) or self.today(),
                valid_to=as_datetime(valid_to),
                modified=self.now(),
            )
            self.agreements[aid] = agreement
            self.touch("agreements", aid)
            return agreement

    def modify_agreement(self, agreement_id: int, **fields: Any) -> Agreement:
        with self.lock:
            agreement = self.agreements[agreement_id]
            apply_fields(agreement, fields, Agreement.ALIASES, stamp=self.now(), frozen={"agreement_id"})
            self.touch("agreements", agreement_id)
            return agreement

    def remove_agreement(self, agreement_id: int) -> None:
        with self.lock:
            del self.agreements[agreement_id]
            self.touch("agreements", agreement_id)

    # ------------------------------------------------------------ test mutators: orders and entries

    def remove_order(self, order_number: str) -> None:
        """Delete a sales order, quotation or direct invoice (as a user in AFAS would), releasing its stock."""
        with self.lock:
            order = self.orders.pop(order_number)
            for line in order.lines:
                article = self.articles.get(line.item_code or "")
                if line.item_type == "2" and article is not None and article.stock_tracked and line.quantity:
                    war = line.warehouse or order.warehouse or "01"
                    if order.connector == "FbDirectInvoice":
                        self.adjust_stock(article.item_code, war, physical=line.quantity)
                    elif order.connector == "FbSales":
                        self.adjust_stock(article.item_code, war, reserved=-line.quantity)
            self.touch("orders", order_number)

    def remove_entry(self, entry_no: int) -> None:
        """Delete a financial entry (as reversing it in AFAS would take it out of the totals)."""
        with self.lock:
            del self.fi_entries[entry_no]
            self.touch("fi_entries", entry_no)
