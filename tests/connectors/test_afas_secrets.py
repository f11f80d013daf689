"""The token never shows in repr(client), errors, tracebacks or log output."""

from __future__ import annotations

import asyncio
import base64
import logging
import traceback
from typing import Any

import httpx
import pytest
import respx

from connectors.afas import (
    AfasAuthError,
    AfasClient,
    AfasError,
    AfasTransportError,
    AfasValidationError,
    element,
)

BASE = "https://12345.rest.afas.online/ProfitRestServices"
DATA = "c0ffee0123456789" * 4
XML = f"<token><version>1</version><data>{DATA}</data></token>"
B64 = base64.b64encode(XML.encode()).decode()
FORMS = (DATA, B64, DATA[:16], B64[:24])


def assert_clean(text: str) -> None:
    for form in FORMS:
        assert form not in text


def leaky_connect_error(request: httpx.Request) -> httpx.Response:
    # A transport that puts the request headers into its exception message.
    raise httpx.ConnectError(
        f"cannot connect, headers={dict(request.headers)} auth={request.headers['Authorization']}"
    )


def leaky_500(request: httpx.Request) -> httpx.Response:
    return httpx.Response(500, json={"externalMessage": f"bad token {DATA}", "profitLogReference": "ABC"})


def test_repr_and_str_of_client_hide_the_token() -> None:
    for token in (DATA, XML):
        client = AfasClient(BASE, token)
        assert "Secret('***')" in repr(client)
        assert_clean(repr(client))
        assert_clean(str(client))
        assert_clean(repr(vars(client)))
        asyncio.run(client.aclose())


@pytest.mark.parametrize(
    ("method", "side_effect", "error_type"),
    [
        ("GET", [httpx.Response(200, json={"skip": 0, "take": 10, "rows": []})], None),
        ("GET", [httpx.Response(401)], AfasAuthError),
        ("GET", leaky_connect_error, AfasTransportError),
        ("POST", [httpx.ReadTimeout("timed out")], AfasTransportError),
        ("POST", leaky_connect_error, AfasTransportError),
        ("POST", leaky_500, AfasValidationError),
    ],
)
def test_no_token_in_errors_or_logs(
    caplog: pytest.LogCaptureFixture, method: str, side_effect: Any, error_type: type[AfasError] | None
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx included
    sent: list[str] = []

    def record(request: httpx.Request) -> None:
        sent.append(request.headers["Authorization"])

    async def run() -> AfasError | None:
        with respx.mock() as router:
            route = router.route(method=method, url__startswith=f"{BASE}/connectors/").mock(
                side_effect=side_effect
            )
            async with AfasClient(BASE, XML, max_retries=1, backoff_s=0) as client:
                try:
                    if method == "GET":
                        await client.get_page("Sync_Articles", skip=0, take=10, order_by=["ItemCode"])
                    else:
                        await client.insert("FbSales", element({"DbId": "1"}))
                except AfasError as exc:
                    return exc
                finally:
                    record(route.calls.last.request)
        return None

    error = asyncio.run(run())
    assert sent == [f"AfasToken {B64}"]  # the token really was sent, so a leak would be detectable
    assert any(r.name == "connectors.afas" and r.levelno == logging.DEBUG for r in caplog.records)
    assert_clean(caplog.text)
    if error_type is None:
        assert error is None
        return
    assert type(error) is error_type
    assert_clean(str(error))
    assert_clean(repr(error))
    assert_clean("".join(traceback.format_exception(error)))
    assert_clean(repr(vars(error)))
    if side_effect is leaky_connect_error:
        assert "***" in str(error)  # the leaky message was kept, with the token scrubbed
