"""The Dagster code location: every job resolves, materializing a flow runs it, and the push assets enforce the
same checks as the CLI: a blocked plan is refused even when its push is materialized on its own, the plan-only
job sends nothing, and the approve-and-push job sends exactly the approved plan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from dagster import AssetKey, AssetSelection, materialize

from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Simulators, load_simulators
from afas_mplus.settings import Settings
from dagster_project.assets.checks import ALL_CHECKS
from dagster_project.assets.flows import ALL_ASSETS, plan_key, push_key
from dagster_project.definitions import defs
from dagster_project.resources import SyncRuntime

PRODUCTS = FLOWS["products"]
ARTICLES = next(e for e in PRODUCTS.entities if e.name == "articles")


def test_defs_can_load_and_every_job_resolves() -> None:
    repo = defs.get_repository_def()
    for name in FLOWS:
        for kind in ("sync", "plan", "apply"):
            assert defs.resolve_job_def(f"{name}_{kind}").name == f"{name}_{kind}"
        assert repo.has_schedule_def(f"{name}_schedule")
    keys = {k for a in ALL_ASSETS for k in a.keys}
    shown = [k.path[-1] for k in keys]
    assert len(shown) == len(set(shown)), "two assets would show the same name in the graph"
    for flow in FLOWS.values():
        for entity in flow.entities:
            assert plan_key(flow, entity) in keys and push_key(flow, entity) in keys
    assert AssetKey(["transforms", "desired_articles"]) in keys
    plan_job = defs.resolve_job_def("products_plan")
    assert not any(k.path[0] == "push" for k in plan_job.asset_layer.selected_asset_keys)


def _materialize(data_dir: Path, selection: AssetSelection, **kw):  # noqa: ANN003, ANN202
    return materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        resources={"sync": SyncRuntime(data_dir=str(data_dir))},
        selection=selection,
        **kw,
    )


def _standins(data_dir: Path) -> Simulators:
    return load_simulators(Settings(data_dir=data_dir))


def test_materializing_the_products_group_runs_the_flow(tmp_path: Path) -> None:
    result = _materialize(tmp_path, AssetSelection.groups("products"))
    assert result.success
    mats = {m.asset_key: m for m in result.get_asset_materialization_events()}
    plan_meta = mats[plan_key(PRODUCTS, ARTICLES)].materialization.metadata
    assert plan_meta["plan_create"].value > 250
    push_meta = mats[push_key(PRODUCTS, ARTICLES)].materialization.metadata
    assert push_meta["pushed_ok"].value == plan_meta["plan_create"].value
    assert push_meta["pushed_failed"].value == 0
    assert mats[AssetKey(["transforms", "desired_articles"])].materialization.metadata["rows"].value > 250
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["plan_size_sane"].passed
    assert not checks["records_valid"].passed  # the demo has non-numeric SKUs: a warning, not a failure
    assert checks["sku_numeric"].metadata["non_numeric"].value == 2

    again = _materialize(tmp_path, AssetSelection.groups("products"))
    mats = {m.asset_key: m for m in again.get_asset_materialization_events()}
    assert mats[push_key(PRODUCTS, ARTICLES)].materialization.metadata["write_calls"].value == 0


def test_a_push_materialized_alone_is_refused_while_its_plan_is_blocked(tmp_path: Path) -> None:
    assert _materialize(tmp_path, AssetSelection.groups("products")).success
    sims = _standins(tmp_path)
    blocked = sorted(a.item_code for a in sims.afas_state.articles.values() if a.item_code.isdigit())[:200]
    for code in blocked:
        sims.afas_state.block_article(code)
    sims.save()
    plan_only = AssetSelection.groups("products") - AssetSelection.assets(
        *(push_key(PRODUCTS, e) for e in PRODUCTS.entities)
    )
    planned = _materialize(tmp_path, plan_only)
    assert planned.success
    check = next(
        c
        for c in planned.get_asset_check_evaluations()
        if c.check_name == "plan_size_sane" and c.asset_key == plan_key(PRODUCTS, ARTICLES)
    )
    assert not check.passed and "guard.max_change_share" in check.metadata["reason"].value

    pushed = _materialize(tmp_path, AssetSelection.assets(push_key(PRODUCTS, ARTICLES)), raise_on_error=False)
    assert not pushed.success
    failure = next(e for e in pushed.all_events if e.is_step_failure)
    assert "guard.max_change_share" in failure.step_failure_data.error.message
    still_active = [
        a for a in _standins(tmp_path).mplus_state.articles() if str(a["articleNumber"]) in blocked
    ]
    assert still_active and all(a["active"] for a in still_active)  # nothing was deactivated

    forced = _materialize(
        tmp_path,
        AssetSelection.assets(push_key(PRODUCTS, ARTICLES)),
        run_config={
            "ops": {push_key(PRODUCTS, ARTICLES).to_python_identifier(): {"config": {"force": True}}}
        },
    )
    assert forced.success
    after = {str(a["articleNumber"]): a for a in _standins(tmp_path).mplus_state.articles()}
    assert not any(after[c]["active"] for c in blocked if c in after)


def test_plan_job_sends_nothing_and_apply_job_sends_exactly_the_approved_plan(tmp_path: Path) -> None:
    resources = {"sync": SyncRuntime(data_dir=str(tmp_path))}
    assert _materialize(tmp_path, AssetSelection.groups("products")).success
    sims = _standins(tmp_path)
    code = sorted(
        a.item_code
        for a in sims.afas_state.articles.values()
        if a.item_code.isdigit() and a.model_code is None and a.pos and not a.blocked
    )[0]
    sims.afas_state.modify_article(code, price_excl=Decimal("12.34"))
    sims.save()

    planned = defs.resolve_job_def("products_plan").execute_in_process(resources=resources)
    assert planned.success
    meta = next(
        m for m in planned.get_asset_materialization_events() if m.asset_key == plan_key(PRODUCTS, ARTICLES)
    ).materialization.metadata
    assert meta["plan_update"].value == 1
    assert (
        f"{code}" in meta["preview"].value
        and "12.34" in meta["preview"].value
        and "→" in meta["preview"].value
    )
    assert _standins(tmp_path).mplus_state.get_article(code)["priceExcl"] != 1234  # nothing sent
    fingerprint = meta["fingerprint"].value
    assert fingerprint in meta["approve_and_push"].value

    apply_job = defs.resolve_job_def("products_apply")
    op = push_key(PRODUCTS, ARTICLES).to_python_identifier()
    missing = apply_job.execute_in_process(resources=resources, raise_on_error=False)
    assert not missing.success  # the apply job pushes only an approved plan
    wrong = apply_job.execute_in_process(
        resources=resources,
        raise_on_error=False,
        run_config={"ops": {op: {"config": {"fingerprint": "0" * 16}}}},
    )
    assert not wrong.success
    assert _standins(tmp_path).mplus_state.get_article(code)["priceExcl"] != 1234

    groups_fp = next(
        m
        for m in planned.get_asset_materialization_events()
        if m.asset_key == plan_key(PRODUCTS, PRODUCTS.entities[0])
    ).materialization.metadata
    run_config = {
        "ops": {
            op: {"config": {"fingerprint": fingerprint}},
            push_key(PRODUCTS, PRODUCTS.entities[0]).to_python_identifier(): {
                "config": {"fingerprint": groups_fp["fingerprint"].value}
            },
        }
    }
    applied = apply_job.execute_in_process(resources=resources, run_config=run_config)
    assert applied.success
    assert _standins(tmp_path).mplus_state.get_article(code)["priceExcl"] == 1234


def test_journal_retention_job_purges_old_rows(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from reverse_etl.journal import CallRecord, Journal
    from staging.warehouse import Warehouse

    wh = Warehouse(Settings(data_dir=tmp_path).staging_path)
    journal = Journal(wh)
    old = CallRecord(
        "products",
        "articles",
        "1",
        ["1"],
        "create",
        "createProduct",
        {"a": 1},
        None,
        "ok",
        started_at=datetime.now() - timedelta(days=400),
    )
    new = CallRecord("products", "articles", "2", ["2"], "create", "createProduct", {"a": 2}, None, "ok")
    journal.write_calls("run", [old, new])
    wh.close()
    result = defs.resolve_job_def("journal_retention").execute_in_process(
        resources={"sync": SyncRuntime(data_dir=str(tmp_path))}
    )
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
    for entity in FLOWS["prices"].entities:
        assert ("plan_size_sane", plan_key(FLOWS["prices"], entity)) in specs
    groups = {a.group_names_by_key[k] for a in ALL_ASSETS for k in a.keys if k.path[-1].startswith("prices_")}
    assert groups == {"prices"}
