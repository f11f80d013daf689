"""The activity log: one row per write call (what was sent, what came back) and per step run.

Rows hold payloads, never credentials: `redact` drops secret-looking keys before a row is
written. `purge` removes rows older than the retention period (GDPR).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.afas.codec import dumps
from staging.warehouse import Warehouse

_SECRET_KEYS = {"token", "secret", "ident", "password", "authorization", "afastoken", "apikey", "api_key"}

CALLS_DDL = """
create table if not exists journal.calls (
    call_id varchar primary key,
    run_id varchar,
    flow varchar,
    entity varchar,
    group_key varchar,
    record_keys varchar,
    action varchar,
    operation varchar,
    request varchar,
    response varchar,
    status varchar,
    error varchar,
    started_at timestamp,
    duration_ms double
)"""
CALLS_COLUMNS = {c: "VARCHAR" for c in ("call_id", "run_id", "flow", "entity", "group_key", "record_keys", "action",
                                        "operation", "request", "response", "status", "error")}
CALLS_COLUMNS.update(started_at="TIMESTAMP", duration_ms="DOUBLE")
RUNS_DDL = """
create table if not exists journal.runs (
    run_id varchar,
    flow varchar,
    step varchar,
    status varchar,
    rows_in bigint,
    details varchar,
    started_at timestamp,
    finished_at timestamp
)"""


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("***" if k.lower() in _SECRET_KEYS else redact(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


class RawJson(str):
    """Text `to_json` already made: passed through as it is."""


def to_json(value: Any) -> str | None:
    """JSON as it went over the wire: Decimals stay numbers with their exact digits (never float)."""
    if value is None:
        return None
    if isinstance(value, RawJson):
        return value
    return dumps(_plain(redact(value)))


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if v is None or isinstance(v, bool | int | str | Decimal):
        return v
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, datetime | date):
        return v.isoformat()
    if hasattr(v, "model_dump"):
        return _plain(v.model_dump(mode="json"))
    return str(v)


@dataclass
class CallRecord:
    flow: str
    entity: str
    group_key: str
    record_keys: list[str]
    action: str
    operation: str
    request: Any
    response: Any
    status: str  # ok | failed | confirmed (a timed-out write found applied on the target)
    error: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "confirmed")

    def freeze(self) -> None:
        """Request and response as JSON text now: a push of 36k products held their payloads as dicts until
        the journal was written (several times the memory of the text)."""
        for name in ("request", "response"):
            text = to_json(getattr(self, name))
            setattr(self, name, None if text is None else RawJson(text))


class Journal:
    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        wh.execute(CALLS_DDL)
        wh.execute(RUNS_DDL)

    def write_calls(self, run_id: str, records: list[CallRecord]) -> None:
        self.wh.append_rows(
            "journal.calls", CALLS_COLUMNS,
            ((uuid.uuid4().hex, run_id, r.flow, r.entity, r.group_key, ",".join(r.record_keys), r.action,
              r.operation, to_json(r.request), to_json(r.response), r.status, r.error,
              r.started_at.replace(tzinfo=None), r.duration_ms) for r in records))  # streamed: no list of all rows

    def write_run(self, run_id: str, flow: str, step: str, status: str, rows_in: int, details: Any,
                  started_at: datetime) -> None:
        self.wh.execute("insert into journal.runs values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [run_id, flow, step, status, rows_in, to_json(details),
                         started_at.replace(tzinfo=None), datetime.now(UTC).replace(tzinfo=None)])

    @staticmethod
    def _cutoff(retention_days: int, now: datetime | None) -> datetime:
        if retention_days < 1:  # 0 or less would delete everything, including this run's rows
            raise ValueError(f"retention of {retention_days} days: it must be at least 1 day")
        return ((now or datetime.now(UTC)) - timedelta(days=retention_days)).replace(tzinfo=None)

    def count_older(self, retention_days: int, now: datetime | None = None) -> int:
        """Journal rows a purge with this retention would delete."""
        cutoff = self._cutoff(retention_days, now)
        return int(self.wh.scalar("select count(*) from journal.calls where started_at < ?", [cutoff]) or 0)

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        cutoff = self._cutoff(retention_days, now)
        n = self.count_older(retention_days, now)
        self.wh.execute("delete from journal.calls where started_at < ?", [cutoff])
        self.wh.execute("delete from journal.runs where started_at < ?", [cutoff])
        return n

    def confirmed_keys(self, flow: str, entity: str, action: str) -> set[str]:
        """Record keys the target confirmed for an action: orders already inserted into AFAS."""
        rows = self.wh.query(
            "select record_keys from journal.calls where flow = ? and entity = ? and action = ? "
            "and status in ('ok', 'confirmed')", [flow, entity, action])
        return {k for r in rows for k in (r["record_keys"] or "").split(",") if k}
