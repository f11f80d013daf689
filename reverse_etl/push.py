"""The push: send a plan's changes through a flow's writer, within a concurrency bound.

Writers are flow-specific (they know the API); grouping, concurrency, progress and the
journal are here, once. A write that fails leaves the target as it was, so the next plan
holds the same row again: nothing is marked done before the target confirmed it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Protocol

from reverse_etl.journal import CallRecord

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
    records: list[CallRecord] = field(default_factory=list)


def groups(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    ordered = sorted(rows, key=lambda r: (str(r.get("group_key") or r["record_key"]), str(r["record_key"])))
    return [(k, list(g)) for k, g in groupby(ordered, key=lambda r: str(r.get("group_key") or r["record_key"]))]


async def push(rows: Sequence[Row], writer: Writer, *, concurrency: int = 4,
               progress: Callable[[int], None] | None = None) -> PushSummary:
    summary = PushSummary()
    sem = asyncio.Semaphore(concurrency)

    async def one(key: str, group: list[Row]) -> list[CallRecord]:
        async with sem:
            started = time.perf_counter()
            try:
                records = await writer.write(key, group)
            except Exception as exc:  # a writer bug must not lose the other groups' results
                records = [CallRecord(writer.flow, writer.entity, key, [str(r["record_key"]) for r in group],
                                      str(group[0].get("action")), "?", None, None, "failed",
                                      f"{type(exc).__name__}: {exc}",
                                      duration_ms=(time.perf_counter() - started) * 1000)]
            for rec in records:
                rec.freeze()
            if progress:
                progress(len(group))
            return records

    results = await asyncio.gather(*(one(k, g) for k, g in groups(rows)))
    for records in results:
        for rec in records:
            summary.records.append(rec)
            if rec.operation != "?" and rec.status != "skipped":
                summary.write_calls += 1
            n = len(rec.record_keys)
            if rec.ok:
                summary.ok += n
            elif rec.status != "skipped":
                summary.failed += n
                summary.errors.append(f"{rec.flow}/{rec.entity} {rec.group_key}: {rec.error}")
    return summary
