"""CLI runs are visible in Dagster: after `afas-mplus sync products` the instance `afas-mplus ui` serves holds
the products assets' materializations (table sizes, plan counts, write calls) and check results."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetCheckKey, AssetKey

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode
from afas_mplus.flows import FLOWS
from afas_mplus.settings import Settings
from dagster_project.keys import model_key, plan_key, push_key, staging_key
from dagster_project.report import open_instance

PRODUCTS = FLOWS["products"]
ARTICLES = next(e for e in PRODUCTS.entities if e.name == "articles")


def _meta(instance, key: AssetKey) -> dict:  # noqa: ANN001
    event = instance.get_latest_materialization_event(key)
    assert event is not None, f"{key.to_user_string()} never materialized"
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


def test_a_cli_sync_is_recorded_in_the_dagster_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["--data-dir", str(tmp_path), "sync", "products", "-q"]) == ExitCode.OK
    instance = open_instance(Settings(data_dir=tmp_path))
    assert Settings(data_dir=tmp_path).dagster_home == tmp_path / "dagster"

    extract = _meta(instance, staging_key(PRODUCTS, "afas"))
    assert extract["table_rows.afas_articles"] == extract["loaded"]["afas_articles"] > 250
    plan = _meta(instance, plan_key(PRODUCTS, ARTICLES))
    assert plan["plan_create"] > 250 and plan["plan_error"] == 2 and plan["source"] == "afas-mplus CLI"
    push = _meta(instance, push_key(PRODUCTS, ARTICLES))
    assert push["pushed_ok"] == plan["plan_create"] and push["write_calls"] > 0 and push["pushed_failed"] == 0
    assert _meta(instance, model_key("desired_articles"))["rows"] > 250

    checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [
            AssetCheckKey(plan_key(PRODUCTS, ARTICLES), "plan_size_sane"),
            AssetCheckKey(model_key("errors_products"), "records_valid"),
            AssetCheckKey(push_key(PRODUCTS, ARTICLES), "writes_succeeded"),
        ]
    )
    status = {k.name: r.status.value for k, r in checks.items()}
    assert status == {
        "plan_size_sane": "SUCCEEDED",
        "records_valid": "FAILED",
        "writes_succeeded": "SUCCEEDED",
    }

    # a second run: the table size stays, the increment and the plan are empty; both runs are in the history
    assert main(["--data-dir", str(tmp_path), "sync", "products", "-q"]) == ExitCode.OK
    again = _meta(instance, staging_key(PRODUCTS, "afas"))
    assert again["table_rows.afas_articles"] == extract["table_rows.afas_articles"]
    assert again["rows_loaded"] < extract["rows_loaded"]
    assert _meta(instance, plan_key(PRODUCTS, ARTICLES))["plan_create"] == 0
    history = instance.fetch_materializations(plan_key(PRODUCTS, ARTICLES), limit=10).records
    assert len(history) == 2
