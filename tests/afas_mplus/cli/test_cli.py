"""The command line a user and a script drive: plan, then apply exactly that plan (strictly), sync --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode

pytestmark = pytest.mark.e2e  # real processes or whole flows


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _apply_line(shown: str) -> list[str]:
    line = next(x for x in shown.splitlines() if "afas-mplus apply" in x)
    return line.split("afas-mplus ", 1)[1].split()


def test_plan_then_apply_then_sync_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "plan", "products", "--limit", "5"]) == ExitCode.OK
    shown = capsys.readouterr().out
    assert "create" in shown and "Nothing was sent" in shown
    apply = _apply_line(shown)
    assert apply[:2] == ["apply", "products"] and apply.count("--fingerprint") == 2

    # a fingerprint of another plan is refused as drift, and nothing is sent
    drifted = [a if not a.startswith("articles=") else "articles=" + "0" * 16 for a in apply]
    assert main([*data, *drifted, "--json"]) == ExitCode.BLOCKED
    refused = _json_lines(capsys.readouterr().out)[0]
    assert refused["drifted"] and refused["write_calls"] == 0
    assert main([*data, *apply, "--json"]) == ExitCode.OK
    applied = _json_lines(capsys.readouterr().out)[0]
    assert applied["pushed_ok"] > 250 and applied["pushed_failed"] == 0

    code = main([*data, "sync", "stock", "products", "--json"])
    results = [r["flow"] for r in _json_lines(capsys.readouterr().out)]
    assert code == ExitCode.OK  # refused rows (non-numeric SKUs) are reported, not a failed run
    assert results == ["products", "stock"]  # in the order their data depends on, whatever order was given
    assert main([*data, "sync", "products", "--json"]) == ExitCode.OK
    again = _json_lines(capsys.readouterr().out)[0]
    assert again["status"] == "ok" and again["plan"]["error"] == 2 and again["write_calls"] == 0
    assert {"extracted", "plan", "pushed_ok", "pushed_failed", "write_calls", "fingerprints"} <= set(again)


@pytest.mark.parametrize(
    "fingerprints, complaint",
    [
        (
            ["foo=0123456789abcdef", "articles=0123456789abcdef", "article_groups=0123456789abcdef"],
            "no entity 'foo'",
        ),
        ([], "missing: article_groups, articles"),
        (["articles=0123456789abcdef"], "missing: article_groups"),
        (["nonsense"], "is not ENTITY=FINGERPRINT"),
        (["articles=123"], "is not ENTITY=FINGERPRINT"),
    ],
)
def test_apply_refuses_unknown_malformed_and_missing_fingerprints_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fingerprints: list[str], complaint: str
) -> None:
    args = [a for fp in fingerprints for a in ("--fingerprint", fp)]
    assert main(["--data-dir", str(tmp_path), "apply", "products", *args]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert complaint in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "warehouse.duckdb").exists()  # refused before the sync opened anything
