"""One logical call: sent with retries (which failures, how often, how long to wait), its answer parsed."""

from __future__ import annotations

import logging
import time
from typing import Any, Final
from urllib.parse import quote

import httpx

from ... import retry
from .. import codec
from ..errors import AfasError, AfasTransportError
from .failures import AfasFailures, after_attempts, lasting_500, retry_after_s

logger = logging.getLogger("connectors.afas")


_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class AfasCalls(AfasFailures):
    """Calls with retries; their answers parsed."""

    async def _call_dict(self, method: str, url: str, connector: str) -> dict[str, Any]:
        data = await self._call(method, url, connector=connector)
        if not isinstance(data, dict):
            raise AfasError(
                f"AFAS answered {method} {connector} without a JSON object",
                connector=connector,
                method=method,
            )
        return data

    async def _call(
        self,
        method: str,
        url: str,
        *,
        connector: str,
        content: bytes | None = None,
        detail: str = "",
        raw: bool = False,
    ) -> Any:
        """One logical call with retries; returns parsed JSON or None for an empty body (`raw`: the body bytes)."""
        is_write = method != "GET"
        key = (method, connector)
        self.stats.calls[key] += 1
        headers = {"Authorization": self._token.header.reveal()}
        if content is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            started = time.perf_counter()
            response, failure = await self._send(method, url, content, headers)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if content is not None:
                self.stats.bytes_sent += len(content)

            if failure is not None:
                reached = not isinstance(failure, _NOT_SENT)
                transient = isinstance(failure, _NOT_SENT + _MAYBE_SENT)
                logger.debug(
                    "AFAS %s %s%s -> %s after %.0f ms",
                    method,
                    connector,
                    detail,
                    type(failure).__name__,
                    elapsed_ms,
                )
                # Writes are retried only when AFAS provably never saw them (no double inserts).
                if transient and (not is_write or not reached) and attempt < self.max_retries:
                    attempt = await self._back_off(key, attempt, self._delay(attempt), type(failure).__name__)
                    continue
                raise self._transport_error(method, connector, failure, reached, transient, attempt)

            assert response is not None
            self.stats.bytes_received += len(response.content)
            status = response.status_code
            logger.debug(
                "AFAS %s %s%s -> %d in %.0f ms (%d bytes)",
                method,
                connector,
                detail,
                status,
                elapsed_ms,
                len(response.content),
            )
            if 200 <= status < 300:
                return response.content if raw else self._parse(method, connector, response)
            wait = retry_after_s(response)
            if status in (503, 429):  # maintenance / throttling: AFAS did not process the call
                if wait is not None and wait > self.max_retry_after_s:
                    raise self._unavailable(method, connector, status, wait, attempt, waited_too_long=True)
                if attempt < self.max_retries:
                    attempt = await self._back_off(key, attempt, self._delay(attempt, wait), f"HTTP {status}")
                    continue
                raise self._unavailable(method, connector, status, wait, attempt, waited_too_long=False)
            if status in (502, 504):  # gateway: AFAS may or may not have processed the call
                if not is_write and attempt < self.max_retries:
                    attempt = await self._back_off(key, attempt, self._delay(attempt, wait), f"HTTP {status}")
                    continue
                raise AfasTransportError(
                    f"AFAS gateway answered {status} for {method} {connector}"
                    + (
                        f" {after_attempts(attempt)}: temporary, the next run retries it"
                        if not is_write
                        else ": the write may have been processed, check in AFAS before sending it again"
                    ),
                    connector=connector,
                    method=method,
                    status_code=status,
                    may_have_reached_server=True,
                    attempts=attempt + 1,
                )
            if status == 500 and not is_write and attempt < self.max_retries and not lasting_500(response):
                attempt = await self._back_off(key, attempt, self._delay(attempt, wait), "HTTP 500")
                continue
            raise self._status_error(method, connector, response, content, attempt)

    async def _back_off(self, key: tuple[str, str], attempt: int, delay: float, reason: str) -> int:
        self.stats.retries[key] += 1
        logger.info(
            "AFAS %s %s: %s, retry %d/%d in %.1f s",
            key[0],
            key[1],
            reason,
            attempt + 1,
            self.max_retries,
            delay,
        )
        await self._sleep(delay)
        return attempt + 1

    def _delay(self, attempt: int, retry_after: float | None = None) -> float:
        """AFAS's own wait when it gave one we accept, else capped exponential back-off with jitter."""
        if retry_after is not None and retry_after <= self.max_retry_after_s:
            return retry_after
        return retry.backoff_delay(attempt, self.backoff_s, self.max_backoff_s)

    def _parse(self, method: str, connector: str, response: httpx.Response) -> Any:
        return self._parse_body(method, connector, response.content, response.status_code)

    def _parse_body(self, method: str, connector: str, body: bytes, status: int = 200) -> Any:
        if not body.strip():
            return None
        try:
            return codec.loads(body)
        except ValueError:
            raise AfasError(
                f"AFAS answered {method} {connector} with invalid JSON ({len(body)} bytes)",
                connector=connector,
                method=method,
                status_code=status,
            ) from None


def segment(name: str) -> str:
    if not name or "/" in name:
        raise ValueError(f"invalid AFAS connector/object id {name!r}")
    return quote(name, safe="")
