"""The AFAS Profit REST API stand-in as a Starlette app: routing, auth, faults, concurrency, stats.

Paths live under /ProfitRestServices, matched case-insensitively (clients use /profitrestservices);
connector and object ids are matched case-insensitively too [INF]. Checks in the order a call meets
them: unknown path or query string over 2049 characters -> 404 (empty body); maintenance -> 503; bad or
missing token -> 401 (empty); client IP outside `allowed_ips` -> 403 (empty); then the connector. A body
over 75 MB is 413, unparsable JSON 400, a bad skip/take 400 (all empty) [INF].
App Connector scope (`granted_connectors`) [INF]: the notes give both "401 = connector not in the App
Connector" and "500 = connector not authorised"; the stand-in answers a GetConnector (and its
metainfo/get) outside the scope with 401 and an empty body, an UpdateConnector (and metainfo/update)
with 500 "Geen toegang tot connector 'X'." An unknown connector id is a 500 with the error body.
Calls above `max_concurrency` (AFAS documents at most 8 parallel calls) are only counted, unless
`reject_over_concurrency` answers them with 500 "Te veel gelijktijdige verzoeken" [INF].
Outside AFAS's paths (no auth): GET /_sim/stats, POST /_sim/stats/reset, GET|PATCH /_sim/config (every
setting), GET|PUT|PATCH|DELETE /_sim/faults (the fault knobs of `AfasFaults`; see simulators/fault_knobs.py).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
import json
import re
import time
from dataclasses import dataclass

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..fault_knobs import faults_route
from .config import AfasFaults, AfasSimConfig
from .connectors import GET_CONNECTORS, find_get_connector
from .errors import ERR_NO_ACCESS, ERR_UNKNOWN_CONNECTOR, AfasError, EmptyAnswer
from .faults import (
    FaultInjector,
    applies,
    empty,
    error_response,
    maintenance,
    random_500,
    transport_failure,
    unavailable,
)
from .layouts import layout
from .query import encode_page, run_get
from .state import AfasState
from .updateconnectors.definitions import OBJECTS, UPDATE_DESCRIPTIONS, find_update_connector, metainfo_update
from .updates import handle_delete, handle_write

BASE = "/profitrestservices"
MAX_QUERY = 2049
MAX_BODY = 75 * 1024 * 1024  # "one call at most 75 MB"
_TOKEN_DATA = re.compile(r"<data>\s*([^<]*?)\s*</data>", re.IGNORECASE | re.DOTALL)


@dataclass
class Call:
    """One routed AFAS call."""

    kind: str  # get, write, delete, metainfo, metainfo_get, metainfo_update, version
    op: str  # stats key, e.g. "GET Profit_Article"
    connector: str | None = None  # canonical id when known
    raw_id: str | None = None  # the id as requested
    sub: str | None = None
    delete_args: tuple[str, str, str] | None = None  # object, keys, values
    write: bool = False


def token_data(header: str | None) -> str | None:
    """The <data> of an `AfasToken <base64 XML>` header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "afastoken" or not value.strip():
        return None
    try:
        xml = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    match = _TOKEN_DATA.search(xml)
    return match.group(1) if match else None


def auth_header(data: str) -> str:
    """The Authorization header for a token's data (for tests and demos)."""
    xml = f"<token><version>1</version><data>{data}</data></token>"
    return "AfasToken " + base64.b64encode(xml.encode()).decode("ascii")


def _ip_allowed(host: str | None, allowed: list[str]) -> bool:
    if host is None:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host in allowed
    for entry in allowed:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            if host == entry:
                return True
    return False


def route(method: str, parts: list[str]) -> Call | None:
    low = [p.lower() for p in parts]
    n = len(parts)
    if n >= 2 and low[0] == "connectors":
        raw = parts[1]
        if method == "GET" and n == 2:
            conn = find_get_connector(raw)
            return Call("get", f"GET {conn.id if conn else raw}", conn.id if conn else None, raw)
        upd = find_update_connector(raw)
        name = upd or raw
        if method in ("POST", "PUT") and n == 2:
            return Call("write", f"{method} {name}", upd, raw, write=True)
        if method == "POST" and n == 3:
            return Call("write", f"POST {name}/{parts[2]}", upd, raw, sub=parts[2], write=True)
        if method == "DELETE" and n == 5 and parts[3].startswith("@"):
            return Call(
                "delete", f"DELETE {name}", upd, raw, delete_args=(parts[2], parts[3], parts[4]), write=True
            )
        return None
    if method != "GET":
        return None
    if low == ["metainfo"]:
        return Call("metainfo", "GET metainfo")
    if n == 3 and low[0] == "metainfo" and low[1] in ("get", "update"):
        if low[1] == "get":
            conn = find_get_connector(parts[2])
            return Call(
                "metainfo_get",
                f"GET metainfo/get/{conn.id if conn else parts[2]}",
                conn.id if conn else None,
                parts[2],
            )
        upd = find_update_connector(parts[2])
        return Call("metainfo_update", f"GET metainfo/update/{upd or parts[2]}", upd, parts[2])
    if low == ["profitversion"]:
        return Call("version", "GET ProfitVersion")
    return None


def _granted(config: AfasSimConfig, connector: str) -> bool:
    if config.granted_connectors is None:
        return True
    return connector.casefold() in {c.casefold() for c in config.granted_connectors}


def create_app(state: AfasState, config: AfasSimConfig | None = None) -> Starlette:
    """The stand-in app over `state`; `config` is read per request, so it may be changed while running."""
    config = config or AfasSimConfig()
    faults = FaultInjector(config)
    stats = state.stats

    async def sim_stats(_request: Request) -> Response:
        return JSONResponse(stats.snapshot())

    async def sim_stats_reset(_request: Request) -> Response:
        stats.reset()
        return JSONResponse(stats.snapshot())

    async def sim_config(request: Request) -> Response:
        if request.method == "PATCH":
            try:
                changes = json.loads(await request.body() or b"{}")
                unknown = set(changes) - set(AfasSimConfig.model_fields)
                if unknown:
                    raise ValueError(f"unknown settings: {sorted(unknown)}")
                merged = AfasSimConfig.model_validate({**config.model_dump(), **changes})
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            for name in changes:
                setattr(config, name, getattr(merged, name))
        return JSONResponse(config.model_dump())

    async def dispatch(request: Request) -> Response:
        path = request.scope["path"]
        low = path.lower()
        call: Call | None = None
        if low == BASE or low.startswith(BASE + "/"):
            parts = [p for p in path[len(BASE) :].split("/") if p]
            call = route(request.method, parts)
        if call is None or len(request.scope.get("query_string", b"")) > MAX_QUERY:
            stats.record(f"{request.method} ?", write=request.method != "GET")
            stats.record_status(404)
            return empty(404)
        in_flight = stats.enter()
        stats.record(call.op, write=call.write)
        arrived = time.perf_counter()
        try:
            response = await handle(request, call, in_flight)
            # The latency is the call's response time, our own processing included (a server that answers
            # in 50 ms), so the stand-in's CPU on a shared machine does not add to what is simulated.
            delay = (
                config.latency_s + faults.jitter(config.latency_jitter_s) - (time.perf_counter() - arrived)
            )
            if delay > 0:
                await asyncio.sleep(delay)
        except BaseException:
            stats.record_status(0)
            raise
        finally:
            stats.leave()
        stats.record_status(response.status_code)
        return response

    async def handle(request: Request, call: Call, in_flight: int) -> Response:
        if config.reject_over_concurrency and in_flight > config.max_concurrency:
            stats.record_fault("over_concurrency")
            return error_response(AfasError("Te veel gelijktijdige verzoeken.", ERR_NO_ACCESS))
        if config.maintenance:
            stats.record_fault("maintenance")
            return maintenance(config)
        data = token_data(request.headers.get("authorization"))
        if data is None or data.upper() not in {t.upper() for t in config.tokens}:
            return empty(401)
        if config.allowed_ips is not None:
            host = request.client.host if request.client else None
            if not _ip_allowed(host, config.allowed_ips):
                return empty(403)
        try:
            early = _access(call)
            if early is not None:
                return early
            if applies(config, call.connector):
                if faults.hit(config.error_503_rate):
                    stats.record_fault("503")
                    return unavailable(config.retry_after_s, "Service temporarily unavailable.")
                if faults.hit(config.error_500_rate):
                    stats.record_fault("500")
                    return random_500()
                if faults.hit(config.timeout_rate):
                    stats.record_fault("timeout")
                    return await transport_failure(config, "timeout")
                if faults.hit(config.drop_rate):
                    stats.record_fault("drop")
                    return await transport_failure(config, "drop")
            response = await process(request, call)
        except AfasError as exc:
            return error_response(exc)
        except EmptyAnswer as exc:
            return empty(exc.status)
        if call.write and response.status_code < 300:
            if faults.take_fail_after_commit(config):
                stats.record_fault("fail_after_commit")
                return await transport_failure(config, "timeout", late=response)
            if applies(config, call.connector) and faults.hit(config.commit_then_timeout_rate):
                stats.record_fault("commit_then_timeout")
                return await transport_failure(config, "timeout", late=response)
        return response

    def _access(call: Call) -> Response | None:
        """Unknown connector (500), outside the App Connector (401 / 500), fair-use block (500)."""
        if call.kind in ("get", "metainfo_get"):
            if call.connector is None:
                raise AfasError(f"GetConnector '{call.raw_id}' bestaat niet.", ERR_UNKNOWN_CONNECTOR)
            if not _granted(config, call.connector):
                return empty(401)
        elif call.kind in ("write", "delete", "metainfo_update"):
            if call.connector is None:
                raise AfasError(f"UpdateConnector '{call.raw_id}' bestaat niet.", ERR_UNKNOWN_CONNECTOR)
            if not _granted(config, call.connector):
                raise AfasError(f"Geen toegang tot connector '{call.connector}'.", ERR_NO_ACCESS)
        if (
            call.kind == "get"
            and call.connector is not None
            and call.connector.casefold() in {c.casefold() for c in config.blocked_connectors}
        ):
            raise AfasError("Deze GetConnector (definitie) is geblokkeerd.", ERR_NO_ACCESS)
        return None

    async def process(request: Request, call: Call) -> Response:
        if call.kind == "get":
            assert call.connector is not None
            conn = GET_CONNECTORS[call.connector]
            params = dict(request.query_params)

            def read() -> tuple[int, bytes]:
                skip, take, rows = run_get(state, conn, params)
                view = layout(conn, config)
                rows = view.rows(rows)
                if config.max_cells_per_call and len(rows) * len(view.view.names) > config.max_cells_per_call:
                    raise AfasError("Out of memory", ERR_NO_ACCESS)
                return len(rows), encode_page(view.view, skip, take, rows)

            count, content = await anyio.to_thread.run_sync(read)
            stats.add_rows(count)
            return Response(content, media_type="application/json; charset=utf-8")
        if call.kind == "write":
            assert call.connector is not None
            raw = await request.body()
            if len(raw) > MAX_BODY:
                raise EmptyAnswer(413)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                raise EmptyAnswer(400) from None
            conn_id = call.connector
            sub = None
            if call.sub is not None:
                root = OBJECTS[conn_id]
                sub = next((c for c in root.children if c.casefold() == call.sub.casefold()), call.sub)
            results = await anyio.to_thread.run_sync(
                lambda: handle_write(state, request.method, conn_id, sub, body)
            )
            return JSONResponse({"results": results}, status_code=201)
        if call.kind == "delete":
            assert call.connector is not None and call.delete_args is not None
            obj, keys, values = call.delete_args
            conn_id = call.connector
            await anyio.to_thread.run_sync(lambda: handle_delete(state, conn_id, obj, keys, values))
            return Response(status_code=200)
        if call.kind == "metainfo":
            return JSONResponse(
                {
                    "updateConnectors": [
                        {"id": c, "description": UPDATE_DESCRIPTIONS.get(c, c)}
                        for c in OBJECTS
                        if _granted(config, c)
                    ],
                    "getConnectors": [
                        {"id": c.id, "description": c.description}
                        for c in GET_CONNECTORS.values()
                        if _granted(config, c.id)
                    ],
                    "info": {
                        "envid": config.envid,
                        "appName": config.app_name,
                        "group": config.group,
                        "tokenExpiry": "0",
                    },
                }
            )
        if call.kind == "metainfo_get":
            assert call.connector is not None
            return JSONResponse(layout(GET_CONNECTORS[call.connector], config).view.metainfo())
        if call.kind == "metainfo_update":
            assert call.connector is not None
            return JSONResponse(metainfo_update(call.connector))
        return JSONResponse({"version": config.profit_version})

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    app = Starlette(
        routes=[
            Route("/_sim/stats", sim_stats, methods=["GET"]),
            Route("/_sim/stats/reset", sim_stats_reset, methods=["POST"]),
            Route("/_sim/config", sim_config, methods=["GET", "PATCH"]),
            faults_route(config, AfasFaults),
            Route("/{path:path}", dispatch, methods=methods),
        ]
    )
    app.state.afas_state = state
    app.state.config = config
    return app
