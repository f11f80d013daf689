"""The generic call: retries around the exchange, records typed as models (bad ones as record errors),
result enums checked, sync-marker paging advanced."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import aclosing
from typing import Any, TypeVar

from ... import retry
from ..errors import (
    MplusAuthError,
    MplusError,
    MplusFaultError,
    MplusRecordError,
    MplusResultError,
    MplusTransportError,
)
from ..models import Batch, SoapModel
from ..soap import encode_request, record_identity, record_path
from .exchange import Answer, Found, MplusExchange

# The client's one logger, whichever of its modules logs.
log = logging.getLogger("connectors.mplus.client")


M = TypeVar("M", bound=SoapModel)

WRITE_OPERATIONS = frozenset(
    {
        "createProduct",
        "updateProduct",
        "newArticleGroup",
        "updateArticleGroup",
        "addProductsToArticleGroup",
        "setStock",
        "updateStock",
        "createRelation",
        "updateRelation",
        "createOrder",
        "createOrderV3",
        "payOrder",
    }
)


def is_read_operation(operation: str) -> bool:
    return operation not in WRITE_OPERATIONS and operation.startswith(("get", "find"))


class MplusCalls(MplusExchange):
    """Operations sent with retries; their answers as dicts or typed records."""

    async def call(
        self,
        operation: str,
        request: dict[str, Any] | None = None,
        *,
        record_errors: list[MplusRecordError] | None = None,
    ) -> dict[str, Any]:
        """Send one operation (request dict as ``soap.encode_request`` takes it); returns the decoded
        response dict. Encoding errors surface before anything is sent.

        With ``record_errors`` (a list), a record of the answer that does not decode is left out and its
        MplusRecordError appended there; without, such a record fails the call (MplusError)."""
        answer = Answer()
        records: list[dict[str, Any]] = []
        async for found, errors in self._stream(operation, request, answer, None, record_errors is not None):
            records.extend(record for _index, record in found)
            if record_errors is not None:
                record_errors.extend(errors)
        return answer.assemble(records)

    async def _records(self, operation: str, request: dict[str, Any] | None, model: type[M]) -> Batch[M]:
        """The records of one call's answer as ``model``; the ones that did not decode in ``errors``."""
        batch: Batch[M] = Batch()
        async for found, errors in self._stream(operation, request, Answer(), None, True):
            typed = self._typed(operation, model, found, errors)
            batch.extend(typed)
            batch.errors.extend(typed.errors)
        return batch

    def _typed(
        self, operation: str, model: type[M], found: Found, errors: Iterable[MplusRecordError]
    ) -> Batch[M]:
        batch: Batch[M] = Batch(errors=errors)
        for index, data in found:
            try:
                batch.append(model.from_soap(data))
            except (ValueError, TypeError, KeyError, ArithmeticError) as exc:  # pydantic raises ValueErrors
                batch.errors.append(_model_error(operation, model, index, data, exc))
        for error in batch.errors:
            log.warning("mplus %s", error)
        return batch

    async def _stream(
        self,
        operation: str,
        request: dict[str, Any] | None,
        answer: Answer,
        batch_size: int | None,
        tolerant: bool,
    ) -> AsyncIterator[tuple[Found, list[MplusRecordError]]]:
        """One logical call with retries, handing out (records, record errors) every ``batch_size`` records
        (None: once, at the end). Retried only while nothing has been handed out."""
        body = encode_request(operation, request)
        retry_safe = is_read_operation(operation) or bool(request and request.get("idempotencyKey"))
        self.calls[operation] += 1
        request_id = uuid.uuid4().hex
        attempt = 0
        while True:
            handed_out = 0
            failure: MplusError | None = None
            try:
                exchange = self._exchange(operation, body, request_id, attempt, answer, batch_size, tolerant)
                # aclosing: a caller that stops early closes the exchange (and its connection) at once.
                async with self._sem(), aclosing(exchange):
                    async for batch in exchange:
                        handed_out += len(batch[0]) + len(batch[1])
                        yield batch
                return
            except MplusError as exc:
                failure = exc
            if handed_out:
                raise MplusTransportError(
                    f"{operation}: the answer broke off after {handed_out} records ({failure}); temporary: "
                    "the next run reads it again",
                    may_have_reached_server=True,
                )
            delay = self._retry_delay(failure, retry_safe, attempt)
            if delay is None:
                raise self._final(failure, retry_safe, attempt)
            attempt += 1
            self.retries[operation] += 1
            log.warning(
                "mplus %s failed (%s), retry %d/%d in %.1fs request_id=%s",
                operation,
                failure,
                attempt,
                self.max_retries,
                delay,
                request_id,
            )
            await self._sleep(delay)

    def _retry_delay(self, exc: MplusError, retry_safe: bool, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this error is not retried (any more)."""
        if attempt >= self.max_retries or not self._retryable(exc, retry_safe):
            return None
        wait = exc.retry_after if isinstance(exc, MplusTransportError) else None
        if wait is not None:
            return wait if wait <= self.max_retry_after_s else None
        return retry.backoff_delay(attempt, self.backoff_s, self.max_backoff_s)

    @staticmethod
    def _retryable(exc: MplusError, retry_safe: bool) -> bool:
        if isinstance(exc, MplusAuthError):
            return False
        if isinstance(exc, MplusFaultError):
            return retry_safe and not exc.is_client
        if isinstance(exc, MplusTransportError):
            if not exc.transient:  # a 4xx: the request itself is wrong
                return False
            return retry_safe or not exc.may_have_reached_server
        return False

    def _final(self, exc: MplusError, retry_safe: bool, attempt: int) -> MplusError:
        """The error as raised after the last attempt: how many attempts, and what to do about it."""
        exc.attempts = attempt + 1
        notes = [f"after {attempt + 1} attempts"] if attempt else []
        transport = isinstance(exc, MplusTransportError)
        if transport and exc.retry_after is not None and exc.retry_after > self.max_retry_after_s:
            notes.append(
                f"MplusKASSA asks to wait {exc.retry_after:.0f} s, more than max_retry_after_s="
                f"{self.max_retry_after_s:.0f}"
            )
        if transport and exc.transient and not retry_safe and exc.may_have_reached_server:
            notes.append("the write may have reached MplusKASSA: check before sending it again")
        elif exc.transient:
            notes.append("temporary: the next run retries it")
        if notes:
            exc.args = (f"{exc.args[0] if exc.args else ''} ({'; '.join(notes)})",)
        return exc

    @staticmethod
    def _check(
        operation: str, response: dict[str, Any], ok: str | Iterable[str], record_key: object = None
    ) -> None:
        allowed = {ok} if isinstance(ok, str) else set(ok)
        result = response.get("result")
        if result not in allowed:
            raise MplusResultError(operation, str(result), response.get("errorMessage") or None, record_key)

    @staticmethod
    def _advance(operation: str, marker: int, next_marker: int | None) -> int:
        # A full page without higher syncMarkers would loop forever; fail loudly instead.
        if next_marker is None or next_marker <= marker:
            raise MplusError(f"{operation}: a full page did not advance the syncMarker past {marker}")
        return next_marker


def marker_after(markers: list[int], errors: list[MplusRecordError]) -> int | None:
    """Highest syncMarker of the page + 1, counting records that did not decode: paging moves past them."""
    seen = markers + [e.sync_marker for e in errors if e.sync_marker]
    return max(seen) + 1 if seen else None


def _model_error(
    operation: str, model: type[SoapModel], index: int, data: dict[str, Any], exc: Exception
) -> MplusRecordError:
    """A decoded record the typed model refused (e.g. a quantity that is no number), as a record error."""
    key, marker = record_identity(model.soap_type, data)
    field, value, reason = "?", None, f"{type(exc).__name__}: {exc}".splitlines()[0]
    details = getattr(exc, "errors", None)
    if callable(details):  # pydantic: the field and the value it refused
        first = details()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "?"
        value = repr(first.get("input"))[:60]
        reason = str(first.get("msg", reason))
    record = (record_path(operation) or (("?", ""),))[-1][0]
    return MplusRecordError(operation, record, index, key, field, value, reason, marker)
