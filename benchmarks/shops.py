"""`afas-mplus bench --shops N --articles K`: N shops of K articles, one process against Dagster's runs.

Each shop has its own embedded stand-ins (its own AFAS and MplusKASSA, K articles, seeded per shop) and its own
DuckDB warehouse under the shops' data dir. The work per shop is the products flow's plan (extract, SQL models,
diff; nothing sent), once as a cold run (empty staging) per mode:

- `single`: one Python process syncs the shops one after another (`afas-mplus plan products --shop ...`).
- `dagster`: one Dagster run per shop (`<shop>__products_plan`, `dagster job execute`), all launched at once;
  each run executes in its own process (in-process executor on the shop's DuckDB file).

Time, throughput (articles per second over all shops) and peak memory per process (RSS of the process and its
children, sampled every 0.2 s) go to `<out>/<name>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from benchmarks import report
from benchmarks.cli import child_env

MODES = ("single", "dagster")
SINGLE = """
import sys
from afas_mplus.cli import main
for shop in sys.argv[1:]:
    code = main(["plan", "products", "--shop", shop, "--json", "--limit", "0"])
    if code not in (0, 1):
        sys.exit(code)
"""


def parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="afas-mplus bench --shops N",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--shops", type=int, required=True, help="how many shops")
    p.add_argument("--articles", type=int, default=10_000, help="articles per shop (default %(default)s)")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma-separated: {', '.join(MODES)}")
    p.add_argument("--out", type=Path, default=Path("docs/benchmarks"))
    p.add_argument("--name", default=None, help="result file name (default shops-<N>x<K>)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per mode (default %(default)s)")
    args = p.parse_args(list(argv))
    if args.shops < 1 or args.articles < 1:
        p.error("--shops and --articles are at least 1")
    unknown = set(args.modes.split(",")) - set(MODES)
    if unknown:
        p.error(f"unknown mode(s) {', '.join(sorted(unknown))}: the modes are {', '.join(MODES)}")
    return args


def _shops(root: Path, n: int, articles: int) -> tuple[dict[str, str], list[str]]:
    folder = root / "shops"
    folder.mkdir(parents=True)
    names = [f"s{i:02d}" for i in range(1, n + 1)]
    for i, name in enumerate(names):
        (folder / f"{name}.yaml").write_text(
            f"simulator:\n  articles: {articles}\n  debtors: 20\n  seed: {100 + i}\n", encoding="utf-8"
        )
    env = {
        **child_env(),
        "SHOPS_DIR": str(folder),
        "DATA_DIR": str(root / "data"),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    env.pop("AFAS_MPLUS_CONFIG", None)  # the shared settings are the defaults: nothing of the user's
    (root / "dagster").mkdir()
    return env, names


def _watch(procs: list[subprocess.Popen[Any]], timeout: float) -> tuple[float, list[int], list[int]]:
    """Wait for every process; (seconds, exit codes, peak RSS in MiB of each process tree)."""
    t0 = time.perf_counter()
    peaks = [0] * len(procs)
    while any(p.poll() is None for p in procs):
        if time.perf_counter() - t0 > timeout:
            for p in procs:
                p.kill()
            break
        for i, p in enumerate(procs):
            try:
                tree = psutil.Process(p.pid)
                rss = tree.memory_info().rss + sum(c.memory_info().rss for c in tree.children(recursive=True))
            except psutil.Error:
                continue
            peaks[i] = max(peaks[i], rss)
        time.sleep(0.2)
    return time.perf_counter() - t0, [p.wait() for p in procs], [round(b / 2**20) for b in peaks]


def _mode(mode: str, root: Path, n: int, articles: int, timeout: float) -> dict[str, Any]:
    work = root / mode
    env, names = _shops(work, n, articles)
    logs = work / "logs"
    logs.mkdir()
    if mode == "single":
        cmds = [[sys.executable, "-W", "ignore", "-c", SINGLE, *names]]
    else:
        cmds = [
            [
                sys.executable,
                "-W",
                "ignore",
                "-m",
                "dagster",
                "job",
                "execute",
                "-m",
                "dagster_project.definitions",
                "-j",
                f"{name}__products_plan",
            ]
            for name in names
        ]
    procs = []
    for i, cmd in enumerate(cmds):
        with (logs / f"{i}.log").open("w") as out:
            procs.append(subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=work))
    seconds, codes, peaks = _watch(procs, timeout)
    failed = [i for i, c in enumerate(codes) if c not in (0, 1)]
    result: dict[str, Any] = {
        "mode": mode,
        "shops": n,
        "articles_per_shop": articles,
        "processes": len(procs),
        "seconds": round(seconds, 1),
        "articles_per_s": round(n * articles / seconds),
        "seconds_per_shop": round(seconds / n, 1),
        "peak_rss_mib_per_process": max(peaks),
        "peak_rss_mib_total": sum(peaks),
    }
    if failed:
        result["error"] = (logs / f"{failed[0]}.log").read_text(encoding="utf-8")[-1500:]
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Many shops: {result['shops']} shops x {result['articles']} articles",
        "",
        f"{result['started']} on {result['machine']}",
        "",
        "Per shop: the products flow's plan from cold (extract from its own stand-ins, SQL models, diff; "
        "nothing sent), each shop on its own DuckDB file.",
        "",
        "| mode | processes | seconds | s per shop | articles/s | peak RSS per process (MiB) | total (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["modes"]:
        lines.append(
            f"| {r['mode']} | {r['processes']} | {r['seconds']} | {r['seconds_per_shop']} | "
            f"{r['articles_per_s']} | {r['peak_rss_mib_per_process']} | {r['peak_rss_mib_total']} |"
            + (" failed |" if r.get("error") else "")
        )
    return "\n".join([*lines, "", *result["notes"], ""])


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    name = args.name or f"shops-{args.shops}x{args.articles}"
    result: dict[str, Any] = {
        "shops": args.shops,
        "articles": args.articles,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": json.dumps(report.machine()),
        "modes": [],
        "notes": [
            "single: one process, the shops one after another. dagster: one run per shop, "
            "all launched at once, each in a process of its own (in-process executor on "
            "DuckDB). The multiprocess and Celery executors need the PostgreSQL warehouse "
            "and stand-ins served apart (tests/deploy/test_shops_celery.py runs them); not "
            "timed here."
        ],
    }
    root = Path(tempfile.mkdtemp(prefix="afas-mplus-bench-shops-"))
    try:
        for mode in args.modes.split(","):
            print(f"[{mode}] {args.shops} shops x {args.articles} articles", flush=True)
            result["modes"].append(_mode(mode, root, args.shops, args.articles, args.timeout))
            print(json.dumps(result["modes"][-1]), flush=True)
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
            (args.out / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if not any(r.get("error") for r in result["modes"]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
