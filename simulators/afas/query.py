"""GetConnector execution: cached row sets, sorted views, equality indexes, filter + sort + page.

Fast at 100k rows: a connector's rows are kept per entity and updated from the state's change log; sorted
orderings and equality indexes are built once per row set and reused; the keyset pattern
(`F > X order by F take N`) bisects the cached ordering and stops after N matches; other filters are
evaluated once and their result is cached (LRU) for the following pages.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import Any

from .connectors import dynamic_inputs
from .errors import AfasError, EmptyAnswer
from .filters import (
    LOWER_BOUND_OPS,
    UPPER_BOUND_OPS,
    Cond,
    RawCond,
    compile_cond,
    parse_query_filters,
    predicate,
)
from .getconnectors.base import GetConnector
from .store import AfasStore

RowT = tuple[Any, ...]
Order = tuple[tuple[int, bool], ...]  # (field index, descending)
_FILTER_CACHE = 16
_DYNAMIC_CACHE = 8


def _sort_key(i: int, data_type: str) -> Callable[[RowT], tuple[int, Any]]:
    # Nulls sort first ascending and last descending, as SQL Server does; text case-insensitively.
    if data_type == "string":
        return lambda r: (0, "") if r[i] is None else (1, r[i].casefold())
    return lambda r: (0, 0) if r[i] is None else (1, r[i])


class RowSet:
    """The rows of one connector at one state version, with what is derived from them on demand."""

    def __init__(self, conn: GetConnector, rows: list[RowT]) -> None:
        self.conn = conn
        self.rows = rows
        self._sorted: dict[Order, tuple[list[RowT], list[Any]]] = {}
        self._index: dict[int, dict[Any, list[RowT]]] = {}
        self._filtered: OrderedDict[Hashable, list[RowT]] = OrderedDict()
        self._pos: dict[int, int] | None = None

    def sorted_view(self, order: Order) -> tuple[list[RowT], list[Any]]:
        """Rows in this order (stable: ties keep the natural order) and the sort keys of the first field."""
        view = self._sorted.get(order)
        if view is None:
            rows = list(self.rows)
            for i, desc in reversed(order):
                rows.sort(key=_sort_key(i, self.conn.types[i]), reverse=desc)
            first = _sort_key(order[0][0], self.conn.types[order[0][0]])
            view = self._sorted[order] = (rows, [first(r) for r in rows])
        return view

    def sort(self, rows: list[RowT], order: Order) -> list[RowT]:
        for i, desc in reversed(order):
            rows.sort(key=_sort_key(i, self.conn.types[i]), reverse=desc)
        return rows

    def index(self, i: int) -> dict[Any, list[RowT]]:
        idx = self._index.get(i)
        if idx is None:
            idx = {}
            text = self.conn.types[i] == "string"
            for r in self.rows:
                v = r[i]
                if v is not None:
                    idx.setdefault(v.casefold() if text else v, []).append(r)
            self._index[i] = idx
        return idx

    def position(self) -> dict[int, int]:
        if self._pos is None:
            self._pos = {id(r): n for n, r in enumerate(self.rows)}
        return self._pos

    def filtered(self, key: Hashable, compute: Callable[[], list[RowT]]) -> list[RowT]:
        hit = self._filtered.get(key)
        if hit is None:
            hit = self._filtered[key] = compute()
            if len(self._filtered) > _FILTER_CACHE:
                self._filtered.popitem(last=False)
        else:
            self._filtered.move_to_end(key)
        return hit


class ConnectorView:
    """Rows of one static connector, per entity, kept up to date from the state's change log."""

    def __init__(self, conn: GetConnector) -> None:
        self.conn = conn
        self.by_entity: dict[Hashable, list[RowT]] = {}
        self.seq = -1
        self.rowset: RowSet | None = None

    def current(self, state: AfasStore) -> RowSet:
        if self.rowset is not None and self.seq == state.seq:
            return self.rowset
        changed = None if self.rowset is None else self._changed(state)
        conn = self.conn
        if changed is None:
            self.by_entity = {}
            for key in conn.entities(state):
                rows = [conn.to_tuple(d) for d in conn.build(state, key)]
                if rows:
                    self.by_entity[key] = rows
        elif changed:
            for key in changed:
                rows = [conn.to_tuple(d) for d in conn.build(state, key)]
                if rows:
                    self.by_entity[key] = rows  # an existing key keeps its place in the natural order
                else:
                    self.by_entity.pop(key, None)
        if changed is None or changed or self.rowset is None:
            self.rowset = RowSet(conn, [r for rows in self.by_entity.values() for r in rows])
        self.seq = state.seq
        return self.rowset

    def _changed(self, state: AfasStore) -> set[Hashable] | None:
        """Entities whose rows changed since this view was built; None = rebuild everything."""
        keys: set[Hashable] = set()
        limit = max(2000, len(self.by_entity) // 4)
        for table, mapper in self.conn.deps.items():
            if state.table_seq[table] <= self.seq:
                continue
            changes = state.changes_since(table, self.seq)
            if changes is None:
                return None
            for key in changes:
                mapped = mapper(state, key)
                if mapped is None:
                    return None
                keys.update(mapped)
            if len(keys) > limit:
                return None
        return keys


def rowset_for(state: AfasStore, conn: GetConnector, inputs: dict[str, Any] | None = None) -> RowSet:
    """The current rows of a connector (for a parameter connector: for these inputs)."""
    if conn.dynamic is None:
        view = state.views.get(conn.id)
        if view is None:
            view = state.views[conn.id] = ConnectorView(conn)
        return view.current(state)
    cache: OrderedDict[Hashable, RowSet] = state.views.setdefault(conn.id, OrderedDict())
    stamp = tuple(
        state.table_seq[t] for t in ("articles", "debtors", "price_rows", "price_lists", "agreements")
    )
    today = state.today()
    key = (tuple(sorted((inputs or {}).items())), stamp, today)
    rs = cache.get(key)
    if rs is None:
        rows = [conn.to_tuple(d) for d in conn.dynamic(state, inputs or {})]
        rs = cache[key] = RowSet(conn, rows)
        if len(cache) > _DYNAMIC_CACHE:
            cache.popitem(last=False)
    return rs


# ---------------------------------------------------------------- request handling


def parse_order(conn: GetConnector, text: str) -> Order:
    order: list[tuple[int, bool]] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        desc = part.startswith("-")
        name = part.lstrip("-+").strip()
        i = conn.field_index(name)
        if i is None:
            raise AfasError(f"Sorteerveld '{name}' bestaat niet in GetConnector '{conn.id}'.")
        order.append((i, desc))
    return tuple(order)


def compile_filters(conn: GetConnector, raw_groups: list[list[RawCond]]) -> list[list[Cond]]:
    groups = []
    for raw_group in raw_groups:
        group = []
        for raw in raw_group:
            i = conn.field_index(raw.field)
            if i is None:
                if raw.op == 15 and not raw.field:
                    i = 0
                else:
                    raise AfasError(f"Filterveld '{raw.field}' bestaat niet in GetConnector '{conn.id}'.")
            group.append(compile_cond(raw, i, conn.types[i], conn.text_indexes))
        groups.append(group)
    return groups


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    text = params.get(name)
    if text is None or text.strip() == "":
        return default
    try:
        return int(text.strip())
    except ValueError:
        raise EmptyAnswer(400) from None


def run_get(state: AfasStore, conn: GetConnector, params: dict[str, str]) -> tuple[int, int, list[RowT]]:
    """(skip, take, rows) of one GetConnector call; take -1 (or skip -1) means everything."""
    skip = _int_param(params, "skip", 0)
    take = _int_param(params, "take", 100)
    raw_groups = parse_query_filters(params)
    order = parse_order(conn, params.get("orderbyfieldids", ""))
    inputs = None
    if conn.dynamic is not None:
        inputs, raw_groups = dynamic_inputs(conn, raw_groups)
    groups = compile_filters(conn, raw_groups)
    start = max(skip, 0)
    limit = None if take < 0 else take
    with state.lock:
        rs = rowset_for(state, conn, inputs)
        rows = execute(rs, groups, order, start, limit)
    return skip, take, rows


def _page(rows: Sequence[RowT], skip: int, take: int | None) -> list[RowT]:
    return list(rows[skip:] if take is None else rows[skip : skip + take])


def execute(rs: RowSet, groups: list[list[Cond]], order: Order, skip: int, take: int | None) -> list[RowT]:
    if take == 0:
        return []
    if not groups:
        return _page(rs.sorted_view(order)[0] if order else rs.rows, skip, take)

    matches = predicate(groups)

    # 1. every OR group pins a field to a rare value: take the candidates from the equality index
    eq = [next((c for c in g if c.op == 1), None) for g in groups]
    if all(c is not None for c in eq):
        buckets = [rs.index(c.index).get(c.value, []) for c in eq if c is not None]
        if sum(len(b) for b in buckets) <= max(2000, len(rs.rows) // 50):
            if len(buckets) == 1:
                cands = buckets[0]
            else:
                seen = {id(r): r for b in buckets for r in b}
                pos = rs.position()
                cands = sorted(seen.values(), key=lambda r: pos[id(r)])
            hits = [r for r in cands if matches(r)]
            return _page(rs.sort(hits, order) if order else hits, skip, take)

    # 2. keyset: every group bounds the first order field from where the order starts
    if order:
        field, desc = order[0]
        bound_ops = UPPER_BOUND_OPS if desc else LOWER_BOUND_OPS
        starts = [next((c for c in g if c.index == field and c.op in bound_ops), None) for g in groups]
        if all(c is not None for c in starts):
            rows, keys = rs.sorted_view(order)
            begin = min(_start(keys, c.op, (1, c.value), desc) for c in starts if c is not None)
            stop = _stop(groups[0], field, desc) if len(groups) == 1 else None
            out: list[RowT] = []
            to_skip = skip
            for n in range(begin, len(rows)):
                if stop is not None and stop(keys[n]):
                    break
                r = rows[n]
                if matches(r):
                    if to_skip:
                        to_skip -= 1
                        continue
                    out.append(r)
                    if take is not None and len(out) >= take:
                        break
            return out

    # 3. anything else: evaluate once, cache the result for the next pages
    key = (tuple(tuple(sorted((c.key for c in g), key=repr)) for g in groups), order)

    def compute() -> list[RowT]:
        base = rs.sorted_view(order)[0] if order else rs.rows
        return list(filter(matches, base))

    return _page(rs.filtered(key, compute), skip, take)


def _start(keys: list[Any], op: int, target: tuple[int, Any], desc: bool) -> int:
    if not desc:
        return bisect_right(keys, target) if op == 4 else bisect_left(keys, target)
    # keys descending: first index whose key is below (op 5) or at most (ops 1, 3) the target
    lo, hi = 0, len(keys)
    strict = op == 5
    while lo < hi:
        mid = (lo + hi) // 2
        if keys[mid] > target or (strict and keys[mid] == target):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _stop(group: list[Cond], field: int, desc: bool) -> Callable[[Any], bool] | None:
    """A test on the first sort key that is true once the rows are past the group's far bound."""
    ops = LOWER_BOUND_OPS if desc else UPPER_BOUND_OPS
    c = next((c for c in group if c.index == field and c.op in ops), None)
    if c is None:
        return None
    target = (1, c.value)
    if not desc:
        return (lambda k: k >= target) if c.op == 5 else (lambda k: k > target)
    return (lambda k: k <= target) if c.op == 4 else (lambda k: k < target)


# ---------------------------------------------------------------- JSON form

try:  # orjson (installed with dlt) is ~6x faster; the standard library does the same job
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

_ORJSON_OPTS = 0 if orjson is None else orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z | orjson.OPT_OMIT_MICROSECONDS


def _date_json(v: datetime) -> str:
    # Amsterdam local time with a Z, as AFAS sends it
    return v.isoformat(timespec="seconds") + "Z"


def rows_json(conn: GetConnector, rows: list[RowT], *, dates: bool = True) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: decimals as numbers, dates as "YYYY-MM-DDTHH:MM:SSZ" (unless dates=False)."""
    names = conn.names
    convert: list[tuple[int, Callable[[Any], Any]]] = [
        (i, float) for i, t in enumerate(conn.types) if t == "decimal"
    ]
    if dates:
        convert += [(i, _date_json) for i, t in enumerate(conn.types) if t == "date"]
    out = []
    for r in rows:
        values = list(r)
        for i, f in convert:
            v = values[i]
            if v is not None:
                values[i] = f(v)
        out.append(dict(zip(names, values, strict=True)))
    return out


def encode_page(conn: GetConnector, skip: int, take: int, rows: list[RowT]) -> bytes:
    """The GetConnector answer {"skip","take","rows"} as JSON bytes."""
    if orjson is not None:
        page = {"skip": skip, "take": take, "rows": rows_json(conn, rows, dates=False)}
        return orjson.dumps(page, option=_ORJSON_OPTS)
    page = {"skip": skip, "take": take, "rows": rows_json(conn, rows)}
    return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
