"""CLI conventions: help and version work, usage mistakes exit 4, configuration mistakes exit 3 with one line
naming file, line and key, data prints as it is (never as markup), purge-logs refuses a retention below a day."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from afas_mplus.cli import build_parser, main
from afas_mplus.errors import ExitCode
from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "cmd")  # noqa: SLF001 - every subcommand
    return sorted(sub.choices)


def test_help_of_the_program_and_of_every_command_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "afas_mplus.cli", "--help"], capture_output=True, text=True, timeout=120
    )  # the installed entry point, as a user runs it
    assert proc.returncode == 0 and "usage:" in proc.stdout, proc.stderr[-500:]
    assert main(["bench", "--help"]) == 0  # `python -m benchmarks --help`, in its own process
    for command in (c for c in _commands() if c != "bench"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0, command
        assert "usage:" in capsys.readouterr().out


def test_version_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0 and capsys.readouterr().out.startswith("afas-mplus ")
    with pytest.raises(SystemExit) as usage:
        main(["sync", "--no-such-option"])
    assert usage.value.code == ExitCode.USAGE
    assert main(["sync", "no_such_flow"]) == ExitCode.USAGE
    assert "the flows are orders, products" in capsys.readouterr().err


def _run(tmp_path: Path, config: str, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "afas-mplus.yaml"
    path.write_text(config)
    code = main(["--config", str(path), "--data-dir", str(tmp_path / "data"), *argv])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


@pytest.mark.parametrize(
    "config, expected",
    [
        (
            "products:\n  artcle_filter: 'a.pos_article'\n",
            ":2: unknown setting 'products.artcle_filter': did you mean 'products.article_filter'?",
        ),
        ("stok:\n  calculation: physical\n", ":1: unknown setting 'stok': did you mean 'stock'?"),
        ("products:\n  max_change_share: 0.9\n", "it moved to guard.max_change_share"),
        ("stock:\n  calculation: weekly\n", ":2: stock.calculation: Input should be"),
        ("products:\n  article_filter: 'a\n  x: [\n", "not valid YAML"),
        (
            "guard:\n  max_change_share: 2\n",
            ":2: guard.max_change_share: Input should be less than or equal to 1",
        ),
    ],
)
def test_configuration_mistakes_are_one_line_naming_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, expected: str
) -> None:
    code, err = _run(tmp_path, config, "sync", "--dry-run", capsys=capsys)
    assert code == ExitCode.CONFIG
    assert expected in err and str(tmp_path / "afas-mplus.yaml") in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_named_config_file_that_does_not_exist_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(tmp_path / "nope.yaml"), "sync"]) == ExitCode.CONFIG
    assert "does not exist" in capsys.readouterr().err


def test_a_filter_naming_an_unknown_column_fails_the_flow_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, shown = _run(
        tmp_path, "products:\n  article_filter: a.no_such_column\n", "sync", "products", capsys=capsys
    )
    assert code == ExitCode.CONFIG
    assert "products.article_filter" in shown and "no_such_column" in shown and "Traceback" not in shown


def test_data_is_shown_as_it_is_never_as_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    sims = load_simulators(Settings(data_dir=data))
    code = sorted(
        a.item_code
        for a in sims.afas_state.articles.values()
        if a.item_code.isdigit() and a.pos and not a.blocked and a.model_code is None
    )[0]
    sims.afas_state.modify_article(code, description="Jurk [maat 38] :x: [/] [bold]")
    sims.save()
    assert main(["--data-dir", str(data), "plan", "products", "--limit", "400"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "Jurk [maat 38] :x: [/] [bold]" in out
    assert "Decimal(" not in out
    assert (
        main(
            [
                "--data-dir",
                str(data),
                "sql",
                f"select description, sales_price from staging.afas_articles where item_code = '{code}'",
            ]
        )
        == ExitCode.OK
    )
    out = capsys.readouterr().out
    assert "[/]" in out and "Decimal(" not in out


def test_purge_logs_refuses_less_than_a_day_and_has_a_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    for days in ("0", "-5"):
        assert main([*data, "purge-logs", "--days", days]) == ExitCode.USAGE
        assert "at least 1 day" in capsys.readouterr().err
    assert main([*data, "purge-logs", "--days", "1", "--dry-run"]) == ExitCode.OK
    assert "nothing deleted" in capsys.readouterr().out


def test_a_secret_too_short_to_mask_is_refused_without_showing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLUS_IDENT", "qz")
    monkeypatch.setenv("MPLUS_SECRET", "long-enough-secret")
    monkeypatch.setenv("MPLUS_BASE_URL", "http://mplus.invalid")
    assert main(["--data-dir", str(tmp_path), "sync", "products"]) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert "mplus.ident" in err and "too short" in err and "qz" not in err
