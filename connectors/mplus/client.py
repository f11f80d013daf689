"""Async MplusKASSA (MplusQapi SOAP) client.

Credentials: MplusQapi authenticates by ``?ident=..&secret=..`` on every request. They are added by an
inner transport (:class:`_CredentialsTransport`) *below* httpx's client, so the request httpx logs
("HTTP Request: POST ...") and attaches to exceptions and responses never carries them; every error this
module raises is built from our own text, redacted, and raised ``from None`` so no chained httpx exception
drags a URL into a traceback.

Retries (``max_retries``, exponential backoff): reads (get*/find*) retry Server faults, transport errors and
5xx answers; writes retry only errors that provably never reached the server (connect errors), unless the
request carries an ``idempotencyKey``. Client faults, auth errors and result enums are never retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from decimal import Decimal
from typing import Any, Self
from urllib.parse import quote, quote_plus, urlsplit

import httpx

from .errors import MplusAuthError, MplusError, MplusFaultError, MplusResultError, MplusTransportError
from .models import (
    ApiVersion,
    ArticleGroup,
    ArticleStock,
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
    SyncMarkers,
    UpdateProductResult,
    VatGroup,
    validate_article_number,
)
from .money import decimal_to_quantity
from .soap import SoapDecodeError, SoapFault, decode_response, encode_request

log = logging.getLogger(__name__)

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
_MAX_BACKOFF = 30.0


def _items(response: dict[str, Any], wrapper: str, item: str) -> list[Any]:
    """Items of a required list wrapper; a server that leaves the (empty) wrapper out reads as no items."""
    return list((response.get(wrapper) or {}).get(item, []))


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
        max_retries: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_backoff: float = 0.5,
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
        self.base_url = base_url.rstrip("/")
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self._secrets = tuple(
            {s for v in (ident, secret) for s in (v, quote(v, safe=""), quote_plus(v, safe="")) if s}
        )
        inner = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        )
        self._transport = _CredentialsTransport(inner, ident, secret)
        self._http: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self.calls: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()

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
        for value in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(value, "***")
        return text

    # --- the generic call -------------------------------------------------------------------------------

    async def call(self, operation: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one operation (request dict as ``soap.encode_request`` takes it); returns the decoded
        response dict. Encoding errors surface before anything is sent."""
        body = encode_request(operation, request)
        retry_safe = is_read_operation(operation) or bool(request and request.get("idempotencyKey"))
        self.calls[operation] += 1
        request_id = uuid.uuid4().hex
        attempt = 0
        while True:
            try:
                # Only the exchange holds a slot: encoding and decoding run while other calls are on the wire.
                async with self._sem():
                    response, started = await self._exchange(operation, body, request_id)
                return self._read(operation, response, started, attempt, request_id)
            except MplusError as exc:
                if attempt >= self.max_retries or not self._retryable(exc, retry_safe):
                    raise
                attempt += 1
                self.retries[operation] += 1
                delay = min(self.retry_backoff * 2 ** (attempt - 1), _MAX_BACKOFF)
                log.warning(
                    "mplus %s failed (%s), retry %d/%d in %.1fs request_id=%s",
                    operation,
                    exc,
                    attempt,
                    self.max_retries,
                    delay,
                    request_id,
                )
            await asyncio.sleep(delay)

    @staticmethod
    def _retryable(exc: MplusError, retry_safe: bool) -> bool:
        if isinstance(exc, MplusAuthError):
            return False
        if isinstance(exc, MplusFaultError):
            return retry_safe and not exc.is_client
        if isinstance(exc, MplusTransportError):
            return retry_safe or not exc.may_have_reached_server
        return False

    async def _exchange(self, operation: str, body: bytes, request_id: str) -> tuple[httpx.Response, float]:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '""',
            "X-Request-Id": request_id,
        }
        started = time.monotonic()
        # Errors are raised after the except blocks, not inside them: that leaves no __context__ pointing at
        # the httpx exception (whose request/message may carry the URL) for a traceback to print.
        failure: MplusTransportError | None = None
        try:
            response = await self._client().post(self.base_url + "/", content=body, headers=headers)
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
        return response, started

    def _read(self, operation: str, response: httpx.Response, started: float, attempt: int,
              request_id: str) -> dict[str, Any]:
        status = response.status_code
        log.debug(
            "mplus %s status=%d bytes=%d %.0fms attempt=%d request_id=%s service_version=%s",
            operation,
            status,
            len(response.content),
            (time.monotonic() - started) * 1000,
            attempt,
            request_id,
            response.headers.get("mplus-service-version", "?"),
        )
        if status in (401, 403):
            raise MplusAuthError(
                operation, f"HTTP {status}", "authentication failed: check ident/secret", True
            )
        fault: SoapFault | None = None
        decode_error: SoapDecodeError | None = None
        try:
            result = decode_response(operation, response.content)
        except SoapFault as exc:
            fault = exc
        except SoapDecodeError as exc:
            decode_error = exc
        if fault is not None:
            text = self._redact(fault.faultstring)
            code = self._redact(fault.faultcode)
            if any(word in text.lower() for word in _AUTH_WORDS):
                raise MplusAuthError(operation, code, text, True)
            raise MplusFaultError(operation, code, text, fault.is_client)
        if decode_error is not None:
            if status >= 400:
                raise MplusTransportError(
                    f"{operation}: HTTP {status} without a SOAP answer",
                    may_have_reached_server=True,
                    status_code=status,
                )
            raise MplusError(self._redact(f"{operation}: unreadable answer: {decode_error}"))
        if not 200 <= status < 300:
            raise MplusTransportError(
                f"{operation}: HTTP {status}", may_have_reached_server=True, status_code=status
            )
        return result

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

    async def get_branches(self) -> list[Branch]:
        response = await self.call("getBranches")
        return [Branch.from_soap(b) for b in _items(response, "branches", "branch")]

    async def get_vat_groups(self) -> list[VatGroup]:
        response = await self.call("getVatGroupList")
        return [VatGroup.from_soap(v) for v in response["vatGroup"]]

    async def get_payment_methods(self) -> list[PaymentMethod]:
        response = await self.call("getPaymentMethods")
        return [PaymentMethod.from_soap(p) for p in _items(response, "paymentMethodList", "paymentMethod")]

    async def get_price_groups(self) -> list[PriceGroup]:
        response = await self.call("getPriceGroupList")
        return [PriceGroup.from_soap(p) for p in response["priceGroup"]]

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
        response = await self.call("getProducts", request)
        products = [Product.from_soap(p) for p in _items(response, "productList", "product")]
        markers = [m for p in products for m in (p.sync_marker, *(a.sync_marker for a in p.articles)) if m]
        return ProductsPage(products=products, next_marker=max(markers) + 1 if markers else None)

    async def iter_products(self, from_marker: int = 0, limit: int = 500) -> AsyncIterator[list[Product]]:
        """Pages of products changed since ``from_marker`` (inclusive). The next request starts at the
        highest syncMarker seen + 1. Stops only on an *empty* page: the limit counts articles and a page
        ends before a product that would not fit, so a page below the limit does not prove the end (a first
        product larger than the limit comes whole). That costs one extra call per run, never a lost product."""
        marker = from_marker
        while True:
            page = await self.get_products(marker, limit)
            if not page.products:
                return
            yield page.products
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
    ) -> list[ArticleGroup]:
        """The article group tree (roots; children in ``sub_groups``)."""
        request: dict[str, Any] = {"groupNumbers": list(group_numbers or ())}
        if with_article_numbers:
            request["retrieveArticleNumbers"] = True
        response = await self.call("getArticleGroups", request)
        return [ArticleGroup.from_soap(g) for g in _items(response, "articleGroupList", "articleGroups")]

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

    async def get_stock(self, branch: int, article_numbers: Sequence[int | str], *,
                        since_stock_id: int | None = None) -> list[ArticleStock]:
        """Stock levels of the articles asked; with `since_stock_id` (sync mode, inclusive lower bound like a
        syncMarker) every level of the branch changed since then, for all articles when none are asked."""
        numbers = [validate_article_number(n) for n in article_numbers]
        request: dict[str, Any] = {"branchNumber": branch, "articleNumbers": {"articleNumbers": numbers}}
        if since_stock_id is not None:
            request["stockId"] = since_stock_id
        response = await self.call("getStock", request)
        return [ArticleStock.from_soap(s) for s in response["articleStocks"]]

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
        response = await self.call("getRelations", request)
        relations = [Relation.from_soap(r) for r in _items(response, "relationList", "relation")]
        markers = [r.sync_marker for r in relations if r.sync_marker]
        return RelationsPage(relations=relations, next_marker=max(markers) + 1 if markers else None)

    async def iter_relations(self, from_marker: int = 0, limit: int = 1000) -> AsyncIterator[list[Relation]]:
        marker = from_marker
        while True:
            page = await self.get_relations(marker, limit)
            if not page.relations:
                return
            yield page.relations
            # The server returns at most 1000 whatever the limit, so "short" is judged against that too.
            if len(page.relations) < min(limit, 1000):
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
        response = await self.call("getOrders", request)
        orders = [Order.from_soap(o) for o in _items(response, "orderList", "order")]
        markers = [o.sync_marker for o in orders if o.sync_marker]
        return OrdersPage(orders=orders, next_marker=max(markers) + 1 if markers else None)

    async def iter_orders(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[list[Order]]:
        marker = from_marker
        while True:
            page = await self.get_orders(marker, limit, **filters)
            if not page.orders:
                return
            yield page.orders
            if len(page.orders) < limit:
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
        response = await self.call("getInvoices", request)
        invoices = [Invoice.from_soap(i) for i in _items(response, "invoiceList", "invoice")]
        markers = [i.sync_marker for i in invoices if i.sync_marker]
        return InvoicesPage(invoices=invoices, next_marker=max(markers) + 1 if markers else None)

    async def iter_invoices(
        self, from_marker: int = 0, limit: int = 100, **filters: Any
    ) -> AsyncIterator[list[Invoice]]:
        marker = from_marker
        while True:
            page = await self.get_invoices(marker, limit, **filters)
            if not page.invoices:
                return
            yield page.invoices
            if len(page.invoices) < limit:
                return
            marker = self._advance("getInvoices", marker, page.next_marker)

    async def get_invoice(self, invoice_id: str) -> Invoice | None:
        response = await self.call("getInvoice", {"invoiceId": invoice_id})
        if response.get("result") == "GET-INVOICE-RESULT-NOT-FOUND":
            return None
        self._check("getInvoice", response, "GET-INVOICE-RESULT-OK", invoice_id)
        return Invoice.from_soap(response["invoice"]) if response.get("invoice") else None


__all__ = ["MplusClient", "WRITE_OPERATIONS", "is_read_operation"]
