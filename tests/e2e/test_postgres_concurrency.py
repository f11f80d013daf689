"""On PostgreSQL there is no single-writer file: different flows run at the same time in different processes,
and one flow is still run by one process at a time (the second is told who holds it, or waits with --wait).

Both processes talk to one `afas-mplus simulate` (real ports, 150 ms per call, so the runs overlap) and share
the test's warehouse schemas and data directory, as two terminals or two Dagster workers would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from afas_mplus.errors import ExitCode
from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
from staging.base import Warehouse
from tests.simulators.test_simulate_cli import Simulate, environment, simulate

pytestmark = pytest.mark.warehouse("postgres")


def _env(sim: Simulate, warehouse_settings: dict[str, Any]) -> dict[str, str]:
    env = environment()
    env.update(
        AFAS_BASE_URL=sim.afas_url,
        AFAS_TOKEN=DEMO_AFAS_TOKEN,
        MPLUS_BASE_URL=sim.mplus_url,
        MPLUS_IDENT=DEMO_MPLUS_IDENT,
        MPLUS_SECRET=DEMO_MPLUS_SECRET,
        **{k.upper(): str(v) for k, v in warehouse_settings.items()},
    )
    return env


def _sync(data: Path, env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "afas_mplus.cli", "--data-dir", str(data), "sync", *argv, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _results(proc: subprocess.Popen[str]) -> tuple[int, list[dict[str, Any]], str]:
    out, err = proc.communicate(timeout=600)
    return proc.returncode, [json.loads(line) for line in out.splitlines() if line.startswith("{")], err


def _run_spans(warehouse_settings: dict[str, Any]) -> list[tuple[datetime, datetime]]:
    with Warehouse(
        dsn=warehouse_settings["warehouse_dsn"], schema_prefix=warehouse_settings["warehouse_schema_prefix"]
    ) as wh:
        rows = wh.query(
            "select run_id, min(started_at) as s, max(finished_at) as f from journal.runs "
            "group by run_id order by s"
        )
    return [(r["s"], r["f"]) for r in rows]


def test_two_flows_run_at_once_in_two_processes(tmp_path: Path, warehouse_settings: dict[str, Any]) -> None:
    with simulate(tmp_path, "--latency-ms", "150") as sim:
        env = _env(sim, warehouse_settings)
        for round_ in ("first", "second"):
            procs = [_sync(tmp_path / "sync", env, "products"), _sync(tmp_path / "sync", env, "customers")]
            outcomes = [_results(p) for p in procs]
            for code, results, err in outcomes:
                assert code == ExitCode.OK, err
                assert [r["status"] for r in results] == ["ok"], results
            writes = [results[0]["write_calls"] for _, results, _ in outcomes]
            if round_ == "first":
                assert all(w > 0 for w in writes), writes  # both pushed: products created, relations created
                (s1, f1), (s2, f2) = _run_spans(warehouse_settings)
                assert s2 < f1, "the two runs did not overlap: the test proves nothing"
            else:
                assert writes == [0, 0]  # each saw what both wrote: nothing left to send


def _holding(warehouse_settings: dict[str, Any], holder: str, proc: subprocess.Popen[str]) -> None:
    """Wait until a process named `holder` holds one of this installation's flow locks."""
    import psycopg2

    deadline = time.monotonic() + 120
    conn = psycopg2.connect(warehouse_settings["warehouse_dsn"])
    try:
        while True:
            with conn.cursor() as cur:
                cur.execute(
                    "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                    "where l.locktype = 'advisory' and l.granted and a.application_name like %s",
                    [f"{holder} [pid {proc.pid}]"],
                )
                if cur.fetchone()[0]:
                    return
            conn.commit()
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the first sync never took its flow"
            time.sleep(0.1)
    finally:
        conn.close()


def test_one_flow_is_run_by_one_process_at_a_time(tmp_path: Path, warehouse_settings: dict[str, Any]) -> None:
    with simulate(tmp_path, "--latency-ms", "150") as sim:
        env = _env(sim, warehouse_settings)
        first = _sync(tmp_path / "sync", env, "products")
        try:
            _holding(warehouse_settings, "afas-mplus sync products", first)
            t0 = time.monotonic()
            code, results, err = _results(_sync(tmp_path / "sync", env, "products"))
            assert time.monotonic() - t0 < 60
            assert code == ExitCode.CONFIG
            [refused] = results
            assert refused["status"] == "failed" and refused["write_calls"] == 0
            assert (
                f"the products flow is in use by afas-mplus sync products [pid {first.pid}]"
                in refused["error"]
            )
            assert "--wait" in refused["error"] and "Traceback" not in err
            waiting = _sync(tmp_path / "sync", env, "products", "--wait", "300")
            code, results, err = _results(waiting)
        finally:
            first_code, first_results, first_err = _results(first)
        assert first_code == ExitCode.OK, first_err
        assert first_results[0]["write_calls"] > 0
        assert code == ExitCode.OK, err
        assert results[0]["write_calls"] == 0  # it ran after the first one and saw everything it wrote
        assert (
            os.path.isdir(tmp_path / "sync" / "dlt") and not (tmp_path / "sync" / "warehouse.duckdb").exists()
        )
