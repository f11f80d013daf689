"""The MplusKASSA QAPI stand-in as an ASGI app: SOAP 1.1 over HTTP POST at ``/``.

Transport, as the notes describe the real service:

* ``POST /?ident=..&secret=..`` with a SOAP envelope; dispatch on the Body's first element (SOAPAction is
  ignored). Answers ``text/xml; charset=utf-8`` with ``mplus-service-version`` and ``server-timing``
  headers, and echoes ``X-Request-Id``.
* A plain ``GET /`` answers 405 (clients use it as a liveness check). ``GET /?wsdl`` answers 404: the
  stand-in does not serve the WSDL (the project does not redistribute it; the codec works from the
  generated type table) -- a documented deviation.
* Bad or missing credentials: HTTP 500 SOAP fault ``SOAP-ENV:Client`` "Invalid ident/secret" [INF: the real
  fault code is not public]. Malformed XML, a value that does not parse as its XSD type (a non-numeric
  ``articleNumber`` is not an ``xsd:long``) and an operation the stand-in does not serve: Client faults.
* ``GET /_sim/stats``: call statistics as JSON, no credentials (the stand-in's own endpoint).
* ``GET|PUT|PATCH|DELETE /_sim/faults``: read or change the knobs of :class:`MplusFaults` while it runs
  (see ``simulators/fault_knobs.py``), no credentials.

Failure knobs come from :class:`MplusSimConfig`, read on every request, in this order: latency, credentials,
concurrency limit, decode, injected 503 / Server fault / timeout / drop (nothing applied), then the
handler; ``fail_after_commit_next`` applies the write and only then times the caller out. In-process
(``in_process=True``, driven through ``httpx.ASGITransport``) a timeout raises ``httpx.ReadTimeout`` and a
drop ``httpx.RemoteProtocolError`` into the caller; served by uvicorn the app sleeps ``hang_s`` before
answering so the client's own timeout fires.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from connectors.mplus.soap import SoapDecodeError, decode_request, encode_fault, encode_response
from simulators.fault_knobs import faults_route
from simulators.mplus.config import MplusFaults, MplusSimConfig
from simulators.mplus.faults import (
    INVALID_CREDENTIALS,
    TOO_MANY_CONCURRENT,
    SimFault,
    client_fault,
    server_fault,
)
from simulators.mplus.handlers import HANDLERS
from simulators.mplus.state import MplusState
from simulators.mplus.stats import is_write

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"
WSDL_NOT_SERVED = (
    "This MplusKASSA stand-in does not serve the WSDL: use the official mplusqapi.wsdl "
    "(the project does not redistribute it).\n"
)


def create_app(state: MplusState, config: MplusSimConfig | None = None) -> Starlette:
    config = config if config is not None else MplusSimConfig()

    def fault_response(fault: SimFault, headers: dict[str, str], kind: str | None = None) -> Response:
        state.stats.record_fault(kind or ("client" if fault.faultcode.endswith("Client") else "server"))
        return Response(
            encode_fault(fault.faultcode, fault.faultstring, fault.detail),
            status_code=500,
            media_type=XML,
            headers=headers,
        )

    async def lose(kind: str, answer: Response | None = None) -> Response:
        state.stats.record_fault(kind)
        if config.in_process:
            if kind == "drop":
                raise httpx.RemoteProtocolError("Server disconnected without sending a response (simulated)")
            raise httpx.ReadTimeout("Timed out waiting for the MplusKASSA answer (simulated)")
        # Served over a socket: hold the answer until the client has given up.
        await asyncio.sleep(config.hang_s)
        return (
            answer
            if answer is not None
            else Response(
                encode_fault("SOAP-ENV:Server", "Request timed out"), status_code=500, media_type=XML
            )
        )

    def call(operation: str, payload: dict, headers: dict[str, str]) -> Response:
        handler = HANDLERS[operation]
        with state.lock:  # handlers and encoding see one consistent state
            try:
                answer = handler(state, payload)
                return Response(encode_response(operation, answer), media_type=XML, headers=headers)
            except SimFault as fault:
                return fault_response(fault, headers)
            except (
                Exception
            ) as exc:  # a stand-in bug: answer like a server in trouble, keep it visible in logs
                log.exception("MplusKASSA stand-in failed on %s", operation)
                return fault_response(server_fault(f"Internal error ({type(exc).__name__}: {exc})"), headers)

    async def soap(request: Request) -> Response:
        if request.method == "GET":
            if "wsdl" in request.query_params:
                return PlainTextResponse(WSDL_NOT_SERVED, status_code=404)
            return PlainTextResponse("Method Not Allowed\n", status_code=405, headers={"Allow": "POST"})
        started = time.perf_counter()
        concurrency = state.stats.enter()
        headers = {"mplus-service-version": config.service_version}
        if request.headers.get("x-request-id"):
            headers["X-Request-Id"] = request.headers["x-request-id"]
        try:
            response = await handle(request, concurrency, headers)
            # The latency is the call's response time, our own processing included (a server that answers
            # in 50 ms), so the stand-in's CPU on a shared machine does not add to what is simulated.
            delay = config.latency_s - (time.perf_counter() - started)
            if delay > 0:
                await asyncio.sleep(delay)
        finally:
            state.stats.leave()
        response.headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    async def handle(request: Request, concurrency: int, headers: dict[str, str]) -> Response:
        body = await request.body()
        ident = request.query_params.get("ident")
        secret = request.query_params.get("secret")
        if not ident or secret is None or config.credentials.get(ident) != secret:
            return fault_response(client_fault(INVALID_CREDENTIALS), headers, "auth")
        if config.max_concurrency is not None and concurrency > config.max_concurrency:
            return fault_response(server_fault(TOO_MANY_CONCURRENT), headers, "rate_limit")
        try:
            operation, payload = decode_request(body)
        except SoapDecodeError as exc:
            return fault_response(client_fault(str(exc)), headers)
        except Exception as exc:  # anything else the codec trips on is still the request's fault
            return fault_response(client_fault(f"Malformed request ({type(exc).__name__})"), headers)
        if operation not in HANDLERS:
            return fault_response(
                client_fault(f"Operation {operation} is not supported by this stand-in"), headers
            )
        state.stats.record_call(operation)
        if config.roll(config.error_503_rate):
            state.stats.record_fault("503")
            return PlainTextResponse("Service Unavailable\n", status_code=503, headers=headers)
        if config.roll(config.server_fault_rate):
            return fault_response(server_fault("Service temporarily unavailable, try again later"), headers)
        if config.roll(config.timeout_rate):
            return await lose("timeout")
        if config.roll(config.drop_rate):
            return await lose("drop")
        commit_then_fail = is_write(operation) and (
            config.take_fail_after_commit() or config.roll(config.commit_then_timeout_rate)
        )
        response = call(operation, payload, headers)
        if commit_then_fail:
            return await lose("fail_after_commit", response)
        return response

    async def stats(request: Request) -> Response:
        return JSONResponse(state.stats.snapshot())

    app = Starlette(
        routes=[
            Route("/", soap, methods=["GET", "POST"]),
            Route("/_sim/stats", stats, methods=["GET"]),
            faults_route(config, MplusFaults),
        ]
    )
    app.state.mplus_state = state
    app.state.mplus_config = config
    return app
