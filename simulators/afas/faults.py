"""Fault injection and the answers AFAS gives when things go wrong.

How a timeout or dropped connection reaches the caller: served in-process through httpx.ASGITransport,
the app raises httpx.ReadTimeout / httpx.RemoteProtocolError, which propagate to the client exactly like
network errors (keep the transport's default raise_app_exceptions=True). Served by uvicorn
(`config.in_process=False`) it sleeps `hang_s` before answering, so the client's own timeout fires; a
write that was stored then still gets its real answer, late.
"""

from __future__ import annotations

import asyncio
import random
import threading

import httpx
from starlette.responses import JSONResponse, Response

from .config import AfasSimConfig
from .errors import ERR_GENERIC, AfasError


class FaultInjector:
    """The RNG behind the fault rates, seeded from `config.seed`; shared by every request of one app, so
    guarded by a lock. A new seed (set live through /_sim/faults) restarts the sequence at the next draw."""

    def __init__(self, config: AfasSimConfig) -> None:
        self._config = config
        self._seed = config.seed
        self._rng = random.Random(config.seed)
        self._lock = threading.Lock()
        self._one_shot = threading.Lock()

    def _draw(self) -> float:
        with self._lock:
            if self._config.seed != self._seed:
                self._seed = self._config.seed
                self._rng = random.Random(self._seed)
            return self._rng.random()

    def hit(self, rate: float) -> bool:
        if rate <= 0:
            return False
        return self._draw() < rate

    def jitter(self, spread: float) -> float:
        if spread <= 0:
            return 0.0
        return self._draw() * spread

    def take_fail_after_commit(self, config: AfasSimConfig) -> bool:
        """Consume one of the `fail_after_commit_next` one-shots (thread-safe)."""
        with self._one_shot:
            if config.fail_after_commit_next > 0:
                config.fail_after_commit_next -= 1
                return True
            return False


def applies(config: AfasSimConfig, connector: str | None) -> bool:
    if config.fault_connectors is None:
        return True
    wanted = {c.casefold() for c in config.fault_connectors}
    return connector is not None and connector.casefold() in wanted


def empty(status: int) -> Response:
    """401/403/404/400: AFAS answers with an empty body."""
    return Response(status_code=status)


def error_response(error: AfasError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def unavailable(retry_after: int, message: str) -> JSONResponse:
    body = {"error": {"code": "503", "message": message}, "retry_after": retry_after}
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(retry_after)})


def maintenance(config: AfasSimConfig) -> JSONResponse:
    return unavailable(
        config.maintenance_retry_after_s,
        "Service temporarily unavailable due to scheduled maintenance. "
        "Please check afasstatus.nl for details.",
    )


def random_500() -> JSONResponse:
    return error_response(
        AfasError("Er is een onverwachte fout opgetreden. (stand-in: injected error)", ERR_GENERIC)
    )


async def transport_failure(config: AfasSimConfig, kind: str, late: Response | None = None) -> Response:
    """A timeout ("timeout") or dropped connection ("drop") as the caller experiences it."""
    if config.in_process:
        if kind == "drop":
            raise httpx.RemoteProtocolError("AFAS stand-in: server disconnected without sending a response")
        raise httpx.ReadTimeout("AFAS stand-in: simulated read timeout")
    await asyncio.sleep(config.hang_s)
    if late is not None:
        return late
    return error_response(AfasError("De aanvraag is afgebroken wegens een time-out.", ERR_GENERIC))
