"""`python -m benchmarks` at a tiny size: the result files have their structure, the no-op sync writes
nothing and the 1 % change writes exactly the changed rows. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.cli import main

pytestmark = pytest.mark.e2e  # real processes or whole flows


def test_tiny_benchmark_writes_json_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    code = main(
        [
            "--articles",
            "200",
            "--debtors",
            "30",
            "--latency-ms",
            "0",
            "--flows",
            "products",
            "--skip",
            "dlt,naive,scaling",
            "--diff-rows",
            "10000",
            "--out",
            str(out),
            "--name",
            "smoke",
            "--timeout",
            "600",
            "--quiet",
        ]
    )
    assert code == 0
    result = json.loads((out / "smoke.json").read_text())
    assert (out / "smoke.md").read_text().startswith("# Benchmark")

    flows = result["parts"]["flows"]
    assert "error" not in flows, flows.get("error")
    runs = {(r["flow"], r["scenario"]): r for r in flows["runs"]}
    assert set(runs) == {("products", s) for s in ("full", "readback", "noop", "change")}
    for r in runs.values():
        assert {"wall_s", "steps_s", "rows", "rows_per_s", "peak_rss_mb", "limit", "ratio_to_limit"} <= set(r)
        assert {"reads", "writes", "peak_concurrency"} <= set(r["calls"]["afas"]) | set(r["calls"]["mplus"])
        assert {"read_calls", "write_calls", "total_s"} <= set(r["limit"])
    full, noop, change = runs["products", "full"], runs["products", "noop"], runs["products", "change"]
    assert full["write_calls"] > 0 and full["pushed_failed"] == 0
    for quiet in (runs["products", "readback"], noop):
        assert quiet["calls"]["afas"]["writes"] + quiet["calls"]["mplus"]["writes"] == 0
        assert quiet["write_calls"] == 0 and quiet["check"]["ok"]
    assert change["changed_rows"] >= 1 and change["check"]["ok"]
    assert change["write_calls"] == change["changed_rows"]

    diff = result["parts"]["diff"]
    assert diff["rows"] == 10000 and diff["counts"]["update"] > 0 and len(diff["seconds"]) == 3
    # the bare compare finds exactly the keys the plan acts on, measured in the same rounds
    acted = sum(diff["counts"][a] for a in ("create", "update", "deactivate"))
    assert diff["bare_differing"] == acted and len(diff["bare_seconds"]) == 3 and diff["plan_to_bare"] > 0
    names = {t["target"] for t in result["targets"]}
    assert any("no-op" in n for n in names) and any("diff" in n for n in names)
    for wanted in (
        "no-op sync <=",
        "read-back after a full sync <=",
        "bare DuckDB hash compare",
        "peak RSS of every flow",
        "concurrent AFAS calls",
    ):
        assert any(wanted in n for n in names), wanted
    # the no-op after a full sync does not scan every article key again (the key scan is due hourly)
    assert noop["extracted"].get("afas_article_keys", 0) == 0 < full["extracted"]["afas_article_keys"]
