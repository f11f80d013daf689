"""One bound of at most 8 AFAS calls per environment, shared by every client and reader in the process,
whatever thread or event loop they run in."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from afas_mplus.aio import Portal
from connectors.afas import MAX_CONCURRENCY, AfasClient
from connectors.shared_bound import SharedBound, environment_bound
from pipelines.afas.helpers import AfasReader

TOKEN = "ef" * 32


class CountingAfas:
    """A GetConnector answering from any thread's loop; counts requests in flight across all of them."""

    def __init__(self, n_rows: int) -> None:
        self.rows = [{"ItemCode": f"A{i:05d}"} for i in range(n_rows)]
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.calls = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.in_flight += 1
            self.calls += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.003)
            skip, take = int(request.url.params["skip"]), int(request.url.params["take"])
            return httpx.Response(
                200, json={"skip": skip, "take": take, "rows": self.rows[skip : skip + take]}
            )
        finally:
            with self._lock:
                self.in_flight -= 1

    def client(self, base: str, token: str = TOKEN) -> AfasClient:
        return AfasClient(base, token, page_size=10, transport=httpx.MockTransport(self))


def run_threads(targets: list[Callable[[], Any]]) -> list[Any]:
    results: list[Any] = [None] * len(targets)
    errors: list[BaseException] = []

    def wrap(i: int, target: Callable[[], Any]) -> None:
        try:
            results[i] = target()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_clients_and_readers_on_different_threads_never_exceed_the_bound() -> None:
    base = "https://55501.rest.afas.online/ProfitRestServices"
    fake = CountingAfas(600)

    def client_in_own_loop() -> int:
        async def go() -> int:
            async with fake.client(base) as client:
                return len(await client.get_all("Sync_Articles", order_by=["ItemCode"]))

        return asyncio.run(go())

    def reader_in_own_portal() -> int:
        # As the dlt resources read: a sync reader over a client living in a portal thread's loop.
        with Portal() as portal:
            client = fake.client(base.upper().replace("HTTPS", "https"))  # same environment, other spelling
            try:
                reader = AfasReader(client, portal)
                return sum(len(page) for page in reader.pages("Sync_Articles", order_by=["ItemCode"]))
            finally:
                portal.call(client.aclose)

    counts = run_threads([client_in_own_loop, client_in_own_loop, reader_in_own_portal, reader_in_own_portal])
    assert counts == [600] * 4
    # Each client alone may have 8 in flight; together they still never have more than 8.
    assert fake.peak == MAX_CONCURRENCY
    assert environment_bound(("afas", base.lower(), _digest(TOKEN)), MAX_CONCURRENCY).in_use == 0


def test_environments_are_told_apart_by_url_and_token() -> None:
    base = "https://55502.rest.afas.online/ProfitRestServices"
    xml = f"<token><version>1</version><data>{TOKEN}</data></token>"
    same = [
        AfasClient(base, TOKEN),
        AfasClient(base.replace("ProfitRestServices", "profitrestservices"), xml),
    ]
    other_token = AfasClient(base, "12" * 32)
    other_env = AfasClient("https://55503.rest.afas.online/ProfitRestServices", TOKEN)
    assert same[0].environment is same[1].environment
    assert other_token.environment is not same[0].environment
    assert other_env.environment is not same[0].environment
    assert same[0].environment.limit == MAX_CONCURRENCY
    for client in [*same, other_token, other_env]:
        asyncio.run(client.aclose())


def test_shared_bound_holds_across_threads_and_loops() -> None:
    bound = SharedBound(3)
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    async def work() -> None:
        async with bound:
            with lock:
                state["now"] += 1
                state["max"] = max(state["max"], state["now"])
            await asyncio.sleep(0.001)
            with lock:
                state["now"] -= 1

    def thread() -> None:
        async def go() -> None:
            await asyncio.gather(*(work() for _ in range(40)))

        asyncio.run(go())

    run_threads([thread] * 4)
    assert state["max"] == 3 and bound.peak == 3 and bound.in_use == 0


def test_a_cancelled_waiter_neither_loses_nor_leaks_a_slot() -> None:
    async def go() -> tuple[int, int]:
        bound = SharedBound(1)
        await bound.acquire()
        waiter = asyncio.ensure_future(bound.acquire())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        # Granted and cancelled in the same step: the slot is passed on, not lost.
        second = asyncio.ensure_future(bound.acquire())
        third = asyncio.ensure_future(bound.acquire())
        await asyncio.sleep(0)
        bound.release()  # hands the slot to `second`
        second.cancel()  # ... whose task is cancelled before it ran
        with pytest.raises(asyncio.CancelledError):
            await second
        await asyncio.wait_for(third, timeout=1)  # so `third` got it
        held = bound.in_use
        bound.release()
        return held, bound.in_use

    assert asyncio.run(go()) == (1, 0)


def test_release_without_acquire_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="released more often"):
        SharedBound(2).release()


def _digest(token: str) -> str:
    import hashlib

    from connectors.afas.auth import AfasToken

    return hashlib.sha256(AfasToken(token).header.reveal().encode()).hexdigest()
