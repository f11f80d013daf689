"""The client's connection to one endpoint: settings, the httpx client and its credentials transport,
the concurrency bound, counters and redaction of the credentials from every text."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Self
from urllib.parse import quote, quote_plus, urlsplit

import httpx

from ... import retry


class CredentialsTransport(httpx.AsyncBaseTransport):
    """Adds ident/secret to the query string of the request actually sent; the caller's request object
    (the one httpx logs and puts on exceptions) stays without them."""

    def __init__(self, inner: httpx.AsyncBaseTransport, ident: str, secret: str) -> None:
        self._inner = inner
        self._params = {"ident": ident, "secret": secret}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = httpx.Request(
            request.method,
            request.url.copy_merge_params(self._params),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(sent)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def __repr__(self) -> str:
        return "<MplusKASSA credentials transport>"


class MplusSession:
    """Settings, connection and lifecycle of one MplusKASSA API endpoint."""

    def __init__(
        self,
        base_url: str,
        ident: str,
        secret: str,
        *,
        concurrency: int = 4,
        timeout: float = 60,
        max_retries: int = retry.DEFAULT_MAX_RETRIES,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff_s: float = retry.DEFAULT_BACKOFF_S,
        max_backoff_s: float = retry.DEFAULT_MAX_BACKOFF_S,
        max_retry_after_s: float = retry.DEFAULT_MAX_RETRY_AFTER_S,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("base_url must be an http(s) URL such as https://api.mpluskassa.nl:34567")
        if parts.query or parts.username or parts.password:
            # Never echo the URL: it may hold the very credentials we are keeping out of messages.
            raise ValueError(
                "base_url must not carry a query string or user info: pass ident/secret separately"
            )
        if not ident or not secret:
            raise ValueError("ident and secret are required")
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        retry.check_settings(max_retries, backoff_s, max_backoff_s, max_retry_after_s)
        self.base_url = base_url.rstrip("/")
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_retry_after_s = max_retry_after_s
        self._secrets = tuple(
            {s for v in (ident, secret) for s in (v, quote(v, safe=""), quote_plus(v, safe="")) if s}
        )
        # Whole values only: a secret inside a word ("a" in "cannot connect") is that word, not the secret.
        self._secret_pattern = (
            re.compile(
                "|".join(
                    rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])"
                    for v in sorted(self._secrets, key=len, reverse=True)
                )
            )
            if self._secrets
            else None
        )
        inner = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        )
        self._transport = CredentialsTransport(inner, ident, secret)
        self._http: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self.calls: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        # Overridable so tests can observe back-off without waiting.
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __repr__(self) -> str:
        return f"MplusClient(base_url={self.base_url!r}, concurrency={self.concurrency})"

    # --- lifecycle --------------------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        self._client()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                transport=self._transport, timeout=self.timeout, follow_redirects=False
            )
        return self._http

    def _sem(self) -> asyncio.Semaphore:
        # Created on first use so it belongs to the running loop (a client built outside a loop still works).
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        return self._semaphore

    @property
    def stats(self) -> dict[str, dict[str, int]]:
        """Calls and retries per operation."""
        return {"calls": dict(self.calls), "retries": dict(self.retries)}

    def _redact(self, text: str) -> str:
        return self._secret_pattern.sub("***", text) if self._secret_pattern else text
