"""The command line a user and a script drive: sync --json, plan, apply with a fingerprint, sql."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afas_mplus.cli import main


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_plan_then_apply_then_sync_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "plan", "products", "--limit", "5"]) == 0
    shown = capsys.readouterr().out
    assert "create" in shown and "Nothing was sent" in shown
    fingerprint = shown.split("--fingerprint articles=")[1].split()[0]

    # a wrong fingerprint is refused (the plan drifted), and nothing is sent
    assert main([*data, "apply", "products", "--fingerprint", "articles=0000", "--json"]) == 2
    capsys.readouterr()
    assert main([*data, "apply", "products", "--fingerprint", f"articles={fingerprint}", "--json"]) == 0
    applied = _json_lines(capsys.readouterr().out)[0]
    assert applied["pushed_ok"] > 250 and applied["pushed_failed"] == 0

    code = main([*data, "sync", "products", "stock", "--json"])
    results = {r["flow"]: r for r in _json_lines(capsys.readouterr().out)}
    assert code == 0  # refused rows (non-numeric SKUs) are reported, not a failed run
    assert results["products"]["plan"]["error"] == 2
    assert set(results) == {"products", "stock"}
    for r in results.values():
        assert {"extracted", "plan", "pushed_ok", "pushed_failed", "write_calls"} <= set(r)
        assert set(r["plan"]) >= {"create", "update", "deactivate", "unchanged", "error"}
    assert results["products"]["write_calls"] == 0

    assert main([*data, "sql", "select count(*) as n from plan.products_articles where action = 'error'",
                 "--json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [{"n": 2}]
