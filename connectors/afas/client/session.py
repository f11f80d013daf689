"""The client's hold on one AFAS environment: settings, the httpx client, the token, and the two
concurrency bounds (this client's and the environment's) a request holds until AFAS answered."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Self

import httpx

from ... import retry
from ...shared_bound import SharedBound, environment_bound
from ..auth import AfasToken, Secret

MAX_CONCURRENCY: Final = 8  # AFAS: "a maximum of 8 parallel calls"


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


class AfasSession:
    """Settings, connection, bounds and lifecycle of one AFAS environment's client."""

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

    async def __aenter__(self) -> Self:
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


def _discard_outcome(task: asyncio.Task[Any]) -> None:
    # The caller is gone; fetching the exception keeps asyncio from logging "exception was never retrieved".
    if not task.cancelled():
        task.exception()
