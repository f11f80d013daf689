"""Fault knobs of both stand-ins: `/_sim/faults` while running, the `simulate` flags, binding, reset."""

from __future__ import annotations

import argparse
import asyncio
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.mplus.soap import encode_request
from simulators import cli
from simulators.afas import AfasSimConfig, create_app
from simulators.afas.config import AfasFaults
from simulators.afas.testing import BASE, client, demo_state
from simulators.embedded import MPLUS_FILE, Simulators, StandInOptions, listen_pair
from simulators.fault_knobs import FaultError
from simulators.mplus import MplusSimConfig, MplusState
from simulators.mplus import create_app as mplus_app
from simulators.mplus.config import MplusFaults
from simulators.mplus.testing import DEMO_IDENT, DEMO_SECRET, fault_of
from simulators.server import CannotListen

ARTICLES = f"{BASE}/connectors/Sync_Articles"


def call(app: Any, method: str, path: str, body: Any = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with client(app) as c:
            return await c.request(method, path, json=body)

    return asyncio.run(go())


def soap(app: Any, operation: str) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mplus.test"
        ) as c:
            return await c.post(
                "/",
                params={"ident": DEMO_IDENT, "secret": DEMO_SECRET},
                content=encode_request(operation, None),
            )

    return asyncio.run(go())


@pytest.fixture
def afas() -> tuple[Any, AfasSimConfig]:
    config = AfasSimConfig(latency_s=0.0, retry_after_s=9)
    return create_app(demo_state(n_articles=20, n_debtors=5), config), config


@pytest.fixture
def mplus() -> tuple[Any, MplusSimConfig]:
    config = MplusSimConfig()
    return mplus_app(MplusState.load_or_seed(None, n_articles=20, n_debtors=5), config), config


def test_afas_faults_endpoint_reads_changes_and_restores(afas: tuple[Any, AfasSimConfig]) -> None:
    app, config = afas
    knobs = call(app, "GET", "/_sim/faults").json()
    assert set(knobs) == set(AfasFaults.model_fields) and knobs["retry_after_s"] == 9
    assert "tokens" not in knobs  # access settings stay in /_sim/config

    changed = call(app, "PUT", "/_sim/faults", {"error_500_rate": 1.0}).json()
    assert changed["error_500_rate"] == 1.0 and changed["retry_after_s"] == 9  # the others keep their value
    r = call(app, "GET", ARTICLES)
    assert r.status_code == 500
    assert set(r.json()) == {"externalMessage", "errorNumber", "profitLogReference"}  # AFAS's 500 body

    call(app, "PATCH", "/_sim/faults", {"maintenance": True})
    assert call(app, "GET", ARTICLES).status_code == 503
    restored = call(app, "DELETE", "/_sim/faults").json()
    assert restored == knobs and config.error_500_rate == 0.0 and config.maintenance is False
    assert call(app, "GET", ARTICLES).status_code == 200


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"error_500_rate": 1.5}, "error_500_rate"),
        ({"timeout_rate": -0.1}, "timeout_rate"),
        ({"no_such_knob": 1, "error_500_rate": 1.0}, "no_such_knob"),
        ({"tokens": ["x"]}, "tokens"),  # not a fault knob: refused here, so no one locks themselves out
        ({"max_concurrency": 0}, "max_concurrency"),
    ],
)
def test_a_bad_change_is_400_naming_the_knob_and_changes_nothing(
    afas: tuple[Any, AfasSimConfig], body: dict[str, Any], named: str
) -> None:
    app, config = afas
    before = config.model_dump()
    r = call(app, "PUT", "/_sim/faults", body)
    assert r.status_code == 400 and r.json()["error"].startswith(f"{named}: ")
    assert config.model_dump() == before


def test_mplus_faults_endpoint_drives_the_next_call(mplus: tuple[Any, MplusSimConfig]) -> None:
    app, config = mplus

    async def go(method: str, body: Any = None) -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mplus.test"
        ) as c:
            return await c.request(method, "/_sim/faults", json=body)

    assert set(asyncio.run(go("GET")).json()) == set(MplusFaults.model_fields)
    assert soap(app, "getBranches").status_code == 200
    assert asyncio.run(go("PUT", {"server_fault_rate": 1.0})).json()["server_fault_rate"] == 1.0
    fault = fault_of(soap(app, "getBranches").content)
    assert fault.faultcode == "SOAP-ENV:Server"
    bad = asyncio.run(go("PUT", {"server_fault_rate": 0.0, "max_concurrency": "many"}))
    assert bad.status_code == 400 and "max_concurrency" in bad.json()["error"]
    assert config.server_fault_rate == 1.0  # the valid half of a bad change is not applied either
    asyncio.run(go("DELETE"))
    assert soap(app, "getBranches").status_code == 200


def test_a_new_seed_restarts_the_fault_sequence(
    mplus: tuple[Any, MplusSimConfig], afas: tuple[Any, AfasSimConfig]
) -> None:
    app, config = mplus
    config.server_fault_rate = 0.5

    def pattern() -> list[int]:
        return [soap(app, "getBranches").status_code for _ in range(12)]

    config.seed = 7
    first = pattern()
    config.seed = 8
    other = pattern()
    config.seed = 7
    assert pattern() == first and 200 in first and 500 in first and other != first

    afas_app, afas_config = afas
    afas_config.error_500_rate = 0.5
    afas_config.seed = 3
    one = [call(afas_app, "GET", ARTICLES, None).status_code for _ in range(12)]
    afas_config.seed = 4
    call(afas_app, "GET", ARTICLES)
    afas_config.seed = 3
    assert [call(afas_app, "GET", ARTICLES).status_code for _ in range(12)] == one and 500 in one


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_every_fault_knob_has_a_flag() -> None:
    args = parse(
        "--latency-ms",
        "50",
        "--fault-seed",
        "5",
        "--hang-s",
        "3",
        "--afas-jitter-ms",
        "10",
        *[a for kind in cli.AFAS_RATES for a in ("--afas-fault-rate", f"{kind}=0.1")],
        *[a for kind in cli.MPLUS_RATES for a in ("--mplus-fault-rate", f"{kind}=0.2")],
        "--afas-maintenance",
        "--afas-retry-after",
        "2",
        "--afas-maintenance-retry-after",
        "60",
        "--afas-fail-after-commit",
        "1",
        "--afas-fault-connector",
        "FbSales",
        "--afas-block-connector",
        "Sync_Stock",
        "--afas-max-cells",
        "1000",
        "--afas-max-concurrency",
        "4",
        "--afas-reject-over-concurrency",
        "--mplus-fail-after-commit",
        "2",
        "--mplus-max-concurrency",
        "3",
    )
    changes = cli.fault_changes(args)
    afas, _ = changes["AFAS Profit"]
    mplus, _ = changes["MplusKASSA"]
    assert set(afas) == set(AfasFaults.model_fields)
    assert set(mplus) == set(MplusFaults.model_fields)
    cli.check_faults(changes)
    defaults = AfasFaults().model_dump()
    assert all(afas[k] != defaults[k] for k in afas), (
        "a flag set a knob to its default: the test proves nothing"
    )
    assert afas["latency_s"] == mplus["latency_s"] == 0.05 and afas["fault_connectors"] == ["FbSales"]


def test_per_stand_in_latency_overrides_the_shared_one() -> None:
    changes = cli.fault_changes(parse("--latency-ms", "50", "--mplus-latency-ms", "5"))
    assert changes["AFAS Profit"][0]["latency_s"] == 0.05 and changes["MplusKASSA"][0]["latency_s"] == 0.005
    assert cli.fault_changes(parse())["AFAS Profit"][0] == {}  # no flags: the stand-ins' own defaults


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--afas-fault-rate", "500"), "--afas-fault-rate expects KIND=RATE"),
        (("--afas-fault-rate", "418=0.1"), "--afas-fault-rate: unknown kind '418'; one of 500, 503"),
        (("--mplus-fault-rate", "server=0,5"), "--mplus-fault-rate server: '0,5' is not a number"),
        (("--afas-fault-rate", "500=1.5"), "--afas-fault-rate 500: Input should be less than or equal to 1"),
        (
            ("--mplus-max-concurrency", "0"),
            "--mplus-max-concurrency: Input should be greater than or equal to 1",
        ),
    ],
)
def test_a_bad_flag_is_one_line_naming_the_flag(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(FaultError) as err:
        cli.check_faults(cli.fault_changes(parse(*argv)))
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_flags_reach_the_served_configs(tmp_path: Path) -> None:
    options = StandInOptions(data_dir=tmp_path, articles=10, debtors=3, latency_ms=20)
    sims = Simulators.load(options, persist=False)
    assert sims.afas_config.latency_s == sims.mplus_config.latency_s == 0.02  # the settings' latency
    args = parse("--afas-fault-rate", "500=1.0", "--mplus-latency-ms", "0")
    changes = cli.fault_changes(args)
    from simulators.fault_knobs import apply

    apply(sims.afas_config, AfasFaults, changes["AFAS Profit"][0])
    apply(sims.mplus_config, MplusFaults, changes["MplusKASSA"][0])
    afas_app, _ = sims.apps()
    r = call(afas_app, "GET", ARTICLES)
    assert r.status_code == 500 and "onverwachte fout" in r.json()["externalMessage"]
    assert sims.afas_config.latency_s == 0.02 and sims.mplus_config.latency_s == 0.0


def test_listen_pair_names_the_busy_port_and_leaves_the_other_free() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        with pytest.raises(CannotListen) as err:
            listen_pair("127.0.0.1", free, port)
        assert err.value.in_use and err.value.port == port and f"port {port}" in str(err.value)
        with socket.socket() as again:  # the AFAS port bound first was released
            again.bind(("127.0.0.1", free))


def test_reset_seeds_afresh_and_overwrites_the_saved_state(tmp_path: Path) -> None:
    small = StandInOptions(data_dir=tmp_path, articles=10, debtors=3)
    sims = Simulators.load(small)
    sims.mplus_state.relations.clear()
    sims.save()
    assert Simulators.load(small).mplus_state.relations == {}  # kept between runs
    fresh = Simulators.load(small, reset=True)
    assert fresh.mplus_state.relations and MplusState.load(tmp_path / "simulators" / MPLUS_FILE).relations
