"""Dagster as deployed (deploy/dagster.yaml: dagster-postgres storage; the multiprocess executor because the
warehouse is PostgreSQL): a flow's steps run in processes of their own, and the AFAS pool keeps two runs of
different flows within AFAS's 8 parallel calls, their AFAS steps one after the other.

The runs are `dagster job execute` processes against `afas-mplus simulate` (real ports, every AFAS page a call
of 100 ms), each with its own dagster database and warehouse schemas."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
from benchmarks.dagster_processes import create_instance, job_command
from staging.base import Warehouse
from tests.conftest import drop_schemas
from tests.simulators.test_simulate_cli import environment, simulate

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture()
def deployment(
    tmp_path: Path, dagster_database: dict[str, str], postgres_dsn: str
) -> Iterator[dict[str, str]]:
    """DAGSTER_HOME with deploy/dagster.yaml on its own database, and warehouse schemas of this test."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    prefix = f"d{uuid.uuid4().hex[:10]}_"
    try:
        yield {
            **dagster_database,
            "DAGSTER_HOME": str(home),
            "WAREHOUSE_DSN": postgres_dsn,
            "WAREHOUSE_SCHEMA_PREFIX": prefix,
            "DATA_DIR": str(tmp_path / "data"),
        }
    finally:
        drop_schemas(postgres_dsn, prefix)


def _execute(env: dict[str, str], job: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        job_command(job),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _instance(env: dict[str, str]) -> Any:
    from dagster import DagsterInstance

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return DagsterInstance.from_config(env["DAGSTER_HOME"])
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _steps(instance: Any, run_id: str) -> dict[str, tuple[int, datetime, datetime]]:
    """step key -> (pid, started, finished) from the run's event log."""
    started: dict[str, tuple[int, float]] = {}
    out = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type_value == "STEP_START":
            started[entry.step_key] = (event.pid, entry.timestamp)
        elif event.event_type_value == "STEP_SUCCESS":
            pid, t0 = started[entry.step_key]
            out[entry.step_key] = (pid, datetime.fromtimestamp(t0), datetime.fromtimestamp(entry.timestamp))
    return out


def test_two_flows_on_dagster_postgres_run_their_steps_in_processes_and_share_the_afas_pool(
    tmp_path: Path, deployment: dict[str, str]
) -> None:
    with simulate(tmp_path, "--latency-ms", "100") as sim:
        env = {
            **environment(),
            **deployment,
            "AFAS_BASE_URL": sim.afas_url,
            "AFAS_TOKEN": DEMO_AFAS_TOKEN,
            "AFAS_PAGE_SIZE": "2",  # many pages: each run alone keeps its 8 AFAS calls in flight
            "MPLUS_BASE_URL": sim.mplus_url,
            "MPLUS_IDENT": DEMO_MPLUS_IDENT,
            "MPLUS_SECRET": DEMO_MPLUS_SECRET,
        }
        create_instance(env)
        procs = {job: _execute(env, job) for job in ("products_sync", "stock_plan")}
        outputs = {job: p.communicate(timeout=900)[0] for job, p in procs.items()}
        for job, p in procs.items():
            assert p.returncode == 0, outputs[job][-3000:]
        stats = httpx.get(f"{sim.afas_root}/_sim/stats", timeout=30).json()

    instance = _instance(deployment)
    try:
        runs = {r.job_name: r for r in instance.get_runs()}
        assert {j: runs[j].status.value for j in procs} == {j: "SUCCESS" for j in procs}
        assert runs["products_sync"].tags["afas_mplus/flow"] == "products"
        products, stock = (
            _steps(instance, runs["products_sync"].run_id),
            _steps(instance, runs["stock_plan"].run_id),
        )
        # multiprocess: the run's steps ran in processes of their own, the two extracts side by side
        pids = {pid for pid, _, _ in products.values()}
        assert len(pids) == len(products) >= 5
        a_pid, a0, a1 = products["staging__products_afas"]
        assert a_pid != products["staging__products_mplus"][0]
        # the runs overlapped, but never their AFAS steps: one pool slot per AFAS environment
        spans = [
            (min(s for _, s, _ in r.values()), max(f for _, _, f in r.values())) for r in (products, stock)
        ]
        assert max(s for s, _ in spans) < min(f for _, f in spans), "the runs did not overlap: nothing proven"
        _, s0, s1 = stock["staging__stock_afas"]
        assert s1 <= a0 or a1 <= s0, "two AFAS steps ran at once"
        info = instance.event_log_storage.get_concurrency_info("afas/127.0.0.1")
        assert info.slot_count == 1 and not info.claimed_slots
    finally:
        instance.dispose()
    peak = stats.get("peak_concurrency") or stats.get("totals", {}).get("peak_concurrency")
    assert peak is not None and 2 <= peak <= 8, stats
    with Warehouse(
        dsn=deployment["WAREHOUSE_DSN"], schema_prefix=deployment["WAREHOUSE_SCHEMA_PREFIX"]
    ) as wh:
        assert wh.scalar("select count(*) from journal.calls where flow = 'products' and status = 'ok'") > 0
        assert (
            wh.scalar("select count(*) from journal.calls where flow = 'stock'") == 0
        )  # a plan sends nothing
