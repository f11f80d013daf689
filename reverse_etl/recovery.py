"""Resolving the write-ahead journal after a process stopped mid-push (killed, power cut).

An intent with no answer is a write the target may or may not have received. A create is looked up on the target
the way a timed-out write is (the writer's read-back: a product by its article numbers, a relation by
extRelationId, a debtor by e-mail, an order by CustomerReference) and the outcome journaled as the intent's
answer: `confirmed` (it landed), `not_found` (it did not: the next plan sends it). Updates, deactivations and
deletes are idempotent, so they are answered `unknown`: the next plan compares with the target either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from reverse_etl.journal import CallRecord, Intent

Lookup = Callable[[str, list[str]], Awaitable[bool | None]]


def lookup_of(writer: Any) -> Lookup | None:
    """The writer's read-back `lookup(group_key, record_keys)` (every writer has one: the contract tests)."""
    return getattr(writer, "lookup", None)


async def resolve(intents: Sequence[Intent], writer: Any, *, concurrency: int = 4) -> list[CallRecord]:
    """One answer per unanswered intent, found by looking on the target."""
    lookup = lookup_of(writer)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(intent: Intent) -> CallRecord:
        found: bool | None = None
        error: str | None = None
        if intent.action == "create" and lookup is not None:
            async with gate:
                try:
                    found = await lookup(intent.group_key, intent.record_keys)
                except Exception as exc:  # noqa: BLE001 - a failed lookup leaves it unknown, never stops the run
                    error = f"lookup failed: {type(exc).__name__}: {exc}"
        if found is True:
            status = "confirmed"
        elif found is False:
            status = "not_found"
            error = "the run stopped before the answer; not on the target: the next plan sends it again"
        else:
            status = "unknown"
            error = error or (
                "the run stopped before the answer; this write is idempotent and the next plan "
                "compares with the target"
            )
        return CallRecord(
            intent.flow,
            intent.entity,
            intent.group_key,
            intent.record_keys,
            intent.action,
            "lookup",
            {"intent": intent.intent_id, "run": intent.run_id},
            {"found": found},
            status,
            error,
            intent_id=intent.intent_id,
        )

    return list(await asyncio.gather(*(one(i) for i in intents)))
