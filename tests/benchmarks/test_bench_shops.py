"""`afas-mplus bench --shops N`: its arguments, the request-bound limit it compares with, and its report."""

from __future__ import annotations

import pytest

from benchmarks.shops import _limit_s, _reads, markdown, parse


def test_arguments_are_checked_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse(["--shops", "3", "--articles", "500", "--modes", "single,celery"])
    assert (args.shops, args.articles, args.modes, args.latency_ms) == (3, 500, "single,celery", 50)
    with pytest.raises(SystemExit):
        parse(["--shops", "0"])
    with pytest.raises(SystemExit):
        parse(["--shops", "2", "--workers", "0"])
    with pytest.raises(SystemExit):
        parse(["--shops", "2", "--modes", "single,k8s"])
    assert "unknown mode(s) k8s" in capsys.readouterr().err


def test_the_limit_counts_the_calls_each_stand_in_saw_in_rounds_of_eight() -> None:
    before = {"afas": {"reads": 10, "peak_concurrency": 0}, "mplus": {"reads": 3}}
    after = {"afas": {"reads": 27, "peak_concurrency": 6}, "mplus": {"reads": 5}}
    reads = _reads(before, after)
    assert reads == {"afas_reads": 17, "mplus_reads": 2, "afas_peak_concurrency": 6}
    assert _limit_s(reads, 0.05) == pytest.approx(3 * 0.05 + 1 * 0.05)  # 17 calls: 3 rounds; 2 calls: 1 round


ROW = {
    "mode": "single",
    "processes": 1,
    "workers": 0,
    "seconds": 10.0,
    "slowest_shop_s": 10.0,
    "articles_per_s": 200,
    "afas_reads": 40,
    "mplus_reads": 4,
    "afas_peak_concurrency_per_shop": 8,
    "limit_s": 0.5,
    "x_limit": 20.0,
    "peak_rss_mib_per_run": 300,
    "peak_rss_mib_per_worker": None,
    "peak_rss_mib_largest_process": 300,
    "peak_rss_mib_total": 300,
}


def test_report_has_one_row_per_mode_and_marks_failed_and_skipped_ones() -> None:
    text = markdown(
        {
            "shops": 2,
            "articles": 1000,
            "latency_ms": 50,
            "started": "t",
            "machine": "m",
            "notes": ["n"],
            "modes": [
                ROW,
                {**ROW, "mode": "dagster", "processes": 2, "error": "boom"},
                {"mode": "celery", "skipped": "RabbitMQ is not reachable"},
            ],
        }
    )
    rows = {line.split(" | ")[0][2:]: line for line in text.splitlines() if line.startswith("| ")}
    assert (
        rows["single"]
        == "| single | 1 | 0 | 10.0 | 10.0 | 200 | 40 | 4 | 8 | 0.5 | 20.0 | 300 | – | 300 | 300 |"
    )
    assert rows["dagster"].endswith("failed |")
    assert rows["celery"] == "| celery | skipped: RabbitMQ is not reachable |"
