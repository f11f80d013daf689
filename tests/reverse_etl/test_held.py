"""Held rows: a write the target refused waits until its payload changes, it is due, or someone asks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from reverse_etl import held
from reverse_etl.diff import build_plan, iter_pending, summarize
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row, push
from reverse_etl.spec import PlanSpec
from staging.warehouse import Warehouse

SPEC = PlanSpec(
    flow="t",
    entity="docs",
    desired="transforms.d",
    current="transforms.c",
    fields=("name",),
    carry=("depends",),
)


class RefusingWriter:
    """Refuses every record whose name is in `refuse` (a business rejection), accepts the others."""

    flow, entity = "t", "docs"

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.sent: list[str] = []

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        self.sent.append(group_key)
        row = rows[0]
        status = held.REFUSED if row["name"] in self.refuse else "ok"
        return [
            CallRecord(
                self.flow,
                self.entity,
                group_key,
                [group_key],
                "create",
                "POST Doc",
                {"name": row["name"]},
                None,
                status,
                f"AFAS refused {row['name']}" if status != "ok" else None,
            )
        ]


@pytest.fixture()
def wh() -> Warehouse:
    w = Warehouse(None)
    w.execute(
        "create table transforms.d (record_key varchar, group_key varchar, name varchar, depends varchar)"
    )
    w.execute("create table transforms.c as select * from transforms.d where false")
    w.executemany(
        "insert into transforms.d values (?, ?, ?, ?)",
        [("1", "1", "good", "a"), ("2", "2", "bad", "a"), ("3", "3", "also bad", "a")],
    )
    return w


def run(wh: Warehouse, writer: RefusingWriter, now: datetime) -> tuple[dict[str, int], object]:
    build_plan(wh, SPEC)
    held.mark_held(wh, SPEC, now)  # the plan as of `now` (build_plan used the wall clock)
    counts = {
        k: v for k, v in summarize(wh, SPEC).counts.items() if v
    }  # stored actions and the unchanged count
    guard = held.HeldGuard(writer, wh, SPEC, now=now)
    summary = asyncio.run(push(list(iter_pending(wh, SPEC)), guard))
    return counts, summary


def test_refused_rows_wait_with_growing_back_off_and_are_reported_once(wh: Warehouse) -> None:
    t0 = datetime(2026, 3, 2, 12, 0)
    writer = RefusingWriter({"bad", "also bad"})
    counts, summary = run(wh, writer, t0)
    assert counts == {"create": 3}
    assert (summary.ok, summary.failed) == (1, 2)  # the first refusal is a failure: reported and notified
    rows = {r.record_key: r for r in held.held_rows(wh, "t")}
    assert set(rows) == {"2", "3"} and rows["2"].attempts == 1
    assert rows["2"].next_try_at == t0 + timedelta(hours=1) and rows["2"].last_error == "AFAS refused bad"
    wh.execute(
        "insert into transforms.c select * from transforms.d where record_key = '1'"
    )  # AFAS has it now

    writer.sent.clear()
    counts, summary = run(wh, writer, t0 + timedelta(minutes=30))  # the next run: nothing is sent again
    assert counts == {"unchanged": 1, "held": 2} and writer.sent == []
    plan = {r["record_key"]: r for r in wh.query(f"select * from {SPEC.table} where action = 'held'")}
    assert (
        "AFAS refused bad" in plan["2"]["error_message"]
        and "retry t --record 2" in plan["2"]["error_message"]
    )

    counts, summary = run(
        wh, writer, t0 + timedelta(hours=1, minutes=1)
    )  # due: sent, refused again as before
    assert sorted(writer.sent) == ["2", "3"]
    assert (summary.failed, summary.write_calls) == (0, 2)  # not a new failure: reported the first time
    rows = {r.record_key: r for r in held.held_rows(wh, "t")}
    assert rows["2"].attempts == 2 and rows["2"].next_try_at == t0 + timedelta(hours=5, minutes=1)  # then 4 h
    writer.sent.clear()
    run(wh, writer, t0 + timedelta(hours=5))
    assert writer.sent == []


def test_a_changed_payload_or_dependency_or_a_retry_request_sends_it_again(wh: Warehouse) -> None:
    t0 = datetime(2026, 3, 2, 12, 0)
    writer = RefusingWriter({"bad", "also bad"})
    run(wh, writer, t0)
    wh.execute("insert into transforms.c select * from transforms.d where record_key = '1'")
    writer.sent.clear()
    wh.execute(
        "update transforms.d set depends = 'b' where record_key = '2'"
    )  # the target data it needs changed
    held.request_retry(wh, "t", "3")
    writer.refuse = {"also bad"}
    counts, summary = run(wh, writer, t0 + timedelta(minutes=5))
    assert counts == {"unchanged": 1, "create": 2}
    assert sorted(writer.sent) == ["2", "3"]
    assert summary.ok == 1 and summary.failed == 1  # an asked-for retry that fails again is reported
    rows = {r.record_key: r for r in held.held_rows(wh, "t")}
    assert set(rows) == {"3"} and rows["3"].attempts == 2 and not rows["3"].retry_requested
    # fixed in the target (now unchanged): forgotten
    wh.execute("insert into transforms.c select * from transforms.d where record_key in ('2', '3')")
    build_plan(wh, SPEC)
    assert held.held_rows(wh, "t") == []
