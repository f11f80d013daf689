"""What every writer shares: the call record and its timing, the wording of an error, the look-up after a lost answer.

A writer subclasses `WriterBase`, names its `flow` and `entity`, and sends each call through `send`:

- the call is timed and journaled as one `CallRecord` (request as sent, response, status, error);
- a temporary fault (network, timeout, 5xx, a `Server` fault) says so: the next run sends it again;
- a create whose answer may have been lost is looked up (`lookup`) before anyone sends it again: when the
  target holds it, the call is `confirmed`, never repeated (no duplicate article, relation, debtor or order);
- a refusal names the record and what to do about it.

The contract every writer keeps is tested over all of them in tests/reverse_etl/test_writer_contract.py.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar

from connectors.afas.errors import AfasError, AfasTransportError
from connectors.mplus.errors import MplusError, MplusTransportError
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers import wording

TRANSPORT = (MplusTransportError, AfasTransportError)
API_ERRORS = (MplusError, AfasError)


def keys_of(rows: Sequence[Row] | Sequence[str]) -> list[str]:
    """The record keys a call answers: of the plan rows, or the keys themselves."""
    return [r if isinstance(r, str) else str(r["record_key"]) for r in rows]


def is_temporary(exc: BaseException) -> bool:
    return isinstance(exc, TRANSPORT) or bool(getattr(exc, "transient", False))


class WriterBase:
    flow: ClassVar[str]
    entity: ClassVar[str]
    # Told after a refusal: what the user does about it (a writer may say more per call).
    fix: ClassVar[str] = "correct it in AFAS; the next run sends it again"

    def record(
        self,
        group_key: str,
        keys: list[str],
        action: str,
        operation: str,
        request: Any,
        response: Any,
        status: str,
        error: str | None,
        started: float | None = None,
    ) -> CallRecord:
        duration = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        return CallRecord(
            self.flow,
            self.entity,
            group_key,
            keys,
            action,
            operation,
            request,
            response,
            status,
            error,
            duration_ms=duration,
        )

    def not_sent(
        self,
        group_key: str,
        rows: Sequence[Row] | Sequence[str],
        action: str,
        message: str,
        *,
        request: Any = None,
        status: str = "failed",
        operation: str = "build",
    ) -> list[CallRecord]:
        """A row that cannot be sent as it is (nothing reached the target)."""
        return [self.record(group_key, keys_of(rows), action, operation, request, None, status, message)]

    def status_of(self, exc: BaseException) -> str:
        """The status of a refused call: `failed` (sent again next run); the orders writers hold AFAS refusals."""
        return "failed"

    def refusal_text(self, exc: BaseException, what: str, fix: str | None) -> str:
        return wording.refusal_text(exc, what, fix or self.fix)

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Read-back after a lost answer: does the target hold this create? None: cannot tell (writers whose
        writes are absolute updates, safe to repeat, keep this)."""
        return None

    async def send(
        self,
        group_key: str,
        rows: Sequence[Row] | Sequence[str],
        action: str,
        operation: str,
        request: Any,
        call: Callable[[], Awaitable[Any]],
        *,
        what: str,
        fix: str | None = None,
    ) -> list[CallRecord]:
        """Make one call and journal it; never raises for an API error."""
        keys = keys_of(rows)
        started = time.perf_counter()
        response: Any = None
        try:
            response = await call()
            status, error = "ok", None
        except API_ERRORS as exc:
            if is_temporary(exc):
                status, error = "failed", wording.temporary_text(exc, what)
                if (
                    action == "create"
                    and getattr(exc, "may_have_reached_server", False)
                    and await self.lookup(group_key, keys) is True
                ):
                    status, error, response = "confirmed", None, {"found_by_lookup": True}
            else:
                status, error = self.status_of(exc), self.refusal_text(exc, what, fix)
        return [self.record(group_key, keys, action, operation, request, response, status, error, started)]
