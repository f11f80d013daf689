"""Two shops in one deployment, as deployed: a Dagster instance on dagster-postgres (deploy/dagster.yaml), the
Celery executor and two local Celery workers (RabbitMQ on 127.0.0.1:5672), each shop its own AFAS and MplusKASSA
stand-in (`afas-mplus simulate` processes) and its own warehouse schemas.

Both shops' customers runs go green and write their changes; run again they write nothing (converged). Then the
second shop's AFAS fails every call: its run fails, and the first shop's run beside it stays green."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
from benchmarks.dagster_processes import create_instance, job_command, rabbitmq_missing, start_workers, stop
from dagster_project.deployment import LOCAL_BROKER
from staging.base import Warehouse
from tests.conftest import drop_schemas
from tests.simulators.test_simulate_cli import environment, simulate

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SHOPS = ("alpha", "beta")
RUN_TIMEOUT_S = 300


@pytest.fixture()
def celery_env(
    tmp_path: Path, dagster_database: dict[str, str], postgres_dsn: str
) -> Iterator[dict[str, str]]:
    reason = rabbitmq_missing()
    if reason:
        pytest.skip(reason)
    pytest.importorskip("dagster_celery", reason="dagster-celery is not installed (the [scale] extra)")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    prefix = f"c{uuid.uuid4().hex[:8]}_"
    queue = f"afas_mplus_test_{uuid.uuid4().hex[:8]}"  # steps of this test go to its own workers only
    try:
        yield {
            **environment(),
            **dagster_database,
            "DAGSTER_HOME": str(home),
            "WAREHOUSE_DSN": postgres_dsn,
            "WAREHOUSE_SCHEMA_PREFIX": prefix,
            "DATA_DIR": str(tmp_path / "data"),
            "SHOPS_DIR": str(tmp_path / "shops"),
            "AFAS_MPLUS_DAGSTER_EXECUTOR": "celery",
            "DAGSTER_CELERY_BROKER_URL": LOCAL_BROKER,
            "AFAS_MPLUS_CELERY_QUEUE": queue,
        }
    finally:
        drop_schemas(postgres_dsn, prefix)


def _workers(tmp_path: Path, env: dict[str, str], stack: ExitStack) -> list[Path]:
    create_instance(env)
    return [log for _, log in start_workers(tmp_path, env, stack)]


def _run_both(tmp_path: Path, env: dict[str, str], job: str, logs: list[Path]) -> dict[str, tuple[int, str]]:
    """Both shops' `job` at once, each a `dagster job execute` process; (exit code, output) per shop."""
    outputs = {shop: tmp_path / f"{shop}-{uuid.uuid4().hex[:6]}.log" for shop in SHOPS}
    procs = {}
    for shop in SHOPS:
        with outputs[shop].open("w") as out:
            procs[shop] = subprocess.Popen(
                job_command(f"{shop}__{job}"),
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
    try:
        codes = {shop: p.wait(RUN_TIMEOUT_S) for shop, p in procs.items()}
    except subprocess.TimeoutExpired:
        for p in procs.values():
            stop(p)
        workers = "\n".join(log.read_text(encoding="utf-8")[-2000:] for log in logs)
        raise AssertionError(f"runs did not finish in {RUN_TIMEOUT_S} s; workers: {workers}") from None
    return {shop: (codes[shop], outputs[shop].read_text(encoding="utf-8")) for shop in SHOPS}


def _writes(env: dict[str, str], shop: str) -> int:
    with Warehouse(dsn=env["WAREHOUSE_DSN"], schema_prefix=f"{env['WAREHOUSE_SCHEMA_PREFIX']}{shop}_") as wh:
        return int(wh.scalar("select count(*) from journal.calls where flow = 'customers' and status = 'ok'"))


def test_two_shops_on_celery_workers_converge_and_one_shops_fault_leaves_the_other_green(
    tmp_path: Path, celery_env: dict[str, str]
) -> None:
    env = dict(celery_env)
    shops = Path(env["SHOPS_DIR"])
    shops.mkdir()
    with ExitStack() as stack:
        sims = {}
        for n, shop in enumerate(SHOPS):
            (tmp_path / shop).mkdir()
            sim = stack.enter_context(simulate(tmp_path / shop, "--fault-seed", str(n + 1)))
            sims[shop] = sim
            (shops / f"{shop}.yaml").write_text(
                f"afas:\n  base_url: {sim.afas_url}\n  retries: 0\nmplus:\n  base_url: {sim.mplus_url}\n",
                encoding="utf-8",
            )
            key = f"SHOP_{shop.upper()}_"
            env.update(
                {
                    f"{key}AFAS_TOKEN": DEMO_AFAS_TOKEN,
                    f"{key}MPLUS_IDENT": DEMO_MPLUS_IDENT,
                    f"{key}MPLUS_SECRET": DEMO_MPLUS_SECRET,
                }
            )
        logs = _workers(tmp_path, env, stack)

        first = _run_both(tmp_path, env, "customers_sync", logs)
        for shop, (code, output) in first.items():
            assert code == 0, f"{shop}: {output[-3000:]}"
        written = {shop: _writes(env, shop) for shop in SHOPS}
        assert all(n > 0 for n in written.values()), written

        fault = httpx.put(f"{sims['beta'].afas_root}/_sim/faults", json={"error_500_rate": 1.0}, timeout=30)
        assert fault.status_code == 200, fault.text
        second = _run_both(tmp_path, env, "customers_sync", logs)
        assert second["alpha"][0] == 0, second["alpha"][1][-3000:]
        assert second["beta"][0] != 0, "the AFAS fault did not fail beta's run: nothing proven"
        assert "beta__staging__customers_afas" in second["beta"][1] and "injected error" in second["beta"][1]
        assert _writes(env, "alpha") == written["alpha"]  # converged: the second run wrote nothing
        worker_logs = "".join(log.read_text(encoding="utf-8") for log in logs)

    # every step ran on the Celery workers, and both workers took steps
    received = [line for line in worker_logs.splitlines() if "execute_plan" in line and "received" in line]
    assert len(received) >= 2 * 2 * 5, worker_logs[-3000:]
    per_worker = [
        sum("execute_plan" in ln and "received" in ln for ln in log.read_text(encoding="utf-8").splitlines())
        for log in logs
    ]
    assert all(n > 0 for n in per_worker), per_worker
