"""MplusKASSA reads retried on temporary faults (capped jittered back-off, Retry-After), writes never
repeated once they may have reached the server, the give-up error, and transient vs permanent errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from connectors.mplus import (
    MplusAuthError,
    MplusClient,
    MplusError,
    MplusFaultError,
    MplusResultError,
    MplusTransportError,
)
from connectors.mplus.errors import MplusRecordError
from connectors.mplus.models import Article, Product, Relation
from connectors.mplus.soap import decode_request, encode_fault, encode_response

BASE = "http://mplus.test:34567"
ANSWERS: dict[str, dict[str, Any]] = {
    "getBranches": {"branches": {"branch": [{"branchNumber": 1, "branchName": "Centrum"}]}},
    "getProducts": {"productList": {"product": []}},
    "getRelations": {"relationList": {"relation": []}},
    "getStock": {"articleStocks": []},
    "getOrders": {"orderList": {"order": []}},
    "getInvoices": {"invoiceList": {"invoice": []}},
    "getArticleGroups": {"articleGroupList": {"articleGroups": []}},
    "findOrder": {"result": "GET-ORDER-RESULT-NOT-FOUND"},
    "createProduct": {
        "result": "CREATE-PRODUCT-RESULT-OK",
        "productNumber": 1,
        "articleNumbers": [7],
        "errorMessage": "",
    },
    "setStock": {"result": "SET-STOCK-RESULT-OK", "stockId": 4},
    "createRelation": {"result": "CREATE-RELATION-RESULT-OK", "relationNumber": 5, "errorMessage": ""},
    "updateRelation": {"result": "UPDATE-RELATION-RESULT-OK", "errorMessage": ""},
}

Call = Callable[[MplusClient], Awaitable[Any]]
READS: dict[str, Call] = {
    "getBranches": lambda c: c.get_branches(),
    "getProducts": lambda c: c.get_products(0, 500),
    "getRelations": lambda c: c.get_relations(0),
    "getStock": lambda c: c.get_stock(1, [], since_stock_id=0),
    "getOrders": lambda c: c.get_orders(0),
    "getInvoices": lambda c: c.get_invoices(0),
    "getArticleGroups": lambda c: c.get_article_groups(),
    "findOrder": lambda c: c.find_order("WEB-1"),
}
WRITES: dict[str, Call] = {
    "createProduct": lambda c: c.create_product(Product(articles=[Article(article_number=7)])),
    "setStock": lambda c: c.set_stock(1, 7, Decimal(3)),
    "createRelation": lambda c: c.create_relation(Relation(name="Jansen")),
    "updateRelation": lambda c: c.update_relation(Relation(relation_number=5, name="Jansen BV")),
}


def fault(code: str, text: str = "busy") -> httpx.Response:
    return httpx.Response(500, content=encode_fault(code, text), headers={"Content-Type": "text/xml"})


def run(call: Call, *script: Any, **options: Any) -> tuple[Any, list[str], list[float]]:
    """(result or the MplusError raised, operations the server saw, back-off sleeps); the server answers each
    request with the next scripted step (the last repeats) and else the operation's normal answer."""
    steps = list(script)
    seen: list[str] = []
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        operation, _data = decode_request(request.content)
        seen.append(operation)
        step = (steps.pop(0) if len(steps) > 1 else steps[0]) if steps else None
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return httpx.Response(200, content=encode_response(operation, ANSWERS[operation]))

    async def fake_sleep(delay: float) -> None:
        sleeps.append(delay)

    async def go() -> Any:
        async with MplusClient(
            BASE, "ident", "secret", transport=httpx.MockTransport(handler), **options
        ) as c:
            c._sleep = fake_sleep
            try:
                return await call(c)
            except MplusError as exc:
                return exc

    return asyncio.run(go()), seen, sleeps


OK = "ok"  # a script step that is not an error: the normal answer

TEMPORARY = {
    "server-fault": fault("SOAP-ENV:Server"),
    "500-html": httpx.Response(500, content=b"<html>Internal Server Error</html>"),
    "502": httpx.Response(502, content=b"<html>Bad Gateway</html>"),
    "503": httpx.Response(503, content=b"down"),
    "504": httpx.Response(504),
    "429": httpx.Response(429),
    "timeout": httpx.ReadTimeout("timed out"),
    "dropped": httpx.RemoteProtocolError("Server disconnected without sending a response"),
    "connect": httpx.ConnectError("refused"),
}


@pytest.mark.parametrize("failure", TEMPORARY.values(), ids=TEMPORARY.keys())
def test_each_temporary_failure_of_a_read_is_retried(failure: Any) -> None:
    result, seen, sleeps = run(READS["getBranches"], failure, failure, OK)
    assert [b.branch_name for b in result] == ["Centrum"]
    assert seen == ["getBranches"] * 3 and len(sleeps) == 2


@pytest.mark.parametrize("operation", READS)
def test_every_read_operation_is_retried(operation: str) -> None:
    result, seen, _ = run(READS[operation], httpx.ReadTimeout("slow"), fault("SOAP-ENV:Server"), OK)
    assert not isinstance(result, MplusError)
    assert seen == [operation] * 3


def test_retry_after_is_honoured() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=40), usegmt=True)
    script = [
        httpx.Response(503, headers={"Retry-After": "7"}),
        httpx.Response(429, headers={"Retry-After": later}),
        OK,
    ]
    result, seen, sleeps = run(READS["getBranches"], *script)
    assert len(result) == 1 and len(seen) == 3
    assert sleeps[0] == 7.0 and 35 <= sleeps[1] <= 40


def test_a_retry_after_longer_than_allowed_gives_up_at_once() -> None:
    error, seen, sleeps = run(
        READS["getBranches"], httpx.Response(503, headers={"Retry-After": "7200"}), max_retry_after_s=60
    )
    assert isinstance(error, MplusTransportError) and error.retry_after == 7200
    assert seen == ["getBranches"] and sleeps == []
    assert "7200 s" in str(error) and "temporary" in str(error)


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    error, seen, sleeps = run(
        READS["getBranches"], httpx.Response(502), max_retries=5, backoff_s=8, max_backoff_s=30
    )
    assert isinstance(error, MplusTransportError) and len(seen) == 6
    assert 8 <= sleeps[0] <= 10 and 16 <= sleeps[1] <= 20 and sleeps[2:] == [30, 30, 30]


def test_default_is_five_attempts_and_the_give_up_error_names_the_operation_and_says_temporary() -> None:
    error, seen, sleeps = run(READS["getRelations"], fault("SOAP-ENV:Server", "database busy"))
    assert seen == ["getRelations"] * 5 and len(sleeps) == 4
    assert isinstance(error, MplusFaultError) and error.transient is True and error.attempts == 5
    text = str(error)
    assert text.startswith("getRelations: SOAP fault SOAP-ENV:Server: database busy")
    assert "after 5 attempts" in text and "temporary" in text


@pytest.mark.parametrize(
    "failure",
    [TEMPORARY["timeout"], TEMPORARY["503"], TEMPORARY["connect"]],
    ids=["timeout", "503", "connect"],
)
def test_give_up_after_n_attempts(failure: Any) -> None:
    error, seen, _ = run(READS["getStock"], failure, max_retries=2)
    assert isinstance(error, MplusTransportError) and error.transient is True and error.attempts == 3
    assert seen == ["getStock"] * 3
    assert (
        str(error).startswith("getStock:") and "after 3 attempts" in str(error) and "temporary" in str(error)
    )


@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        (httpx.Response(401), MplusAuthError),
        (httpx.Response(403), MplusAuthError),
        (fault("SOAP-ENV:Client", "Invalid ident/secret"), MplusAuthError),
        (fault("SOAP-ENV:Client", "Validation constraint violation"), MplusFaultError),
        (httpx.Response(400, content=b"bad request"), MplusTransportError),
        (httpx.Response(404), MplusTransportError),
    ],
    ids=["401", "403", "auth-fault", "client-fault", "400", "404"],
)
def test_auth_client_faults_and_4xx_are_never_retried_and_permanent(failure: Any, error_type: type) -> None:
    error, seen, sleeps = run(READS["getBranches"], failure, OK)
    assert type(error) is error_type and error.transient is False
    assert seen == ["getBranches"] and sleeps == []


@pytest.mark.parametrize("operation", WRITES)
@pytest.mark.parametrize(
    "failure",
    [
        fault("SOAP-ENV:Server"),
        httpx.Response(502),
        httpx.Response(503),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("gone"),
    ],
    ids=["server-fault", "502", "503", "timeout", "dropped"],
)
def test_a_write_that_may_have_reached_the_server_is_never_retried(operation: str, failure: Any) -> None:
    error, seen, sleeps = run(WRITES[operation], failure, OK)
    assert isinstance(error, MplusError)
    assert seen == [operation] and sleeps == []
    assert error.transient is True  # temporary, but...
    if isinstance(error, MplusTransportError):
        # ... the caller looks the write up before sending it again.
        assert error.may_have_reached_server is True and "check before sending it again" in str(error)


def test_a_write_that_never_left_is_retried() -> None:
    result, seen, _ = run(WRITES["setStock"], httpx.ConnectError("refused"), OK)
    assert result.stock_id == 4 and seen == ["setStock"] * 2


def test_transient_classification() -> None:
    assert MplusFaultError("op", "SOAP-ENV:Server", "x", False).transient is True
    assert MplusFaultError("op", "SOAP-ENV:Client", "x", True).transient is False
    assert MplusAuthError("op", "HTTP 401", "x", True).transient is False
    assert MplusResultError("createProduct", "CREATE-PRODUCT-RESULT-FAILED").transient is False
    assert MplusTransportError("x", may_have_reached_server=True).transient is True
    assert MplusTransportError("x", may_have_reached_server=True, status_code=503).transient is True
    assert MplusTransportError("x", may_have_reached_server=True, status_code=429).transient is True
    assert MplusTransportError("x", may_have_reached_server=True, status_code=404).transient is False
    assert MplusRecordError("getStock", "articleStocks", 0, {}, "amountFree", "x", "bad").transient is False
    assert MplusError("x").transient is False and MplusError("x", transient=True).transient is True


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        MplusClient(BASE, "ident", "secret", max_retries=-1)
    client = MplusClient(BASE, "ident", "secret")
    assert (client.max_retries, client.backoff_s, client.max_backoff_s, client.max_retry_after_s) == (
        4,
        0.5,
        30,
        120,
    )
