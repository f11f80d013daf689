"""MplusKASSA stand-in: injected failures, fail-after-commit, concurrency tracking and limit."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from connectors.mplus.soap import encode_request
from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import DEMO_IDENT, DEMO_SECRET, drive, optional_schema

SCHEMA = optional_schema()


@pytest.fixture
def state():
    return MplusState.from_catalog(build_catalog())


def test_fail_after_commit_applies_the_write_then_times_out(state):
    config = MplusSimConfig(fail_after_commit_next=1)
    app = create_app(state, config)

    async def scenario(mp):
        with pytest.raises(httpx.ReadTimeout):
            await mp.call("createRelation", {"relation": {"name": "Opgeslagen", "email": "stored@x.nl"}})
        found = await mp.call("findRelation", {"relation": {"email": "stored@x.nl"}})
        assert found["result"] == "FIND-RELATION-RESULT-OK"  # stored although the caller never heard back
        assert config.fail_after_commit_next == 0
        # Reads do not use up the knob; an idempotent retry recovers the lost answer.
        config.fail_after_commit_next = 1
        await mp.call("getBranches")
        request = {
            "idempotencyKey": "k1",
            "order": {
                "orderId": "",
                "extOrderId": "WEB-9",
                "lineList": {"line": [{"articleNumber": 1, "data": {"quantity": 1, "price": 100}}]},
            },
        }
        with pytest.raises(httpx.ReadTimeout):
            await mp.call("createOrderV3", request)
        replay = await mp.call("createOrderV3", request)
        assert replay["idempotencyResult"] == "IDEMPOTENCY-RESULT-REPLAY-RESPONSE"
        assert replay["result"] == "CREATE-ORDER-RESULT-OK"

    drive(app, scenario, SCHEMA)
    assert state.stats.snapshot()["faults"]["fail_after_commit"] == 2


def test_injected_failures_apply_nothing(state):
    config = MplusSimConfig()
    app = create_app(state, config)
    relations = len(state.relations)
    create = {"relation": {"name": "Nooit"}}

    async def scenario(mp):
        config.server_fault_rate = 1.0
        fault = await mp.fault("createRelation", create)
        assert fault.faultcode == "SOAP-ENV:Server" and not fault.is_client
        config.server_fault_rate, config.error_503_rate = 0.0, 1.0
        assert (await mp.raw("createRelation", create)).status_code == 503
        config.error_503_rate, config.timeout_rate = 0.0, 1.0
        with pytest.raises(httpx.ReadTimeout):
            await mp.call("createRelation", create)
        config.timeout_rate, config.drop_rate = 0.0, 1.0
        with pytest.raises(httpx.RemoteProtocolError):
            await mp.call("createRelation", create)
        config.drop_rate = 0.0
        assert len(state.relations) == relations

    drive(app, scenario, SCHEMA)
    assert state.stats.snapshot()["faults"] == {"503": 1, "drop": 1, "server": 1, "timeout": 1}


def test_fault_rates_are_reproducible_from_the_seed(state):
    def outcomes(seed):
        config = MplusSimConfig(seed=seed, server_fault_rate=0.5)
        app = create_app(MplusState.from_catalog(build_catalog()), config)

        async def scenario(mp):
            return [(await mp.raw("getBranches", None)).status_code for _ in range(20)]

        return drive(app, scenario)

    first = outcomes(7)
    assert first == outcomes(7) and set(first) == {200, 500}


def test_peak_concurrency_and_limit(state):
    config = MplusSimConfig(latency_s=0.05)
    app = create_app(state, config)

    async def burst(mp, n):
        return await asyncio.gather(*(mp.raw("getBranches", None) for _ in range(n)))

    responses = drive(app, lambda mp: burst(mp, 5), SCHEMA)
    assert [r.status_code for r in responses] == [200] * 5
    assert state.stats.snapshot()["peak_concurrency"] == 5

    state.stats.reset()
    config.max_concurrency = 2
    responses = drive(app, lambda mp: burst(mp, 5), SCHEMA)
    assert sorted(r.status_code for r in responses) == [200, 200, 500, 500, 500]
    assert b"Too many concurrent requests" in next(r.content for r in responses if r.status_code == 500)
    assert state.stats.snapshot()["faults"] == {"rate_limit": 3}


def test_stats_are_thread_safe_across_event_loops(state):
    app = create_app(state, MplusSimConfig(latency_s=0.02))

    def worker():
        drive(app, lambda mp: asyncio.gather(*(mp.call("getVatGroupList") for _ in range(10))))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    snap = state.stats.snapshot()
    assert snap["calls"] == {"getVatGroupList": 30} and snap["in_flight"] == 0
    assert snap["peak_concurrency"] >= 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_by_uvicorn_a_timeout_hangs_until_the_client_gives_up(state):
    config = MplusSimConfig(in_process=False, hang_s=0.6, timeout_rate=1.0)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(state, config), host="127.0.0.1", port=port, log_level="error", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url).status_code == 405
        params = {"ident": DEMO_IDENT, "secret": DEMO_SECRET}
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(url, params=params, content=encode_request("getBranches", None), timeout=0.2)
        config.timeout_rate = 0.0
        assert httpx.post(url, params=params, content=encode_request("getBranches", None)).status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=5)
