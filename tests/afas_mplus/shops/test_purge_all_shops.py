"""`afas-mplus purge-logs --all-shops`: every configured shop's journal is purged, one after another; a shop whose
warehouse another process holds is reported and the others are still purged."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from afas_mplus.cli import main
from afas_mplus.config import load_settings
from afas_mplus.errors import ExitCode
from afas_mplus.runtime import open_warehouse
from afas_mplus.shops import shop_settings
from reverse_etl.journal import Journal

SHOPS = ("north", "south")
HOLD = """
import sys
from afas_mplus.config import load_settings
from afas_mplus.runtime import open_warehouse
from afas_mplus.shops import shop_settings
wh = open_warehouse(shop_settings(load_settings(None, data_dir=sys.argv[1]), "north"), holder="another sync")
print("held", flush=True)
sys.stdin.read()
wh.close()
"""


@pytest.fixture()
def shops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "shops"
    folder.mkdir()
    for name in SHOPS:
        (folder / f"{name}.yaml").write_text("simulator:\n  articles: 10\n", encoding="utf-8")
    monkeypatch.setenv("SHOPS_DIR", str(folder))
    monkeypatch.delenv("AFAS_MPLUS_CONFIG", raising=False)
    data = tmp_path / "data"
    for name in SHOPS:  # each shop's journal: one run of 100 days ago, one of today
        settings = shop_settings(load_settings(None, data_dir=data), name)
        wh = open_warehouse(settings)
        try:
            journal = Journal(wh)
            for age in (100, 0):
                started = datetime.now(UTC) - timedelta(days=age)
                journal.write_run(f"{name}-{age}", "products", "extract", "ok", 1, {}, started)
        finally:
            wh.close()
    return data


def _runs(data: Path, name: str) -> list[str]:
    wh = open_warehouse(shop_settings(load_settings(None, data_dir=data), name))
    try:
        return [r["run_id"] for r in wh.query("select run_id from journal.runs order by run_id")]
    finally:
        wh.close()


def test_every_shop_is_purged(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(shops), "purge-logs", "--all-shops", "--days", "30"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "shop north:" in out and "shop south:" in out
    assert {name: _runs(shops, name) for name in SHOPS} == {name: [f"{name}-0"] for name in SHOPS}


def test_a_held_shop_is_reported_and_the_others_are_purged(
    shops: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(  # another process holds north's warehouse (DuckDB: one writer per file)
        [sys.executable, "-c", HOLD, str(shops)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code = main(["--data-dir", str(shops), "purge-logs", "--all-shops", "--days", "30"])
    finally:
        holder.communicate("", timeout=60)
    err = capsys.readouterr().err
    assert code == ExitCode.CONFIG
    assert "shop north:" in err and "1 of 2 shops (north)" in err
    assert _runs(shops, "north") == ["north-0", "north-100"]  # untouched
    assert _runs(shops, "south") == ["south-0"]


def test_all_shops_is_one_line_when_misused(shops: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(shops), "--shop", "north", "purge-logs", "--all-shops"]) == ExitCode.USAGE
    assert "leave out --shop" in capsys.readouterr().err
    assert main(["--data-dir", str(shops), "purge-logs", "--all-shops", "--days", "0"]) == ExitCode.USAGE
