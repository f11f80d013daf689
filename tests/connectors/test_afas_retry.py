"""Retries of idempotent AFAS reads, writes never repeated, the give-up error, and transient vs permanent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx

from connectors.afas import (
    AfasAuthError,
    AfasClient,
    AfasError,
    AfasForbiddenError,
    AfasNotFoundError,
    AfasPayloadTooLargeError,
    AfasQueryTooLong,
    AfasTransportError,
    AfasUnavailableError,
    AfasValidationError,
    element,
)

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "cd" * 32
GET_URL = f"{BASE}/connectors/Sync_Articles"


def ok_page() -> httpx.Response:
    return httpx.Response(200, json={"skip": 0, "take": 10, "rows": [{"ItemCode": "1"}]})


def read(client: AfasClient) -> Awaitable[Any]:
    return client.get_page("Sync_Articles", skip=0, take=10, order_by=["ItemCode"])


def run(
    action: Callable[[AfasClient], Awaitable[Any]],
    side_effect: Any,
    *,
    method: str = "GET",
    url: str = GET_URL,
    **options: Any,
) -> tuple[Any, respx.Route, list[float]]:
    """(result or the AfasError raised, the route, the back-off sleeps) of `action` against one route."""
    sleeps: list[float] = []

    async def fake_sleep(delay: float) -> None:
        sleeps.append(delay)

    async def go() -> tuple[Any, respx.Route]:
        with respx.mock() as router:
            route = router.route(method=method, url__startswith=url).mock(side_effect=side_effect)
            async with AfasClient(BASE, TOKEN, **options) as client:
                client._sleep = fake_sleep
                try:
                    return await action(client), route
                except AfasError as exc:
                    return exc, route

    result, route = asyncio.run(go())
    return result, route, sleeps


def server_error() -> httpx.Response:
    return httpx.Response(
        500,
        json={
            "externalMessage": "Er is een onverwachte fout opgetreden.",
            "errorNumber": -2147467259,
            "profitLogReference": "0123456789ABCDEF0123456789ABCDEF",
        },
    )


@pytest.mark.parametrize(
    "failure",
    [
        server_error(),
        httpx.Response(502, text="<html>Bad Gateway</html>"),
        httpx.Response(503, json={"error": {"code": "503", "message": "Onderhoud"}}),
        httpx.Response(504),
        httpx.Response(429),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response"),
        httpx.ConnectError("refused"),
    ],
    ids=["500", "502", "503", "504", "429", "timeout", "dropped", "connect"],
)
def test_each_temporary_failure_of_a_read_is_retried(failure: Any) -> None:
    rows, route, sleeps = run(read, [failure, failure, ok_page()])
    assert rows == [{"ItemCode": "1"}]
    assert route.call_count == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.metainfo(),
        lambda c: c.metainfo_get("Sync_Articles"),
        lambda c: c.metainfo_update("FbSales"),
        lambda c: c.profit_version(),
    ],
    ids=["metainfo", "metainfo_get", "metainfo_update", "version"],
)
def test_metainfo_reads_are_retried(call: Callable[[AfasClient], Awaitable[Any]]) -> None:
    answer = httpx.Response(200, json={"version": "22.22.5", "fields": []})
    result, route, _ = run(call, [httpx.Response(502), httpx.ReadTimeout("slow"), answer], url=BASE)
    assert isinstance(result, dict | str) and not isinstance(result, AfasError)
    assert route.call_count == 3


def test_retry_after_is_honoured_on_each_retried_status() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=40), usegmt=True)
    script = [
        httpx.Response(503, json={"retry_after": 7}),  # AFAS's 503 body
        httpx.Response(503, headers={"Retry-After": "9"}),
        httpx.Response(502, headers={"Retry-After": "2"}),
        httpx.Response(429, headers={"Retry-After": later}),  # an HTTP date
        ok_page(),
    ]
    rows, route, sleeps = run(read, script)
    assert rows == [{"ItemCode": "1"}] and route.call_count == 5
    assert sleeps[:3] == [7.0, 9.0, 2.0]
    assert 35 <= sleeps[3] <= 40


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    error, route, sleeps = run(read, httpx.Response(504), max_retries=5, backoff_s=8, max_backoff_s=30)
    assert isinstance(error, AfasTransportError) and route.call_count == 6
    assert 8 <= sleeps[0] <= 10 and 16 <= sleeps[1] <= 20
    assert sleeps[2:] == [30, 30, 30]


def test_default_is_five_attempts_and_the_give_up_error_says_temporary() -> None:
    error, route, sleeps = run(read, httpx.Response(503))
    assert route.call_count == 5 and len(sleeps) == 4
    assert isinstance(error, AfasUnavailableError)
    assert error.transient is True and error.attempts == 5
    assert (error.connector, error.method) == ("Sync_Articles", "GET")
    text = str(error)
    assert "GET Sync_Articles" in text and "after 5 attempts" in text and "temporary" in text


@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        (httpx.Response(502), AfasTransportError),
        (httpx.Response(504), AfasTransportError),
        (httpx.ReadTimeout("timed out"), AfasTransportError),
        (httpx.RemoteProtocolError("gone"), AfasTransportError),
        (httpx.ConnectError("refused"), AfasTransportError),
        (httpx.Response(429), AfasUnavailableError),
    ],
)
def test_give_up_after_n_attempts_names_the_call_and_says_temporary(failure: Any, error_type: type) -> None:
    error, route, _ = run(read, failure, max_retries=2)
    assert type(error) is error_type and route.call_count == 3
    assert error.transient is True and error.attempts == 3
    text = str(error)
    assert "Sync_Articles" in text and "GET" in text and "after 3 attempts" in text and "temporary" in text
    assert TOKEN not in text


def test_a_500_that_persists_on_a_read_is_a_business_error_after_the_retries() -> None:
    error, route, _ = run(read, server_error(), max_retries=2)
    assert isinstance(error, AfasValidationError) and route.call_count == 3
    assert error.transient is False and error.attempts == 3
    assert "after 3 attempts" in str(error) and "0123456789ABCDEF0123456789ABCDEF" in str(error)


@pytest.mark.parametrize(
    "message",
    ["Out of memory", "Deze GetConnector (definitie) is geblokkeerd.", "GetConnector 'X' bestaat niet."],
)
def test_a_500_that_would_fail_again_is_not_retried(message: str) -> None:
    error, route, sleeps = run(read, httpx.Response(500, json={"externalMessage": message}))
    assert isinstance(error, AfasValidationError) and error.transient is False
    assert route.call_count == 1 and sleeps == []


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, AfasError),
        (401, AfasAuthError),
        (403, AfasForbiddenError),
        (404, AfasNotFoundError),
        (413, AfasPayloadTooLargeError),
    ],
)
def test_4xx_is_never_retried_and_is_permanent(status: int, error_type: type) -> None:
    error, route, sleeps = run(read, [httpx.Response(status), ok_page()])
    assert type(error) is error_type and error.transient is False
    assert route.call_count == 1 and sleeps == []


WRITES: list[tuple[str, str, Callable[[AfasClient], Awaitable[Any]]]] = [
    ("POST", f"{BASE}/connectors/FbSales", lambda c: c.insert("FbSales", element({"DbId": "1"}))),
    ("PUT", f"{BASE}/connectors/FbSales", lambda c: c.update("FbSales", element({"OrNu": "1"}))),
    (
        "POST",
        f"{BASE}/connectors/FbSales/FbSalesLines",
        lambda c: c.insert_sub("FbSales", "FbSalesLines", {}),
    ),
    ("DELETE", f"{BASE}/connectors/FbSales", lambda c: c.delete("FbSales", "FbSales", {"OrNu": "1"})),
]


@pytest.mark.parametrize(("method", "url", "call"), WRITES, ids=[f"{m} {u[-20:]}" for m, u, _ in WRITES])
@pytest.mark.parametrize(
    "failure",
    [
        server_error(),
        httpx.Response(502),
        httpx.Response(504),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected"),
    ],
    ids=["500", "502", "504", "timeout", "dropped"],
)
def test_a_write_that_may_have_reached_afas_is_never_retried(
    method: str, url: str, call: Callable[[AfasClient], Awaitable[Any]], failure: Any
) -> None:
    done = httpx.Response(201, json={"results": {}})
    error, route, sleeps = run(call, [failure, done], method=method, url=url)
    assert isinstance(error, AfasError)
    assert route.call_count == 1 and sleeps == []
    assert error.method == method and error.connector == "FbSales"
    if isinstance(error, AfasTransportError):
        # Temporary, but the caller must look the write up before sending it again.
        assert error.transient is True and error.may_have_reached_server is True
        assert "check" in str(error)
    else:
        assert isinstance(error, AfasValidationError) and error.transient is False


def test_transient_classification_of_every_error_class() -> None:
    assert AfasUnavailableError("x").transient is True
    assert AfasTransportError("x", may_have_reached_server=False).transient is True
    for permanent in (
        AfasAuthError,
        AfasForbiddenError,
        AfasNotFoundError,
        AfasPayloadTooLargeError,
        AfasQueryTooLong,
        AfasValidationError,
        AfasError,
    ):
        assert permanent("x").transient is False, permanent
    # Settable per error, e.g. an unsupported URL scheme is a transport error that retrying cannot fix.
    assert AfasTransportError("x", may_have_reached_server=False, transient=False).transient is False


def test_an_unsupported_url_is_a_permanent_transport_error() -> None:
    error, route, sleeps = run(read, httpx.UnsupportedProtocol("bad scheme"))
    assert isinstance(error, AfasTransportError) and error.transient is False
    assert route.call_count == 1 and sleeps == []


def test_settings_are_validated() -> None:
    for bad in ({"max_retries": -1}, {"backoff_s": -1}, {"max_backoff_s": -0.1}, {"max_retry_after_s": -5}):
        with pytest.raises(ValueError, match="must be >= 0"):
            AfasClient(BASE, TOKEN, **bad)
    client = AfasClient(BASE, TOKEN, max_retries=0)
    assert client.max_retries == 0 and client.max_backoff_s == 30.0
    asyncio.run(client.aclose())
