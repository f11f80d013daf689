"""The setup wizard proposes mappings from live data and writes a config the sync then uses."""

from __future__ import annotations

from pathlib import Path

import yaml

from afas_mplus.settings import Settings
from afas_mplus.wizard import run_wizard


def test_wizard_writes_a_config_from_the_answers(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    asked: list[str] = []
    answers = {"Branch for AFAS warehouse 03": "1", "Stock calculation": "economic", "Orders go to AFAS as": "FbSales"}

    def ask(question: str, default: str) -> str:
        asked.append(question)
        return next((a for q, a in answers.items() if question.startswith(q)), default)

    target = tmp_path / "afas-mplus.yaml"
    run_wizard(Settings(data_dir=tmp_path / "data"), target, ask)
    config = yaml.safe_load(target.read_text())
    assert config["stock"] == {"warehouse_branches": {"01": 1, "02": 2, "03": 1}, "calculation": "economic"}
    assert any("AFAS warehouse 02" in q for q in asked)  # the warehouses came from AFAS itself
    assert "token" not in target.read_text().lower()  # secrets stay in the environment
    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(target))
    loaded = Settings(data_dir=tmp_path / "data")
    assert loaded.stock.calculation == "economic"
    assert loaded.stock.warehouse_branches == {"01": 1, "02": 2, "03": 1}
