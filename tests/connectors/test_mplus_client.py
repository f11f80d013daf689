"""MplusClient against a respx fake that speaks the codec: XSD-valid requests, paging, retries, errors, secrets."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from connectors.mplus import (
    MplusAuthError,
    MplusClient,
    MplusError,
    MplusFaultError,
    MplusResultError,
    MplusTransportError,
)
from connectors.mplus.models import Article, Order, OrderLine, Product, Relation
from connectors.mplus.soap import decode_request, encode_fault, encode_response
from connectors.mplus.xsd_validate import load_schema, validate_envelope

WSDL = Path(__file__).resolve().parents[3] / "shared" / "api" / "mplusqapi.wsdl"
BASE = "http://mplus.test:34567"
IDENT = "ident-4711"
# Characters that get URL-encoded, so redaction must cover the encoded form too.
SECRET = "s3cr3t/&+=Zq"

Handler = Callable[[dict[str, Any], httpx.Request], Any]

DEFAULTS: dict[str, Any] = {
    "getApiVersion": {"majorNumber": 67, "minorNumber": 1, "revisionNumber": 0, "inDebugMode": False},
    "getCurrentSyncMarkers": {
        "articleSyncMarker": 10,
        "relationSyncMarker": 5,
        "employeeSyncMarker": 1,
        "invoiceSyncMarker": 3,
        "receiptSyncMarker": 3,
        "orderSyncMarker": 4,
    },
    "getBranches": {
        "branches": {
            "branch": [
                {
                    "branchNumber": 1,
                    "branchName": "Winkel Centrum",
                    "abbreviation": "WC",
                    "workplaces": {
                        "workplace": [{"workplaceNumber": 1, "workplaceName": "Kassa 1", "isMobile": False}]
                    },
                    "countryCode": 528,
                    "countryIso3": "NLD",
                    "countryName": "Nederland",
                }
            ]
        }
    },
    "getVatGroupList": {
        "vatGroup": [{"vatCode": 1, "vatPercentage": 9}, {"vatCode": 2, "vatPercentage": 21}]
    },
    "getPaymentMethods": {
        "paymentMethodList": {
            "paymentMethod": [
                {
                    "method": "CASH",
                    "description": "Contant",
                    "buttonText": "Contant",
                    "allowNegativeAmount": True,
                }
            ]
        }
    },
    "getPriceGroupList": {"priceGroup": [{"priceGroupNumber": 1, "description": "Particulier"}]},
    "getProducts": {"productList": {"product": []}},
    "createProduct": {
        "result": "CREATE-PRODUCT-RESULT-OK",
        "productNumber": 12,
        "articleNumbers": [4542],
        "syncMarker": 11,
        "errorMessage": "",
    },
    "updateProduct": {
        "result": "UPDATE-PRODUCT-RESULT-OK",
        "existingArticleNumbers": [4542],
        "newArticleNumbers": [4543],
        "errorMessage": "",
    },
    "getArticleGroups": {
        "articleGroupList": {
            "articleGroups": [
                {"groupNumber": 1, "name": "Kleding", "text": "", "subGroupList": {}, "sortOrder": 0}
            ]
        }
    },
    "newArticleGroup": {"result": "NEW-ARTICLE-GROUP-RESULT-OK", "groupNumber": 9},
    "updateArticleGroup": {"result": "SAVE-ARTICLE-GROUP-RESULT-OK"},
    "addProductsToArticleGroup": {"result": "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-OK"},
    "getStock": {
        "articleStocks": [
            {
                "branchNumber": 1,
                "articleNumber": 4542,
                "stockId": 3,
                "amountFree": 530,
                "decimalPlacesFree": 3,
                "amountReserved": 0,
                "amountIncoming": 0,
                "isDayStockArticle": False,
            }
        ]
    },
    "setStock": {"result": "SET-STOCK-RESULT-OK", "stockId": 4},
    "getRelations": {"relationList": {"relation": []}},
    "findRelationV2": {
        "result": "FIND-RELATION-RESULT-OK",
        "relation": {"relationNumber": 77, "email": "a@b.nl"},
    },
    "createRelation": {"result": "CREATE-RELATION-RESULT-OK", "relationNumber": 77, "errorMessage": ""},
    "updateRelation": {"result": "UPDATE-RELATION-RESULT-OK", "errorMessage": "", "syncMarker": 6},
    "getOrders": {"orderList": {"order": []}},
    "getOrder": {"result": "GET-ORDER-RESULT-OK", "order": {"orderId": "O-1", "extOrderId": "WEB-1"}},
    "findOrder": {"result": "GET-ORDER-RESULT-NOT-FOUND"},
    "getInvoices": {"invoiceList": {"invoice": []}},
    "getInvoice": {"result": "GET-INVOICE-RESULT-OK", "invoice": {"invoiceId": "I-1"}},
}


class FakeMplus:
    """A respx side effect: decodes the request with the codec, validates request and answer against the
    WSDL's XSD when it is available, and answers from per-operation handlers."""

    def __init__(self, schema: Any = None) -> None:
        self.schema = schema
        self.handlers: dict[str, Any] = dict(DEFAULTS)
        self.seen: list[tuple[str, dict[str, Any], httpx.Request]] = []
        self.router = respx.MockRouter(assert_all_called=False)
        self.router.route(method="POST", host="mplus.test", path="/").mock(side_effect=self)

    def ops(self) -> list[str]:
        return [op for op, _data, _req in self.seen]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.schema is not None:
            validate_envelope(self.schema, request.content)
        op, data = decode_request(request.content)
        self.seen.append((op, data, request))
        handler = self.handlers[op]
        if isinstance(handler, list):  # a script: one entry per call, the last one repeats
            handler = handler.pop(0) if len(handler) > 1 else handler[0]
        answer = handler(data, request) if callable(handler) else handler
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        body = encode_response(op, answer)
        if self.schema is not None:
            validate_envelope(self.schema, body)
        return httpx.Response(200, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})

    def client(self, **kwargs: Any) -> MplusClient:
        kwargs.setdefault("backoff_s", 0)
        return MplusClient(
            BASE, IDENT, SECRET, transport=httpx.MockTransport(self.router.async_handler), **kwargs
        )


def fault(code: str, text: str) -> httpx.Response:
    return httpx.Response(500, content=encode_fault(code, text), headers={"Content-Type": "text/xml"})


@pytest.fixture
def fake() -> FakeMplus:
    # Validate against the XSD wherever the reference WSDL is present; the dedicated test below requires it.
    return FakeMplus(load_schema(WSDL) if WSDL.is_file() else None)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# --- every request is XSD-valid -------------------------------------------------------------------------


async def _exercise_every_method(client: MplusClient) -> None:
    article = Article(article_number=4542, description="Shirt", price_incl=Decimal("9.95"), vat_code=2)
    await client.get_api_version()
    await client.get_current_sync_markers()
    await client.get_branches()
    await client.get_vat_groups()
    await client.get_payment_methods()
    await client.get_price_groups()
    await client.get_products(1, 500)
    await client.get_products(article_numbers=[4542, "4543"])
    await client.create_product(Product(description="Shirt", articles=[article], group_numbers=[1]))
    await client.update_product(Product(product_number=12, articles=[article]))
    await client.get_article_groups()
    await client.new_article_group(0, "Kleding", "Alle kleding")
    await client.update_article_group(9, name="Kleding & schoenen")
    await client.add_products_to_article_group(9, [12])
    await client.get_stock(1, [4542])
    await client.set_stock(1, 4542, Decimal("0.530"))
    await client.get_relations(1, 1000)
    await client.find_relation(email="a@b.nl")
    await client.create_relation(Relation(name="Jansen", email="a@b.nl"))
    await client.update_relation(Relation(relation_number=77, name="Jansen BV"))
    await client.get_orders(1, 100)
    await client.get_order("O-1")
    await client.find_order("WEB-1")
    await client.get_invoices(1, 100)
    await client.get_invoice("I-1")


def test_every_request_the_client_sends_validates_against_the_wsdl(shared_api: Path) -> None:
    fake = FakeMplus(load_schema(shared_api / "mplusqapi.wsdl"))

    async def main() -> None:
        async with fake.client() as client:
            await _exercise_every_method(client)

    run(main())
    assert len(fake.seen) == 25
    assert set(fake.ops()) >= {"getProducts", "createProduct", "setStock", "findRelationV2", "getOrders"}


def test_typed_results(fake: FakeMplus) -> None:
    async def main() -> None:
        async with fake.client() as client:
            assert (await client.get_api_version()).major_number == 67
            assert (await client.get_current_sync_markers()).article_sync_marker == 10
            branches = await client.get_branches()
            assert (
                branches[0].branch_name == "Winkel Centrum"
                and branches[0].workplaces[0].workplace_number == 1
            )
            assert [v.vat_percentage for v in await client.get_vat_groups()] == [9, 21]
            assert (await client.get_payment_methods())[0].method == "CASH"
            assert (await client.get_price_groups())[0].description == "Particulier"
            stock = await client.get_stock(1, ["4542"])
            assert stock[0].amount_free == Decimal("0.530")
            assert (await client.set_stock(1, 4542, Decimal("0.530"))).stock_id == 4
            created = await client.create_product(Product(articles=[Article(article_number=4542)]))
            assert (created.product_number, created.article_numbers) == (12, [4542])
            assert (await client.new_article_group(0, "Kleding")) == 9
            assert (await client.find_relation(email="a@b.nl")).relation_number == 77
            assert (await client.get_order("O-1")).ext_order_id == "WEB-1"
            assert await client.find_order("WEB-404") is None
            assert client.stats["calls"]["getBranches"] == 1

    run(main())
    _op, data, _req = next(s for s in fake.seen if s[0] == "setStock")
    assert (data["amount"], data["decimalPlaces"]) == (53, 2)
    _op, data, _req = next(s for s in fake.seen if s[0] == "findRelationV2")
    assert data["exactMatch"] is True
    assert {k: v for k, v in data["relation"].items() if v != []} == {"email": "a@b.nl"}


def test_http_shape_of_a_request(fake: FakeMplus) -> None:
    run(_once(fake, lambda c: c.get_branches()))
    request = fake.seen[0][2]
    assert request.url.path == "/"
    assert request.url.query.decode().startswith("ident=ident-4711&secret=")
    assert request.url.params["secret"] == SECRET
    assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert request.headers["SOAPAction"] == '""'
    assert len(request.headers["X-Request-Id"]) == 32


async def _once(fake: FakeMplus, fn: Callable[[MplusClient], Any], **kwargs: Any) -> Any:
    async with fake.client(**kwargs) as client:
        return await fn(client)


# --- paging by syncMarker -------------------------------------------------------------------------------


def test_iter_products_pages_by_inclusive_sync_marker(fake: FakeMplus) -> None:
    # (product syncMarker, number of articles); the server caps a page at `limit` articles but always
    # returns a first product whole, as the notes describe.
    catalog = [(10, 2), (11, 5), (15, 1), (20, 1)]

    def get_products(data: dict[str, Any], _req: httpx.Request) -> dict[str, Any]:
        page, count = [], 0
        for marker, n_articles in catalog:
            if marker < data["syncMarker"]:
                continue
            if page and count + n_articles > data["syncMarkerLimit"]:
                break
            count += n_articles
            articles = [{"articleNumber": marker * 100 + i, "syncMarker": marker} for i in range(n_articles)]
            page.append({"productNumber": marker, "syncMarker": marker, "articleList": {"article": articles}})
        return {"productList": {"product": page}}

    fake.handlers["getProducts"] = get_products

    async def main() -> list[list[int]]:
        async with fake.client() as client:
            return [[p.product_number for p in page] async for page in client.iter_products(0, limit=3)]

    pages = run(main())
    assert pages == [[10], [11], [15, 20]]
    # Page [10] has 2 < 3 articles yet is not the end: only the empty page at 21 stops the loop.
    assert [d["syncMarker"] for op, d, _r in fake.seen] == [0, 11, 12, 21]
    assert all(d["syncMarkerLimit"] == 3 and d["pluNumbers"] == {"text": []} for _op, d, _r in fake.seen)


def _numbered(records: str, key: str, markers: list[int]) -> Handler:
    def answer(data: dict[str, Any], _req: httpx.Request) -> dict[str, Any]:
        chosen = [m for m in markers if m >= data["syncMarker"]][: data["syncMarkerLimit"]]
        items = [{key: m, "syncMarker": m} for m in chosen]
        return {records: {records.removesuffix("List"): items}}

    return answer


def test_iter_relations_stops_on_a_short_page(fake: FakeMplus) -> None:
    fake.handlers["getRelations"] = _numbered("relationList", "relationNumber", [1, 2, 4, 7, 8])

    async def main() -> list[list[int]]:
        async with fake.client() as client:
            return [[r.relation_number for r in page] async for page in client.iter_relations(1, limit=2)]

    assert run(main()) == [[1, 2], [4, 7], [8]]
    assert [d["syncMarker"] for _op, d, _r in fake.seen] == [1, 3, 8]


def test_iter_orders_and_invoices(fake: FakeMplus) -> None:
    def orders(data: dict[str, Any], _req: httpx.Request) -> dict[str, Any]:
        chosen = [m for m in (5, 6, 9) if m >= data["syncMarker"]][: data["syncMarkerLimit"]]
        return {"orderList": {"order": [{"orderId": f"O-{m}", "syncMarker": m} for m in chosen]}}

    def invoices(data: dict[str, Any], _req: httpx.Request) -> dict[str, Any]:
        chosen = [m for m in (3, 4) if m >= data["syncMarker"]][: data["syncMarkerLimit"]]
        return {"invoiceList": {"invoice": [{"invoiceId": f"I-{m}", "syncMarker": m} for m in chosen]}}

    fake.handlers["getOrders"] = orders
    fake.handlers["getInvoices"] = invoices

    async def main() -> tuple[list[str], list[str]]:
        async with fake.client() as client:
            got_orders = [o.order_id async for page in client.iter_orders(0, limit=2) for o in page]
            got_invoices = [i.invoice_id async for page in client.iter_invoices(4, limit=2) for i in page]
            return got_orders, got_invoices

    assert run(main()) == (["O-5", "O-6", "O-9"], ["I-4"])
    orders_seen = [d for op, d, _r in fake.seen if op == "getOrders"]
    assert [d["syncMarker"] for d in orders_seen] == [0, 7]
    assert orders_seen[0]["articlePluNumbers"] == {"text": []} and orders_seen[0]["includeLineList"] is True


def test_a_full_page_that_does_not_advance_fails_loudly(fake: FakeMplus) -> None:
    fake.handlers["getRelations"] = {
        "relationList": {"relation": [{"relationNumber": 1}, {"relationNumber": 2}]}
    }

    async def main() -> None:
        async with fake.client() as client:
            async for _page in client.iter_relations(0, limit=2):
                pass

    with pytest.raises(MplusError, match="did not advance"):
        run(main())


# --- retries --------------------------------------------------------------------------------------------


def test_server_fault_is_retried_on_a_read(fake: FakeMplus) -> None:
    fake.handlers["getBranches"] = [
        fault("SOAP-ENV:Server", "busy"),
        fault("SOAP-ENV:Server", "busy"),
        DEFAULTS["getBranches"],
    ]

    async def main() -> tuple[int, dict[str, Any]]:
        async with fake.client(max_retries=3) as client:
            return len(await client.get_branches()), client.stats

    count, stats = run(main())
    assert count == 1 and fake.ops() == ["getBranches"] * 3
    assert stats == {"calls": {"getBranches": 1}, "retries": {"getBranches": 2}}
    # One logical call keeps one request id across attempts.
    assert len({r.headers["X-Request-Id"] for _o, _d, r in fake.seen}) == 1


def test_retries_give_up_after_max_retries(fake: FakeMplus) -> None:
    fake.handlers["getBranches"] = fault("SOAP-ENV:Server", "busy")
    with pytest.raises(MplusFaultError) as info:
        run(_once(fake, lambda c: c.get_branches(), max_retries=2))
    assert not info.value.is_client and len(fake.seen) == 3


def test_server_fault_is_not_retried_on_a_write(fake: FakeMplus) -> None:
    fake.handlers["createProduct"] = fault(
        "SOAP-ENV:Server", "The rate for VAT-code 2 is not properly configured."
    )
    with pytest.raises(MplusFaultError) as info:
        run(_once(fake, lambda c: c.create_product(Product(articles=[Article(article_number=1)]))))
    assert info.value.faultstring == "The rate for VAT-code 2 is not properly configured."
    assert info.value.is_client is False and info.value.operation == "createProduct"
    assert len(fake.seen) == 1


def test_client_fault_is_never_retried(fake: FakeMplus) -> None:
    fake.handlers["getBranches"] = fault("SOAP-ENV:Client", "Validation constraint violation")
    with pytest.raises(MplusFaultError) as info:
        run(_once(fake, lambda c: c.get_branches()))
    assert info.value.is_client is True and len(fake.seen) == 1


def test_connect_error_is_retried_even_on_a_write(fake: FakeMplus) -> None:
    fake.handlers["setStock"] = [httpx.ConnectError("refused"), DEFAULTS["setStock"]]
    result = run(_once(fake, lambda c: c.set_stock(1, 4542, Decimal(3))))
    assert result.stock_id == 4 and fake.ops() == ["setStock", "setStock"]


def test_read_timeout_is_not_retried_on_a_write_but_is_on_a_read(fake: FakeMplus) -> None:
    fake.handlers["setStock"] = httpx.ReadTimeout("slow")
    with pytest.raises(MplusTransportError) as info:
        run(_once(fake, lambda c: c.set_stock(1, 4542, Decimal(3))))
    assert info.value.may_have_reached_server is True and len(fake.seen) == 1

    fake.seen.clear()
    fake.handlers["getBranches"] = [httpx.ReadTimeout("slow"), DEFAULTS["getBranches"]]
    run(_once(fake, lambda c: c.get_branches()))
    assert len(fake.seen) == 2


def test_write_with_idempotency_key_may_be_retried(fake: FakeMplus) -> None:
    answer = {
        "idempotencyResult": "IDEMPOTENCY-RESULT-REPLAY-RESPONSE",
        "result": "CREATE-ORDER-RESULT-OK",
        "info": {"orderId": "O-1", "orderString": "1"},
    }
    fake.handlers["createOrderV3"] = [httpx.ReadTimeout("slow"), fault("SOAP-ENV:Server", "busy"), answer]
    order = Order(ext_order_id="WEB-1", lines=[OrderLine(article_number=4542, quantity=Decimal(1))])
    request = {"idempotencyKey": "order-WEB-1", "order": order.to_soap()}
    got = run(_once(fake, lambda c: c.call("createOrderV3", request)))
    assert got["info"]["orderId"] == "O-1" and len(fake.seen) == 3
    # Without the key the same write is sent once.
    fake.seen.clear()
    fake.handlers["createOrder"] = httpx.ReadTimeout("slow")
    with pytest.raises(MplusTransportError):
        run(_once(fake, lambda c: c.call("createOrder", {"order": order.to_soap()})))
    assert len(fake.seen) == 1


def test_bad_gateway_html_is_a_retryable_transport_error_on_reads(fake: FakeMplus) -> None:
    fake.handlers["getBranches"] = [
        httpx.Response(502, content=b"<html>Bad Gateway</html>"),
        DEFAULTS["getBranches"],
    ]
    run(_once(fake, lambda c: c.get_branches()))
    assert len(fake.seen) == 2
    fake.seen.clear()
    fake.handlers["getBranches"] = httpx.Response(503, content=b"down")
    with pytest.raises(MplusTransportError) as info:
        run(_once(fake, lambda c: c.get_branches(), max_retries=0))
    assert info.value.status_code == 503


# --- result enums, auth, validation before sending -------------------------------------------------------


def test_non_ok_result_raises_result_error_with_the_record_key(fake: FakeMplus) -> None:
    fake.handlers["createProduct"] = {
        "result": "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
        "productNumber": 0,
        "errorMessage": "article number 4542 already taken",
    }
    with pytest.raises(MplusResultError) as info:
        run(_once(fake, lambda c: c.create_product(Product(articles=[Article(article_number=4542)]))))
    err = info.value
    assert err.result == "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN"
    assert err.record_key == 4542 and err.error_message == "article number 4542 already taken"
    assert len(fake.seen) == 1  # never retried

    fake.handlers["setStock"] = {"result": "SET-STOCK-RESULT-NO-STOCK-ARTICLE"}
    with pytest.raises(MplusResultError, match="4542: SET-STOCK-RESULT-NO-STOCK-ARTICLE"):
        run(_once(fake, lambda c: c.set_stock(1, 4542, Decimal(1))))


def test_auth_failures(fake: FakeMplus) -> None:
    fake.handlers["getBranches"] = httpx.Response(401)
    with pytest.raises(MplusAuthError):
        run(_once(fake, lambda c: c.get_branches()))
    fake.seen.clear()
    fake.handlers["getBranches"] = fault("SOAP-ENV:Server", f"Invalid ident {IDENT} or secret")
    with pytest.raises(MplusAuthError) as info:
        run(_once(fake, lambda c: c.get_branches()))
    assert len(fake.seen) == 1 and IDENT not in str(info.value)


def test_bad_sku_fails_before_any_call(fake: FakeMplus) -> None:
    with pytest.raises(ValueError, match="SKU 'TS-RED-M'"):
        run(_once(fake, lambda c: c.get_stock(1, [4542, "TS-RED-M"])))
    with pytest.raises(ValueError, match="SKU"):
        run(_once(fake, lambda c: c.set_stock(1, "A1", Decimal(1))))
    assert fake.seen == []


def test_concurrency_is_capped_by_the_semaphore(fake: FakeMplus) -> None:
    state = {"now": 0, "max": 0}

    async def slow(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        await asyncio.sleep(0.01)
        state["now"] -= 1
        return httpx.Response(200, content=encode_response("getBranches", DEFAULTS["getBranches"]))

    fake.router.routes.clear()
    fake.router.route(method="POST", host="mplus.test").mock(side_effect=slow)

    async def main() -> None:
        async with fake.client(concurrency=2) as client:
            await asyncio.gather(*(client.get_branches() for _ in range(8)))

    run(main())
    assert state["max"] == 2


# --- credentials never leak -------------------------------------------------------------------------------


def _assert_no_secret(text: str) -> None:
    for needle in (SECRET, IDENT, httpx.QueryParams({"s": SECRET}).get("s"), "s3cr3t%2F", "s3cr3t"):
        assert needle not in text, f"{needle!r} leaked: {text[:300]}"


def test_credentials_never_leak(fake: FakeMplus, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    def connect_error(_data: dict[str, Any], request: httpx.Request) -> Exception:
        # httpx-style message with the full URL, as a real transport error may carry.
        return httpx.ConnectError(f"All connection attempts failed for {request.url}", request=request)

    def read_error(_data: dict[str, Any], request: httpx.Request) -> Exception:
        return httpx.ReadError(f"read failed: {request.url}", request=request)

    fake.handlers["getBranches"] = connect_error
    fake.handlers["setStock"] = read_error
    fake.handlers["getVatGroupList"] = fault("SOAP-ENV:Client", f"bad request {SECRET}")
    client = fake.client(max_retries=1)
    errors: list[BaseException] = []

    async def main() -> None:
        async with client:
            await client.get_price_groups()  # a successful call, logged by httpx and by us
            for call in (
                client.get_branches,
                client.get_vat_groups,
                lambda: client.set_stock(1, 4542, Decimal(1)),
            ):
                try:
                    await call()
                except MplusError as exc:
                    errors.append(exc)

    run(main())
    # The server did receive the credentials (so the test is meaningful) ...
    assert fake.seen[0][2].url.params["secret"] == SECRET
    assert "secret=" in str(fake.seen[0][2].url)
    # ... yet nothing we show, raise or log contains them.
    assert len(errors) == 3
    assert isinstance(errors[0], MplusTransportError) and not errors[0].may_have_reached_server
    for exc in errors:
        _assert_no_secret(str(exc))
        _assert_no_secret(repr(exc))
        _assert_no_secret("".join(traceback.format_exception(exc)))
        assert exc.__cause__ is None and exc.__context__ is None
    _assert_no_secret(repr(client))
    _assert_no_secret(str(client.stats))
    assert any(r.name == "httpx" for r in caplog.records)  # httpx did log its request lines
    _assert_no_secret(caplog.text)
    for record in caplog.records:
        _assert_no_secret(record.getMessage())


def test_constructor_refuses_credentials_in_the_url() -> None:
    with pytest.raises(ValueError) as info:
        MplusClient(f"{BASE}/?ident={IDENT}&secret={SECRET}", IDENT, SECRET)
    _assert_no_secret(str(info.value))


def test_redaction_masks_whole_values_and_never_mangles_words() -> None:
    client = MplusClient(BASE, "conn", "s3cr3t-value")
    text = client._redact("cannot connect: conn refused (secret s3cr3t-value, reconnect)")  # noqa: SLF001
    assert text == "cannot connect: *** refused (secret ***, reconnect)"
