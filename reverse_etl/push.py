"""The push: send a plan's changes through a flow's writer, within a concurrency bound.

Writers are flow-specific (they know the API); grouping, concurrency, progress and the
journal are here, once. A write that fails leaves the target as it was, so the next plan
holds the same row again: nothing is marked done before the target confirmed it.

Write-ahead: groups are taken from the plan a window at a time; the window's intents go to `intent_sink`
(committed) before any of its groups is sent, and the answers gathered so far are flushed with them. A process
killed mid-push so loses at most the answers of the window in flight, never an intent.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby, islice
from typing import Any, Protocol

from reverse_etl import failpoints
from reverse_etl.journal import CallRecord, Intent, new_intent

Row = dict[str, Any]


class Writer(Protocol):
    flow: str
    entity: str

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        """Send one group's changes; one CallRecord per API call made. Must not raise for a bad row."""
        ...


@dataclass
class PushSummary:
    ok: int = 0
    failed: int = 0
    write_calls: int = 0
    errors: list[str] = field(default_factory=list)
    records: list[CallRecord] = field(default_factory=list)  # kept only when no journal sink takes them

    def add(self, rec: CallRecord) -> None:
        if rec.operation != "?" and rec.status != "skipped":
            self.write_calls += 1
        n = len(rec.record_keys)
        if rec.ok:
            self.ok += n
        elif rec.status not in ("skipped", "held"):  # held: refused again as before, reported the first time
            self.failed += n
            self.errors.append(f"{rec.flow}/{rec.entity} {rec.group_key}: {rec.error}")


def _group_of(row: Row) -> str:
    return str(row.get("group_key") or row["record_key"])


def groups(rows: Iterable[Row], *, ordered: bool = False) -> Iterator[tuple[str, list[Row]]]:
    """Rows by group (one write per group). `ordered`: the rows already come in group order, as
    `diff.iter_pending` streams them, so nothing is held but the group at hand."""
    if not ordered:
        rows = sorted(rows, key=lambda r: (_group_of(r), str(r["record_key"])))
    return ((k, list(g)) for k, g in groupby(rows, key=_group_of))


Sink = Callable[[list[CallRecord]], None]
IntentSink = Callable[[list[Intent]], None]


def _action_of(group: Sequence[Row]) -> str:
    actions = {str(r.get("action")) for r in group}
    return actions.pop() if len(actions) == 1 else ",".join(sorted(actions))


async def push(
    rows: Iterable[Row],
    writer: Writer,
    *,
    concurrency: int = 4,
    progress: Callable[[int], None] | None = None,
    sink: Sink | None = None,
    sink_batch: int = 1000,
    ordered: bool = False,
    intent_sink: IntentSink | None = None,
    intent_window: int | None = None,
) -> PushSummary:
    """Send every group through `writer`; call records go to `sink` in batches (else to `summary.records`).

    Twice `concurrency` groups are worked on at once: while `concurrency` calls are on the wire (the API
    clients' own semaphores hold them to that), the others build their payload or journal their answer,
    so a slot is never left idle waiting for our CPU. A fixed pool of workers, not one task per group:
    36k pending tasks cost memory and scheduling for nothing.

    `intent_sink`: the write-ahead journal. Groups are taken `intent_window` at a time (default four per
    worker); their intents are handed to it, with the answers gathered so far to `sink`, before the first of
    them is sent."""
    summary = PushSummary()
    batch: list[CallRecord] = []
    todo = groups(rows, ordered=ordered)
    workers = max(1, concurrency) * 2
    window = max(1, intent_window or workers * 4)
    ready: deque[tuple[str, list[Row], str | None]] = deque()
    answers = 0

    def flush() -> None:
        if sink is not None and batch:
            sink(list(batch))
            batch.clear()

    def take() -> tuple[str, list[Row], str | None] | None:
        """The next group to send, its intent journaled. Runs between awaits: the workers never interleave."""
        if not ready:
            chunk = list(islice(todo, window))
            if not chunk:
                return None
            if intent_sink is None:
                ready.extend((k, g, None) for k, g in chunk)
            else:
                intents = [
                    new_intent(
                        writer.flow, writer.entity, k, [str(r["record_key"]) for r in g], _action_of(g)
                    )
                    for k, g in chunk
                ]
                flush()  # the answers received so far, then the next window's intents: both committed
                intent_sink(intents)
                ready.extend((k, g, i.intent_id) for (k, g), i in zip(chunk, intents, strict=True))
        return ready.popleft()

    async def one(key: str, group: list[Row], intent_id: str | None) -> list[CallRecord]:
        started = time.perf_counter()
        try:
            records = await writer.write(key, group)
        except Exception as exc:  # a writer bug must not lose the other groups' results
            records = [
                CallRecord(
                    writer.flow,
                    writer.entity,
                    key,
                    [str(r["record_key"]) for r in group],
                    str(group[0].get("action")),
                    "?",
                    None,
                    None,
                    "failed",
                    f"{type(exc).__name__}: {exc}",
                    duration_ms=(time.perf_counter() - started) * 1000,
                )
            ]
        for rec in records:
            rec.intent_id = intent_id
            rec.freeze()
        return records

    async def worker() -> None:
        nonlocal answers
        while (item := take()) is not None:
            key, group, intent_id = item
            for rec in await one(key, group, intent_id):
                summary.add(rec)
                (batch if sink is not None else summary.records).append(rec)
            answers += 1
            failpoints.maybe_kill("push.answers", answers)
            failpoints.tick("push.writes")
            if len(batch) >= sink_batch:
                flush()
            if progress:
                progress(len(group))

    await asyncio.gather(*(worker() for _ in range(workers)))
    flush()
    return summary
