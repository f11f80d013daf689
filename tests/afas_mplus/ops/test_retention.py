"""GDPR retention: once the retention has passed, a debtor deleted in AFAS leaves no trace anywhere under the data
directory: staging, models, plans, the journal, the DuckDB file's free blocks, Dagster's run and event storage and
compute logs, dlt's load packages, and the till (its relation anonymised)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from dagster import AssetSelection, materialize

from afas_mplus.cli import main
from afas_mplus.config import load_settings
from afas_mplus.errors import ExitCode
from afas_mplus.retention import purge_everything
from afas_mplus.runtime import load_simulators
from dagster_project.assets.checks import ALL_CHECKS
from dagster_project.assets.flows import ALL_ASSETS
from dagster_project.report import open_instance
from dagster_project.resources import SyncRuntime
from staging.warehouse import Warehouse


def _files_holding(root: Path, needle: bytes) -> list[str]:
    found = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            data = path.read_bytes()
            if needle in data or needle in data.lower():
                found.append(str(path.relative_to(root)))
    return sorted(found)


def _delete_debtor_in_afas(data: Path, settings, debtor_id: str) -> None:  # noqa: ANN001
    sims = load_simulators(settings)
    state = sims.afas_state
    debtor = state.debtors.pop(debtor_id)
    state.debtors_by_bc.get(debtor.bc_co, set()).discard(debtor_id)
    state.orgpers.pop(debtor.bc_co, None)
    sims.save()


def test_a_deleted_debtor_leaves_no_trace_once_the_retention_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    data = tmp_path / "data"
    config = tmp_path / "afas-mplus.yaml"
    config.write_text(
        yaml.safe_dump(
            {"customers": {"deleted_debtors": "anonymise"}, "afas": {"key_sweep_every_minutes": 0}}
        )
    )  # the key sweep each run
    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(config))
    settings = load_settings(config, data_dir=data)
    cli = ["--config", str(config), "--data-dir", str(data)]

    # A Dagster run first (its plan preview and a step's captured output hold the customers' e-mails) ...
    instance = open_instance(settings)
    run = materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        instance=instance,
        selection=AssetSelection.groups("customers"),
        resources={"sync": SyncRuntime(config_file=str(config), data_dir=str(data))},
    )
    assert run.success
    assert list((data / "dlt").glob("*/load/loaded/*")), "dlt keeps a folder per finished load package"
    sims = load_simulators(settings)
    debtor = next(
        d
        for d in sorted(sims.afas_state.debtors.values(), key=lambda d: d.debtor_id)
        if d.kind == "P" and (sims.afas_state.orgpers[d.bc_co].email or "").count("@") == 1
    )
    email = sims.afas_state.orgpers[debtor.bc_co].email
    relation = next(
        r for r in sims.mplus_state.relations.values() if r.get("extRelationId") == debtor.debtor_id
    )
    with instance.compute_log_manager.capture_logs([run.run_id, "compute_logs", "customers_relations_push"]):
        print(f"pushed relation for {email}", flush=True)  # what a step's stdout may hold
    # ... then CLI runs: customers and prices (which stages debtors too), reported to the same instance.
    assert main([*cli, "sync", "customers", "prices", "-q"]) in (ExitCode.OK, ExitCode.WRITES_FAILED)
    assert not list((data / "dlt").glob("*/load/loaded/*"))  # a CLI sync deletes them
    needle = email.encode()
    assert _files_holding(data, needle), "the e-mail should be on disk before it is deleted"

    _delete_debtor_in_afas(data, settings, debtor.debtor_id)
    assert main([*cli, "sync", "customers", "-q"]) == ExitCode.OK  # the sweep forgets it; the till anonymised
    assert main([*cli, "sync", "customers", "-q"]) == ExitCode.OK  # reads the anonymised relation back
    till = load_simulators(settings).mplus_state.relations[relation["relationNumber"]]
    assert till["active"] is False and till["name"] == "Anonymised" and not till.get("email")

    wh = Warehouse(settings.staging_path)
    try:
        for table in (
            "staging.afas_debtors",
            "transforms.stg_afas__debtors",
            "transforms.int_debtors",
            "transforms.stg_price_debtors",
        ):
            assert (
                wh.scalar(
                    f"select count(*) from {table} where cast(debtor_id as varchar) = ?", [debtor.debtor_id]
                )
                == 0
            ), table
        # the anonymised, deactivated relation is what it should be: nothing planned for it any more
        assert (
            wh.scalar(
                "select count(*) from plan.customers_relations where record_key = ?", [debtor.debtor_id]
            )
            == 0
        )
        assert (
            wh.scalar(
                "select count(*) from staging.afas_deleted_debtors where debtor_id = ?", [debtor.debtor_id]
            )
            == 1
        )
        # the retention has not passed: the journal still tells what was sent (the e-mail included)
        assert _files_holding(data, needle)
        report = purge_everything(settings, wh, now=datetime.now(UTC) + timedelta(days=31))
    finally:
        wh.close()
    assert report.errors == []
    assert report.journal_rows > 0 and report.dagster_runs == 1 and report.dagster_events > 0
    assert _files_holding(data, needle) == []
    assert list(instance.get_run_records()) == []
