"""The AFAS stand-in's storage: AFAS's tables, a change log, persistence, and the helpers the update
connectors use.

Every change goes through `touch(table, key)`, which appends to a per-table change log with a global
sequence number; the GetConnector views (query.py) replay that log to update only the rows that changed
instead of rebuilding 100k rows per call. Changes stamp ModifiedDate with `now()` (the injectable clock,
Europe/Amsterdam wall-clock time, as AFAS stores it).

The connectors work on this class; :class:`simulators.afas.state.AfasState` adds seeding and the test
mutators on top.
"""

from __future__ import annotations

import bisect
import json
import os
import random
import threading
import uuid
from collections.abc import Callable, Hashable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from ..demo.records import DemoCatalog
from .model import (
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
)
from .records import from_json, to_json
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


def amsterdam_now() -> datetime:
    return datetime.now(AMSTERDAM).replace(tzinfo=None)


def state_file(path: Path | str | None) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    return p / STATE_FILE if p.is_dir() or p.suffix == "" else p


class AfasStore:
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
        self.clear_tables()

    def clear_tables(self) -> None:
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
        file = state_file(path) or self.path
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
    def load(cls, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> Self:
        file = state_file(path)
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
        self.clear_tables()
        self.counters.update(data["counters"])
        self.groups = {g.code: g for g in (from_json(Group, v) for v in data["groups"])}
        self.warehouses = {w.code: w for w in (from_json(Warehouse, v) for v in data["warehouses"])}
        self.articles = {a.item_code: a for a in (from_json(Article, v) for v in data["articles"])}
        for v in data["stock"]:
            self.put_stock_row(from_json(Stock, v))
        self.orgpers = {o.bc_co: o for o in (from_json(OrgPer, v) for v in data["orgpers"])}
        for v in data["debtors"]:
            self.put_debtor_row(from_json(Debtor, v))
        self.price_lists = {p.code: p for p in (from_json(PriceList, v) for v in data["price_lists"])}
        self.price_rows = {p.row_id: p for p in (from_json(PriceRow, v) for v in data["price_rows"])}
        self.agreements = {g.agreement_id: g for g in (from_json(Agreement, v) for v in data["agreements"])}
        self.orders = {o.order_number: o for o in (from_json(SalesOrder, v) for v in data["orders"])}
        self.fi_entries = {e.entry_no: e for e in (from_json(FiEntry, v) for v in data["fi_entries"])}
        for table in TABLES:
            self.touch_all(table)

    # ------------------------------------------------------------ helpers for seeding, loading and updates.py
    # put_*_row keep the indexes without touching the change log; put_orgper/put_debtor do both.

    def put_stock_row(self, s: Stock) -> None:
        self.stock[(s.item_code, s.warehouse)] = s
        self.stock_by_item.setdefault(s.item_code, {})[s.warehouse] = s

    def put_debtor_row(self, d: Debtor) -> None:
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
        self.put_debtor_row(d)
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
            self.put_stock_row(s)
        s.physical += physical
        s.reserved = max(Decimal(0), s.reserved + reserved)
        s.modified = self.now()
        self.touch("stock", (item_code, warehouse))

    def vat_pct(self, item_code: str | None) -> Decimal:
        a = self.articles.get(item_code or "")
        return VAT_PCT.get(a.vat_group, Decimal(21)) if a else Decimal(21)

    # ------------------------------------------------------------ look-ups (tests, benchmarks)

    def entries_with_voucher(self, voucher: str) -> list[FiEntry]:
        """Financial entries with a line of this entry number (BpNr)."""
        with self.lock:
            return [e for e in self.fi_entries.values() if any(ln.get("BpNr") == voucher for ln in e.lines)]

    def orders_with_reference(self, reference: str) -> list[SalesOrder]:
        with self.lock:
            return [o for o in self.orders.values() if o.reference == reference]

    def debtor_by_email(self, email: str) -> list[Debtor]:
        with self.lock:
            wanted = email.casefold()
            return [
                d for d in self.debtors.values() if (self.orgpers[d.bc_co].email or "").casefold() == wanted
            ]
