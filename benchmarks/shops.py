"""`afas-mplus bench --shops N --articles K`: N shops of K articles, one process against Dagster's executors.

Each shop has its own stand-ins (one `afas-mplus simulate` process per shop, K articles, seeded per shop, every
call answered after `--latency-ms`), served apart from the sync so that every mode reads the same data. The
work per shop is the products flow's plan (extract, SQL models, diff; nothing sent), from cold (empty staging):

- `single`: one Python process plans the shops one after another (`afas-mplus plan products --shop ...`), each
  on its own DuckDB file.
- `dagster`: one Dagster run per shop (`<shop>__products_plan`, `dagster job execute`), all launched at once,
  each in its own process (in-process executor on the shop's DuckDB file).
- `multiprocess`: the same runs on the PostgreSQL warehouse (one schema set per shop), each step in a process of
  its own; the Dagster instance on dagster-postgres (deploy/dagster.yaml).
- `celery`: the same, the steps executed by two local `dagster-celery` workers (RabbitMQ at 127.0.0.1:5672).

The PostgreSQL modes are skipped with the reason where PostgreSQL (or RabbitMQ) is not reachable. Per mode:
wall time, throughput (articles per second over all shops), peak memory of each run's process tree and of the
largest single process (Celery: of each worker), the AFAS and MplusKASSA calls the stand-ins counted, and the
ratio to the request-bound limit: ceil(calls / 8) x latency per shop, summed for `single` (shops one after
another), the largest shop's for the others (shops side by side, each on its own stand-ins). Results go to
`<out>/<name>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from benchmarks import report
from benchmarks.cli import child_env
from benchmarks.dagster_processes import (
    create_instance,
    dagster_database,
    job_command,
    rabbitmq_missing,
    start_workers,
)
from benchmarks.shop_standins import ShopStandIns, credentials, served, write_shop_files
from dagster_project.deployment import CELERY_QUEUE_ENV, EXECUTOR_ENV

MODES = ("single", "dagster", "multiprocess", "celery")
POSTGRES_MODES = ("multiprocess", "celery")
POSTGRES_DSNS = (
    "host=127.0.0.1 port=5432 dbname=test user=postgres",
    "host=127.0.0.1 port=5432 dbname=test user=root",
)
DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
READ_PARALLEL = 8
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
    p.add_argument(
        "--latency-ms", type=int, default=50, help="stand-ins' response time (default %(default)s)"
    )
    p.add_argument("--workers", type=int, default=2, help="Celery workers (default %(default)s)")
    p.add_argument("--out", type=Path, default=Path("docs/benchmarks"))
    p.add_argument("--name", default=None, help="result file name (default shops-<N>x<K>)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per mode (default %(default)s)")
    args = p.parse_args(list(argv))
    if args.shops < 1 or args.articles < 1 or args.workers < 1 or args.latency_ms < 0:
        p.error("--shops, --articles and --workers are at least 1, --latency-ms at least 0")
    unknown = set(args.modes.split(",")) - set(MODES)
    if unknown:
        p.error(f"unknown mode(s) {', '.join(sorted(unknown))}: the modes are {', '.join(MODES)}")
    return args


def _watch(
    procs: list[subprocess.Popen[Any]], watched: list[psutil.Process], timeout: float
) -> tuple[float, list[int], list[float], list[int], int]:
    """Wait for `procs`; (seconds, exit codes, seconds until each ended, peak RSS MiB of each of `watched` with its
    children, peak RSS MiB of the largest single process among them), sampled every 0.2 s."""
    t0 = time.perf_counter()
    ended = [0.0] * len(procs)
    peaks, largest = [0] * len(watched), 0
    while any(p.poll() is None for p in procs):
        if time.perf_counter() - t0 > timeout:
            for p in procs:
                p.kill()
            break
        for i, tree in enumerate(watched):
            try:
                sizes = [tree.memory_info().rss] + [
                    c.memory_info().rss for c in tree.children(recursive=True)
                ]
            except psutil.Error:
                continue
            peaks[i] = max(peaks[i], sum(sizes))
            largest = max(largest, *sizes)
        for i, p in enumerate(procs):
            if not ended[i] and p.poll() is not None:
                ended[i] = time.perf_counter() - t0
        time.sleep(0.2)
    seconds = time.perf_counter() - t0
    ended = [e or seconds for e in ended]
    mib = [round(b / 2**20) for b in peaks]
    return seconds, [p.wait() for p in procs], ended, mib, round(largest / 2**20)


def _postgres_dsn() -> str | None:
    import psycopg2  # the [scale] extra; only the PostgreSQL modes need it

    for dsn in POSTGRES_DSNS:
        try:
            psycopg2.connect(dsn, connect_timeout=3).close()
            return dsn
        except psycopg2.Error:
            continue
    return None


@contextmanager
def _on_postgres(work: Path, env: dict[str, str], dsn: str) -> Iterator[dict[str, str]]:
    """The environment of a run on PostgreSQL: a Dagster database of its own (deploy/dagster.yaml), the warehouse's
    schemas under a prefix of their own; both dropped afterwards."""
    import psycopg2  # the [scale] extra
    from psycopg2.extensions import parse_dsn

    prefix = f"b{uuid.uuid4().hex[:8]}_"
    shutil.copy(DEPLOY / "dagster.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml")
    warehouse = "postgresql://{user}@{host}:{port}/{dbname}".format(**parse_dsn(dsn))
    try:
        with dagster_database(dsn) as database:
            yield {**env, **database, "WAREHOUSE_DSN": warehouse, "WAREHOUSE_SCHEMA_PREFIX": prefix}
    finally:
        admin = psycopg2.connect(dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("select nspname from pg_namespace where nspname like %s", (prefix + "%",))
            for (schema,) in cur.fetchall():
                cur.execute(f'drop schema "{schema}" cascade')
        admin.close()


def _reads(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    return {
        "afas_reads": after["afas"]["reads"] - before["afas"]["reads"],
        "mplus_reads": after["mplus"]["reads"] - before["mplus"]["reads"],
        "afas_peak_concurrency": after["afas"]["peak_concurrency"],
    }


def _limit_s(reads: dict[str, int], latency_s: float) -> float:
    return sum(math.ceil(reads[k] / READ_PARALLEL) * latency_s for k in ("afas_reads", "mplus_reads"))


def _skip(mode: str, n: int, articles: int, reason: str) -> dict[str, Any]:
    return {"mode": mode, "shops": n, "articles_per_shop": articles, "skipped": reason}


def _mode(
    mode: str, root: Path, standins: list[ShopStandIns], args: argparse.Namespace, base: dict[str, str]
) -> dict[str, Any]:
    names = [s.name for s in standins]
    n, articles = len(names), args.articles
    work = root / mode
    (work / "dagster").mkdir(parents=True)
    logs = work / "logs"
    logs.mkdir()
    env = {**base, "DATA_DIR": str(work / "data"), "DAGSTER_HOME": str(work / "dagster")}
    with ExitStack() as stack:
        workers: list[psutil.Process] = []
        if mode in POSTGRES_MODES:
            dsn = _postgres_dsn()
            if dsn is None:
                return _skip(mode, n, articles, "PostgreSQL is not reachable at 127.0.0.1:5432")
            env = stack.enter_context(_on_postgres(work, env, dsn))
            env[EXECUTOR_ENV] = mode
        if mode == "celery":
            reason = rabbitmq_missing()
            if reason:
                return _skip(mode, n, articles, reason)
            env[CELERY_QUEUE_ENV] = f"afas_mplus_bench_{uuid.uuid4().hex[:8]}"
            started = start_workers(work, env, stack, count=args.workers)
            workers = [psutil.Process(proc.pid) for proc, _ in started]
        if mode != "single":
            create_instance(env)
        cmds = (
            [[sys.executable, "-W", "ignore", "-c", SINGLE, *names]]
            if mode == "single"
            else [job_command(f"{name}__products_plan") for name in names]
        )
        for s in standins:
            s.reset_peak()
        before = {s.name: s.stats() for s in standins}
        procs = []
        for i, cmd in enumerate(cmds):
            with (logs / f"{i}.log").open("w") as out:
                procs.append(subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=work))
        watched = [psutil.Process(p.pid) for p in procs] + workers
        seconds, codes, ended, peaks, largest = _watch(procs, watched, args.timeout)
        reads = {s.name: _reads(before[s.name], s.stats()) for s in standins}
    latency = args.latency_ms / 1000
    limits = [_limit_s(r, latency) for r in reads.values()]
    limit = sum(limits) if mode == "single" else max(limits)
    runs, worker_peaks = peaks[: len(procs)], peaks[len(procs) :]
    result: dict[str, Any] = {
        "mode": mode,
        "shops": n,
        "articles_per_shop": articles,
        "processes": len(procs),
        "workers": len(workers),
        "seconds": round(seconds, 1),
        "articles_per_s": round(n * articles / seconds),
        "seconds_per_shop": round(seconds / n, 1),
        "slowest_shop_s": round(max(ended), 1),
        "peak_rss_mib_per_run": max(runs),
        "peak_rss_mib_per_worker": max(worker_peaks) if worker_peaks else None,
        "peak_rss_mib_largest_process": largest,
        "peak_rss_mib_total": sum(peaks),
        "afas_reads": sum(r["afas_reads"] for r in reads.values()),
        "mplus_reads": sum(r["mplus_reads"] for r in reads.values()),
        "afas_peak_concurrency_per_shop": max(r["afas_peak_concurrency"] for r in reads.values()),
        "limit_s": round(limit, 2),
        "x_limit": round(seconds / limit, 1) if limit else None,
    }
    # `plan --json` exits 1 for a plan with error rows (the demo shops have some); a Dagster run that failed, 1
    ok_codes = (0, 1) if mode == "single" else (0,)
    failed = [i for i, c in enumerate(codes) if c not in ok_codes]
    if failed:
        result["error"] = (logs / f"{failed[0]}.log").read_text(encoding="utf-8")[-1500:]
    elif idle := [
        name for name, r in reads.items() if not r["afas_reads"]
    ]:  # a run that did nothing is no result
        result["error"] = f"no AFAS call reached the stand-ins of {', '.join(idle)}"
    return result


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Many shops: {result['shops']} shops x {result['articles']} articles",
        "",
        f"{result['started']} on {result['machine']}; stand-ins answer after {result['latency_ms']} ms",
        "",
        "Per shop: the products flow's plan from cold (extract from the shop's own stand-ins, SQL models, diff; "
        "nothing sent).",
        "",
        "| mode | processes | workers | seconds | slowest shop s | articles/s | AFAS reads | MplusKASSA reads "
        "| AFAS peak concurrency per shop | limit s | × limit | peak RSS per run (MiB) | per worker (MiB) "
        "| largest process (MiB) | total (MiB) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["modes"]:
        if r.get("skipped"):
            lines.append(f"| {r['mode']} | skipped: {r['skipped']} |")
            continue
        cells = [
            r["mode"],
            r["processes"],
            r["workers"],
            r["seconds"],
            r["slowest_shop_s"],
            r["articles_per_s"],
        ]
        cells += [
            r["afas_reads"],
            r["mplus_reads"],
            r["afas_peak_concurrency_per_shop"],
            r["limit_s"],
            r["x_limit"],
        ]
        cells += [r["peak_rss_mib_per_run"], r["peak_rss_mib_per_worker"], r["peak_rss_mib_largest_process"]]
        cells += [r["peak_rss_mib_total"]]
        lines.append(
            "| " + " | ".join(_cell(c) for c in cells) + " |" + (" failed |" if r.get("error") else "")
        )
    return "\n".join([*lines, "", *result["notes"], ""])


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    name = args.name or f"shops-{args.shops}x{args.articles}"
    result: dict[str, Any] = {
        "shops": args.shops,
        "articles": args.articles,
        "latency_ms": args.latency_ms,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": json.dumps(report.machine()),
        "modes": [],
        "notes": [
            "single: one process, the shops one after another, DuckDB. dagster: one run per shop, all launched "
            "at once, each in a process of its own (in-process executor, DuckDB). multiprocess: the same runs on "
            "the PostgreSQL warehouse, each step a process of its own. celery: the same, the steps run by the "
            "Celery workers. limit: ceil(calls / 8) x latency per shop; summed for single, the largest shop's "
            "for the others (each shop has its own stand-ins). Peak RSS per run: the run's process and its "
            "children; per worker: a Celery worker and its children."
        ],
    }
    root = Path(tempfile.mkdtemp(prefix="afas-mplus-bench-shops-"))
    names = [f"s{i:02d}" for i in range(1, args.shops + 1)]
    ports = write_shop_files(root / "shops", names, args.articles)
    base = {**child_env(), "SHOPS_DIR": str(root / "shops"), **credentials(names)}
    base.pop("AFAS_MPLUS_CONFIG", None)  # the shared settings are the defaults: nothing of the user's
    try:
        print(f"starting the stand-ins of {args.shops} shops x {args.articles} articles", flush=True)
        with served(root, ports, base, args.latency_ms) as standins:
            for mode in args.modes.split(","):
                print(f"[{mode}] {args.shops} shops x {args.articles} articles", flush=True)
                result["modes"].append(_mode(mode, root, standins, args, base))
                print(json.dumps(result["modes"][-1]), flush=True)
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
                (args.out / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if not any(r.get("error") for r in result["modes"]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
