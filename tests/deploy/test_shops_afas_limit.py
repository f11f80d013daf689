"""Three shops on one AFAS environment, their runs launched at once on Dagster as deployed (deploy/dagster.yaml:
dagster-postgres, the AFAS pool `afas/<environment>` with one slot, the multiprocess executor): the AFAS stand-in
never sees more than 8 calls at once, because the shops' AFAS steps take the pool's slot one after the other,
each with at most afas.concurrency (8) calls in flight. Dagster's own limit; no queue of ours."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
from benchmarks.dagster_processes import create_instance, job_command
from tests.deploy.test_dagster_on_postgres import _instance, _steps
from tests.deploy.test_dagster_on_postgres import deployment as deployment  # the fixture
from tests.simulators.test_simulate_cli import environment, simulate

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
SHOPS = ("one", "two", "three")


def test_three_shops_at_once_stay_within_eight_afas_calls(tmp_path: Path, deployment: dict[str, str]) -> None:
    shops = tmp_path / "shops"
    shops.mkdir()
    with simulate(tmp_path, "--latency-ms", "100") as sim:
        env = {
            **environment(),
            **deployment,
            "SHOPS_DIR": str(shops),
            "AFAS_PAGE_SIZE": "2",
        }  # many pages: each shop's AFAS step alone keeps 8 calls in flight
        for shop in SHOPS:
            (shops / f"{shop}.yaml").write_text(
                f"afas:\n  base_url: {sim.afas_url}\nmplus:\n  base_url: {sim.mplus_url}\n", encoding="utf-8"
            )
            key = f"SHOP_{shop.upper()}_"
            env.update(
                {
                    f"{key}AFAS_TOKEN": DEMO_AFAS_TOKEN,
                    f"{key}MPLUS_IDENT": DEMO_MPLUS_IDENT,
                    f"{key}MPLUS_SECRET": DEMO_MPLUS_SECRET,
                }
            )
        logs = {shop: tmp_path / f"{shop}-{uuid.uuid4().hex[:6]}.log" for shop in SHOPS}
        create_instance(env)
        procs = {}
        for shop in SHOPS:
            with logs[shop].open("w") as out:
                procs[shop] = subprocess.Popen(
                    job_command(f"{shop}__products_plan"),
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
        for shop, p in procs.items():
            assert p.wait(600) == 0, logs[shop].read_text(encoding="utf-8")[-3000:]
        stats = httpx.get(f"{sim.afas_root}/_sim/stats", timeout=30).json()

    instance = _instance(deployment)
    try:
        runs = {r.job_name: r for r in instance.get_runs()}
        assert {runs[f"{s}__products_plan"].tags["afas_mplus/shop"] for s in SHOPS} == set(SHOPS)
        steps = {s: _steps(instance, runs[f"{s}__products_plan"].run_id) for s in SHOPS}
        spans = [
            (min(t0 for _, t0, _ in r.values()), max(t1 for _, _, t1 in r.values())) for r in steps.values()
        ]
        assert max(s for s, _ in spans) < min(f for _, f in spans), "the runs did not overlap: nothing proven"
        afas = sorted(steps[s][f"{s}__staging__products_afas"][1:] for s in SHOPS)
        for (_, end), (start, _) in zip(afas, afas[1:], strict=False):
            assert end <= start, "two shops' AFAS steps ran at once"
    finally:
        instance.dispose()
    peak = stats.get("peak_concurrency") or stats.get("totals", {}).get("peak_concurrency")
    assert peak is not None and 4 <= peak <= 8, stats  # each step drove AFAS hard; together never above 8
