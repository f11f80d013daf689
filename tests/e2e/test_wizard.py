"""The setup wizard proposes mappings from live data and writes a config the sync then uses."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml

from afas_mplus.settings import Settings
from afas_mplus.wizard import WizardCancelled, run_wizard
from afas_mplus.wizard_data import NONE, propose_branch, propose_price_group

Ask = Callable[[str, str], str]


class Script:
    """Answers fed to the prompts: per question prefix, a queue of answers; the proposal otherwise."""

    def __init__(self, answers: dict[str, Iterable[str]] | None = None) -> None:
        self.queues = {q: list(a) for q, a in (answers or {}).items()}
        self.asked: list[tuple[str, str]] = []  # (question, proposed default)

    def __call__(self, question: str, default: str) -> str:
        self.asked.append((question, default))
        for prefix, queue in self.queues.items():
            if question.startswith(prefix) and queue:
                return queue.pop(0)
        return default

    def count(self, prefix: str) -> int:
        return sum(q.startswith(prefix) for q, _ in self.asked)


def _wizard(h, target: Path, ask: Ask) -> dict:  # noqa: ANN001 - the harness
    return run_wizard(h.settings, target, ask, connect=lambda _settings: h.runtime())


def test_wizard_writes_a_config_from_the_answers(harness, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    h = harness()
    script = Script(
        {
            "Branch for AFAS warehouse 03": ["1"],
            "Stock calculation": ["economic"],
            "Orders go to AFAS as": ["FbSales"],
        }
    )
    target = tmp_path / "afas-mplus.yaml"
    _wizard(h, target, script)
    config = yaml.safe_load(target.read_text())
    assert config["stock"] == {"warehouse_branches": {"01": 1, "02": 1, "03": 1}, "calculation": "economic"}
    assert script.count("Branch for AFAS warehouse 02") == 1  # the warehouses came from AFAS itself
    assert "token" not in target.read_text().lower()  # secrets stay in the environment
    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(target))
    loaded = Settings(data_dir=tmp_path / "data")
    assert loaded.stock.calculation == "economic"
    assert loaded.stock.warehouse_branches == {"01": 1, "02": 1, "03": 1}


def test_an_invalid_answer_is_asked_again_and_earlier_answers_are_kept(
    harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    h = harness()
    script = Script(
        {
            "Branch for AFAS warehouse 01": ["2"],
            "Branch for AFAS warehouse 02": ["abc", "7", "2"],  # not a number, not a branch, then a good one
            "MplusKASSA VAT code for AFAS VAT group HOOG": ["hoog", ""],  # then the proposal
            "Which AFAS articles go to the till?": ["a.blocked; drop table x", "not a.blocked"],
            "Stock calculation": ["fifo", "physical"],
        }
    )
    config = _wizard(h, tmp_path / "afas-mplus.yaml", script)
    out = capsys.readouterr().out
    assert "'abc' is not a branch number" in out
    assert "7 is not one of MplusKASSA's; answer one of 1, 2, or -" in out
    assert "Traceback" not in out
    assert script.count("Branch for AFAS warehouse 02") == 3
    assert script.count("Branch for AFAS warehouse 01") == 1  # an earlier answer is not asked again
    assert config["stock"] == {"warehouse_branches": {"01": 2, "02": 2, "03": 2}, "calculation": "physical"}
    assert config["products"]["vat_codes"]["HOOG"] == 2
    assert config["products"]["article_filter"] == "not a.blocked"
    assert script.count("Which AFAS articles go to the till?") == 2


def test_accepting_every_proposal_keeps_the_default_mapping_so_stock_plans_no_updates(
    harness, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    h = harness()
    h.sync("products")
    first = h.sync("stock")  # with the built-in defaults
    assert first.pushed_failed == 0 and first.write_calls > 0

    target = tmp_path / "afas-mplus.yaml"
    config = _wizard(h, target, Script())
    defaults = Settings(data_dir=tmp_path / "other")
    assert config["stock"]["warehouse_branches"] == defaults.stock.warehouse_branches
    assert config["products"]["vat_codes"] == defaults.products.vat_codes

    monkeypatch.setenv("AFAS_MPLUS_CONFIG", str(target))
    h.settings = Settings(data_dir=h.settings.data_dir)
    assert h.settings.stock.warehouse_branches == defaults.stock.warehouse_branches  # the file was read
    again = h.sync("stock")
    assert again.plan.get("update", 0) == 0, again.plan
    assert again.plan.get("create", 0) == 0 and again.write_calls == 0


def test_every_price_list_in_afas_is_asked(harness, tmp_path: Path) -> None:  # noqa: ANN001
    h = harness()
    item = next(code for code in sorted(h.afas.articles) if code.isdigit())
    h.afas.add_price_row("P50", item, "12.50")  # a list only in the price rows
    h.afas.modify_debtor(next(iter(sorted(h.afas.debtors))), PriceList="P42")  # a list only on a debtor
    script = Script({"MplusKASSA price group for AFAS price list P50": ["2"]})
    config = _wizard(h, tmp_path / "afas-mplus.yaml", script)
    asked = sorted(
        q.split("price list ")[1].split()[0]
        for q, _ in script.asked
        if q.startswith("MplusKASSA price group for AFAS price list")
    )
    in_afas = {r.price_list for r in h.afas.price_rows.values()} | {
        d.price_list for d in h.afas.debtors.values() if d.price_list
    }
    assert {"P99", "P42", "P50"} <= in_afas
    assert asked == sorted(in_afas)  # each once, none left out
    # the configured lists keep their groups; P99 (no group of that name) and P42 are proposed as none
    assert config["prices"]["price_list_groups"] == {"P01": 1, "P02": 2, "P03": 3, "P50": 2}
    proposals = {q.split("price list ")[1].split()[0]: d for q, d in script.asked if "price list" in q}
    assert proposals["P99"] == NONE and proposals["P42"] == NONE and proposals["P01"] == "1"


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, EOFError])
def test_ctrl_c_or_end_of_input_ends_with_one_line_and_writes_nothing(
    harness, tmp_path: Path, interrupt: type[BaseException]
) -> None:  # noqa: ANN001
    h = harness()
    target = tmp_path / "afas-mplus.yaml"
    target.write_text("stock:\n  calculation: physical\n")  # `init --force` over an existing file

    def ask(question: str, default: str) -> str:
        if question.startswith("MplusKASSA price group"):  # half-way: stock and VAT already answered
            raise interrupt
        return "economic" if question.startswith("Stock calculation") else default

    with pytest.raises(WizardCancelled) as caught:
        _wizard(h, target, ask)
    assert str(caught.value) == f"setup cancelled: {target} was not written"
    assert target.read_text() == "stock:\n  calculation: physical\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afas-mplus.yaml", "data"]  # no temporary file left


def test_the_terminal_prompt_ending_its_input_cancels(harness, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    h = harness()

    def no_more_input(_prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(builtins, "input", no_more_input)
    target = tmp_path / "afas-mplus.yaml"
    with pytest.raises(WizardCancelled):
        run_wizard(h.settings, target, connect=lambda _settings: h.runtime())
    assert not target.exists()


def test_branch_proposals_follow_the_setting_then_the_name_never_the_position() -> None:
    branches = {1: "Amsterdam Centrum", 2: "Haarlem Grote Markt"}
    defaults = Settings().stock.warehouse_branches
    assert [propose_branch(wh, "", defaults, branches) for wh in ("01", "02", "03")] == ["1", "1", "2"]
    # a customer's own warehouse codes: matched on a place name, else not synced until the user says so
    assert propose_branch("WKL-HLM", "Winkel Haarlem", {}, branches) == "2"
    assert propose_branch("HOOFD", "Hoofdmagazijn Utrecht", {}, branches) == NONE
    assert propose_branch("HOOFD", "Hoofdmagazijn Utrecht", {}, {5: "Enige winkel"}) == "5"
    # a configured branch MplusKASSA no longer has is not proposed
    assert propose_branch("03", "Winkel Haarlem", {"03": 9}, branches) == "2"
    assert propose_price_group("P07", "Horeca zomer", {}, {1: "Groothandel", 2: "Horeca"}) == "2"


def test_init_cancelled_on_the_command_line_is_one_line(
    tmp_path: Path,
    monkeypatch,  # noqa: ANN001
    capsys: pytest.CaptureFixture[str],
) -> None:
    from afas_mplus.cli import main

    def no_more_input(_prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr(builtins, "input", no_more_input)
    target = tmp_path / "afas-mplus.yaml"
    code = main(["--config", str(target), "--data-dir", str(tmp_path / "data"), "init"])
    err = capsys.readouterr().err
    assert code != 0 and not target.exists()
    # (the CLI's console folds a long line at its width; the words are the one message)
    assert " ".join(err.split()) == f"setup cancelled: {target} was not written"
    assert "Traceback" not in err
