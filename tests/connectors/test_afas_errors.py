"""Error mapping and the retry policy (reads retried, writes only when AFAS provably never saw them)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
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
    AfasTransportError,
    AfasUnavailableError,
    AfasValidationError,
    element,
)

BASE = "https://12345.rest.afas.online/ProfitRestServices"
TOKEN = "ab" * 32
GET_URL = f"{BASE}/connectors/Sync_Articles"
POST_URL = f"{BASE}/connectors/FbSales"


def ok_page() -> httpx.Response:
    return httpx.Response(200, json={"skip": 0, "take": 10, "rows": [{"ItemCode": "1"}]})


def created() -> httpx.Response:
    return httpx.Response(201, json={"results": {"FbSales": {"OrNu": "1"}}})


BODY = element({"DbId": "10001", "OrDa": "2024-02-16"})

Action = Callable[[AfasClient], Awaitable[Any]]


def read(client: AfasClient) -> Awaitable[Any]:
    return client.get_page("Sync_Articles", skip=0, take=10, order_by=["ItemCode"])


def write(client: AfasClient) -> Awaitable[Any]:
    return client.insert("FbSales", BODY)


def put(client: AfasClient) -> Awaitable[Any]:
    return client.update("FbSales", BODY)


def run(
    action: Action, side_effect: Any, *, method: str = "GET", **options: Any
) -> tuple[Any, respx.Route, AfasClient, list[float]]:
    """Run `action` against a route answering with `side_effect`; returns (result or exception, route, client, sleeps)."""
    sleeps: list[float] = []
    url = GET_URL if method == "GET" else POST_URL

    async def fake_sleep(delay: float) -> None:
        sleeps.append(delay)

    async def go() -> tuple[Any, respx.Route, AfasClient]:
        with respx.mock() as router:
            route = router.route(method=method, url__startswith=url).mock(side_effect=side_effect)
            async with AfasClient(BASE, TOKEN, **options) as client:
                client._sleep = fake_sleep
                try:
                    result: Any = await action(client)
                except AfasError as exc:
                    result = exc
                return result, route, client

    result, route, client = asyncio.run(go())
    return result, route, client, sleeps


@pytest.mark.parametrize(
    ("status", "error_type", "needle"),
    [
        (401, AfasAuthError, "App Connector"),
        (403, AfasForbiddenError, "IP"),
        (404, AfasNotFoundError, "base URL"),
    ],
)
def test_empty_body_errors_are_not_retried(status: int, error_type: type[AfasError], needle: str) -> None:
    error, route, client, sleeps = run(read, [httpx.Response(status), ok_page()])
    assert type(error) is error_type
    assert error.status_code == status and error.connector == "Sync_Articles" and error.method == "GET"
    assert needle in str(error) and "Sync_Articles" in str(error)
    assert route.call_count == 1 and sleeps == [] and client.stats.total_retries == 0


def test_413_on_post() -> None:
    error, route, _, _ = run(write, [httpx.Response(413), created()], method="POST")
    assert isinstance(error, AfasPayloadTooLargeError)
    assert (error.connector, error.method, error.status_code) == ("FbSales", "POST", 413)
    assert route.call_count == 1


def test_500_becomes_a_validation_error_with_afas_fields() -> None:
    body = {
        "externalMessage": "De ingevulde waarde bij 'Medewerker' bestaat niet.",
        "errorNumber": -2147220469,
        "profitLogReference": "B8213AF1C3C54E579686406A8DE71C6C",
    }
    error, route, _, sleeps = run(write, [httpx.Response(500, json=body), created()], method="POST")
    assert isinstance(error, AfasValidationError)
    assert error.external_message == body["externalMessage"]
    assert error.error_number == -2147220469
    assert error.profit_log_reference == "B8213AF1C3C54E579686406A8DE71C6C"
    text = str(error)
    assert "FbSales" in text and "bestaat niet" in text and "B8213AF1C3C54E579686406A8DE71C6C" in text
    assert "retry" in text  # says what to do
    assert route.call_count == 1 and sleeps == []


def test_500_on_a_read_is_not_retried_either() -> None:
    error, route, _, _ = run(read, [httpx.Response(500, text="Out of memory"), ok_page()])
    assert isinstance(error, AfasValidationError)
    assert error.external_message == "Out of memory" and error.profit_log_reference is None
    assert "page_size" in str(error)
    assert route.call_count == 1


def test_503_with_retry_after_then_success() -> None:
    busy = httpx.Response(503, json={"error": {"code": 503, "message": "Onderhoud"}, "retry_after": 3})
    rows, route, client, sleeps = run(read, [busy, ok_page()])
    assert rows == [{"ItemCode": "1"}]
    assert route.call_count == 2 and sleeps == [3.0]
    assert client.stats.retries[("GET", "Sync_Articles")] == 1
    assert client.stats.calls[("GET", "Sync_Articles")] == 1


def test_503_retry_after_header_is_honoured() -> None:
    busy = httpx.Response(503, headers={"Retry-After": "5"})
    rows, _, _, sleeps = run(read, [busy, ok_page()])
    assert rows == [{"ItemCode": "1"}] and sleeps == [5.0]


def test_503_with_too_long_retry_after_raises_at_once() -> None:
    busy = httpx.Response(
        503,
        json={"error": {"code": 503, "message": "Onderhoud"}, "retry_after": 7200},
        headers={"Retry-After": "7200"},
    )
    error, route, _, sleeps = run(read, [busy, ok_page()], max_retry_after_s=120)
    assert isinstance(error, AfasUnavailableError)
    assert error.retry_after == 7200 and error.status_code == 503
    assert route.call_count == 1 and sleeps == []
    assert "7200" in str(error)


def test_503_still_there_after_all_retries() -> None:
    error, route, client, sleeps = run(read, httpx.Response(503), max_retries=2, backoff_s=0.5)
    assert isinstance(error, AfasUnavailableError) and error.retry_after is None
    assert route.call_count == 3 and client.stats.total_retries == 2
    # Exponential back-off with up to 25 % jitter.
    assert 0.5 <= sleeps[0] <= 0.625 and 1.0 <= sleeps[1] <= 1.25


def test_503_on_a_write_is_retried() -> None:
    result, route, _, sleeps = run(
        write, [httpx.Response(503, json={"retry_after": 1}), created()], method="POST"
    )
    assert result == {"FbSales": {"OrNu": "1"}}
    assert route.call_count == 2 and sleeps == [1.0]


def test_read_timeout_is_retried_on_get() -> None:
    rows, route, client, _ = run(
        read, [httpx.ReadTimeout("timed out"), httpx.RemoteProtocolError("gone"), ok_page()]
    )
    assert rows == [{"ItemCode": "1"}]
    assert route.call_count == 3 and client.stats.total_retries == 2


def test_read_timeout_after_all_retries_on_get() -> None:
    error, route, _, _ = run(read, httpx.ReadTimeout("timed out"), max_retries=3)
    assert isinstance(error, AfasTransportError) and error.may_have_reached_server is True
    assert route.call_count == 4


def test_read_timeout_on_post_is_not_retried_and_flagged() -> None:
    error, route, client, sleeps = run(write, [httpx.ReadTimeout("timed out"), created()], method="POST")
    assert isinstance(error, AfasTransportError)
    assert error.may_have_reached_server is True
    assert (error.connector, error.method) == ("FbSales", "POST")
    assert "check" in str(error)
    assert route.call_count == 1 and sleeps == [] and client.stats.total_retries == 0


def test_dropped_connection_on_put_is_not_retried() -> None:
    error, route, _, _ = run(put, [httpx.RemoteProtocolError("Server disconnected"), created()], method="PUT")
    assert isinstance(error, AfasTransportError) and error.may_have_reached_server is True
    assert route.call_count == 1


def test_gateway_timeout_on_post_is_not_retried() -> None:
    error, route, _, _ = run(write, [httpx.Response(504), created()], method="POST")
    assert isinstance(error, AfasTransportError) and error.may_have_reached_server is True
    assert route.call_count == 1


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
def test_connect_error_is_retried_on_post(failure: Exception) -> None:
    result, route, client, _ = run(write, [failure, created()], method="POST")
    assert result == {"FbSales": {"OrNu": "1"}}
    assert route.call_count == 2 and client.stats.retries[("POST", "FbSales")] == 1


def test_connect_error_after_all_retries() -> None:
    error, route, _, _ = run(read, httpx.ConnectError("Name or service not known"), max_retries=2)
    assert isinstance(error, AfasTransportError) and error.may_have_reached_server is False
    assert route.call_count == 3
    assert "Name or service not known" in str(error)


def test_unexpected_body_is_an_error() -> None:
    error, _, _, _ = run(read, httpx.Response(200, json={"unexpected": True}))
    assert isinstance(error, AfasError) and "rows" in str(error)
    error, _, _, _ = run(read, httpx.Response(200, content=b"<html>"))
    assert isinstance(error, AfasError) and "invalid JSON" in str(error)
