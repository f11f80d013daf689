"""`afas-mplus log`: per record, in time order, what came in (field by field) and what was sent, with the answer."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from afas_mplus.cli import main
from afas_mplus.cli.log import parse_since
from afas_mplus.errors import ExitCode
from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings


def _simple_article(data: Path) -> str:
    sims = load_simulators(Settings(data_dir=data))
    return sorted(
        a.item_code
        for a in sims.afas_state.articles.values()
        if a.item_code.isdigit() and a.model_code is None and a.pos and not a.blocked
    )[0]


def test_log_of_an_article_shows_its_creation_a_change_and_the_payloads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "sync", "products", "-q"]) == ExitCode.OK
    code = _simple_article(tmp_path)
    sims = load_simulators(Settings(data_dir=tmp_path))
    sims.afas_state.modify_article(code, price_excl=Decimal("43.21"))
    sims.save()
    assert main([*data, "sync", "products", "-q"]) == ExitCode.OK
    capsys.readouterr()

    assert main([*data, "log", "--record", code, "--json"]) == ExitCode.OK
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["direction"], e["action"]) for e in events] == [
        ("in", "create"),
        ("out", "create"),
        ("in", "update"),
        ("out", "update"),
    ]
    created, sent, changed, updated = events
    assert created["records"] == [code] and created["flow"] == "products" and created["entity"] == "articles"
    assert {f["field"] for f in created["fields"]} >= {"description", "price", "vat_code"}
    assert all(f["before"] is None for f in created["fields"])
    assert [(f["field"], f["after"]) for f in changed["fields"]] == [("price", "43.21")]
    assert changed["fields"][0]["before"] not in (None, "43.21")
    assert sent["operation"] == "createProduct" and sent["status"] == "ok" and sent["duration_ms"] >= 0
    assert updated["operation"] == "updateProduct" and updated["status"] == "ok"
    articles = updated["request"]["articleList"]["article"]
    assert [a["priceExcl"] for a in articles if str(a["articleNumber"]) == code] == [4321]  # cents, as sent
    assert updated["response"] is not None
    assert created["at"] <= sent["at"] <= changed["at"] <= updated["at"]

    # the same history as text, values printed literally
    assert main([*data, "log", "--record", code]) == ExitCode.OK
    text = capsys.readouterr().out
    assert f"in   products/articles {code}  update" in text
    assert "price: " in text and "→ '43.21'" in text
    assert "updateProduct → ok" in text and "sent: {" in text and "answer: " in text


def test_log_filters_failed_rows_and_refuses_a_bad_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "sync", "products", "-q"]) == ExitCode.OK
    capsys.readouterr()
    assert main([*data, "log", "--failed", "--flow", "products", "--json"]) == ExitCode.OK
    failed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # the demo's two non-numeric SKUs, refused by validation, with the field and the fix
    assert sorted(e["records"][0] for e in failed) == ["10078A", "GC-10004"]
    assert all(
        e["action"] == "error" and e["changed_fields"] == "article_number" and "numeric" in e["error"]
        for e in failed
    )
    assert main([*data, "log", "--since", "1d", "--flow", "stock", "--json"]) == ExitCode.OK
    assert capsys.readouterr().out == ""
    assert main([*data, "log", "--since", "yesterday"]) == ExitCode.USAGE
    assert "--since 'yesterday'" in capsys.readouterr().err


def test_since_reads_local_time_and_ages() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert parse_since("2026-07-01T10:00") == datetime(2026, 7, 1, 8, 0)  # CEST is UTC+2
    assert parse_since("2d", now) == datetime(2026, 6, 29, 12, 0)
    assert parse_since("30m", now) == datetime(2026, 7, 1, 11, 30)
