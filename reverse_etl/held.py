"""Held rows: writes the target refused on business grounds wait instead of being re-sent every run.

A refusal that only a person can fix (AFAS's "the article is blocked", a value AFAS's own rules reject) would
fail again on every run, page someone every run and make every run exit "writes failed". So a writer marks
such a call `refused` (`CallRecord.status`), and `HeldGuard` (wrapped around any writer by the runner) keeps
the row in `journal.held`, keyed by flow, entity and record, with the plan row's `payload_hash` (the hash of
everything the row would send, see `reverse_etl.diff`), the number of attempts, the target's message and when
to try again. The plan shows such a row as action `held` (never pushed) until one of these is true:

- its payload changed: a new `payload_hash` (the till order was edited, a setting changed, or the target
  data the row depends on changed, when the flow's model puts that data in a carried column);
- it is due: the back-off after the last refusal passed (1 h, 4 h, then every 24 h);
- someone asked for it: `afas-mplus retry [FLOW] [--record KEY]` (`request_retry`).

A re-sent row that is refused again with the same payload is recorded with status `held`: a write call, but
not a new failure, so it is reported (and notified) once, when it was first refused. A row the target accepts,
or that no longer needs a write, leaves `journal.held`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from reverse_etl.journal import CallRecord

if TYPE_CHECKING:
    from reverse_etl.push import Row, Writer
    from reverse_etl.spec import PlanSpec
    from staging.warehouse import Warehouse

HELD_DDL = """
create table if not exists journal.held (
    flow varchar,
    entity varchar,
    record_key varchar,
    payload_hash varchar,
    attempts integer,
    first_refused_at timestamp,
    last_refused_at timestamp,
    next_try_at timestamp,
    retry_requested boolean,
    last_error varchar,
    primary key (flow, entity, record_key)
)"""

# After the 1st refusal wait 1 hour, after the 2nd 4 hours, after every later one a day.
BACKOFF = (timedelta(hours=1), timedelta(hours=4), timedelta(hours=24))
REFUSED = "refused"  # CallRecord.status a writer gives a business rejection
HELD = (
    "held"  # CallRecord.status of a re-sent held row refused again with the same payload (not a new failure)
)
CHANGE_ACTIONS = ("create", "update", "deactivate", "delete")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def ensure_table(wh: Warehouse) -> None:
    wh.execute(HELD_DDL)


@dataclass(frozen=True)
class HeldRow:
    flow: str
    entity: str
    record_key: str
    payload_hash: str | None
    attempts: int
    next_try_at: datetime
    retry_requested: bool
    last_error: str | None


def held_rows(
    wh: Warehouse, flow: str | None = None, entity: str | None = None, record_key: str | None = None
) -> list[HeldRow]:
    ensure_table(wh)
    where, params = _where(flow, entity, record_key)
    rows = wh.query(
        f"select flow, entity, record_key, payload_hash, attempts, next_try_at, retry_requested, "
        f"last_error from journal.held{where} order by flow, entity, record_key",
        params,
    )
    return [
        HeldRow(
            r["flow"],
            r["entity"],
            r["record_key"],
            r["payload_hash"],
            int(r["attempts"] or 0),
            r["next_try_at"],
            bool(r["retry_requested"]),
            r["last_error"],
        )
        for r in rows
    ]


def _where(flow: str | None, entity: str | None, record_key: str | None) -> tuple[str, list[Any]]:
    conds, params = [], []
    for column, value in (("flow", flow), ("entity", entity), ("record_key", record_key)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    return (" where " + " and ".join(conds)) if conds else "", params


def request_retry(wh: Warehouse, flow: str | None = None, record_key: str | None = None) -> list[HeldRow]:
    """Mark held rows to be sent on the next run whatever their back-off says; returns the rows marked."""
    rows = held_rows(wh, flow, None, record_key)
    where, params = _where(flow, None, record_key)
    wh.execute(f"update journal.held set retry_requested = true{where}", params)
    return rows


def mark_held(wh: Warehouse, spec: PlanSpec, now: datetime | None = None) -> None:
    """In a freshly built plan: rows the target refused with this very payload, not yet due and not asked for
    again, become action `held` (with the target's message); held rows that no longer need a write go."""
    ensure_table(wh)
    now = now or utcnow()
    key = [spec.flow, spec.entity]
    if not wh.scalar("select count(*) from journal.held where flow = ? and entity = ?", key):
        return  # the usual case: nothing refused, and a million-row plan is not scanned for it
    # A record that is now unchanged (someone fixed it in the target) or gone needs no write: forget it.
    wh.execute(
        f"delete from journal.held where flow = ? and entity = ? and record_key not in "
        f"(select record_key from {spec.table} where action in {CHANGE_ACTIONS!r})",
        key,
    )
    wh.execute(
        f"update {spec.table} as p set action = 'held', error_message = h.message "
        f"from (select record_key, payload_hash, 'held after ' || cast(attempts as varchar) || ' refusal(s), next "
        f"try ' || strftime(next_try_at, '%Y-%m-%d %H:%M') || ' UTC (afas-mplus retry ' || flow || ' --record ' "
        f"|| record_key || ' sends it now): ' || coalesce(last_error, '') as message "
        f"from journal.held where flow = ? and entity = ? and not retry_requested and next_try_at > ?) as h "
        f"where p.record_key = h.record_key and p.payload_hash = h.payload_hash "
        f"and p.action in {CHANGE_ACTIONS!r}",
        [*key, now],
    )


class HeldGuard:
    """Wraps a flow's writer: a refused row is held (see the module doc), an accepted one released."""

    def __init__(self, writer: Writer, wh: Warehouse, spec: PlanSpec, now: datetime | None = None) -> None:
        self.inner = writer
        self.flow = writer.flow
        self.entity = writer.entity
        self.wh = wh
        self.spec = spec
        self.now = now
        ensure_table(wh)
        self.before = {r.record_key: r for r in held_rows(wh, spec.flow, spec.entity)}

    def __getattr__(self, name: str) -> Any:
        # Everything else is the writer's own (its read-back `lookup`, used to resolve unanswered intents).
        return getattr(self.inner, name)

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        records = await self.inner.write(group_key, rows)
        hashes = {str(r["record_key"]): r.get("payload_hash") for r in rows}
        for rec in records:
            if rec.status == REFUSED:
                self._hold(rec, hashes)
            elif rec.ok:
                self._release(rec.record_keys)
        return records

    def _hold(self, rec: CallRecord, hashes: dict[str, Any]) -> None:
        now = self.now or utcnow()
        repeat = False
        for key in rec.record_keys:
            payload = hashes.get(key)
            old = self.before.get(key)
            same = old is not None and old.payload_hash == payload
            attempts = old.attempts + 1 if same else 1
            # refused again exactly as before, and nobody asked for it: the first refusal was the news
            repeat = repeat or (same and not old.retry_requested)  # type: ignore[union-attr]
            if old is None:
                self.wh.execute(
                    "insert into journal.held values (?, ?, ?, ?, ?, ?, ?, ?, false, ?)",
                    [
                        self.flow,
                        self.entity,
                        key,
                        payload,
                        attempts,
                        now,
                        now,
                        now + backoff(attempts),
                        rec.error,
                    ],
                )
            else:
                self.wh.execute(
                    "update journal.held set payload_hash = ?, attempts = ?, last_refused_at = ?, next_try_at = ?, "
                    "retry_requested = false, last_error = ? where flow = ? and entity = ? and record_key = ?",
                    [payload, attempts, now, now + backoff(attempts), rec.error, self.flow, self.entity, key],
                )
        if repeat:
            rec.status = HELD

    def _release(self, keys: Sequence[str]) -> None:
        for key in keys:
            if key in self.before:
                self.wh.execute(
                    "delete from journal.held where flow = ? and entity = ? and record_key = ?",
                    [self.flow, self.entity, key],
                )


def guard(writer: Writer, wh: Warehouse, spec: PlanSpec) -> Writer:
    return HeldGuard(writer, wh, spec)
