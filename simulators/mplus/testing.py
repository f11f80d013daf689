"""Helpers to drive the stand-in in-process from tests: a SOAP caller over ``httpx.ASGITransport`` that
encodes with the project's codec and, when given the WSDL schema, validates every request and response
Body against it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from lxml import etree
from starlette.applications import Starlette

from connectors.mplus.soap import SoapFault, decode_response, encode_request
from connectors.mplus.xsd_validate import load_schema, validate_envelope
from simulators.mplus.config import DEFAULT_CREDENTIALS

BASE_URL = "http://mplus.test"
DEMO_IDENT, DEMO_SECRET = next(iter(DEFAULT_CREDENTIALS.items()))
# The reference folder beside the checkout (../shared/api), as tests/conftest.py locates it.
SHARED_WSDL = Path(__file__).resolve().parents[2].parent / "shared" / "api" / "mplusqapi.wsdl"


def optional_schema(wsdl: Path = SHARED_WSDL) -> etree.XMLSchema | None:
    """The WSDL's schema when the reference folder is there, else None (then nothing is validated)."""
    return load_schema(str(wsdl)) if wsdl.is_file() else None


def fault_of(body: bytes) -> SoapFault:
    """Decode a Fault envelope (any operation name works: decode_response raises on the Fault)."""
    try:
        decode_response("getApiVersion", body)
    except SoapFault as fault:
        return fault
    raise AssertionError(f"not a SOAP fault: {body[:300]!r}")


class SoapCaller:
    """Calls the stand-in like a client would; validates what it sends and gets when it has a schema."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        schema: etree.XMLSchema | None = None,
        ident: str = DEMO_IDENT,
        secret: str = DEMO_SECRET,
    ) -> None:
        self.client = client
        self.schema = schema
        self.ident = ident
        self.secret = secret

    async def post(
        self,
        body: bytes,
        *,
        ident: str | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        params = {
            "ident": self.ident if ident is None else ident,
            "secret": self.secret if secret is None else secret,
        }
        response = await self.client.post(
            "/",
            params=params,
            content=body,
            headers={"Content-Type": "text/xml; charset=utf-8", **(headers or {})},
        )
        if self.schema is not None and response.status_code == 200:
            validate_envelope(self.schema, response.content)
        return response

    async def raw(self, operation: str, request: dict[str, Any] | None, **kwargs: Any) -> httpx.Response:
        body = encode_request(operation, request)
        if self.schema is not None:
            validate_envelope(self.schema, body)
        return await self.post(body, **kwargs)

    async def call(
        self, operation: str, request: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        response = await self.raw(operation, request, **kwargs)
        assert response.status_code == 200, f"{operation}: HTTP {response.status_code} {response.text[:500]}"
        return decode_response(operation, response.content)

    async def fault(self, operation: str, request: dict[str, Any] | None = None, **kwargs: Any) -> SoapFault:
        response = await self.raw(operation, request, **kwargs)
        assert response.status_code == 500, f"{operation}: expected a fault, got HTTP {response.status_code}"
        return fault_of(response.content)


def in_process_client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)


def drive(app: Starlette, scenario: Any, schema: etree.XMLSchema | None = None) -> Any:
    """Run ``await scenario(caller)`` against the app in a fresh event loop (for sync tests)."""

    async def main() -> Any:
        async with in_process_client(app) as client:
            return await scenario(SoapCaller(client, schema))

    return asyncio.run(main())


def article(number: int | None, **fields: Any) -> dict[str, Any]:
    """A minimal Article dict for createProduct/updateProduct."""
    out: dict[str, Any] = {"description": f"Artikel {number}", "priceIncl": 1210, "vatCode": 2, **fields}
    if number is not None:
        out["articleNumber"] = number
    return out


def product(*articles: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """``{"product": ...}`` for createProduct/updateProduct."""
    return {"product": {**fields, "articleList": {"article": list(articles)}}}
