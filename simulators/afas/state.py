"""The stand-in's data: AFAS's tables seeded from the demo catalog, a change log, persistence, test mutators.

Every change goes through `touch(table, key)`, which appends to a per-table change log with a global
sequence number; the GetConnector views (query.py) replay that log to update only the rows that changed
instead of rebuilding 100k rows per call. Mutators stamp ModifiedDate with `now()` (the injectable clock,
Europe/Amsterdam wall-clock time, as AFAS stores it).
"""

from __future__ import annotations

import bisect
import json
import os
import random
import threading
import uuid
from collections.abc import Callable, Hashable, Iterable
from dataclasses import fields as dc_fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..demo.catalog import DemoCatalog, build_catalog
from .model import (
    AFAS_COUNTRIES,
    ISO_TO_AFAS,
    VAT_PCT,
    Agreement,
    Article,
    Debtor,
    FiEntry,
    Group,
    OrgPer,
    PriceList,
    PriceRow,
    SalesOrder,
    Stock,
    Warehouse,
    as_datetime,
    coerce_decimal,
    from_json,
    to_json,
)
from .stats import SimStats

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TABLES = (
    "articles",
    "groups",
    "warehouses",
    "stock",
    "orgpers",
    "debtors",
    "price_lists",
    "price_rows",
    "agreements",
    "orders",
    "fi_entries",
)
STATE_FORMAT = "afas-stand-in/1"
STATE_FILE = "afas-state.json"
_LOG_MAX = 50_000  # change-log entries kept per table; older views simply rebuild
_SEED_MODIFIED = datetime(2026, 1, 5, 9, 0)  # the catalog's base time, for rows it gives no date


def amsterdam_now() -> datetime:
    return datetime.now(AMSTERDAM).replace(tzinfo=None)


def afas_country(code: str | None) -> str | None:
    """An AFAS country code from an AFAS or ISO code ("BE" -> "B"); unknown codes pass unchanged."""
    if not code:
        return None
    code = code.strip().upper()
    return code if code in AFAS_COUNTRIES else ISO_TO_AFAS.get(code, code)


class AfasState:
    """All AFAS data of one environment (administration 1). Thread-safe through `lock` (an RLock)."""

    administrations: dict[int, str] = {1: "Demo Mode & Wonen B.V."}

    def __init__(self, *, clock: Callable[[], datetime] | None = None, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.clock: Callable[[], datetime] = clock or amsterdam_now
        self.stats = SimStats()
        self.order_stock_effects = True  # orders reserve stock, direct invoices deliver it (as in AFAS)
        self.path: Path | None = None
        self._seed = seed
        self._catalog: DemoCatalog | None = None
        self._snapshot: dict[str, Any] | None = None
        self._clear()

    def _clear(self) -> None:
        self.rng = random.Random(self._seed)
        self.articles: dict[str, Article] = {}
        self.groups: dict[str, Group] = {}
        self.warehouses: dict[str, Warehouse] = {}
        self.stock: dict[tuple[str, str], Stock] = {}
        self.stock_by_item: dict[str, dict[str, Stock]] = {}
        self.orgpers: dict[str, OrgPer] = {}
        self.debtors: dict[str, Debtor] = {}
        self.debtors_by_bc: dict[str, set[str]] = {}
        self.price_lists: dict[str, PriceList] = {}
        self.price_rows: dict[int, PriceRow] = {}
        self.agreements: dict[int, Agreement] = {}
        self.orders: dict[str, SalesOrder] = {}
        self.fi_entries: dict[int, FiEntry] = {}
        self.closed_periods: set[tuple[int, int]] = set()  # (year, period) no entry may be booked in
        self.counters: dict[str, int] = {
            "FbSales": 60000000,
            "FbSalesQuotation": 40000000,
            "FbDirectInvoice": 70000000,
            "invoice": 80000000,
            "entry": 0,
            "debtor": 0,
            "bc": 0,
            "price_row": 0,
            "agreement": 0,
        }
        self.seq = 0
        self.table_seq: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._log: dict[str, list[tuple[int, Hashable]]] = {t: [] for t in TABLES}
        self._floor: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.views: dict[str, Any] = {}  # GetConnector row caches, owned by query.py

    # ------------------------------------------------------------ clock and change log

    def now(self) -> datetime:
        value = self.clock()
        if value.tzinfo is not None:
            value = value.astimezone(AMSTERDAM).replace(tzinfo=None)
        return value

    def today(self) -> datetime:
        n = self.now()
        return datetime(n.year, n.month, n.day)

    def touch(self, table: str, key: Hashable) -> None:
        self.seq += 1
        self.table_seq[table] = self.seq
        log = self._log[table]
        log.append((self.seq, key))
        if len(log) > _LOG_MAX:
            cut = len(log) // 2
            self._floor[table] = log[cut - 1][0]
            del log[:cut]

    def touch_all(self, table: str) -> None:
        """Everything in `table` may have changed: views rebuild it."""
        self.seq += 1
        self.table_seq[table] = self.seq
        self._log[table].clear()
        self._floor[table] = self.seq

    def changes_since(self, table: str, seq: int) -> list[Hashable] | None:
        """Keys of `table` touched after `seq`; None when the log no longer reaches back (rebuild)."""
        if seq < self._floor[table]:
            return None
        log = self._log[table]
        start = bisect.bisect_right(log, seq, key=lambda entry: entry[0])
        return [key for _, key in log[start:]]

    # ------------------------------------------------------------ construction

    @classmethod
    def from_catalog(cls, catalog: DemoCatalog, *, clock: Callable[[], datetime] | None = None) -> AfasState:
        state = cls(clock=clock, seed=catalog.seed)
        state._catalog = catalog
        state._seed_from(catalog)
        return state

    @classmethod
    def load_or_seed(
        cls, path: Path | str | None, *, clock: Callable[[], datetime] | None = None, **catalog_kwargs: Any
    ) -> AfasState:
        """Load the saved state at `path` (a file, or a directory holding afas-state.json) if present;
        else seed from build_catalog(**catalog_kwargs) and, with a path, save it there at once."""
        file = _state_file(path)
        if file is not None and file.exists():
            state = cls.load(file, clock=clock)
        else:
            state = cls.from_catalog(build_catalog(**catalog_kwargs), clock=clock)
            if file is not None:
                state.save(file)
        state.path = file
        return state

    def _seed_from(self, catalog: DemoCatalog) -> None:
        self._clear()
        self.groups = {c: Group(code=c, description=d) for c, d in catalog.groups}
        self.warehouses = {
            c: Warehouse(code=c, description=d, created=_SEED_MODIFIED, modified=_SEED_MODIFIED)
            for c, d in catalog.warehouses
        }
        for a in catalog.articles:
            self.articles[a.item_code] = Article(
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
            modified = self.articles[s.item_code].modified
            self._put_stock(
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
            self.orgpers[op.bc_co] = op
            self._put_debtor(
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
        self.price_lists = {
            c: PriceList(code=c, description=desc, vat_included=incl) for c, desc, incl in catalog.price_lists
        }
        for p in catalog.price_rows:
            self.counters["price_row"] += 1
            rid = self.counters["price_row"]
            self.price_rows[rid] = PriceRow(
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
            self.counters["agreement"] += 1
            aid = self.counters["agreement"]
            self.agreements[aid] = Agreement(
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
        self.counters["debtor"] = max((int(k) for k in self.debtors if k.isdigit()), default=10000)
        self.counters["bc"] = max((int(k) for k in self.orgpers if k.isdigit()), default=1000)
        for table in TABLES:
            self.touch_all(table)

    def reset(self) -> None:
        """Back to the seeded (or loaded) content; stats are kept (see stats.reset())."""
        with self.lock:
            if self._catalog is not None:
                self._seed_from(self._catalog)
            elif self._snapshot is not None:
                self._restore(self._snapshot)

    # ------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            return {
                "format": STATE_FORMAT,
                "seed": self._seed,
                "counters": dict(self.counters),
                "groups": [to_json(v) for v in self.groups.values()],
                "warehouses": [to_json(v) for v in self.warehouses.values()],
                "articles": [to_json(v) for v in self.articles.values()],
                "stock": [to_json(v) for v in self.stock.values()],
                "orgpers": [to_json(v) for v in self.orgpers.values()],
                "debtors": [to_json(v) for v in self.debtors.values()],
                "price_lists": [to_json(v) for v in self.price_lists.values()],
                "price_rows": [to_json(v) for v in self.price_rows.values()],
                "agreements": [to_json(v) for v in self.agreements.values()],
                "orders": [to_json(v) for v in self.orders.values()],
                "fi_entries": [to_json(v) for v in self.fi_entries.values()],
            }

    def save(self, path: Path | str | None = None) -> Path:
        """Write the state as JSON (atomically: a temp file, then rename); default: the loaded path."""
        file = _state_file(path) or self.path
        if file is None:
            raise ValueError("no path to save the AFAS stand-in state to")
        file.parent.mkdir(parents=True, exist_ok=True)
        data = self.to_dict()
        tmp = file.with_name(file.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, file)
        return file

    @classmethod
    def load(cls, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> AfasState:
        file = _state_file(path)
        assert file is not None
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"{file} is not an AFAS stand-in state ({data.get('format')!r})")
        state = cls(clock=clock, seed=int(data.get("seed", 0)))
        state._snapshot = data
        state._restore(data)
        state.path = file
        return state

    def _restore(self, data: dict[str, Any]) -> None:
        self._clear()
        self.counters.update(data["counters"])
        self.groups = {g.code: g for g in (from_json(Group, v) for v in data["groups"])}
        self.warehouses = {w.code: w for w in (from_json(Warehouse, v) for v in data["warehouses"])}
        self.articles = {a.item_code: a for a in (from_json(Article, v) for v in data["articles"])}
        for v in data["stock"]:
            self._put_stock(from_json(Stock, v))
        self.orgpers = {o.bc_co: o for o in (from_json(OrgPer, v) for v in data["orgpers"])}
        for v in data["debtors"]:
            self._put_debtor(from_json(Debtor, v))
        self.price_lists = {p.code: p for p in (from_json(PriceList, v) for v in data["price_lists"])}
        self.price_rows = {p.row_id: p for p in (from_json(PriceRow, v) for v in data["price_rows"])}
        self.agreements = {g.agreement_id: g for g in (from_json(Agreement, v) for v in data["agreements"])}
        self.orders = {o.order_number: o for o in (from_json(SalesOrder, v) for v in data["orders"])}
        self.fi_entries = {e.entry_no: e for e in (from_json(FiEntry, v) for v in data["fi_entries"])}
        for table in TABLES:
            self.touch_all(table)

    # ------------------------------------------------------------ internal helpers (also used by updates.py)

    def _put_stock(self, s: Stock) -> None:
        self.stock[(s.item_code, s.warehouse)] = s
        self.stock_by_item.setdefault(s.item_code, {})[s.warehouse] = s

    def _put_debtor(self, d: Debtor) -> None:
        old = self.debtors.get(d.debtor_id)
        if old is not None and old.bc_co != d.bc_co:
            self.debtors_by_bc.get(old.bc_co, set()).discard(d.debtor_id)
        self.debtors[d.debtor_id] = d
        self.debtors_by_bc.setdefault(d.bc_co, set()).add(d.debtor_id)
        n = int(d.debtor_id) if d.debtor_id.isdigit() else 0
        self.counters["debtor"] = max(self.counters["debtor"], n)

    def next_number(self, counter: str) -> int:
        self.counters[counter] += 1
        return self.counters[counter]

    def next_bc_co(self) -> str:
        while True:
            code = str(self.next_number("bc"))
            if code not in self.orgpers:
                return code

    def next_debtor_id(self) -> str:
        while True:
            code = str(self.next_number("debtor"))
            if code not in self.debtors:
                return code

    def new_guid(self) -> str:
        """A line GUID in AFAS's braced upper-case form; from the seeded RNG, so runs repeat."""
        return "{" + str(uuid.UUID(int=self.rng.getrandbits(128), version=4)).upper() + "}"

    def put_orgper(self, op: OrgPer) -> None:
        self.orgpers[op.bc_co] = op
        n = int(op.bc_co) if op.bc_co.isdigit() else 0
        self.counters["bc"] = max(self.counters["bc"], n)
        self.touch("orgpers", op.bc_co)

    def put_debtor(self, d: Debtor) -> None:
        self._put_debtor(d)
        self.touch("debtors", d.debtor_id)

    def touch_orgper(self, bc_co: str) -> None:
        """An organisation/person changed: its debtors' rows change with it."""
        self.touch("orgpers", bc_co)

    def adjust_stock(
        self,
        item_code: str,
        warehouse: str,
        *,
        physical: Decimal = Decimal(0),
        reserved: Decimal = Decimal(0),
    ) -> None:
        s = self.stock.get((item_code, warehouse))
        if s is None:
            s = Stock(item_code=item_code, warehouse=warehouse)
            self._put_stock(s)
        s.physical += physical
        s.reserved = max(Decimal(0), s.reserved + reserved)
        s.modified = self.now()
        self.touch("stock", (item_code, warehouse))

    def vat_pct(self, item_code: str | None) -> Decimal:
        a = self.articles.get(item_code or "")
        return VAT_PCT.get(a.vat_group, Decimal(21)) if a else Decimal(21)

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
            _apply(article, fields, Article.ALIASES)
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
            _apply(article, fields, Article.ALIASES, stamp=self.now(), frozen={"item_code"})
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
                self._put_stock(s)
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
            _apply(debtor, own, {}, stamp=now, frozen={"debtor_id"})
            _apply(op, other, {}, stamp=now, frozen={"bc_co", "kind"})
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
                _apply(row, fields, PriceRow.ALIASES, stamp=now, frozen={"row_id"})
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
            _apply(agreement, fields, Agreement.ALIASES, stamp=self.now(), frozen={"agreement_id"})
            self.touch("agreements", agreement_id)
            return agreement

    def remove_agreement(self, agreement_id: int) -> None:
        with self.lock:
            del self.agreements[agreement_id]
            self.touch("agreements", agreement_id)

    # ------------------------------------------------------------ look-ups for tests

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

    def entries_with_voucher(self, voucher: str) -> list[FiEntry]:
        """Financial entries with a line of this entry number (BpNr)."""
        with self.lock:
            return [e for e in self.fi_entries.values() if any(ln.get("BpNr") == voucher for ln in e.lines)]

    def remove_entry(self, entry_no: int) -> None:
        """Delete a financial entry (as reversing it in AFAS would take it out of the totals)."""
        with self.lock:
            del self.fi_entries[entry_no]
            self.touch("fi_entries", entry_no)

    def orders_with_reference(self, reference: str) -> list[SalesOrder]:
        with self.lock:
            return [o for o in self.orders.values() if o.reference == reference]

    def debtor_by_email(self, email: str) -> list[Debtor]:
        with self.lock:
            wanted = email.casefold()
            return [
                d for d in self.debtors.values() if (self.orgpers[d.bc_co].email or "").casefold() == wanted
            ]


def _state_file(path: Path | str | None) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    return p / STATE_FILE if p.is_dir() or p.suffix == "" else p


def _apply(
    record: Any,
    values: dict[str, Any],
    aliases: dict[str, str],
    *,
    stamp: datetime | None = None,
    frozen: Iterable[str] = (),
) -> None:
    """Set fields on a record with type coercion; `stamp` sets ModifiedDate unless given explicitly."""
    names = {f.name: f for f in dc_fields(record)}
    frozen = set(frozen)
    explicit_modified = False
    for key, value in values.items():
        name = aliases.get(key, key)
        if name not in names or name in frozen:
            raise TypeError(f"{type(record).__name__} has no settable field {key!r}")
        current = getattr(record, name)
        hint = str(names[name].type)
        if value is not None:
            if "Decimal" in hint:
                value = coerce_decimal(value)
            elif "datetime" in hint:
                value = as_datetime(value)
            elif hint.startswith("bool"):
                value = value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true")
            elif isinstance(current, str) and not isinstance(value, str):
                value = str(value)
        setattr(record, name, value)
        explicit_modified = explicit_modified or name == "modified"
    if stamp is not None and not explicit_modified and "modified" in names:
        record.modified = stamp
