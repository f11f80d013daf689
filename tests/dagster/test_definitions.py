"""The Dagster code location: every job resolves, and materializing a flow's assets runs the flow."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetKey, AssetSelection, materialize

from afas_mplus.flows import FLOWS
from dagster_project.assets.flows import ALL_ASSETS, ALL_CHECKS
from dagster_project.definitions import defs
from dagster_project.resources import SyncRuntime


def test_defs_can_load_and_every_job_resolves() -> None:
    repo = defs.get_repository_def()
    for name in FLOWS:
        job = defs.resolve_job_def(f"{name}_sync")
        assert job.name == f"{name}_sync"
        assert repo.has_schedule_def(f"{name}_schedule")
    keys = {k for a in ALL_ASSETS for k in a.keys}
    for name, flow in FLOWS.items():
        for entity in flow.entities:
            assert AssetKey(["plan", f"{name}_{entity.name}"]) in keys
            assert AssetKey(["push", f"{name}_{entity.name}"]) in keys
    assert AssetKey(["transforms", "desired_articles"]) in keys


def _materialize(data_dir: Path, group: str):  # noqa: ANN202
    return materialize([*ALL_ASSETS, *ALL_CHECKS], resources={"sync": SyncRuntime(data_dir=str(data_dir))},
                       selection=AssetSelection.groups(group))


def test_materializing_the_products_group_runs_the_flow(tmp_path: Path) -> None:
    result = _materialize(tmp_path, "products")
    assert result.success
    mats = {m.asset_key: m for m in result.get_asset_materialization_events()}
    plan_meta = mats[AssetKey(["plan", "products_articles"])].materialization.metadata
    assert plan_meta["plan_create"].value > 250
    push_meta = mats[AssetKey(["push", "products_articles"])].materialization.metadata
    assert push_meta["pushed_ok"].value == plan_meta["plan_create"].value
    assert push_meta["pushed_failed"].value == 0
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["plan_size_sane"].passed
    assert not checks["records_valid"].passed  # the demo has non-numeric SKUs: a warning, not a failure
    assert not checks["sku_numeric"].passed
    assert checks["sku_numeric"].metadata["non_numeric"].value == 2

    again = _materialize(tmp_path, "products")
    mats = {m.asset_key: m for m in again.get_asset_materialization_events()}
    assert mats[AssetKey(["push", "products_articles"])].materialization.metadata["write_calls"].value == 0


def test_journal_retention_job_purges_old_rows(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from afas_mplus.settings import Settings
    from reverse_etl.journal import CallRecord, Journal
    from staging.warehouse import Warehouse

    wh = Warehouse(Settings(data_dir=tmp_path).staging_path)
    journal = Journal(wh)
    old = CallRecord("products", "articles", "1", ["1"], "create", "createProduct", {"a": 1}, None, "ok",
                     started_at=datetime.now() - timedelta(days=400))
    new = CallRecord("products", "articles", "2", ["2"], "create", "createProduct", {"a": 2}, None, "ok")
    journal.write_calls("run", [old, new])
    wh.close()
    result = defs.resolve_job_def("journal_retention").execute_in_process(
        resources={"sync": SyncRuntime(data_dir=str(tmp_path))})
    assert result.success
    assert result.output_for_node("purge_journal") == 1
    wh = Warehouse(Settings(data_dir=tmp_path).staging_path)
    assert wh.scalar("select count(*) from journal.calls") == 1


def test_prices_group_has_checks_and_runs_daily_just_after_midnight() -> None:
    from dagster import AssetCheckKey

    schedule = next(s for s in defs.schedules if s.name == "prices_schedule")
    assert schedule.cron_schedule == "5 0,7 * * *" and schedule.execution_timezone == "Europe/Amsterdam"
    check_keys = {k for c in ALL_CHECKS for k in c.check_keys}
    assert AssetCheckKey(AssetKey(["transforms", "errors_prices"]), "records_valid") in check_keys
    specs = {(s.name, s.asset_key) for a in ALL_ASSETS for s in a.check_specs}
    for entity in ("article_prices", "relation_prices"):
        assert ("plan_size_sane", AssetKey(["plan", f"prices_{entity}"])) in specs
    groups = {a.group_names_by_key[k] for a in ALL_ASSETS for k in a.keys if k.path[-1].startswith("prices_")}
    assert groups == {"prices"}
