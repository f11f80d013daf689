"""Scheduled syncs: on where real endpoints are configured, off on the demo; a tick that finds the warehouse busy
is skipped with the holder named, and runs again once it is free."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import DefaultScheduleStatus, RunRequest, build_schedule_context

from afas_mplus.settings import Settings
from dagster_project.definitions import defs
from dagster_project.schedules import schedule_status


def test_schedules_start_on_with_real_endpoints_and_off_on_the_demo() -> None:
    assert schedule_status(Settings()) is DefaultScheduleStatus.STOPPED
    real = Settings(
        afas={"base_url": "https://12345.rest.afas.online/ProfitRestServices"},
        mplus={"base_url": "https://api.mpluskassa.nl:34567"},
    )
    assert schedule_status(real) is DefaultScheduleStatus.RUNNING
    assert schedule_status(Settings(schedules={"running": True})) is DefaultScheduleStatus.RUNNING
    assert (
        schedule_status(
            real.model_copy(update={"schedules": real.schedules.model_copy(update={"running": False})})
        )
        is DefaultScheduleStatus.STOPPED
    )
    # this process runs on the demo: the definitions' schedules are off
    assert {s.default_status for s in defs.schedules} == {DefaultScheduleStatus.STOPPED}


def test_a_tick_that_finds_the_warehouse_busy_is_skipped_with_the_holder_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AFAS_MPLUS_CONFIG", raising=False)
    schedule = next(s for s in defs.schedules if s.name == "products_schedule")
    owner = Settings(data_dir=tmp_path).staging_path.with_name("warehouse.duckdb.owner.json")

    def tick() -> object:
        with build_schedule_context() as context:
            result = schedule.evaluate_tick(context)
        return (result.skip_message, result.run_requests)

    skip, requests = tick()
    assert skip is None and len(requests) == 1 and isinstance(requests[0], RunRequest)

    owner.write_text(
        json.dumps({"pid": os.getpid(), "holder": "afas-mplus sync products", "since": "2026-11-01"})
    )
    skip, requests = tick()
    assert not requests
    assert f"PID {os.getpid()} (afas-mplus sync products" in skip and "next tick" in skip

    # a holder that was killed (its PID gone) does not block the schedule
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    owner.write_text(json.dumps({"pid": int(dead.stdout), "holder": "afas-mplus sync"}))
    skip, requests = tick()
    assert skip is None and len(requests) == 1
