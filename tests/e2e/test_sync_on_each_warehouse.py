"""`afas-mplus sync` runs every flow on the stand-ins on each warehouse backend, and a second sync writes nothing.

On PostgreSQL (`WAREHOUSE_DSN`) staging, models, plans and journal live in the database: no DuckDB file is made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode
from afas_mplus.flows import FLOWS
from staging.base import Warehouse


def _results(text: str) -> dict[str, dict[str, Any]]:
    return {r["flow"]: r for r in (json.loads(line) for line in text.splitlines() if line.startswith("{"))}


def test_every_flow_syncs_and_a_second_sync_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], warehouse_env: dict[str, Any]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "sync", "--json"]) == ExitCode.OK
    first = _results(capsys.readouterr().out)
    assert list(first) == list(FLOWS)
    for flow, result in first.items():
        assert result["status"] == "ok" and result["pushed_failed"] == 0, result
        assert result["write_calls"] > 0, flow  # every flow had something to send to an empty POS
    assert main([*data, "sync", "--json"]) == ExitCode.OK
    second = _results(capsys.readouterr().out)
    assert {f: (r["status"], r["write_calls"]) for f, r in second.items()} == {f: ("ok", 0) for f in FLOWS}

    if warehouse_env:  # PostgreSQL: the journal of both runs is in the database, and there is no DuckDB file
        assert not (tmp_path / "warehouse.duckdb").exists()
        with Warehouse(
            dsn=warehouse_env["warehouse_dsn"], schema_prefix=warehouse_env["warehouse_schema_prefix"]
        ) as wh:
            calls = wh.scalar("select count(*) from journal.calls")
        assert calls == sum(r["write_calls"] for r in first.values())


def test_a_filter_naming_a_column_the_data_lacks_is_one_line_naming_the_setting(harness) -> None:  # noqa: ANN001
    h = harness(products={"article_filter": "a.pos_article and a.no_such_column"})
    result = h.sync("products")
    assert result.status == "failed" and result.write_calls == 0
    assert result.error.startswith(
        "setting products.article_filter ('a.pos_article and a.no_such_column') does "
        "not fit the data in model "
    ), result.error
    assert "no_such_column" in result.error and "\n" not in result.error
