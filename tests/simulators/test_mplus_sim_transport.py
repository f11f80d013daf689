"""MplusKASSA stand-in: HTTP transport, authentication, malformed requests, headers, stats endpoint."""

from __future__ import annotations

import asyncio

import pytest

from connectors.mplus.soap import encode_request
from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import drive, fault_of, in_process_client, optional_schema

SCHEMA = optional_schema()


@pytest.fixture
def app():
    return create_app(MplusState.from_catalog(build_catalog()), MplusSimConfig())


def get(app, url):
    async def main():
        async with in_process_client(app) as client:
            return await client.get(url)

    return asyncio.run(main())


def test_plain_get_is_405_and_wsdl_is_not_served(app):
    assert get(app, "/").status_code == 405
    response = get(app, "/?wsdl")
    assert response.status_code == 404
    assert "does not serve the WSDL" in response.text


def test_bad_or_missing_credentials_are_a_client_fault(app):
    async def scenario(mp):
        for kwargs in ({"secret": "wrong"}, {"ident": "nobody"}, {"ident": "", "secret": ""}):
            fault = await mp.fault("getBranches", None, **kwargs)
            assert fault.faultcode == "SOAP-ENV:Client" and fault.is_client
            assert fault.faultstring == "Invalid ident/secret"
        response = await mp.client.post("/", content=encode_request("getBranches", None))  # no query string
        assert (
            response.status_code == 500 and fault_of(response.content).faultstring == "Invalid ident/secret"
        )

    drive(app, scenario, SCHEMA)


def test_malformed_xml_unknown_operation_and_bad_long_are_client_faults(app):
    async def scenario(mp):
        for body in (
            b"<not-xml",
            b"<a/>",
            b'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
            b'xmlns:ns1="urn:mplusqapi"><SOAP-ENV:Body><ns1:launchRocket/></SOAP-ENV:Body>'
            b"</SOAP-ENV:Envelope>",
        ):
            response = await mp.post(body)
            assert response.status_code == 500
            assert fault_of(response.content).faultcode == "SOAP-ENV:Client"
        body = encode_request("getRelation", {"relationNumber": 1001}).replace(b">1001<", b">ABC<")
        response = await mp.post(body)
        assert response.status_code == 500 and fault_of(response.content).is_client

    drive(app, scenario, SCHEMA)


def test_response_headers_and_content_type(app):
    async def scenario(mp):
        response = await mp.raw(
            "getApiVersion", None, headers={"X-Request-Id": "req-42", "SOAPAction": "bogus"}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
        assert response.headers["x-request-id"] == "req-42"
        assert response.headers["mplus-service-version"].startswith("67.")
        assert response.headers["server-timing"].startswith("app;dur=")
        assert b"<ns:getApiVersionResponse" in response.content  # lower-case quirk of parameterless calls

    drive(app, scenario, SCHEMA)


def test_stats_count_reads_writes_and_reset(app):
    state = app.state.mplus_state

    async def scenario(mp):
        await mp.call("getBranches")
        await mp.call("getVatGroupList")
        await mp.call("createRelation", {"relation": {"name": "Stats"}})
        return (await mp.client.get("/_sim/stats")).json()

    stats = drive(app, scenario, SCHEMA)
    assert stats["calls"] == {"createRelation": 1, "getBranches": 1, "getVatGroupList": 1}
    assert (stats["reads"], stats["writes"], stats["peak_concurrency"]) == (2, 1, 1)
    assert state.stats.snapshot()["writes"] == 1
    state.stats.reset()
    assert state.stats.snapshot()["calls"] == {}
