"""Run the benchmark parts, each in a fresh subprocess, and write the report after each part."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.config import BenchConfig, parse

NOTES = [
    "Reduced mode of the scaling series: the products flow's extract + transform + plan (the diff), no "
    "writes, at the scaling latency; a full sync with writes at 1M articles would be ~370k write calls.",
    "The stand-ins run in their own process (uvicorn threads), so the sync's RSS and CPU are its own; their "
    "row caches are built before timing (a real AFAS has its database ready).",
    "The AFAS stand-in's clock runs a day after the catalogue's last ModifiedDate: the demo catalogue stamps "
    "large catalogues into the future, which would hide a change from the incremental extract.",
    "The stand-ins' latency is a response time: a call is answered `latency` after it arrived, their own "
    "processing included. (Until 2026-11-26 they slept `latency` and then worked, so on this 2-core machine "
    "their CPU came on top of every call: ~6 ms of a 50 ms createProduct.)",
    "Each flow's runs: full (empty POS), read-back (the first run after it reads back what the full run "
    "wrote), no-op (steady state), 1 % change. Flows run in the order products, stock, customers, prices: "
    "stock and prices find the articles the products runs created (and read back) already there.",
    "A 1 % change is met when exactly the changed rows are written, in the fewest calls the API allows: "
    "changed tiers of one article share its updateProduct call (the prices recipe may change two tiers of "
    "one article).",
]


def child_env() -> dict[str, str]:
    """The environment of the benchmark's subprocesses: the project importable from anywhere."""
    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _part(cfg: BenchConfig, module: str, spec: dict[str, Any], work: Path, key: str) -> dict[str, Any]:
    spec_path, out_path = work / f"{key}.spec.json", work / f"{key}.out.json"
    spec_path.write_text(json.dumps({"config": cfg.as_json(), **spec}))
    cmd = [sys.executable, "-m", module, "--spec", str(spec_path), "--out", str(out_path)]
    if not cfg.quiet:
        print(f"[{key}] {module} {spec}", flush=True)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, timeout=cfg.timeout_s, stderr=subprocess.PIPE, text=True, env=child_env())
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {cfg.timeout_s:.0f} s", **spec}
    if proc.returncode != 0 or not out_path.exists():
        return {"error": f"exit {proc.returncode}: {(proc.stderr or '')[-2000:]}", **spec}
    result = json.loads(out_path.read_text())
    result["part_s"] = round(time.perf_counter() - t0, 1)
    return result


def run(cfg: BenchConfig, command: str = "") -> dict[str, Path]:
    result: dict[str, Any] = {
        "name": cfg.name,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "config": cfg.as_json(),
        "machine": report.machine(),
        "parts": {},
        "notes": list(NOTES),
    }
    paths: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="afas-mplus-bench-") as tmp:
        work = Path(tmp)

        def step(key: str, module: str, spec: dict[str, Any]) -> None:
            nonlocal paths
            result["parts"][key] = _part(cfg, module, spec, work, key)
            paths = report.write(result, cfg.out, cfg.name)

        if cfg.flows:
            step("flows", "benchmarks.ours", {"mode": "flows", "articles": cfg.articles})
        if cfg.runs("dlt"):
            step("dlt", "benchmarks.dlt_baseline", {"articles": cfg.dlt_articles or cfg.articles})
        if cfg.runs("diff"):
            step("diff", "benchmarks.diff_bench", {"rows": cfg.diff_rows})
        if cfg.runs("scaling"):
            for size in cfg.sizes:
                step(f"scaling_{size}", "benchmarks.ours", {"mode": "scaling", "articles": size})
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    paths = report.write(result, cfg.out, cfg.name)
    if not cfg.quiet:
        print("\n".join(f"{kind}: {p}" for kind, p in paths.items()))
        for t in result["targets"]:
            met = {True: "met", False: "MISSED", None: "not run"}[t["met"]]
            print(f"  {met:<8} {t['target']}: {t['measured']}")
    return paths


def main(argv: Sequence[str] | None = None, prog: str = "python -m benchmarks") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a == "--shops" or a.startswith("--shops=") for a in argv):  # many shops: benchmarks/shops.py
        from benchmarks.shops import main as shops_main

        return shops_main(argv)
    cfg = parse(argv, prog)
    run(cfg, command=" ".join([prog, *map(shlex.quote, argv)]))
    return 0
