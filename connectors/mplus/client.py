"""Async MplusKASSA (MplusQapi SOAP) client.

Credentials: MplusQapi authenticates by ``?ident=..&secret=..`` on every request. They are added by an
inner transport (:class:`_CredentialsTransport`) *below* httpx's client, so the request httpx logs
("HTTP Request: POST ...") and attaches to exceptions and responses never carries them; every error this
module raises is built from our own text, redacted, and raised ``from None`` so no chained httpx exception
drags a URL into a traceback.

Retries (``max_retries``, default 4, so 5 attempts; waits from connectors.retry: ``backoff_s`` doubling with
jitter up to ``max_backoff_s``, or the server's Retry-After unless it is over ``max_retry_after_s``, then the
call fails at once): reads (get*/find*) retry Server faults, transport errors and 5xx answers; writes retry
only errors that provably never reached the server (connect errors), unless the request carries an
``idempotencyKey``. Client faults, auth errors, other 4xx and result enums are never retried. The error
after the last attempt says how many were made and that it is temporary (``transient``, see errors.py).

Answers are read as a stream and decoded incrementally (soap.ResponseStream): ``iter_stock`` hands out
getStock's levels in batches while the answer is still arriving, so memory is bounded by a batch. A streamed
call is retried only until its first batch was handed out; a failure after that raises a transient
MplusTransportError (the caller already holds part of the answer).

One bad record never fails an answer: it is left out and reported as an MplusRecordError (operation,
record key, field, value) in the ``errors`` of the returned Batch or page, and logged as a warning.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Self, TypeVar
from urllib.parse import quote, quote_plus, urlsplit

import httpx

from .. import retry
from .errors import (
    MplusAuthError,
    MplusError,
    MplusFaultError,
    MplusRecordError,
    MplusResultError,
    MplusTransportError,
)
from .models import (
    ApiVersion,
    ArticleGroup,
    ArticleStock,
    Batch,
    Branch,
    CreateProductResult,
    CreateRelationResult,
    Invoice,
    InvoicesPage,
    Order,
    OrdersPage,
    PaymentMethod,
    PriceGroup,
    Product,
    ProductsPage,
    Relation,
    RelationsPage,
    SetStockResult,
    SoapModel,
    SyncMarkers,
    UpdateProductResult,
    VatGroup,
    validate_article_number,
)
from .money import decimal_to_quantity
from .soap import (
    FEED_SLICE,
    ResponseStream,
    SoapDecodeError,
    SoapFault,
    decode_response,
    encode_request,
    record_identity,
    record_path,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=SoapModel)
Found = list[tuple[int, dict[str, Any]]]  # decoded records with their position in the answer

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
# Fault texts that mean "bad ident/secret"; MplusQapi's exact fault for this is undocumented.
_AUTH_WORDS = ("ident", "secret", "authentic", "credential", "unauthori")
STOCK_BATCH = 5000  # stock levels per batch of a streamed getStock


def is_read_operation(operation: str) -> bool:
    return operation not in WRITE_OPERATIONS and operation.startswith(("get", "find"))


class _CredentialsTransport(httpx.AsyncBaseTransport):
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


@dataclass
class _Answer:
    """What a streamed call leaves besides its records: the answer's own fields, and how to reassemble it."""

    header: dict[str, Any] = field(default_factory=dict)
    stream: ResponseStream | None = None

    def assemble(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        return self.stream.assemble(self.header, records) if self.stream else self.header


class MplusClient:
    """One MplusKASSA API endpoint. Use as ``async with MplusClient(...) as mplus:``."""

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
        self._transport = _CredentialsTransport(inner, ident, secret)
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

    # --- the generic call -------------------------------------------------------------------------------

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
        answer = _Answer()
        records: list[dict[str, Any]] = []
        async for found, errors in self._stream(operation, request, answer, None, record_errors is not None):
            records.extend(record for _index, record in found)
            if record_errors is not None:
                record_errors.extend(errors)
        return answer.assemble(records)

    async def _records(self, operation: str, request: dict[str, Any] | None, model: type[M]) -> Batch[M]:
        """The records of one call's answer as ``model``; the ones that did not decode in ``errors``."""
        batch: Batch[M] = Batch()
        async for found, errors in self._stream(operation, request, _Answer(), None, True):
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
        answer: _Answer,
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

    async def _exchange(
        self,
        operation: str,
        body: bytes,
        request_id: str,
        attempt: int,
        answer: _Answer,
        batch_size: int | None,
        tolerant: bool,
    ) -> AsyncIterator[tuple[Found, list[MplusRecordError]]]:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '""',
            "X-Request-Id": request_id,
        }
        started = time.monotonic()
        client = self._client()
        request = client.build_request("POST", self.base_url + "/", content=body, headers=headers)
        # Errors are raised after the except blocks, not inside them: that leaves no __context__ pointing at
        # the httpx exception (whose request/message may carry the URL) for a traceback to print.
        failure: MplusTransportError | None = None
        try:
            response = await client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Nothing was sent: safe to repeat even a write.
            failure = MplusTransportError(
                self._redact(f"{operation}: cannot connect to MplusKASSA ({type(exc).__name__}: {exc})"),
                may_have_reached_server=False,
            )
        except httpx.HTTPError as exc:
            failure = MplusTransportError(
                self._redact(f"{operation}: HTTP exchange failed ({type(exc).__name__}: {exc})"),
                may_have_reached_server=True,
            )
        if failure is not None:
            raise failure
        size = 0
        try:
            status = response.status_code
            if status in (401, 403):
                raise MplusAuthError(
                    operation, f"HTTP {status}", "authentication failed: check ident/secret", True
                )
            if not 200 <= status < 300:
                content = b"".join([chunk async for chunk in self._chunks(operation, response)])
                size = len(content)
                raise self._status_error(operation, status, content, response.headers)
            stream = ResponseStream(operation, tolerant=tolerant)
            found: Found = []
            errors: list[MplusRecordError] = []
            async for chunk in self._chunks(operation, response):
                size += len(chunk)
                # In slices, so a large chunk never piles up more than a slice's records beyond a batch.
                for start in range(0, len(chunk), FEED_SLICE):
                    self._feed(operation, stream, chunk[start : start + FEED_SLICE])
                    found += stream.take()
                    errors += stream.take_errors()
                    while batch_size is not None and len(found) + len(errors) >= batch_size:
                        head, head_errors, found, errors = _first(batch_size, found, errors)
                        yield head, head_errors
            answer.header = self._close(operation, stream)
            answer.stream = stream
            found += stream.take()
            errors += stream.take_errors()
            if found or errors:
                yield found, errors
        finally:
            await response.aclose()
            log.debug(
                "mplus %s status=%d bytes=%d %.0fms attempt=%d request_id=%s service_version=%s",
                operation,
                response.status_code,
                size,
                (time.monotonic() - started) * 1000,
                attempt,
                request_id,
                response.headers.get("mplus-service-version", "?"),
            )

    async def _chunks(self, operation: str, response: httpx.Response) -> AsyncIterator[bytes]:
        chunks = response.aiter_bytes().__aiter__()
        while True:
            failure: MplusTransportError | None = None
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except httpx.HTTPError as exc:
                failure = MplusTransportError(
                    self._redact(f"{operation}: the answer broke off ({type(exc).__name__}: {exc})"),
                    may_have_reached_server=True,
                )
            if failure is not None:
                raise failure
            yield chunk

    def _feed(self, operation: str, stream: ResponseStream, chunk: bytes) -> None:
        problem: SoapDecodeError | None = None
        try:
            stream.feed(chunk)
        except SoapDecodeError as exc:
            problem = exc
        if problem is not None:
            raise MplusError(self._redact(f"{operation}: unreadable answer: {problem}"))

    def _close(self, operation: str, stream: ResponseStream) -> dict[str, Any]:
        fault: SoapFault | None = None
        problem: SoapDecodeError | None = None
        try:
            return stream.close()
        except SoapFault as exc:
            fault = exc
        except SoapDecodeError as exc:
            problem = exc
        if fault is not None:
            raise self._fault_error(operation, fault)
        raise MplusError(self._redact(f"{operation}: unreadable answer: {problem}"))

    def _fault_error(self, operation: str, fault: SoapFault) -> MplusFaultError:
        text = self._redact(fault.faultstring)
        code = self._redact(fault.faultcode)
        # Recognised on the text as sent: redacting first hides "ident"/"secret" when they are the values.
        if any(word in fault.faultstring.lower() for word in _AUTH_WORDS):
            return MplusAuthError(operation, code, text, True)
        return MplusFaultError(operation, code, text, fault.is_client)

    def _status_error(
        self, operation: str, status: int, content: bytes, headers: httpx.Headers
    ) -> MplusError:
        """The error for a non-2xx answer: its SOAP fault when it carries one, else the status."""
        fault: SoapFault | None = None
        soap = True
        try:
            decode_response(operation, content, record_errors=[])
        except SoapFault as exc:
            fault = exc
        except SoapDecodeError:
            soap = False
        if fault is not None:
            return self._fault_error(operation, fault)
        return MplusTransportError(
            f"{operation}: HTTP {status}" + ("" if soap else " without a SOAP answer"),
            may_have_reached_server=True,
            status_code=status,
            retry_after=retry.retry_after_header(headers),
        )

    @staticmethod
    def _check(
        operation: str, response: dict[str, Any], ok: str | Iterable[str], record_key: object = None
    ) -> None:
        allowed = {ok} if isinstance(ok, str) else set(ok)
        result = response.get("result")
        if result not in allowed:
            raise MplusResultError(operation, str(result), response.get("errorMessage") or None, record_key)

    # --- meta -------------------------------------------------------------------------------------------

    async def get_api_version(self) -> ApiVersion:
        return ApiVersion.from_soap(await self.call("getApiVersion"))

    async def get_current_sync_markers(self) -> SyncMarkers:
        return SyncMarkers.from_soap(await self.call("getCurrentSyncMarkers"))

    async def get_branches(self) -> Batch[Branch]:
        return await self._records("getBranches", None, Branch)

    async def get_vat_groups(self) -> Batch[VatGroup]:
        return await self._records("getVatGroupList", None, VatGroup)

    async def get_payment_methods(self) -> Batch[PaymentMethod]:
        return await self._records("getPaymentMethods", None, PaymentMethod)

    async def get_price_groups(self) -> Batch[PriceGroup]:
        return await self._records("getPriceGroupList", None, PriceGroup)

    # --- products ---------------------------------------------------------------------------------------

    async def get_products(
        self,
        sync_marker: int | None = None,
        limit: int = 500,
        article_numbers: Sequence[int | str] | None = None,
        *,
        product_numbers: Sequence[int] | None = None,
        only_active: bool | None = None,
    ) -> ProductsPage:
        """One page of products. With ``sync_marker``: products changed at/after that marker (inclusive),
        capped at about ``limit`` *articles* (a first product larger than the limit comes whole)."""
        request: dict[str, Any] = {
            "articleNumbers": [validate_article_number(n) for n in article_numbers or ()],
            # Required by the XSD even when there are no PLU numbers to filter on.
            "pluNumbers": {},
            "onlyActive": only_active,
            "productNumbers": list(product_numbers or ()),
        }
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        products = await self._records("getProducts", request, Product)
        markers = [m for p in products for m in (p.sync_marker, *(a.sync_marker for a in p.articles)) if m]
        return ProductsPage(
            products=products, next_marker=_next_marker(markers, products.errors), errors=products.errors
        )

    async def iter_products(self, from_marker: int = 0, limit: int = 500) -> AsyncIterator[Batch[Product]]:
        """Pages of products changed since ``from_marker`` (inclusive). The next request starts at the
        highest syncMarker seen + 1. Stops only on an *empty* page: the limit counts articles and a page
        ends before a product that would not fit, so a page below the limit does not prove the end (a first
        product larger than the limit comes whole). That costs one extra call per run, never a lost product.
        Products that did not decode are in each page's ``errors``."""
        marker = from_marker
        while True:
            page = await self.get_products(marker, limit)
            if not page.products and not page.errors:
                return
            yield Batch(page.products, page.errors)
            marker = self._advance("getProducts", marker, page.next_marker)

    @staticmethod
    def _advance(operation: str, marker: int, next_marker: int | None) -> int:
        # A full page without higher syncMarkers would loop forever; fail loudly instead.
        if next_marker is None or next_marker <= marker:
            raise MplusError(f"{operation}: a full page did not advance the syncMarker past {marker}")
        return next_marker

    async def create_product(self, product: Product) -> CreateProductResult:
        if not product.articles:
            raise ValueError("a product needs at least one article (a product only groups articles)")
        key = product.articles[0].article_number or product.articles[0].ext_article_id
        response = await self.call("createProduct", {"product": product.to_soap()})
        self._check("createProduct", response, "CREATE-PRODUCT-RESULT-OK", key)
        return CreateProductResult(
            product_number=response["productNumber"],
            article_numbers=response["articleNumbers"],
            sync_marker=response.get("syncMarker"),
        )

    async def update_product(self, product: Product) -> UpdateProductResult:
        if product.product_number is None:
            raise ValueError("update_product needs product.product_number")
        response = await self.call("updateProduct", {"product": product.to_soap()})
        self._check("updateProduct", response, "UPDATE-PRODUCT-RESULT-OK", product.product_number)
        return UpdateProductResult(
            existing_article_numbers=response["existingArticleNumbers"],
            new_article_numbers=response["newArticleNumbers"],
            sync_marker=response.get("syncMarker"),
        )

    # --- article groups ---------------------------------------------------------------------------------

    async def get_article_groups(
        self, group_numbers: Sequence[int] | None = None, *, with_article_numbers: bool = False
    ) -> Batch[ArticleGroup]:
        """The article group tree (roots; children in ``sub_groups``)."""
        request: dict[str, Any] = {"groupNumbers": list(group_numbers or ())}
        if with_article_numbers:
            request["retrieveArticleNumbers"] = True
        return await self._records("getArticleGroups", request, ArticleGroup)

    async def new_article_group(self, parent: int, name: str, text: str = "") -> int:
        """Creates a group under ``parent`` (0 for the root level [INF]); returns its groupNumber."""
        request = {"parentGroupNumber": parent, "name": name, "text": text}
        response = await self.call("newArticleGroup", request)
        self._check("newArticleGroup", response, "NEW-ARTICLE-GROUP-RESULT-OK", name)
        return int(response["groupNumber"])

    async def update_article_group(
        self,
        group_number: int,
        *,
        name: str | None = None,
        text: str | None = None,
        parent: int | None = None,
        sort_order: int | None = None,
    ) -> None:
        request = {
            "groupNumber": group_number,
            "name": name,
            "text": text,
            "sortOrder": sort_order,
            "parentGroupNumber": parent,
        }
        response = await self.call("updateArticleGroup", request)
        self._check("updateArticleGroup", response, "SAVE-ARTICLE-GROUP-RESULT-OK", group_number)

    async def add_products_to_article_group(self, group_number: int, product_numbers: Sequence[int]) -> None:
        request = {"groupNumber": group_number, "productNumbers": {"number": list(product_numbers)}}
        response = await self.call("addProductsToArticleGroup", request)
        self._check(
            "addProductsToArticleGroup", response, "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-OK", group_number
        )

    # --- stock ------------------------------------------------------------------------------------------

    async def get_stock(
        self, branch: int, article_numbers: Sequence[int | str], *, since_stock_id: int | None = None
    ) -> Batch[ArticleStock]:
        """Stock levels of the articles asked; with `since_stock_id` (sync mode, inclusive lower bound like a
        syncMarker) every level of the branch changed since then, for all articles when none are asked.
        Holds the whole answer: for sync mode prefer ``iter_stock``."""
        request = _stock_request(branch, article_numbers, since_stock_id)
        return await self._records("getStock", request, ArticleStock)

    async def iter_stock(
        self,
        branch: int,
        article_numbers: Sequence[int | str] = (),
        *,
        since_stock_id: int | None = None,
        batch_size: int = STOCK_BATCH,
    ) -> AsyncIterator[Batch[ArticleStock]]:
        """``get_stock`` streamed: batches of up to ``batch_size`` levels (good ones plus ``errors``) handed
        out while the answer is still arriving, so memory holds about one batch however many levels the branch
        has. A level without ``branchNumber`` gets ``branch``. Retried like any read until the first batch
        is out; a failure after that raises a transient MplusTransportError."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        request = _stock_request(branch, article_numbers, since_stock_id)
        async for found, errors in self._stream("getStock", request, _Answer(), batch_size, True):
            batch = self._typed("getStock", ArticleStock, found, errors)
            for level in batch:
                if not level.branch_number:
                    level.branch_number = branch
            yield batch

    async def set_stock(
        self, branch: int, article_number: int | str, amount: Decimal, *, reference: str | None = None
    ) -> SetStockResult:
        """Sets the *absolute* stock of one article in one branch (not a delta)."""
        number = validate_article_number(article_number)
        value, places = decimal_to_quantity(amount)
        request = {
            "branchNumber": branch,
            "articleNumber": number,
            "amount": value,
            "decimalPlaces": places,
            "reference": reference,
        }
        response = await self.call("setStock", request)
        self._check("setStock", response, "SET-STOCK-RESULT-OK", number)
        return SetStockResult(stock_id=response.get("stockId"))

    # --- relations --------------------------------------------------------------------------------------

    async def get_relations(
        self, sync_marker: int | None = None, limit: int = 1000, relation_numbers: Sequence[int] | None = None
    ) -> RelationsPage:
        """One page of relations changed at/after ``sync_marker`` (inclusive); the server caps a page at 1000."""
        request: dict[str, Any] = {"relationNumbers": list(relation_numbers or ())}
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        relations = await self._records("getRelations", request, Relation)
        markers = [r.sync_marker for r in relations if r.sync_marker]
        return RelationsPage(
            relations=relations, next_marker=_next_marker(markers, relations.errors), errors=relations.errors
        )

    async def iter_relations(self, from_marker: int = 0, limit: int = 1000) -> AsyncIterator[Batch[Relation]]:
        marker = from_marker
        while True:
            page = await self.get_relations(marker, limit)
            if not page.relations and not page.errors:
                return
            yield Batch(page.relations, page.errors)
            # The server returns at most 1000 whatever the limit, so "short" is judged against that too.
            if len(page.relations) + len(page.errors) < min(limit, 1000):
                return
            marker = self._advance("getRelations", marker, page.next_marker)

    async def find_relation(
        self,
        *,
        email: str | None = None,
        ext_relation_id: str | None = None,
        exact: bool = True,
        **fields: Any,
    ) -> Relation | None:
        """The relation matching the given fields, or None. ``exact`` (findRelationV2 exactMatch) defaults
        to True: the plain search is a partial, case-insensitive match, unsafe for keys like email."""
        probe = Relation(email=email, ext_relation_id=ext_relation_id, **fields)
        if not probe.to_soap():
            raise ValueError("find_relation needs at least one field to search on")
        response = await self.call("findRelationV2", {"relation": probe.to_soap(), "exactMatch": exact})
        if response.get("result") == "FIND-RELATION-RESULT-NOT-FOUND" or response.get("relation") is None:
            return None
        self._check("findRelationV2", response, "FIND-RELATION-RESULT-OK", email or ext_relation_id)
        return Relation.from_soap(response["relation"])

    async def create_relation(self, relation: Relation) -> CreateRelationResult:
        response = await self.call("createRelation", {"relation": relation.to_soap()})
        key = relation.ext_relation_id or relation.email or relation.name
        self._check("createRelation", response, "CREATE-RELATION-RESULT-OK", key)
        return CreateRelationResult(
            relation_number=response["relationNumber"], sync_marker=response.get("syncMarker")
        )

    async def update_relation(self, relation: Relation) -> int | None:
        """Returns the new syncMarker when the server reports one."""
        if relation.relation_number is None:
            raise ValueError("update_relation needs relation.relation_number")
        response = await self.call("updateRelation", {"relation": relation.to_soap()})
        self._check("updateRelation", response, "UPDATE-RELATION-RESULT-OK", relation.relation_number)
        return response.get("syncMarker")

    # --- orders and invoices ----------------------------------------------------------------------------

    async def get_orders(
        self,
        sync_marker: int | None = None,
        limit: int = 100,
        *,
        branch_numbers: Sequence[int] | None = None,
        order_types: Sequence[str] | None = None,
        include_lines: bool = True,
    ) -> OrdersPage:
        request: dict[str, Any] = {
            "branchNumbers": list(branch_numbers or ()),
            # Required list wrappers by the XSD, even with nothing to filter on.
            "articlePluNumbers": {},
            "articleBarcodes": {},
            "includeLineList": include_lines,
        }
        if order_types:
            request["orderTypeList"] = {"orderType": list(order_types)}
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        orders = await self._records("getOrders", request, Order)
        markers = [o.sync_marker for o in orders if o.sync_marker]
        return OrdersPage(
            orders=orders, next_marker=_next_marker(markers, orders.errors), errors=orders.errors
        )

    async def iter_orders(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[Batch[Order]]:
        marker = from_marker
        while True:
            page = await self.get_orders(marker, limit, **filters)
            if not page.orders and not page.errors:
                return
            yield Batch(page.orders, page.errors)
            if len(page.orders) + len(page.errors) < limit:
                return
            marker = self._advance("getOrders", marker, page.next_marker)

    async def get_order(self, order_id: str) -> Order | None:
        response = await self.call("getOrder", {"orderId": order_id})
        return self._order_or_none("getOrder", response, order_id)

    async def find_order(self, ext_order_id: str) -> Order | None:
        response = await self.call("findOrder", {"extOrderId": ext_order_id})
        return self._order_or_none("findOrder", response, ext_order_id)

    def _order_or_none(self, operation: str, response: dict[str, Any], key: str) -> Order | None:
        if response.get("result") == "GET-ORDER-RESULT-NOT-FOUND":
            return None
        self._check(operation, response, "GET-ORDER-RESULT-OK", key)
        return Order.from_soap(response["order"]) if response.get("order") else None

    async def get_invoices(
        self,
        sync_marker: int | None = None,
        limit: int = 100,
        *,
        branch_numbers: Sequence[int] | None = None,
        include_lines: bool = True,
    ) -> InvoicesPage:
        request: dict[str, Any] = {
            "branchNumbers": list(branch_numbers or ()),
            "articlePluNumbers": {},
            "articleBarcodes": {},
            "includeLineList": include_lines,
        }
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        invoices = await self._records("getInvoices", request, Invoice)
        markers = [i.sync_marker for i in invoices if i.sync_marker]
        return InvoicesPage(
            invoices=invoices, next_marker=_next_marker(markers, invoices.errors), errors=invoices.errors
        )

    async def iter_invoices(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[Batch[Invoice]]:
        marker = from_marker
        while True:
            page = await self.get_invoices(marker, limit, **filters)
            if not page.invoices and not page.errors:
                return
            yield Batch(page.invoices, page.errors)
            if len(page.invoices) + len(page.errors) < limit:
                return
            marker = self._advance("getInvoices", marker, page.next_marker)

    async def get_invoice(self, invoice_id: str) -> Invoice | None:
        response = await self.call("getInvoice", {"invoiceId": invoice_id})
        if response.get("result") == "GET-INVOICE-RESULT-NOT-FOUND":
            return None
        self._check("getInvoice", response, "GET-INVOICE-RESULT-OK", invoice_id)
        return Invoice.from_soap(response["invoice"]) if response.get("invoice") else None


def _stock_request(
    branch: int, article_numbers: Sequence[int | str], since_stock_id: int | None
) -> dict[str, Any]:
    numbers = [validate_article_number(n) for n in article_numbers]
    request: dict[str, Any] = {"branchNumber": branch, "articleNumbers": {"articleNumbers": numbers}}
    if since_stock_id is not None:
        request["stockId"] = since_stock_id
    return request


def _first(
    n: int, found: Found, errors: list[MplusRecordError]
) -> tuple[Found, list[MplusRecordError], Found, list[MplusRecordError]]:
    """The first ``n`` records of the answer (good or not, by position) and the rest."""
    i = j = 0
    while i + j < n:
        if j < len(errors) and (i >= len(found) or errors[j].index < found[i][0]):
            j += 1
        else:
            i += 1
    return found[:i], errors[:j], found[i:], errors[j:]


def _next_marker(markers: list[int], errors: list[MplusRecordError]) -> int | None:
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


__all__ = ["STOCK_BATCH", "MplusClient", "WRITE_OPERATIONS", "is_read_operation"]
