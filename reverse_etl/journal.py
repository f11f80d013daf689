"""The activity log: what came in (`changes`: each run's plan rows that were not unchanged, field by field),
what went out (`calls`: one row per write call, what was sent, what came back) and each step (`runs`).

Write-ahead: before a group of writes is sent its intent is journaled (`intents`), and its answer (`calls`, with
the intent's id) right after, so a process killed mid-push leaves an intent for every write the target may have
received; `unanswered` finds them on the next start, to be resolved by the writers' read-back lookup.

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
    duration_ms double,
    intent_id varchar
)"""
CALLS_COLUMNS = {
    c: "VARCHAR"
    for c in (
        "call_id",
        "run_id",
        "flow",
        "entity",
        "group_key",
        "record_keys",
        "action",
        "operation",
        "request",
        "response",
        "status",
        "error",
    )
}
CALLS_COLUMNS.update(started_at="TIMESTAMP", duration_ms="DOUBLE", intent_id="VARCHAR")
# One row per group of writes about to be sent: written (and committed) before the group's first call.
INTENTS_DDL = """
create table if not exists journal.intents (
    intent_id varchar,
    run_id varchar,
    flow varchar,
    entity varchar,
    group_key varchar,
    record_keys varchar,
    action varchar,
    created_at timestamp
)"""
INTENTS_COLUMNS = {
    c: "VARCHAR" for c in ("intent_id", "run_id", "flow", "entity", "group_key", "record_keys", "action")
}
INTENTS_COLUMNS["created_at"] = "TIMESTAMP"
# What came in: per run, each plan row that was not unchanged, with the fields it changes (before and after).
CHANGES_DDL = """
create table if not exists journal.changes (
    run_id varchar,
    flow varchar,
    entity varchar,
    record_key varchar,
    group_key varchar,
    action varchar,
    changed_fields varchar,
    fields varchar,
    error varchar,
    planned_at timestamp
)"""
# Tables purged by age, with the column that dates a row.
DATED = {"calls": "started_at", "runs": "started_at", "intents": "created_at", "changes": "planned_at"}
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
    intent_id: str | None = None  # the journaled intent this call answers (set by the push)

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "confirmed")

    def freeze(self) -> None:
        """Request and response as JSON text now: a push of 36k products held their payloads as dicts until
        the journal was written (several times the memory of the text)."""
        for name in ("request", "response"):
            text = to_json(getattr(self, name))
            setattr(self, name, None if text is None else RawJson(text))


@dataclass(frozen=True)
class Intent:
    """A group of writes about to be sent."""

    intent_id: str
    flow: str
    entity: str
    group_key: str
    record_keys: list[str]
    action: str
    created_at: datetime | None = None
    run_id: str | None = None


def new_intent(flow: str, entity: str, group_key: str, record_keys: list[str], action: str) -> Intent:
    return Intent(uuid.uuid4().hex, flow, entity, group_key, record_keys, action)


class Journal:
    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        wh.execute(CALLS_DDL)
        # journal.calls of an earlier version had no intent_id: the column is added, old rows read NULL.
        wh.execute("alter table journal.calls add column if not exists intent_id varchar")
        wh.execute(RUNS_DDL)
        wh.execute(INTENTS_DDL)
        wh.execute(CHANGES_DDL)

    def write_calls(self, run_id: str, records: list[CallRecord]) -> None:
        self.wh.append_rows(
            "journal.calls",
            CALLS_COLUMNS,
            (
                (
                    uuid.uuid4().hex,
                    run_id,
                    r.flow,
                    r.entity,
                    r.group_key,
                    ",".join(r.record_keys),
                    r.action,
                    r.operation,
                    to_json(r.request),
                    to_json(r.response),
                    r.status,
                    r.error,
                    r.started_at.replace(tzinfo=None),
                    r.duration_ms,
                    r.intent_id,
                )
                for r in records
            ),
        )  # streamed: no list of all rows

    def write_intents(self, run_id: str, intents: list[Intent]) -> None:
        """Journal what is about to be sent; returns once it is committed (DuckDB commits each statement)."""
        now = datetime.now(UTC).replace(tzinfo=None)
        self.wh.append_rows(
            "journal.intents",
            INTENTS_COLUMNS,
            (
                (i.intent_id, run_id, i.flow, i.entity, i.group_key, ",".join(i.record_keys), i.action, now)
                for i in intents
            ),
        )

    def unanswered(self, flow: str, entity: str) -> list[Intent]:
        """Intents of earlier runs with no answer journaled: the process stopped while they were in flight."""
        rows = self.wh.query(
            "select i.* from journal.intents i where i.flow = ? and i.entity = ? and not exists (select 1 from "
            "journal.calls c where c.intent_id = i.intent_id) order by i.created_at, i.group_key",
            [flow, entity],
        )
        return [
            Intent(
                r["intent_id"],
                r["flow"],
                r["entity"],
                r["group_key"],
                [k for k in (r["record_keys"] or "").split(",") if k],
                r["action"],
                r["created_at"],
                r["run_id"],
            )
            for r in rows
        ]

    def write_changes(
        self,
        run_id: str,
        flow: str,
        entity: str,
        table: str,
        fields: tuple[str, ...],
        now: datetime | None = None,
    ) -> int:
        """Journal what came in: the plan's rows that are not unchanged, each with the fields it changes as
        [{"field", "before", "after"}]. A standing error row (same record, field and message as journaled
        before) is not journaled again: the log shows when it appeared, not every run it stayed."""
        at = (now or datetime.now(UTC)).replace(tzinfo=None)

        # JSON text built by concatenation, not lists and lambdas: the same SQL runs on DuckDB and PostgreSQL.
        def item(f: str) -> str:
            def js(col: str) -> str:
                return f"coalesce(cast(to_json(cast(p.{col} as varchar)) as varchar), 'null')"

            return (
                f"case when strpos(',' || coalesce(p.changed_fields, '') || ',', ',{f},') > 0 then "
                f'\'{{"field": "{f}", "before": \' || {js(f + "__current")} || \', "after": \' || '
                f"{js(f)} || '}}' end"
            )

        values = (
            ("'[' || concat_ws(', ', " + ", ".join(item(f) for f in fields) + ") || ']'")
            if fields
            else "'[]'"
        )
        before = int(self.wh.scalar("select count(*) from journal.changes") or 0)
        self.wh.execute(
            f"insert into journal.changes select ?, ?, ?, cast(p.record_key as varchar), "
            f"cast(p.group_key as varchar), p.action, p.changed_fields, "
            f"case when p.action = 'error' then '[]' else {values} end, p.error_message, ? "
            f"from {table} p where p.action <> 'unchanged' and not (p.action = 'error' and exists ("
            f"select 1 from journal.changes c where c.flow = ? and c.entity = ? and c.action = 'error' "
            f"and c.record_key = cast(p.record_key as varchar) and c.changed_fields is not distinct from "
            f"p.changed_fields and c.error is not distinct from p.error_message))",
            [run_id, flow, entity, at, flow, entity],
        )
        return int(self.wh.scalar("select count(*) from journal.changes") or 0) - before

    def write_run(
        self, run_id: str, flow: str, step: str, status: str, rows_in: int, details: Any, started_at: datetime
    ) -> None:
        self.wh.execute(
            "insert into journal.runs values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                flow,
                step,
                status,
                rows_in,
                to_json(details),
                started_at.replace(tzinfo=None),
                datetime.now(UTC).replace(tzinfo=None),
            ],
        )

    @staticmethod
    def _cutoff(retention_days: int, now: datetime | None) -> datetime:
        if retention_days < 1:  # 0 or less would delete everything, including this run's rows
            raise ValueError(f"retention of {retention_days} days: it must be at least 1 day")
        return ((now or datetime.now(UTC)) - timedelta(days=retention_days)).replace(tzinfo=None)

    def count_older(self, retention_days: int, now: datetime | None = None) -> int:
        """Journal rows a purge with this retention would delete (calls, changes, runs and intents)."""
        cutoff = self._cutoff(retention_days, now)
        return sum(
            int(self.wh.scalar(f"select count(*) from journal.{table} where {column} < ?", [cutoff]) or 0)
            for table, column in DATED.items()
        )

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete journal rows older than the retention; returns how many went. Their text stays in the DuckDB
        file's free blocks until the file is compacted (`afas_mplus.retention`)."""
        cutoff = self._cutoff(retention_days, now)
        n = self.count_older(retention_days, now)
        for table, column in DATED.items():
            self.wh.execute(f"delete from journal.{table} where {column} < ?", [cutoff])
        return n

    def confirmed_keys(self, flow: str, entity: str, action: str) -> set[str]:
        """Record keys the target confirmed for an action: orders already inserted into AFAS."""
        rows = self.wh.query(
            "select record_keys from journal.calls where flow = ? and entity = ? and action = ? "
            "and status in ('ok', 'confirmed')",
            [flow, entity, action],
        )
        return {k for r in rows for k in (r["record_keys"] or "").split(",") if k}
