"""AFAS stand-in: maintenance, injected faults, timeouts after commit, concurrency and stats."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from simulators.afas import AfasSimConfig, AfasState, create_app
from simulators.afas.testing import BASE, client, demo_state, order_body

ARTICLES = f"{BASE}/connectors/Sync_Articles"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def state() -> AfasState:
    return demo_state(n_articles=60, n_debtors=10)


def make(state: AfasState, **knobs: Any) -> tuple[Any, AfasSimConfig]:
    config = AfasSimConfig(**knobs)
    return create_app(state, config), config


def get(app: Any, path: str = ARTICLES, **params: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.get(path, params=params or None)

    return run(go())


def post_order(app: Any, reference: str, item: str = "10001") -> httpx.Response:
    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.post(
                f"{BASE}/connectors/FbSales", json=order_body("20001", [{"ItCd": item}], reference=reference)
            )

    return run(go())


def test_maintenance_is_503_with_retry_after_and_can_be_flipped_live(state: AfasState) -> None:
    app, config = make(state, maintenance=True)
    r = get(app)
    assert r.status_code == 503
    body = r.json()
    assert set(body) == {"error", "retry_after"} and set(body["error"]) == {"code", "message"}
    assert body["retry_after"] == 7200 and r.headers["Retry-After"] == "7200"
    assert get(app, "/_sim/stats").status_code == 200  # the stand-in's own paths stay up
    config.maintenance = False
    assert get(app).status_code == 200


def test_sim_config_endpoint_changes_knobs(state: AfasState) -> None:
    app, config = make(state)

    async def go(changes: dict[str, Any]) -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://afas.test"
        ) as c:
            return await c.patch("/_sim/config", json=changes)

    assert run(go({"no_such_knob": 1})).status_code == 400
    assert run(go({"latency_s": "slow"})).status_code == 400
    assert run(go({"maintenance": True, "latency_s": 0.0})).json()["maintenance"] is True
    assert config.maintenance is True and get(app).status_code == 503


def test_random_503_and_500(state: AfasState) -> None:
    app, config = make(state, error_503_rate=1.0, retry_after_s=3)
    r = get(app)
    assert (r.status_code, r.json()["retry_after"], r.headers["Retry-After"]) == (503, 3, "3")
    config.error_503_rate, config.error_500_rate = 0.0, 1.0
    r = get(app)
    assert r.status_code == 500 and set(r.json()) == {"externalMessage", "errorNumber", "profitLogReference"}
    config.fault_connectors = ["FbSales"]  # faults only where asked for
    assert get(app).status_code == 200


def test_rates_are_seeded_and_roughly_right(state: AfasState) -> None:
    app, _ = make(state, error_500_rate=0.3, seed=7)

    async def go() -> list[int]:
        async with client(app) as c:
            return [(await c.get(ARTICLES, params={"take": 1})).status_code for _ in range(100)]

    first = run(go())
    assert 15 <= first.count(500) <= 45
    again, _ = make(state, error_500_rate=0.3, seed=7)
    assert run(_codes(again)) == first


async def _codes(app: Any) -> list[int]:
    async with client(app) as c:
        return [(await c.get(ARTICLES, params={"take": 1})).status_code for _ in range(100)]


def test_timeout_and_drop_reach_the_client_as_network_errors(state: AfasState) -> None:
    app, config = make(state, timeout_rate=1.0)
    with pytest.raises(httpx.ReadTimeout):
        post_order(app, "POS-T")
    assert state.orders == {}  # timed out before it was processed
    config.timeout_rate, config.drop_rate = 0.0, 1.0
    with pytest.raises(httpx.RemoteProtocolError):
        get(app)
    snap = state.stats.snapshot()
    assert snap["faults"] == {"timeout": 1, "drop": 1} and snap["statuses"]["0"] == 2


def test_fail_after_commit_stores_then_times_out(state: AfasState) -> None:
    app, config = make(state, fail_after_commit_next=1)
    with pytest.raises(httpx.ReadTimeout):
        post_order(app, "POS-DUP")
    assert len(state.orders_with_reference("POS-DUP")) == 1  # stored although the caller saw a timeout
    assert config.fail_after_commit_next == 0
    r = post_order(app, "POS-NEXT")
    assert r.status_code == 201
    assert len(state.orders) == 2


def test_fail_after_commit_skips_rejected_writes(state: AfasState) -> None:
    app, config = make(state, fail_after_commit_next=1)
    assert (
        post_order(app, "POS-BAD", item="00000").status_code == 500
    )  # not stored: the caller sees the error
    assert config.fail_after_commit_next == 1


def test_latency_and_peak_concurrency_with_parallel_calls(state: AfasState) -> None:
    app, config = make(state, latency_s=0.1)
    state.stats.reset()

    async def go(n: int) -> list[httpx.Response]:
        async with client(app) as c:
            return await asyncio.gather(*(c.get(ARTICLES, params={"take": 1}) for _ in range(n)))

    started = time.monotonic()
    assert all(r.status_code == 200 for r in run(go(6)))
    assert time.monotonic() - started >= 0.1
    snap = state.stats.snapshot()
    assert snap["peak_concurrency"] == 6 and snap["in_flight"] == 0
    config.reject_over_concurrency = True
    state.stats.reset()
    answers = run(go(11))
    rejected = [r for r in answers if r.status_code == 500]
    assert len(rejected) == 3
    assert rejected[0].json()["externalMessage"] == "Te veel gelijktijdige verzoeken."
    # the latency is the response time of every answer, a refusal's too: all 11 were in flight together
    assert state.stats.snapshot()["peak_concurrency"] == 11


def test_concurrency_is_counted_across_threads_and_event_loops(state: AfasState) -> None:
    app, _ = make(state, latency_s=0.2)
    state.stats.reset()
    barrier = threading.Barrier(3)

    def worker() -> None:
        barrier.wait()
        assert get(app).status_code == 200

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert state.stats.snapshot()["peak_concurrency"] == 3


def test_stats_per_operation_and_endpoint(state: AfasState) -> None:
    app, _ = make(state)
    state.stats.reset()
    get(app)
    get(app, f"{BASE}/connectors/Sync_Debtors")
    assert post_order(app, "POS-S").status_code == 201
    snap = get(app, "/_sim/stats").json()
    assert snap["calls"] == {"GET Sync_Articles": 1, "GET Sync_Debtors": 1, "POST FbSales": 1}
    assert (snap["reads"], snap["writes"], snap["total"]) == (2, 1, 3)
    assert snap["rows_served"] == len(state.articles) + len(state.debtors)
    assert state.stats.snapshot() == snap
    state.stats.reset()
    assert state.stats.snapshot()["total"] == 0


def test_uvicorn_served_hang_lets_the_client_timeout_fire(state: AfasState) -> None:
    from simulators.server import serve_in_thread

    app, _ = make(state, in_process=False, hang_s=0.6, fail_after_commit_next=1)
    server = serve_in_thread(app, "afas-test")
    try:
        with httpx.Client(base_url=server.url, timeout=0.2) as c:
            from simulators.afas import auth_header
            from simulators.afas.config import DEMO_TOKEN_DATA

            headers = {"Authorization": auth_header(DEMO_TOKEN_DATA)}
            with pytest.raises(httpx.ReadTimeout):
                c.post(
                    f"{BASE}/connectors/FbSales",
                    headers=headers,
                    json=order_body("20001", [{"ItCd": "10001"}], reference="POS-HANG"),
                )
            assert len(state.orders_with_reference("POS-HANG")) == 1
            r = c.get(ARTICLES, headers=headers, params={"take": 2})
            assert r.status_code == 200 and len(r.json()["rows"]) == 2
    finally:
        server.stop()
