"""`afas-mplus bench --shops N`: its arguments, and the report it writes."""

from __future__ import annotations

import pytest

from benchmarks.shops import markdown, parse


def test_arguments_are_checked_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["--shops", "3", "--articles", "500", "--modes", "single"])
    assert (args.shops, args.articles, args.modes) == (3, 500, "single")
    with pytest.raises(SystemExit):
        parse(["--shops", "0"])
    with pytest.raises(SystemExit):
        parse(["--shops", "2", "--modes", "single,k8s"])
    assert "unknown mode(s) k8s" in capsys.readouterr().err


def test_report_has_one_row_per_mode_and_marks_a_failed_one() -> None:
    row = {
        "mode": "single",
        "processes": 1,
        "seconds": 10.0,
        "seconds_per_shop": 5.0,
        "articles_per_s": 200,
        "peak_rss_mib_per_process": 300,
        "peak_rss_mib_total": 300,
    }
    text = markdown(
        {
            "shops": 2,
            "articles": 1000,
            "started": "t",
            "machine": "m",
            "notes": ["n"],
            "modes": [row, {**row, "mode": "dagster", "processes": 2, "error": "boom"}],
        }
    )
    rows = [line for line in text.splitlines() if line.startswith("| single") or line.startswith("| dagster")]
    assert rows[0] == "| single | 1 | 10.0 | 5.0 | 200 | 300 | 300 |"
    assert rows[1].endswith("failed |")
