"""The push: one write per group, a bounded pool of workers, call records streamed to the journal sink."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from reverse_etl.journal import CallRecord
from reverse_etl.push import Row, push


class FakeWriter:
    flow, entity = "test", "things"

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail
        self.calls: list[tuple[str, list[str]]] = []
        self.in_flight = 0
        self.peak = 0

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.002)
            if group_key == self.fail:
                raise RuntimeError("writer bug")
            keys = [str(r["record_key"]) for r in rows]
            self.calls.append((group_key, keys))
            return [
                CallRecord(
                    self.flow,
                    self.entity,
                    group_key,
                    keys,
                    "create",
                    "createThing",
                    {"n": len(keys)},
                    {"ok": True},
                    "ok",
                )
            ]
        finally:
            self.in_flight -= 1


def rows(n_groups: int, per_group: int = 2) -> list[Row]:
    # deliberately out of order: push groups them itself unless told they are ordered
    return [
        {"record_key": f"{g}-{i}", "group_key": f"g{g:03d}", "action": "create"}
        for i in range(per_group)
        for g in reversed(range(n_groups))
    ]


def test_one_write_per_group_with_all_its_rows() -> None:
    writer = FakeWriter()
    summary = asyncio.run(push(rows(5, 3), writer, concurrency=2))
    assert sorted(g for g, _ in writer.calls) == [f"g{g:03d}" for g in range(5)]
    assert all(sorted(keys) == [f"{int(g[1:])}-{i}" for i in range(3)] for g, keys in writer.calls)
    assert (summary.ok, summary.failed, summary.write_calls) == (15, 0, 5)
    assert len(summary.records) == 5  # no sink: the records stay on the summary


def test_records_go_to_the_sink_in_batches_and_are_not_kept() -> None:
    batches: list[int] = []
    summary = asyncio.run(
        push(rows(7), FakeWriter(), concurrency=2, sink=lambda recs: batches.append(len(recs)), sink_batch=3)
    )
    assert sum(batches) == 7 and max(batches) <= 4 and len(batches) >= 2
    assert summary.records == [] and summary.ok == 14


def test_a_writer_bug_fails_its_group_only() -> None:
    summary = asyncio.run(push(rows(4), FakeWriter(fail="g002"), concurrency=2))
    assert (summary.ok, summary.failed) == (6, 2)
    assert summary.errors == ["test/things g002: RuntimeError: writer bug"]


def test_workers_are_bounded_at_twice_the_concurrency() -> None:
    writer = FakeWriter()
    asyncio.run(push(rows(40), writer, concurrency=3))
    assert writer.peak == 6  # 3 on the wire (the API client's own bound) + 3 building or journaling


def test_ordered_rows_are_streamed_group_by_group() -> None:
    ordered = sorted(rows(6), key=lambda r: (r["group_key"], r["record_key"]))
    taken: list[str] = []

    def stream():  # noqa: ANN202 - a generator standing in for diff.iter_pending
        for r in ordered:
            taken.append(r["record_key"])
            yield r

    writer = FakeWriter()
    summary = asyncio.run(push(stream(), writer, concurrency=1, ordered=True))
    assert summary.ok == 12 and len(writer.calls) == 6 and len(taken) == 12
