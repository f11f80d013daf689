"""Two processes on one data directory: the second is told who holds the warehouse and exits at once (or waits
with --wait); it never hangs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from afas_mplus.errors import ExitCode

pytestmark = pytest.mark.e2e  # real processes or whole flows


def _cli(data: Path, *argv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SIMULATOR_LATENCY_MS": "20"}  # long enough that the first run still holds the file
    return subprocess.Popen(
        [sys.executable, "-m", "afas_mplus.cli", "--data-dir", str(data), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for_owner(data: Path, first: subprocess.Popen[str]) -> None:
    owner = data / "warehouse.duckdb.owner.json"
    deadline = time.monotonic() + 60
    while not owner.exists():
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the first sync never opened the warehouse"
        time.sleep(0.1)


def test_a_second_sync_exits_within_seconds_naming_the_holder(tmp_path: Path) -> None:
    first = _cli(tmp_path, "sync", "products", "-q")
    try:
        _wait_for_owner(tmp_path, first)
        t0 = time.monotonic()
        second = _cli(tmp_path, "sync", "products")
        _, err = second.communicate(timeout=30)
        assert time.monotonic() - t0 < 30
        assert second.returncode == ExitCode.CONFIG
        assert f"PID {first.pid}" in err and "afas-mplus sync products" in err and "--wait" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    finally:
        first.wait(timeout=300)
    assert first.returncode == ExitCode.OK


def test_with_wait_the_second_sync_runs_once_the_first_is_done(tmp_path: Path) -> None:
    first = _cli(tmp_path, "sync", "products", "-q")
    _wait_for_owner(tmp_path, first)
    second = _cli(tmp_path, "sync", "products", "--wait", "300", "--json")
    out, err = second.communicate(timeout=320)
    assert first.wait(timeout=10) == ExitCode.OK
    assert second.returncode == ExitCode.OK, err
    assert '"write_calls": 0' in out  # it saw everything the first one wrote
