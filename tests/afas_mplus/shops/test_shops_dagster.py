"""Many shops in Dagster and the CLI: every shop its own groups, jobs, schedules, tags and pool; one shop's run
syncs that shop's data only; `--shop` picks the shop and a wrong one is one line with the known shops."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetKey, AssetSelection, Definitions, materialize

from afas_mplus.cli import main
from afas_mplus.config import load_settings
from afas_mplus.errors import ExitCode
from afas_mplus.settings import Settings
from dagster_project.deployment import AFAS_ENV_TAG, FLOW_TAG
from dagster_project.keys import SHOP_TAG
from dagster_project.resources import SyncRuntime
from dagster_project.shops import shop_definitions
from staging.warehouse import Warehouse


@pytest.fixture()
def two_shops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    shops = tmp_path / "shops"
    shops.mkdir()
    (shops / "north.yaml").write_text(
        "simulator:\n  articles: 30\n  debtors: 5\nschedules:\n  cron: {stock: '*/15 * * * *'}\n",
        encoding="utf-8",
    )
    (shops / "south.yaml").write_text(
        "simulator:\n  articles: 20\n  debtors: 5\n  seed: 7\n", encoding="utf-8"
    )
    monkeypatch.setenv("SHOPS_DIR", str(shops))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("AFAS_MPLUS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return load_settings(None)


def test_every_shop_has_its_own_groups_jobs_schedules_tags_and_pool(two_shops: Settings) -> None:
    shops = shop_definitions(two_shops)
    assert shops is not None
    defs = Definitions(
        assets=shops.assets,
        asset_checks=shops.checks,
        jobs=shops.jobs,
        schedules=shops.schedules,
        resources={"sync": SyncRuntime()},
    )
    repo = defs.get_repository_def()
    for shop in ("north", "south"):
        job = repo.get_job(f"{shop}__stock_sync")
        assert job.tags[SHOP_TAG] == shop and job.tags[FLOW_TAG] == f"{shop}/stock"
        assert job.tags[AFAS_ENV_TAG] == "stand-in"
        keys = {k.path[0] for k in job.asset_layer.executable_asset_keys}
        assert keys == {shop}, keys
        assert repo.get_job(f"{shop}__journal_retention").tags[SHOP_TAG] == shop
    crons = {s.name: s.cron_schedule for s in repo.schedule_defs}
    assert (
        crons["north__stock_schedule"] == "*/15 * * * *" and crons["south__stock_schedule"] == "*/5 * * * *"
    )
    extract = repo.assets_defs_by_key[AssetKey(["north", "staging", "stock_afas"])]
    assert extract.group_names_by_key[AssetKey(["north", "staging", "stock_afas"])] == "north__stock"
    assert set(extract.op.pool and [extract.op.pool] or []) == {"afas/stand-in"}


def test_a_shop_materialized_in_dagster_syncs_that_shop_only(two_shops: Settings) -> None:
    shops = shop_definitions(two_shops)
    assert shops is not None
    selection = AssetSelection.groups("south__customers")
    untagged = materialize(
        [*shops.assets, *shops.checks],
        resources={"sync": SyncRuntime()},
        selection=selection,
        raise_on_error=False,
    )
    assert not untagged.success  # which shop? never a guess
    result = materialize(
        [*shops.assets, *shops.checks],
        resources={"sync": SyncRuntime()},
        selection=selection,
        tags={SHOP_TAG: "south"},
    )
    assert result.success
    keys = {e.asset_key for e in result.get_asset_materialization_events()}
    assert keys and {k.path[0] for k in keys} == {"south"}
    south = two_shops.data_dir / "shops" / "south" / "warehouse.duckdb"
    with Warehouse(south) as wh:
        assert wh.scalar("select count(*) from journal.calls where flow = 'customers' and status = 'ok'") > 0
    assert not (two_shops.data_dir / "shops" / "north").exists()


def test_cli_takes_shop_and_names_the_known_ones(
    two_shops: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "stock", "--shop", "north", "-q"]) == ExitCode.OK
    assert (two_shops.data_dir / "shops" / "north" / "warehouse.duckdb").is_file()
    capsys.readouterr()
    assert main(["sync", "stock", "--shop", "west"]) == ExitCode.USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "unknown shop 'west': the shops are north, south" in lines[0]
    assert main(["plan", "stock"]) == ExitCode.USAGE
    assert "give --shop NAME, one of north, south" in capsys.readouterr().err
