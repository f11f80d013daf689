"""Token wrapping, client construction and request headers."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest
import respx

from connectors.afas import AfasClient, AfasToken, Secret

BASE = "https://12345.rest.afas.online/ProfitRestServices"
DATA = "0123456789abcdef" * 4
XML = f"<token><version>1</version><data>{DATA}</data></token>"
EXPECTED_HEADER = "AfasToken " + base64.b64encode(XML.encode()).decode()


def test_bare_hex_and_xml_give_the_same_header() -> None:
    bare = AfasToken(DATA).header.reveal()
    xml = AfasToken(XML).header.reveal()
    spaced = AfasToken(
        f"  <token>\n  <version>1</version>\n  <data> {DATA} </data>\n</token>\n"
    ).header.reveal()
    assert bare == xml == spaced == EXPECTED_HEADER
    assert base64.b64decode(bare.split(" ", 1)[1]).decode() == XML


def test_token_accepts_a_secret_and_keeps_the_xml_version() -> None:
    assert AfasToken(Secret(DATA)).header.reveal() == EXPECTED_HEADER
    v2 = AfasToken(f"<token><version>2</version><data>{DATA}</data></token>").header.reveal()
    assert (
        base64.b64decode(v2.split(" ", 1)[1]).decode()
        == f"<token><version>2</version><data>{DATA}</data></token>"
    )


@pytest.mark.parametrize(
    "bad", ["", "   ", "<token><version>1</version></token>", "abc def", "<token><data></data>"]
)
def test_invalid_tokens_raise_without_echoing(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        AfasToken(bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)


def test_secret_repr_hides_value() -> None:
    secret = Secret("hunter2")
    assert repr(secret) == "Secret('***')" == str(secret)
    assert secret.reveal() == "hunter2"
    assert "hunter2" not in repr(AfasToken(DATA)) and DATA not in repr(AfasToken(DATA))


@pytest.mark.parametrize("concurrency", [0, 9, 16])
def test_concurrency_outside_1_to_8_is_refused(concurrency: int) -> None:
    with pytest.raises(ValueError, match="at most 8 parallel"):
        AfasClient(BASE, DATA, concurrency=concurrency)


def test_base_url_must_be_absolute() -> None:
    with pytest.raises(ValueError):
        AfasClient("12345.rest.afas.online/ProfitRestServices", DATA)


def test_headers_sent_and_lowercase_base_path_kept() -> None:
    base = "https://12345.rest.afas.online/profitrestservices/"
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"version": "22.22.5"})

    async def run() -> str:
        with respx.mock(assert_all_called=True) as router:
            router.get("https://12345.rest.afas.online/profitrestservices/ProfitVersion").mock(
                side_effect=reply
            )
            async with AfasClient(
                base, XML, accept_language="nl-nl", integration_id="12345_123456"
            ) as client:
                return await client.profit_version()

    assert asyncio.run(run()) == "22.22.5"
    headers = seen[0].headers
    assert headers["Authorization"] == EXPECTED_HEADER
    assert headers["Accept-Language"] == "nl-nl"
    assert headers["IntegrationId"] == "12345_123456"


def test_custom_transport_is_used() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == EXPECTED_HEADER
        return httpx.Response(200, json={"version": "1.2.3"})

    async def run() -> str:
        async with AfasClient(BASE, DATA, transport=httpx.MockTransport(handler)) as client:
            return await client.profit_version()

    assert asyncio.run(run()) == "1.2.3"
