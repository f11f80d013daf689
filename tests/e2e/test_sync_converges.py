"""`make run` (a full `afas-mplus sync` on the stand-ins), then `afas-mplus sync --json`: every flow writes nothing.
And `retry` sends a held row again at once, where the plan lists it as held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_make_run_then_sync_writes_nothing_for_any_flow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIMULATOR_ARTICLES", "80")
    data = ["--data-dir", str(tmp_path)]
    main([*data, "sync", "--json"])  # what `make run` runs
    first = {r["flow"]: r for r in _json_lines(capsys.readouterr().out)}
    assert list(first) == list(FLOWS) and all(r["status"] == "ok" for r in first.values()), first
    assert first["orders"]["write_calls"] > 0 and first["orders"]["pushed_failed"] == 0, first["orders"]

    assert main([*data, "sync", "--json"]) == ExitCode.OK
    again = {r["flow"]: r for r in _json_lines(capsys.readouterr().out)}
    assert {f: r["write_calls"] for f, r in again.items()} == dict.fromkeys(FLOWS, 0), again


def test_retry_sends_a_held_sale_again_now(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    sims = load_simulators(Settings(data_dir=tmp_path))
    sims.afas_state.block_debtor("20001")  # the default debtor: the walk-in sales are refused
    sims.save()
    assert main([*data, "sync", "orders", "--json"]) == ExitCode.WRITES_FAILED
    refused = _json_lines(capsys.readouterr().out)[0]
    assert refused["pushed_failed"] >= 2 and all("20001" in e for e in refused["errors"])

    assert main([*data, "sync", "orders", "--json"]) == ExitCode.OK  # held: not sent, not a failure again
    waiting = _json_lines(capsys.readouterr().out)[0]
    assert waiting["write_calls"] == 0 and waiting["plan"]["held"] == refused["pushed_failed"]
    assert main([*data, "plan", "orders"]) == ExitCode.OK
    shown = capsys.readouterr().out
    assert "held" in shown and "afas-mplus retry orders --record POS-2026003" in shown

    assert main([*data, "retry", "orders", "--record", "NOPE"]) == ExitCode.OK
    assert "nothing is held for record NOPE" in capsys.readouterr().out
    assert main([*data, "retry", "orders", "--record", "POS-2026003", "--json"]) == ExitCode.WRITES_FAILED
    again = _json_lines(capsys.readouterr().out)[0]  # asked for, refused again: reported
    assert (
        again["write_calls"] == 1
        and again["pushed_failed"] == 1
        and again["plan"]["held"] == waiting["plan"]["held"] - 1
    )

    sims = load_simulators(Settings(data_dir=tmp_path))
    sims.afas_state.block_debtor("20001", blocked=False)  # fixed in AFAS
    sims.save()
    assert main([*data, "retry", "orders", "--json"]) == ExitCode.OK
    sent = _json_lines(capsys.readouterr().out)[0]
    assert (
        sent["pushed_failed"] == 0
        and sent["pushed_ok"] == waiting["plan"]["held"]
        and sent["plan"]["held"] == 0
    )
    assert (
        len(load_simulators(Settings(data_dir=tmp_path)).afas_state.orders_with_reference("POS-2026003")) == 1
    )
