"""Sizes and knobs of a benchmark run, parsed from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_FLOWS = ("products", "stock", "customers", "prices")
BASELINES = ("limit", "dlt", "naive", "diff", "scaling")


def _ints(text: str) -> list[int]:
    return [int(float(p)) for p in text.split(",") if p.strip()]


def _names(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


@dataclass
class BenchConfig:
    articles: int = 100_000
    debtors: int = 20_000
    stock_rows: int | None = (
        100_000  # AFAS stock rows kept (the catalogue makes ~2.3 per article); None = all
    )
    price_rows: int | None = 200_000  # AFAS price rows kept, where a prices flow exists
    latency_ms: float = 50.0  # per call, both stand-ins
    write_concurrency: int = 8  # MplusKASSA calls in flight (settings.mplus.concurrency) for the benchmark
    page_size: int = 1000  # AFAS take
    flows: list[str] = field(default_factory=lambda: list(DEFAULT_FLOWS))
    sizes: list[int] = field(default_factory=lambda: [10_000, 100_000, 1_000_000])  # scaling points
    scaling_latency_ms: float = 0.0
    diff_rows: int = 1_000_000
    change_share: float = 0.01
    dlt_articles: int | None = None  # size of the dlt rest_api baseline; None = articles
    skip: list[str] = field(default_factory=list)  # baselines not run: limit, dlt, naive, diff, scaling
    seed: int = 42
    out: Path = Path("docs/benchmarks")
    name: str = "bench"
    timeout_s: float = 3600.0  # per subprocess
    quiet: bool = False

    def runs(self, part: str) -> bool:
        return part not in self.skip

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["out"] = str(self.out)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> BenchConfig:
        d = dict(d)
        d["out"] = Path(d["out"])
        return cls(**d)


def build_parser(prog: str = "python -m benchmarks") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__ + " Results: <out>/<name>.json, .md and .png.")
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    d = BenchConfig()
    p.add_argument("--articles", type=int, default=d.articles, help="AFAS articles (default %(default)s)")
    p.add_argument("--debtors", type=int, default=d.debtors, help="AFAS debtors (default %(default)s)")
    p.add_argument(
        "--stock-rows",
        type=int,
        default=d.stock_rows,
        help="AFAS stock rows kept, 0 = all the catalogue makes (default %(default)s)",
    )
    p.add_argument(
        "--price-rows",
        type=int,
        default=d.price_rows,
        help="AFAS price rows kept, 0 = all (default %(default)s; only where a prices flow exists)",
    )
    p.add_argument("--latency-ms", type=float, default=d.latency_ms, help="per call (default %(default)s)")
    p.add_argument(
        "--write-concurrency",
        type=int,
        default=d.write_concurrency,
        help="MplusKASSA calls in flight during the push (default %(default)s)",
    )
    p.add_argument("--page-size", type=int, default=d.page_size, help="AFAS page size (default %(default)s)")
    p.add_argument(
        "--flows",
        type=_names,
        default=d.flows,
        help="flows to time, comma-separated (default %(default)s; flows not built are skipped)",
    )
    p.add_argument(
        "--sizes",
        type=_ints,
        default=d.sizes,
        help="article counts of the scaling series (default %(default)s)",
    )
    p.add_argument(
        "--scaling-latency-ms",
        type=float,
        default=d.scaling_latency_ms,
        help="latency of the scaling series (default %(default)s: its reduced mode)",
    )
    p.add_argument(
        "--diff-rows", type=int, default=d.diff_rows, help="rows of the diff-only run (default %(default)s)"
    )
    p.add_argument(
        "--change-share", type=float, default=d.change_share, help="share changed (default %(default)s)"
    )
    p.add_argument(
        "--dlt-articles",
        type=int,
        default=None,
        help="articles for the dlt rest_api baseline (default: --articles)",
    )
    p.add_argument(
        "--skip", type=_names, default=[], help=f"parts not run, comma-separated: {', '.join(BASELINES)}"
    )
    p.add_argument(
        "--skip-baselines",
        action="store_true",
        help="run only our flows (same as --skip "
        "limit,dlt,naive,diff,scaling; the limit is cheap and still computed)",
    )
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--out", type=Path, default=d.out, help="result folder (default %(default)s)")
    p.add_argument("--name", default=d.name, help="result file name without suffix (default %(default)s)")
    p.add_argument(
        "--timeout", type=float, default=d.timeout_s, help="seconds per part (default %(default)s)"
    )
    p.add_argument("--quiet", action="store_true")


def config_from_args(args: argparse.Namespace) -> BenchConfig:
    skip = list(args.skip)
    if args.skip_baselines:
        skip += ["dlt", "naive", "diff", "scaling"]
    unknown = set(skip) - set(BASELINES)
    if unknown:
        raise SystemExit(
            f"unknown part(s) to skip: {', '.join(sorted(unknown))}; known: {', '.join(BASELINES)}"
        )
    return BenchConfig(
        articles=args.articles,
        debtors=args.debtors,
        stock_rows=args.stock_rows or None,
        price_rows=args.price_rows or None,
        latency_ms=args.latency_ms,
        write_concurrency=args.write_concurrency,
        page_size=args.page_size,
        flows=list(args.flows),
        sizes=list(args.sizes),
        scaling_latency_ms=args.scaling_latency_ms,
        diff_rows=args.diff_rows,
        change_share=args.change_share,
        dlt_articles=args.dlt_articles,
        skip=sorted(set(skip)),
        seed=args.seed,
        out=args.out,
        name=args.name,
        timeout_s=args.timeout,
        quiet=args.quiet,
    )


def parse(argv: Sequence[str] | None = None, prog: str = "python -m benchmarks") -> BenchConfig:
    return config_from_args(build_parser(prog).parse_args(argv))
