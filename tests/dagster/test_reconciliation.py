"""The daily reconciliation: the till's paid sales against the AFAS documents the sync created, per day."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetSelection, materialize

from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings
from dagster_project.assets.checks import ALL_CHECKS
from dagster_project.assets.flows import ALL_ASSETS
from dagster_project.assets.reconciliation import RECONCILIATION_CHECKS, reconcile
from dagster_project.resources import SyncRuntime


@pytest.mark.parametrize("doc", ["FbSales", "FiEntries"])
def test_a_clean_run_reconciles_and_a_document_removed_from_afas_is_named(harness, doc: str) -> None:
    h = harness(orders={"document_type": doc, "reconcile_days": 0})
    assert h.sync("orders").pushed_failed == 0
    with h.runtime() as rt:
        clean = reconcile(rt)
    assert clean.ok, clean.summary()
    assert sum(d.till_count for d in clean.days) == sum(d.afas_count for d in clean.days) >= 10
    assert all(abs(d.till_total - d.afas_total) <= 0.05 for d in clean.days)
    # the sale of an article AFAS lacks waits on its error row: listed, not a failure
    assert [w["key"] for w in clean.waiting] == ["POS-2026010"]

    if doc == "FiEntries":
        entry = next(
            e
            for e in h.afas.fi_entries.values()
            if any(ln.get("Ds") == "MplusKASSA F-2026003" for ln in e.lines)
        )
        h.afas.remove_entry(entry.entry_no)
        gone = "F-2026003"
    else:
        order = h.afas.orders_with_reference("POS-2026004")[0]
        h.afas.remove_order(order.order_number)
        gone = "POS-2026004"
    with h.runtime() as rt:
        broken = reconcile(rt)
    assert not broken.ok and [m["key"] for m in broken.missing] == [gone]
    assert gone in broken.summary()
    day = next(d for d in broken.days if d.day == broken.missing[0]["day"])
    assert day.till_count == day.afas_count + 1


def test_a_document_whose_total_differs_is_named(harness) -> None:
    h = harness(orders={"reconcile_days": 0})
    h.sync("orders")
    order = h.afas.orders_with_reference("F-2026001")[0]
    order.lines[0].quantity += 1  # someone changed it in AFAS
    h.afas.touch("orders", order.order_number)
    with h.runtime() as rt:
        result = reconcile(rt)
    assert [d["key"] for d in result.differing] == ["F-2026001"] and "F-2026001" in result.summary()


def test_the_check_runs_with_the_orders_flow_and_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERS_RECONCILE_DAYS", "0")
    defs = [*ALL_ASSETS, *ALL_CHECKS, *RECONCILIATION_CHECKS]
    resources = {"sync": SyncRuntime(data_dir=str(tmp_path))}
    run = materialize(defs, resources=resources, selection=AssetSelection.groups("orders"))
    assert run.success
    checks = {c.check_name: c for c in run.get_asset_check_evaluations()}
    assert checks["orders_reconciled"].passed, checks["orders_reconciled"].description

    sims = load_simulators(Settings(data_dir=tmp_path))
    order = sims.afas_state.orders_with_reference("POS-2026000")[0]
    sims.afas_state.remove_order(order.order_number)
    sims.save()
    alone = materialize(
        defs,
        resources=resources,
        selection=AssetSelection.checks(*RECONCILIATION_CHECKS),
        raise_on_error=False,
    )
    evaluation = next(c for c in alone.get_asset_check_evaluations() if c.check_name == "orders_reconciled")
    assert not evaluation.passed and "POS-2026000" in (evaluation.description or "")
