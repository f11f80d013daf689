"""This project's flows, timed: full sync, no-op sync and a 1 % change sync per flow, at one size.

Run as `python -m benchmarks.ours --spec SPEC.json --out RESULT.json` (a fresh process per size, so the
peak RSS is this size's alone). The stand-ins run in a process of their own (`benchmarks.standins`).
Per flow: full sync (empty POS), read-back sync (the first after it: reads back what the full sync wrote),
no-op sync (steady state) and a 1 % change sync. Mode `flows` pushes for real; mode `scaling` is the reduced mode of the scaling series: the products flow's
extract + transform + plan (diff), nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.config import BenchConfig
from benchmarks.limit import request_bound
from benchmarks.measure import RssSampler, StepTimer, cpu_seconds, maxrss_mb, rss_mb
from benchmarks.standins import StandIns

FLOW_ORDER = ("products", "stock", "customers", "prices", "orders")


def _settings(data_dir: Path, sims: StandIns, cfg: BenchConfig) -> Any:
    from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET, Settings

    return Settings(
        data_dir=data_dir,
        afas={"base_url": sims.afas_url, "token": DEMO_AFAS_TOKEN, "page_size": cfg.page_size},
        mplus={
            "base_url": sims.mplus_url,
            "ident": DEMO_MPLUS_IDENT,
            "secret": DEMO_MPLUS_SECRET,
            "concurrency": cfg.write_concurrency,
        },
    )


def minimal_writes(rt: Any, flow: Any) -> list[int]:
    """Per entity: the write calls the plan needs at least (one per group with a change)."""
    out = []
    for entity in flow.entities:
        spec = entity.spec(rt.settings)
        if not rt.warehouse.table_exists("plan", spec.table.split(".", 1)[1]):
            out.append(0)
            continue
        out.append(
            int(
                rt.warehouse.scalar(
                    f"select count(distinct coalesce(group_key, record_key)) from {spec.table} "
                    f"where action in ('create', 'update', 'deactivate')"
                )
                or 0
            )
        )
    return out


class Bench:
    def __init__(self, rt: Any, sims: StandIns, cfg: BenchConfig, latency_ms: float) -> None:
        self.rt, self.sims, self.cfg, self.latency_ms = rt, sims, cfg, latency_ms
        self.timer = StepTimer()
        self._last_steps: dict[str, float] = {}
        self.sampler = RssSampler()

    def measure(
        self, flow_name: str, scenario: str, *, dry_run: bool = False, changed: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from afas_mplus import runner
        from afas_mplus.flows import FLOWS

        flow = FLOWS[flow_name]
        self.sims.reset()
        self.timer.take()
        cpu0 = cpu_seconds(), cpu_seconds(self.sims.proc.pid)
        self.sampler.start()
        t0 = time.perf_counter()
        result = runner.run_flow(self.rt, flow, runner.Mode.PLAN if dry_run else runner.Mode.SYNC)
        wall = time.perf_counter() - t0
        peak = self.sampler.stop()
        cpu = {
            "sync_s": round(cpu_seconds() - cpu0[0], 2),
            "standins_s": round(cpu_seconds(self.sims.proc.pid) - cpu0[1], 2),
        }
        stats = self.sims.stats()
        writes = [] if dry_run else minimal_writes(self.rt, flow)
        resources = list(flow.afas_resources) + list(flow.mplus_resources)
        limit = request_bound(
            result.extracted,
            resources,
            writes,
            latency_s=self.latency_ms / 1000,
            afas_page_size=self.cfg.page_size,
            write_concurrency=self.cfg.write_concurrency,
        )
        rows = sum(result.plan.values())
        rec: dict[str, Any] = {
            "flow": flow_name,
            "scenario": scenario,
            "dry_run": dry_run,
            "wall_s": round(wall, 3),
            "steps_s": self._take_steps(),
            "extracted": result.extracted,
            "plan": result.plan,
            "pushed_ok": result.pushed_ok,
            "pushed_failed": result.pushed_failed,
            "write_calls": result.write_calls,
            "blocked": result.blocked,
            "errors": result.errors[:5],
            "calls": {
                side: {k: stats[side][k] for k in ("reads", "writes", "peak_concurrency")}
                for side in ("afas", "mplus")
            },
            "calls_by_operation": {side: stats[side]["calls"] for side in ("afas", "mplus")},
            "rows": rows,
            "rows_per_s": round(rows / wall, 1) if wall else None,
            "peak_rss_mb": round(peak, 1),
            "cpu": cpu,
            "limit": limit,
            "push_to_write_limit": round(self.timer_push(result) / limit["write_s"], 2)
            if limit["write_s"]
            else None,
            "ratio_to_limit": round(wall / limit["total_s"], 2) if limit["total_s"] else None,
        }
        calls = rec["calls"]
        target_writes = calls["afas"]["writes"] + calls["mplus"]["writes"]
        if scenario in ("noop", "readback"):
            rec["check"] = {
                "write_calls": target_writes,
                "ok": target_writes == 0 and result.write_calls == 0,
            }
        if changed is not None:
            n = int(changed["rows"])
            rec["changed_rows"] = n
            rec["source_rows"] = changed.get("source_rows")
            # exactly the changed rows written, in the fewest calls the API allows (changed tiers of one
            # article share its updateProduct call: one call per group)
            needed = sum(writes)
            rec["check"] = {
                "changed_rows": n,
                "write_calls": target_writes,
                "pushed_ok": result.pushed_ok,
                "min_write_calls": needed,
                "ok": result.pushed_ok == n and target_writes == result.write_calls == needed,
            }
        self._log(rec)
        return rec

    def _take_steps(self) -> dict[str, float]:
        self._last_steps = self.timer.take()
        return self._last_steps

    def timer_push(self, result: Any) -> float:
        return float(self._last_steps.get("push", 0.0))

    def _log(self, rec: dict[str, Any]) -> None:
        if not self.cfg.quiet:
            print(
                f"  {rec['flow']:<10} {rec['scenario']:<7} {rec['wall_s']:>8.2f} s  rows {rec['rows']:>8}  "
                f"writes {rec['write_calls']:>6}  limit {rec['limit']['total_s']:>7.2f} s  "
                f"rss {rec['peak_rss_mb']:>6.0f} MB",
                flush=True,
            )


def run(cfg: BenchConfig, mode: str, articles: int, work: Path) -> dict[str, Any]:
    from afas_mplus.flows import FLOWS
    from afas_mplus.runtime import Runtime

    os.environ["AFAS_MPLUS_CONFIG"] = str(work / "no-config.yaml")  # the user's YAML must not leak in
    latency = cfg.latency_ms if mode == "flows" else cfg.scaling_latency_ms
    flows = [f for f in FLOW_ORDER if f in cfg.flows and f in FLOWS] if mode == "flows" else ["products"]
    debtors = cfg.debtors if "customers" in flows else 50
    out: dict[str, Any] = {
        "mode": mode,
        "articles": articles,
        "debtors": debtors,
        "latency_ms": latency,
        "write_concurrency": cfg.write_concurrency,
        "page_size": cfg.page_size,
        "flows_requested": cfg.flows,
        "flows_run": flows,
        "flows_not_built": [f for f in cfg.flows if f not in FLOWS],
        "runs": [],
        "naive": [],
    }
    t0 = time.perf_counter()
    with StandIns(
        articles=articles,
        debtors=debtors,
        latency_ms=latency,
        seed=cfg.seed,
        stock_rows=cfg.stock_rows,
        price_rows=cfg.price_rows,
    ) as sims:
        out["standins"] = sims.info
        out["standins_start_s"] = round(time.perf_counter() - t0, 2)
        out["rss_before_mb"] = round(rss_mb(), 1)
        rt = Runtime.open(_settings(work / "data", sims, cfg))
        bench = Bench(rt, sims, cfg, latency)
        try:
            with bench.timer.installed():
                if mode == "scaling":
                    out["runs"].append(bench.measure("products", "plan", dry_run=True))
                else:
                    synced: set[str] = set()
                    for name in flows:
                        if name in ("stock", "prices") and "products" not in synced:
                            bench.measure("products", "setup")  # their target articles must exist first
                            synced.add("products")
                        out["runs"].append(bench.measure(name, "full"))
                        synced.add(name)
                        # the first sync after a full one reads back what it wrote (MplusKASSA syncMarkers
                        # moved for every product); the no-op after it is the steady state
                        out["runs"].append(bench.measure(name, "readback"))
                        out["runs"].append(bench.measure(name, "noop"))
                        changed = sims.change(name, cfg.change_share)
                        out["runs"].append(bench.measure(name, "change", changed=changed))
                        if name == "products" and cfg.runs("naive"):
                            from benchmarks.naive import naive_products

                            out["naive"] = naive_products(bench)
        finally:
            rt.close()
    out["maxrss_mb"] = round(maxrss_mb(), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--spec", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    spec = json.loads(Path(args.spec).read_text())
    cfg = BenchConfig.from_json(spec["config"])
    work = Path(tempfile.mkdtemp(prefix="afas-mplus-bench-"))
    try:
        result = run(cfg, spec["mode"], int(spec["articles"]), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
