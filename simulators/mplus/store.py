"""The MplusKASSA stand-in's storage: entities, per-entity syncMarker sequences, indexes and persistence.

Entities are kept as the dicts the codec speaks (the XSD shape: ``Article``, ``Relation``, ``Order``,
``Invoice``), so what a client stores comes back element for element. Every change draws a new value
from that entity type's own sequence (articles, article groups, relations, orders, invoices, employees,
stock ids), exactly as ``getCurrentSyncMarkers`` reports them.

Indexes keep every call cheap at 100k articles: dicts by articleNumber / productNumber / relationNumber /
orderId / extOrderId / e-mail, and append-only :class:`MarkerIndex` lists (bisect) for syncMarker paging.
All access goes through ``store.lock`` (re-entrant): the app may be driven from several loops/threads.

The handlers work on this class; :class:`simulators.mplus.state.MplusState` adds seeding and the till
mutators on top, so the handlers never need to import the module that imports them.
"""

from __future__ import annotations

import copy
import json
import pickle
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from simulators.mplus.index import MarkerIndex
from simulators.mplus.stats import SimStats
from simulators.mplus.values import mplus_datetime, now_local

SEQUENCES = ("article", "articleGroup", "relation", "employee", "invoice", "receipt", "order", "stock")
SNAPSHOT_VERSION = 1
_ID_NAMESPACE = uuid.UUID("6f1c4a52-3f0e-4d38-9a57-6d706c757373")


class MplusStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.stats = SimStats()
        self.clock: Callable[[], datetime] = now_local
        # Reference data, seeded from the demo catalog.
        self.branches: dict[int, dict[str, Any]] = {}
        self.vat_rates: dict[int, int] = {}  # vatCode -> percentage, the same in every demo branch
        self.payment_methods: list[dict[str, Any]] = []
        self.turnover_groups: list[dict[str, Any]] = []
        self.price_groups: dict[int, dict[str, Any]] = {}
        self.employees: dict[int, dict[str, Any]] = {}
        # Sequences: the last value handed out per entity type, and plain id counters.
        self.markers: dict[str, int] = dict.fromkeys(SEQUENCES, 0)
        self.counters: dict[str, int] = {}
        # Products group articles; an article belongs to exactly one product.
        self.products: dict[int, dict[str, Any]] = {}
        self.article_map: dict[int, dict[str, Any]] = {}  # articleNumber -> Article
        self.article_product: dict[int, int] = {}
        self.article_groups: dict[int, dict[str, Any]] = {}
        # Stock per (branch, article): {"free", "reserved", "incoming": Decimal, "stockId", "changed"}.
        self.stock_levels: dict[tuple[int, int], dict[str, Any]] = {}
        self.stock_history: list[dict[str, Any]] = []  # ascending stockId
        self.relations: dict[int, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        # createOrderV3 idempotencyKey -> the original response.
        self.idempotency: dict[str, dict[str, Any]] = {}
        self._reset_indexes()

    # ------------------------------------------------------------------ indexes
    def _reset_indexes(self) -> None:
        self.product_index = MarkerIndex()
        self.group_index = MarkerIndex()
        self.stock_index = MarkerIndex()
        self.relation_index = MarkerIndex()
        self.order_index = MarkerIndex()
        self.invoice_index = MarkerIndex()
        self.employee_index = MarkerIndex()
        self.relation_by_email: dict[str, set[int]] = {}
        self.order_by_ext: dict[str, str] = {}
        self.invoice_by_ext: dict[str, str] = {}

    def _rebuild_indexes(self) -> None:
        self._reset_indexes()
        for index, items, key in (
            (self.product_index, self.products, "productNumber"),
            (self.group_index, self.article_groups, "groupNumber"),
            (self.relation_index, self.relations, "relationNumber"),
            (self.order_index, self.orders, "orderId"),
            (self.invoice_index, self.invoices, "invoiceId"),
            (self.employee_index, self.employees, "employeeNumber"),
        ):
            for item in sorted(items.values(), key=lambda x: x["syncMarker"]):
                index.touch(item[key], item["syncMarker"])
        for k, level in sorted(self.stock_levels.items(), key=lambda kv: kv[1]["stockId"]):
            self.stock_index.touch(k, level["stockId"])
        self.article_product = {
            a: p["productNumber"] for p in self.products.values() for a in p["articleNumbers"]
        }
        for number, relation in self.relations.items():
            self.index_relation_email(number, None, relation.get("email"))
        for order in self.orders.values():
            if order.get("extOrderId"):
                self.order_by_ext[order["extOrderId"]] = order["orderId"]
        for invoice in self.invoices.values():
            if invoice.get("extInvoiceId"):
                self.invoice_by_ext[invoice["extInvoiceId"]] = invoice["invoiceId"]

    def index_relation_email(self, number: int, old: str | None, new: str | None) -> None:
        if old:
            self.relation_by_email.get(old.strip().lower(), set()).discard(number)
        if new:
            self.relation_by_email.setdefault(new.strip().lower(), set()).add(number)

    # ------------------------------------------------------------------ primitives
    def now(self) -> datetime:
        return self.clock()

    def now_mplus(self) -> dict[str, Any]:
        return mplus_datetime(self.now())

    def next_marker(self, sequence: str) -> int:
        self.markers[sequence] += 1
        return self.markers[sequence]

    def next_id(self, counter: str, start: int = 1) -> int:
        value = self.counters.get(counter, start)
        self.counters[counter] = value + 1
        return value

    def bump_counter_past(self, counter: str, used: int) -> None:
        """Keep a counter above a number a client chose itself (relationNumber, productNumber)."""
        if self.counters.get(counter, 1) <= used:
            self.counters[counter] = used + 1

    def new_uuid(self, kind: str) -> str:
        # Deterministic ids (same seed + same calls = same ids) in the GUID form MplusKASSA uses.
        return str(uuid.uuid5(_ID_NAMESPACE, f"{kind}/{self.next_id('uuid')}"))

    def vat_pct(self, vat_code: int) -> int | None:
        return self.vat_rates.get(vat_code)

    # ------------------------------------------------------------------ persistence
    _PERSISTED = (
        "branches",
        "vat_rates",
        "payment_methods",
        "turnover_groups",
        "price_groups",
        "employees",
        "markers",
        "counters",
        "products",
        "article_map",
        "article_groups",
        "stock_history",
        "relations",
        "orders",
        "invoices",
        "idempotency",
    )
    # Dicts keyed by numbers: JSON keys are strings, so these travel as [key, value] pairs.
    _INT_KEYED = (
        "branches",
        "vat_rates",
        "price_groups",
        "employees",
        "products",
        "article_map",
        "article_groups",
        "relations",
    )

    def _payload(self) -> dict[str, Any]:
        """References to the live data (serialize while holding the lock)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in self._PERSISTED}
        data["stock_levels"] = [[b, a, level] for (b, a), level in self.stock_levels.items()]
        data["version"] = SNAPSHOT_VERSION
        return data

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the persisted data."""
        with self.lock:
            blob = pickle.dumps(self._payload(), protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(blob)  # noqa: S301 - our own bytes

    def save(self, path: Path) -> None:
        """JSON when the file name ends in .json (readable, slower), pickle otherwise. Atomic."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:  # serialize from the live data: no copy, one consistent moment
            data = self._payload()
            if path.suffix == ".json":
                data = {**data, **{name: [[k, v] for k, v in data[name].items()] for name in self._INT_KEYED}}
                blob = json.dumps(data, ensure_ascii=False, default=_json_default).encode("utf-8")
            else:
                blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(blob)
        tmp.replace(path)  # a crash mid-save never leaves half a state file

    @classmethod
    def load(cls, path: Path) -> Self:
        path = Path(path)
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"), object_hook=_json_hook)
            for name in cls._INT_KEYED:
                data[name] = {int(k): v for k, v in data[name]}
        else:
            data = pickle.loads(path.read_bytes())  # noqa: S301 - our own data dir
        if data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"{path}: unsupported snapshot version {data.get('version')!r}")
        state = cls()
        for name in cls._PERSISTED:
            setattr(state, name, data[name])
        state.stock_levels = {(int(b), int(a)): level for b, a, level in data["stock_levels"]}
        state._rebuild_indexes()
        return state

    # ------------------------------------------------------------------ read helpers (tests, benchmarks)
    def get_article(self, article_number: int | str) -> dict[str, Any] | None:
        with self.lock:
            article = self.article_map.get(int(article_number))
            return copy.deepcopy(article) if article is not None else None

    def articles(self) -> list[dict[str, Any]]:
        """Every article (copies), in articleNumber order."""
        with self.lock:
            return [copy.deepcopy(self.article_map[n]) for n in sorted(self.article_map)]

    def stock(self, branch: int, article: int | str) -> Decimal:
        with self.lock:
            level = self.stock_levels.get((int(branch), int(article)))
            return level["free"] if level else Decimal(0)

    def get_relation(self, relation_number: int) -> dict[str, Any] | None:
        with self.lock:
            relation = self.relations.get(int(relation_number))
            return copy.deepcopy(relation) if relation is not None else None

    def find_order(self, ext_order_id: str) -> dict[str, Any] | None:
        with self.lock:
            order_id = self.order_by_ext.get(ext_order_id)
            return copy.deepcopy(self.orders[order_id]) if order_id else None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def _json_hook(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
    return value
