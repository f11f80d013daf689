"""Async AFAS Profit REST client: GetConnectors (paged, filtered), UpdateConnectors, metainfo.

Use one client within one event loop (httpx connections belong to the loop that opened them).

Retries (`max_retries`, default 4, so 5 attempts; waits from connectors.retry: `backoff_s` doubling with
jitter up to `max_backoff_s`, or AFAS's own retry_after / Retry-After when it gives one, unless that is over
`max_retry_after_s`, then the call fails at once):
- every call: 503 (maintenance) and 429, and connect errors (AFAS never saw the request);
- reads (GET: GetConnectors, metainfo) also: 500, 502, 504, timeouts and dropped connections;
- never: 401, 403, other 4xx, and a write that may have reached AFAS (the caller looks it up first).
A 500 that says the page is too large ("Out of memory") or the connector is blocked or unknown is not retried:
the same call would fail the same way.

Concurrency: a client has its own bound (`concurrency`), and all clients of one environment (base URL +
token) in this process share one bound of MAX_CONCURRENCY calls, across threads and event loops
(connectors.shared_bound). A call holds its slots until AFAS answered, even when its caller was cancelled.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections import Counter, deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote

import httpx
import orjson

from .. import retry
from ..shared_bound import SharedBound, environment_bound
from . import codec
from .auth import AfasToken, Secret
from .errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasNotFoundError,
    AfasPayloadTooLargeError,
    AfasQueryTooLong,
    AfasTransportError,
    AfasUnavailableError,
    AfasValidationError,
)
from .filters import Filter, FilterValue, Op, format_value, where

logger = logging.getLogger("connectors.afas")

MAX_CONCURRENCY: Final = 8  # AFAS: "a maximum of 8 parallel calls"
MAX_QUERY_CHARS: Final = 2049  # longer query strings get a 404 from AFAS
# Legal unencoded in a query (AFAS's own examples show `A,B;A` raw); keeps the string short for the 2049 limit.
_QUERY_SAFE: Final = ",;:@"
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT: Final = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_ISO_Z: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
# A GET 500 with one of these texts fails the same way when repeated: not retried (page too large, fair-use
# block, unknown connector). Lower-case; AFAS answers in the token user's language.
_LASTING_500: Final = ("out of memory", "geblokkeerd", "blocked", "bestaat niet", "does not exist")

Row = dict[str, Any]


@dataclass
class AfasStats:
    """Counters for monitoring: logical calls and retries per (method, connector), bytes on the wire."""

    calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    retries: Counter[tuple[str, str]] = field(default_factory=Counter)
    bytes_sent: int = 0
    bytes_received: int = 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def total_retries(self) -> int:
        return sum(self.retries.values())


class AfasClient:
    """Client for one AFAS environment.

    `base_url` is the full `https://{env}.rest.afas.online/ProfitRestServices` base (any case).
    All calls (reads and writes) of this client share one bound of `concurrency` requests in flight, and all
    clients of the same environment in this process one bound of MAX_CONCURRENCY (`environment_bound`).
    """

    def __init__(
        self,
        base_url: str,
        token: str | Secret,
        *,
        concurrency: int = 8,
        page_size: int = 1000,
        timeout: float = 60.0,
        max_retries: int = retry.DEFAULT_MAX_RETRIES,
        backoff_s: float = retry.DEFAULT_BACKOFF_S,
        max_backoff_s: float = retry.DEFAULT_MAX_BACKOFF_S,
        max_retry_after_s: float = retry.DEFAULT_MAX_RETRY_AFTER_S,
        transport: httpx.AsyncBaseTransport | None = None,
        accept_language: str | None = None,
        integration_id: str | None = None,
    ) -> None:
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(
                f"concurrency must be between 1 and {MAX_CONCURRENCY} (AFAS allows at most "
                f"{MAX_CONCURRENCY} parallel calls), got {concurrency}"
            )
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        retry.check_settings(max_retries, backoff_s, max_backoff_s, max_retry_after_s)
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0, got {timeout}")
        url = httpx.URL(base_url.strip())
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        self.base_url = str(url.copy_with(query=None, fragment=None)).rstrip("/")
        self._token = AfasToken(token)
        self.concurrency = concurrency
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_retry_after_s = max_retry_after_s
        self.stats = AfasStats()
        headers = {"Accept": "application/json", "User-Agent": "afas-mplus-sync"}
        if accept_language:
            headers["Accept-Language"] = accept_language
        if integration_id:
            headers["IntegrationId"] = integration_id
        # The token is added per request so it never sits in the httpx client's default headers.
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers=headers,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            follow_redirects=False,
        )
        self._bound: asyncio.Semaphore | None = None
        self._bound_loop: asyncio.AbstractEventLoop | None = None
        self._detached: set[asyncio.Task[Any]] = set()  # requests still running for a cancelled caller
        # Keyed by a digest, so the registry never holds the token itself.
        token_digest = hashlib.sha256(self._token.header.reveal().encode()).hexdigest()
        self.environment: SharedBound = environment_bound(
            ("afas", self.base_url.lower(), token_digest), MAX_CONCURRENCY
        )
        # Overridable so tests can observe back-off without waiting.
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __repr__(self) -> str:
        return (
            f"AfasClient(base_url={self.base_url!r}, token={Secret('')!r}, concurrency={self.concurrency}, "
            f"page_size={self.page_size})"
        )

    __str__ = __repr__

    async def __aenter__(self) -> AfasClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        # Requests whose caller was cancelled may still be waiting for AFAS: closing the client ends them.
        for task in list(self._detached):
            task.cancel()
        if self._detached:
            await asyncio.gather(*self._detached, return_exceptions=True)
        await self._http.aclose()

    # ------------------------------------------------------------------ reading

    async def get_page(
        self,
        connector: str,
        *,
        skip: int,
        take: int,
        filters: Filter | None = None,
        order_by: Sequence[str],
    ) -> list[Row]:
        """One page of a GetConnector (`rows`), numbers as int/Decimal, dates as AFAS strings."""
        return self._rows(connector, await self._get_page_raw(connector, skip, take, filters, order_by))

    async def _get_page_raw(
        self, connector: str, skip: int, take: int, filters: Filter | None, order_by: Sequence[str]
    ) -> bytes:
        url = self._get_url(connector, skip=skip, take=take, filters=filters, order_by=order_by)
        return await self._call("GET", url, connector=connector, detail=f" skip={skip} take={take}", raw=True)

    def _rows(self, connector: str, body: bytes) -> list[Row]:
        data = self._parse_body("GET", connector, body)
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise AfasError(
                f"AFAS answered GET {connector} without a 'rows' list", connector=connector, method="GET"
            )
        return rows

    def iter_pages(
        self,
        connector: str,
        *,
        order_by: Sequence[str],
        filters: Filter | None = None,
        page_size: int | None = None,
        keyset: str | None = None,
    ) -> AsyncGenerator[list[Row], None]:
        """Yield the pages of a GetConnector in order (empty pages are not yielded).

        Skip paging keeps up to `concurrency` pages in flight (ramping up 1, 2, 4, ... so small tables
        cost one call). With `keyset`, pages follow `keyset > last value` instead of skip, as AFAS
        recommends above ~100k rows; the keyset field must be unique and is ordered on first.
        """
        order = _check_order_by(connector, order_by)
        take = self.page_size if page_size is None else page_size
        if take < 1:
            raise ValueError(f"page_size must be at least 1, got {take}")
        if keyset is not None:
            return self._iter_keyset(connector, order, filters, take, keyset)
        return self._iter_skip(connector, order, filters, take)

    async def get_all(
        self,
        connector: str,
        *,
        order_by: Sequence[str],
        filters: Filter | None = None,
        page_size: int | None = None,
        keyset: str | None = None,
    ) -> list[Row]:
        rows: list[Row] = []
        async for page in self.iter_pages(
            connector, order_by=order_by, filters=filters, page_size=page_size, keyset=keyset
        ):
            rows.extend(page)
        return rows

    async def _iter_skip(
        self, connector: str, order: list[str], filters: Filter | None, take: int
    ) -> AsyncGenerator[list[Row], None]:
        pending: deque[asyncio.Task[list[Row]]] = deque()
        next_skip = 0
        window = 1

        def top_up() -> None:
            nonlocal next_skip
            while len(pending) < window:
                coro = self.get_page(connector, skip=next_skip, take=take, filters=filters, order_by=order)
                pending.append(asyncio.ensure_future(coro))
                next_skip += take

        try:
            top_up()
            while True:
                rows = await pending.popleft()
                if len(rows) < take:
                    # Short page = end; the pages still in flight lie beyond it (finally cancels them).
                    if rows:
                        yield rows
                    return
                window = min(window * 2, self.concurrency)
                top_up()  # before yielding, so AFAS works while the caller processes this page
                yield rows
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    async def _iter_keyset(
        self, connector: str, order: list[str], filters: Filter | None, take: int, keyset: str
    ) -> AsyncGenerator[list[Row], None]:
        descending = f"-{keyset}" in order
        order = [f"-{keyset}" if descending else keyset] + [o for o in order if o.lstrip("-") != keyset]

        def fetch(last: FilterValue, first: bool) -> asyncio.Task[bytes]:
            page_filter = filters
            if not first:
                # `&` distributes, so the keyset condition lands in every OR group of the user's filter.
                after = where(keyset, Op.LT if descending else Op.GT, last)
                page_filter = after if filters is None else filters & after
            return asyncio.ensure_future(self._get_page_raw(connector, 0, take, page_filter, order))

        pending: asyncio.Task[bytes] | None = fetch(None, True)
        previous: FilterValue = None
        first = True
        try:
            while pending is not None:
                body = await pending
                pending = None
                # Each page's filter needs the last key of the one before, so pages come one after another.
                # The next request leaves as soon as that key is known (a quick parse of the page), while this
                # page is decoded exactly (Decimals) and processed: AFAS works meanwhile, as with skip paging.
                peek = _peek_keyset(body, keyset)
                if peek is not None:
                    count, last = peek
                    if count >= take:
                        self._check_advance(connector, keyset, first, previous, last)
                        pending = fetch(last, False)
                rows = self._rows(connector, body)
                if peek is None and len(rows) >= take:
                    last = _keyset_value(connector, keyset, rows[-1])
                    self._check_advance(connector, keyset, first, previous, last)
                    pending = fetch(last, False)
                if rows:
                    yield rows
                if pending is not None:
                    previous, first = last, False
        finally:
            if pending is not None:
                pending.cancel()
                await asyncio.gather(pending, return_exceptions=True)

    @staticmethod
    def _check_advance(
        connector: str, keyset: str, first: bool, previous: FilterValue, last: FilterValue
    ) -> None:
        if not first and last == previous:
            # Guards against an endless loop when AFAS's filter and sort disagree on the keyset.
            raise AfasError(
                f"keyset paging on {connector} did not advance past {keyset}={last!r}: the keyset field "
                "must be unique and sortable",
                connector=connector,
                method="GET",
            )

    # ------------------------------------------------------------------ metainfo

    async def metainfo(self) -> dict[str, Any]:
        """The token's App Connector: `getConnectors`, `updateConnectors`, `info`."""
        return await self._call_dict("GET", f"{self.base_url}/metainfo", "metainfo")

    async def metainfo_get(self, connector_id: str) -> dict[str, Any]:
        """Field list of a GetConnector (`fields`: id, dataType, label, length, decimals...)."""
        path = f"metainfo/get/{_segment(connector_id)}"
        return await self._call_dict("GET", f"{self.base_url}/{path}", f"metainfo/get/{connector_id}")

    async def metainfo_update(self, connector_id: str) -> dict[str, Any]:
        """Fields and nested objects of an UpdateConnector."""
        path = f"metainfo/update/{_segment(connector_id)}"
        return await self._call_dict("GET", f"{self.base_url}/{path}", f"metainfo/update/{connector_id}")

    async def profit_version(self) -> str:
        data = await self._call_dict("GET", f"{self.base_url}/ProfitVersion", "ProfitVersion")
        return str(data.get("version", ""))

    # ------------------------------------------------------------------ writing

    async def insert(self, connector: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST a new record; returns AFAS's `results` (e.g. {"FbSales": {"OrNu": "123"}}) or {}."""
        return await self._write("POST", connector, f"connectors/{_segment(connector)}", body)

    async def update(self, connector: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """PUT changed fields (key fields included; "" clears a field)."""
        return await self._write("PUT", connector, f"connectors/{_segment(connector)}", body)

    async def insert_sub(self, connector: str, sub_object: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST to /connectors/{Conn}/{SubObject}: updates the root and inserts sub-records."""
        path = f"connectors/{_segment(connector)}/{_segment(sub_object)}"
        return await self._write("POST", connector, path, body)

    async def delete(self, connector: str, object_name: str, keys: Mapping[str, Any]) -> None:
        """DELETE /connectors/{Conn}/{Object}/@K1,@K2/v1,v2."""
        if not keys:
            raise ValueError("delete needs at least one key field")
        names, values = [], []
        for name, value in keys.items():
            text = format_value(value, Op.EQ)
            if "," in text or "," in name:
                raise ValueError(f"a delete key cannot contain ',' (AFAS has no escaping): {name}={text!r}")
            names.append(quote(name if name.startswith("@") else f"@{name}", safe="@"))
            values.append(quote(text, safe=""))
        path = (
            f"connectors/{_segment(connector)}/{_segment(object_name)}/{','.join(names)}/{','.join(values)}"
        )
        await self._call("DELETE", f"{self.base_url}/{path}", connector=connector)

    async def _write(self, method: str, connector: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        # A bare element() result gets the connector as root; FiEntries-style roots are passed as they are.
        payload = {connector: dict(body)} if "Element" in body else body
        content = codec.dumps(payload).encode("utf-8")
        data = await self._call(method, f"{self.base_url}/{path}", connector=connector, content=content)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise AfasError(
                f"AFAS answered {method} {connector} with unexpected JSON", connector=connector, method=method
            )
        results = data.get("results", data)
        return results if isinstance(results, dict) else {"results": results}

    # ------------------------------------------------------------------ transport

    def _get_url(
        self, connector: str, *, skip: int, take: int, filters: Filter | None, order_by: Sequence[str]
    ) -> str:
        order = _check_order_by(connector, order_by)
        base = [("skip", str(skip)), ("take", str(take)), ("orderbyfieldids", ",".join(order))]
        url = f"{self.base_url}/connectors/{_segment(connector)}"
        candidates: list[list[tuple[str, str]]] = []
        if filters is None:
            candidates.append(base)
        else:
            if filters.query_safe:  # shortest form first; filterjson for ',' ';' values or when too long
                candidates.append(base + list(filters.to_query().items()))
            candidates.append(base + [("filterjson", filters.to_filterjson())])
        shortest = 0
        for params in candidates:
            query = "&".join(f"{k}={quote(v, safe=_QUERY_SAFE)}" for k, v in params)
            if len(query) <= MAX_QUERY_CHARS:
                return f"{url}?{query}"
            shortest = min(shortest or len(query), len(query))
        raise AfasQueryTooLong(
            f"The query for GetConnector {connector} is {shortest} characters, over AFAS's limit of "
            f"{MAX_QUERY_CHARS} (AFAS would answer 404): split the filter into several calls.",
            connector=connector,
            method="GET",
        )

    async def _call_dict(self, method: str, url: str, connector: str) -> dict[str, Any]:
        data = await self._call(method, url, connector=connector)
        if not isinstance(data, dict):
            raise AfasError(
                f"AFAS answered {method} {connector} without a JSON object",
                connector=connector,
                method=method,
            )
        return data

    def _semaphore(self) -> asyncio.Semaphore:
        # Created in the running loop (not in __init__, which may run outside any loop).
        loop = asyncio.get_running_loop()
        if self._bound is None or self._bound_loop is not loop:
            self._bound = asyncio.Semaphore(self.concurrency)
            self._bound_loop = loop
        return self._bound

    async def _send(
        self, method: str, url: str, content: bytes | None, headers: dict[str, str]
    ) -> tuple[httpx.Response | None, httpx.TransportError | None]:
        """One request, holding this client's and the environment's slot while AFAS works on it."""
        own = self._semaphore()
        await own.acquire()
        try:
            await self.environment.acquire()
        except BaseException:
            own.release()
            raise
        task = asyncio.ensure_future(self._request_then_release(own, method, url, content, headers))
        try:
            # Cancelling the caller (a paging loop that stopped early) must not free the slots while AFAS
            # still works on the request, or the next calls would push AFAS over its limit: the request
            # finishes in its own task, which releases them once AFAS answered.
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            self._detached.add(task)
            task.add_done_callback(self._detached.discard)
            task.add_done_callback(_discard_outcome)
            raise

    async def _request_then_release(
        self, own: asyncio.Semaphore, method: str, url: str, content: bytes | None, headers: dict[str, str]
    ) -> tuple[httpx.Response | None, httpx.TransportError | None]:
        try:
            return await self._http.request(method, url, content=content, headers=headers), None
        except httpx.TransportError as exc:
            return None, exc
        finally:
            self.environment.release()
            own.release()

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
            wait = _retry_after(response)
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
                        f" {_attempts(attempt)}: temporary, the next run retries it"
                        if not is_write
                        else ": the write may have been processed, check in AFAS before sending it again"
                    ),
                    connector=connector,
                    method=method,
                    status_code=status,
                    may_have_reached_server=True,
                    attempts=attempt + 1,
                )
            if status == 500 and not is_write and attempt < self.max_retries and not _lasting_500(response):
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

    def _transport_error(
        self,
        method: str,
        connector: str,
        exc: httpx.TransportError,
        reached: bool,
        transient: bool,
        attempt: int,
    ) -> AfasTransportError:
        # Only the exception's class and scrubbed text: never the request (headers) it carries.
        reason = self._token.scrub(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        tries = f" {_attempts(attempt)}" if attempt else ""
        may_have_reached = reached and transient
        if not transient:  # e.g. an unsupported URL scheme or a bad proxy: setup, not luck
            advice = ": check the base URL and the network settings"
        elif may_have_reached and method != "GET":
            advice = (
                ": the request may have reached AFAS, check whether it was processed before sending it again"
            )
        elif may_have_reached:
            advice = (
                ": AFAS did not answer in time or dropped the connection; temporary, the next run retries it"
            )
        else:
            advice = (
                ": AFAS could not be reached; temporary, the next run retries it (if it persists, check the "
                "base URL, DNS and network)"
            )
        return AfasTransportError(
            f"{method} {connector} failed{tries} ({reason}){advice}",
            connector=connector,
            method=method,
            may_have_reached_server=may_have_reached,
            transient=transient,
            attempts=attempt + 1,
        )

    def _unavailable(
        self,
        method: str,
        connector: str,
        status: int,
        wait: float | None,
        attempt: int,
        *,
        waited_too_long: bool,
    ) -> AfasUnavailableError:
        if waited_too_long:
            text = (
                f"AFAS is unavailable (HTTP {status}, maintenance?) for {method} {connector} and asks to "
                f"retry after {wait:.0f} s, more than max_retry_after_s={self.max_retry_after_s:.0f}: "
                "temporary, try again later"
            )
        else:
            text = (
                f"AFAS is still unavailable (HTTP {status}) for {method} {connector} {_attempts(attempt)}: "
                "temporary, try again later (the next run retries it)"
            )
        return AfasUnavailableError(
            text,
            connector=connector,
            method=method,
            status_code=status,
            retry_after=wait,
            attempts=attempt + 1,
        )

    def _status_error(
        self, method: str, connector: str, response: httpx.Response, content: bytes | None, attempt: int
    ) -> AfasError:
        status = response.status_code
        ctx: dict[str, Any] = {
            "connector": connector,
            "method": method,
            "status_code": status,
            "attempts": attempt + 1,
        }
        call = f"{method} {connector}"
        if status == 401:
            return AfasAuthError(
                f"AFAS refused the token for {call} (401): check the token, and that the token's App Connector "
                f"includes {connector}.",
                **ctx,
            )
        if status == 403:
            return AfasForbiddenError(
                f"AFAS refused {call} (403): this machine's IP address is not allowed by the App Connector's "
                "IP restriction.",
                **ctx,
            )
        if status == 404:
            return AfasNotFoundError(
                f"AFAS answered 404 for {call}: check the base URL ({self.base_url}) and the connector id "
                "(a query string over 2049 characters also gives 404).",
                **ctx,
            )
        if status == 413:
            size = len(content or b"")
            return AfasPayloadTooLargeError(
                f"AFAS refused {call} (413): the request of {size} bytes is too large (at most 75 MB per call); "
                "send fewer elements per call.",
                **ctx,
            )
        body = _json_or_none(response)
        if status == 500:
            body = body if isinstance(body, dict) else {}
            external = body.get("externalMessage") or _snippet(response) or "no message"
            external = self._token.scrub(str(external))
            number = body.get("errorNumber")
            reference = body.get("profitLogReference")
            hint = ""
            if method == "GET" and "memory" in external.lower():
                hint = " Lower page_size (AFAS advises columns x rows < 150,000 per call)."
            return AfasValidationError(
                f"AFAS rejected {call}{' ' + _attempts(attempt) if attempt else ''}: {external} "
                f"(Profit log reference: {reference or 'none'}"
                + (f", error {number}" if number is not None else "")
                + "). Correct the data or the connector setup and retry; give the log reference to your AFAS "
                "administrator if the cause is unclear." + hint,
                **ctx,
                external_message=external,
                error_number=int(number) if isinstance(number, int) else None,
                profit_log_reference=str(reference) if reference else None,
            )
        detail = self._token.scrub(_snippet(response))
        return AfasError(f"AFAS answered HTTP {status} for {call}" + (f": {detail}" if detail else ""), **ctx)


def _attempts(attempt: int) -> str:
    return f"after {attempt + 1} attempts"


def _lasting_500(response: httpx.Response) -> bool:
    body = _json_or_none(response)
    text = body.get("externalMessage") if isinstance(body, dict) else None
    text = str(text) if text else response.content[:300].decode("utf-8", errors="replace")
    return any(marker in text.lower() for marker in _LASTING_500)


def _discard_outcome(task: asyncio.Task[Any]) -> None:
    # The caller is gone; fetching the exception keeps asyncio from logging "exception was never retrieved".
    if not task.cancelled():
        task.exception()


def _check_order_by(connector: str, order_by: Sequence[str]) -> list[str]:
    if isinstance(order_by, str):
        order_by = [order_by]
    order = [o.strip() for o in order_by if o and o.strip()]
    if not order:
        raise ValueError(
            f"order_by is required for GetConnector {connector}: AFAS pages are only stable with orderbyfieldids"
        )
    for item in order:
        if "," in item or ";" in item:
            raise ValueError(f"invalid order_by field {item!r}")
    return order


def _segment(name: str) -> str:
    if not name or "/" in name:
        raise ValueError(f"invalid AFAS connector/object id {name!r}")
    return quote(name, safe="")


def _peek_keyset(body: bytes, keyset: str) -> tuple[int, FilterValue] | None:
    """Row count and last keyset value of a page, from a fast parse (orjson, floats inexact): None when that
    parse cannot be trusted for the key (not JSON, no rows list, or a key that is neither text nor integer),
    in which case the exact decode decides."""
    try:
        rows = orjson.loads(body).get("rows")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(rows, list):
        return None
    if not rows:
        return 0, None
    value = rows[-1].get(keyset) if isinstance(rows[-1], dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return len(rows), _filter_value(value)


def _keyset_value(connector: str, keyset: str, row: Row) -> FilterValue:
    value = row.get(keyset)
    if value is None:
        raise AfasError(
            f"keyset paging on {connector}: the last row has no value for {keyset} (the keyset field must be a "
            "returned, non-empty, unique column)",
            connector=connector,
            method="GET",
        )
    return _filter_value(value)


def _filter_value(value: FilterValue) -> FilterValue:
    if isinstance(value, str) and _ISO_Z.fullmatch(value):
        return value[:-1]  # AFAS sends local time with a Z; filter values carry no zone
    return value


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from the 503 body (`retry_after`) or the `Retry-After` header (seconds or HTTP date)."""
    body = _json_or_none(response)
    if isinstance(body, dict):
        wait = retry.parse_retry_after(body.get("retry_after"))
        if wait is not None:
            return wait
    return retry.retry_after_header(response.headers)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return codec.loads(response.content) if response.content.strip() else None
    except ValueError:
        return None


def _snippet(response: httpx.Response, limit: int = 300) -> str:
    text = response.content[:limit].decode("utf-8", errors="replace").strip()
    return text + ("..." if len(response.content) > limit else "")
