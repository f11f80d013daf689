"""The result files: JSON (everything measured), a short Markdown report with the targets, a PNG plot."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

import psutil

TARGET_RATIO = 1.3
TARGET_SPEEDUP = 5.0
TARGET_DIFF_S = 2.0
TARGET_RSS_MB = 600.0
TARGET_NOOP_RATIO = 2.0  # no-op sync vs its request-bound limit
TARGET_READBACK_RATIO = 3.0  # read-back sync (the first after a full one) vs its limit
TARGET_PLAN_TO_BARE = 2.0  # build_plan vs a bare DuckDB hash compare of the same tables
AFAS_MAX_CONCURRENCY = 8


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def _runs(result: dict[str, Any]) -> list[dict[str, Any]]:
    return (result.get("parts", {}).get("flows") or {}).get("runs", [])


def _find(result: dict[str, Any], flow: str, scenario: str) -> dict[str, Any] | None:
    return next((r for r in _runs(result) if r["flow"] == flow and r["scenario"] == scenario), None)


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its measured value and met / missed / not run."""
    parts = result.get("parts", {})
    out: list[dict[str, Any]] = []

    def add(name: str, value: str, met: bool | None) -> None:
        out.append({"target": name, "measured": value, "met": met})

    full = [r for r in _runs(result) if r["scenario"] == "full"]
    for r in full:
        ratio = r.get("ratio_to_limit")
        add(
            f"{r['flow']} full sync <= {TARGET_RATIO} x request-bound limit",
            f"{r['wall_s']:.1f} s / {r['limit']['total_s']:.1f} s = {ratio} x" if ratio else "n/a",
            None if ratio is None else ratio <= TARGET_RATIO,
        )
    if not full:
        add(f"full sync <= {TARGET_RATIO} x request-bound limit", "not run", None)
    dl = parts.get("dlt") or {}
    if dl.get("speedup_extract") is not None:
        add(
            f"extract >= {TARGET_SPEEDUP:.0f} x faster than dlt rest_api",
            f"{dl['rest_api']['wall_s']:.1f} s / {dl['ours']['wall_s']:.1f} s = {dl['speedup_extract']} x "
            f"(paging alone: {dl['speedup_paging']} x)",
            dl["speedup_extract"] >= TARGET_SPEEDUP,
        )
    else:
        add(f"extract >= {TARGET_SPEEDUP:.0f} x faster than dlt rest_api", dl.get("error", "not run"), None)
    for r in _runs(result):
        if r["scenario"] in ("noop", "readback"):
            add(
                f"{r['flow']} {'no-op' if r['scenario'] == 'noop' else 'read-back (no-op after full)'} sync "
                f"makes 0 write calls",
                f"{r['check']['write_calls']} write calls",
                r["check"]["ok"],
            )
        if r["scenario"] == "change":
            c = r["check"]
            add(
                f"{r['flow']} 1 % change writes exactly the changed rows",
                f"{c['changed_rows']} changed, {c['pushed_ok']} rows written in {c['write_calls']} write calls"
                + (f" (fewest possible: {c['min_write_calls']})" if "min_write_calls" in c else ""),
                c["ok"],
            )
    diff = parts.get("diff") or {}
    if "median_s" in diff:
        add(
            f"diff of {diff['rows']:,} rows <= {TARGET_DIFF_S:.0f} s",
            f"{diff['median_s']:.2f} s (median of {len(diff['seconds'])}; first {diff['first_s']:.2f} s)",
            diff["median_s"] <= TARGET_DIFF_S,
        )
    else:
        add(f"diff of 1M rows <= {TARGET_DIFF_S:.0f} s", diff.get("error", "not run"), None)
    if diff.get("plan_to_bare") is not None:
        add(
            f"plan step <= {TARGET_PLAN_TO_BARE:.0f} x a bare DuckDB hash compare (same tables, same run)",
            f"{diff['median_s']:.2f} s / {diff['bare_median_s']:.2f} s = {diff['plan_to_bare']} x (medians)",
            diff["plan_to_bare"] <= TARGET_PLAN_TO_BARE,
        )
    else:
        add(
            f"plan step <= {TARGET_PLAN_TO_BARE:.0f} x a bare DuckDB hash compare",
            diff.get("error", "not run"),
            None,
        )
    steady_state_targets(result, add)
    flows_part = parts.get("flows") or {}
    products_full = _find(result, "products", "full")
    if products_full:
        n = flows_part.get("articles")
        add(
            f"peak RSS of the {n:,}-article products full sync <= {TARGET_RSS_MB:.0f} MB",
            f"{products_full['peak_rss_mb']:.0f} MB",
            products_full["peak_rss_mb"] <= TARGET_RSS_MB,
        )
    scaling = [p for k, p in sorted(parts.items()) if k.startswith("scaling_") and "runs" in p]
    wanted = result["config"].get("sizes", [])
    sizes = ", ".join(f"{p['articles']:,}" for p in scaling)
    add(
        f"growth {' -> '.join(f'{n:,}' for n in wanted)} articles plotted",
        f"{len(scaling)} of {len(wanted)} sizes measured ({sizes})" if scaling else "not run",
        None if not scaling else len(scaling) >= len(wanted),
    )
    return out


def steady_state_targets(result: dict[str, Any], add: Any) -> None:
    """No-op and read-back against their request-bound limits, peak RSS of every run, AFAS concurrency."""
    runs = _runs(result)
    for scenario, bound, label in (
        ("noop", TARGET_NOOP_RATIO, "no-op sync"),
        ("readback", TARGET_READBACK_RATIO, "read-back after a full sync"),
    ):
        for r in (r for r in runs if r["scenario"] == scenario):
            ratio = r.get("ratio_to_limit")
            add(
                f"{r['flow']} {label} <= {bound:.0f} x its request-bound limit",
                f"{r['wall_s']:.2f} s / {r['limit']['total_s']:.2f} s = {ratio} x" if ratio else "n/a",
                None if ratio is None else ratio <= bound,
            )
    if runs:
        worst = max(runs, key=lambda r: r["peak_rss_mb"])
        add(
            f"peak RSS of every flow and run <= {TARGET_RSS_MB:.0f} MB",
            f"highest {worst['peak_rss_mb']:.0f} MB ({worst['flow']} {worst['scenario']})",
            worst["peak_rss_mb"] <= TARGET_RSS_MB,
        )
        peak = max(r["calls"]["afas"]["peak_concurrency"] for r in runs)
        add(
            f"never more than {AFAS_MAX_CONCURRENCY} concurrent AFAS calls",
            f"peak {peak} on the AFAS stand-in",
            peak <= AFAS_MAX_CONCURRENCY,
        )


def scaling_points(result: dict[str, Any]) -> list[dict[str, Any]]:
    pts = []
    for key, part in result.get("parts", {}).items():
        if key.startswith("scaling_") and part.get("runs"):
            r = part["runs"][0]
            pts.append(
                {
                    "articles": part["articles"],
                    "wall_s": r["wall_s"],
                    "peak_rss_mb": r["peak_rss_mb"],
                    "steps_s": r["steps_s"],
                    "rows_extracted": sum(r["extracted"].values()),
                    "rows_per_s": r["rows_per_s"],
                }
            )
        elif key.startswith("scaling_"):
            pts.append({"articles": part.get("articles"), "error": part.get("error", "no result")})
    return sorted(pts, key=lambda p: p["articles"] or 0)


def plot(result: dict[str, Any], path: Path) -> bool:
    pts = [p for p in scaling_points(result) if "wall_s" in p]
    if not pts:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [p["articles"] for p in pts]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.plot(
        xs,
        [p["wall_s"] for p in pts],
        "o-",
        label=f"extract + transform + plan (latency {result['config']['scaling_latency_ms']:g} ms)",
    )
    for step in ("extract_afas", "extract_mplus", "transform", "plan"):
        a.plot(xs, [p["steps_s"].get(step, 0) for p in pts], ".--", label=step, alpha=0.7)
    a.set(xscale="log", yscale="log", xlabel="articles", ylabel="seconds", title="time")
    a.legend(fontsize=7)
    b.plot(xs, [p["peak_rss_mb"] for p in pts], "o-", color="tab:red", label="peak RSS of the sync process")
    b.axhline(TARGET_RSS_MB, color="grey", ls=":", label=f"{TARGET_RSS_MB:.0f} MB")
    b.set(xscale="log", xlabel="articles", ylabel="MB", title="memory")
    b.legend(fontsize=7)
    for ax in (a, b):
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("products flow: how time and memory grow with the catalogue")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _f(v: Any, digits: int = 1) -> str:
    return "–" if v is None else (f"{v:,.{digits}f}" if isinstance(v, float | int) else str(v))


def markdown(result: dict[str, Any], png_name: str | None) -> str:
    cfg = result["config"]
    parts = result.get("parts", {})
    fl = parts.get("flows") or {}
    lines = [
        f"# Benchmark: {result.get('name', 'bench')}",
        "",
        f"Run {result.get('started', '')} on {result['machine']['cpus']} cores, "
        f"{result['machine']['memory_gb']} GB, Python {result['machine']['python']}. Command: "
        f"`{result.get('command', '')}`",
        "",
        f"Stand-ins served over HTTP by uvicorn in their own process, **{cfg['latency_ms']:g} ms per call** "
        f"(each answer leaves {cfg['latency_ms']:g} ms after its request arrived, the stand-in's own work "
        f"included); "
        f"AFAS reads: 8 in flight, page size {cfg['page_size']}; **MplusKASSA writes: "
        f"{cfg['write_concurrency']} in flight** (chosen for the benchmark, the limit uses the same). "
        f"Catalogue: {fl.get('articles', cfg['articles']):,} articles"
        + (f", AFAS rows {fl['standins']['afas_rows']}" if fl.get("standins") else "")
        + ".",
        "",
    ]
    if fl.get("flows_not_built"):
        lines += [f"Flows asked for but not built yet (skipped): {', '.join(fl['flows_not_built'])}.", ""]
    lines += ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for t in targets(result):
        met = {True: "met", False: "**missed**", None: "not run"}[t["met"]]
        lines.append(f"| {t['target']} | {t['measured']} | {met} |")
    runs = [r for r in fl.get("runs", []) if r["scenario"] != "setup"]
    if runs:
        lines += [
            "",
            "## This project",
            "",
            "| flow | sync | wall s | AFAS reads | MplusKASSA reads | writes | rows | rows/s | peak RSS MB "
            "| CPU s sync / stand-ins | limit s | × limit | push × write limit |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for r in runs:
            c = r["calls"]
            lines.append(
                f"| {r['flow']} | {r['scenario']} | {r['wall_s']:.2f} | {c['afas']['reads']} | {c['mplus']['reads']} "
                f"| {c['afas']['writes'] + c['mplus']['writes']} | {r['rows']:,} | {_f(r['rows_per_s'], 0)} "
                f"| {r['peak_rss_mb']:.0f} | {r.get('cpu', {}).get('sync_s', '–')} / "
                f"{r.get('cpu', {}).get('standins_s', '–')} | {r['limit']['total_s']:.2f} "
                f"| {_f(r['ratio_to_limit'], 2)} | {_f(r.get('push_to_write_limit'), 2)} |"
            )
        lines += [
            "",
            "Seconds per step (full syncs): "
            + "; ".join(
                f"{r['flow']}: " + ", ".join(f"{k} {v:.1f}" for k, v in r["steps_s"].items())
                for r in runs
                if r["scenario"] == "full"
            ),
        ]
        lines += [
            "",
            "`rows` = rows the plan compared; `limit` = request-bound limit: ceil(read calls / 8) × latency "
            "+ Σ entities ceil(write calls needed / write concurrency) × latency.",
        ]
    naive = fl.get("naive") or []
    if naive:
        lines += [
            "",
            "## Naive sync (push step: read every target record, compare in Python, write per record)",
            "",
            "| sync | wall s | MplusKASSA reads | writes | differing | ours (whole sync) s |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        for n in naive:
            ours = _find(result, "products", n["scenario"])
            lines.append(
                f"| products {n['scenario']} | {n['wall_s']:.2f} | {n['calls']['mplus']['reads']} | "
                f"{n['calls']['mplus']['writes']} | {n['differing']} | "
                f"{_f(ours['wall_s'] if ours else None, 2)} |"
            )
    dl = parts.get("dlt") or {}
    if "rest_api" in dl:
        lines += [
            "",
            f"## dlt `rest_api` (sequential offset paginator) vs ours, extract of the products "
            f"connectors, {dl['articles']:,} articles",
            "",
            "| | wall s | calls | peak concurrency | peak RSS MB |",
            "|---|--:|--:|--:|--:|",
            f"| dlt rest_api: extract + normalize + load | {dl['rest_api']['wall_s']:.2f} | "
            f"{dl['rest_api']['calls']['reads']} | {dl['rest_api']['calls']['peak_concurrency']} | "
            f"{dl['rest_api']['peak_rss_mb']:.0f} |",
            f"| ours: `steps.extract_afas` | {dl['ours']['wall_s']:.2f} | {dl['ours']['calls']['reads']} | "
            f"{dl['ours']['calls']['peak_concurrency']} | {dl['ours']['peak_rss_mb']:.0f} |",
            f"| dlt rest_api: paging only | {dl['rest_api_paging']['wall_s']:.2f} | "
            f"{dl['rest_api_paging']['calls']['reads']} | 1 | |",
            f"| ours: paging only | {dl['ours_paging']['wall_s']:.2f} | {dl['ours_paging']['calls']['reads']} "
            f"| {dl['ours_paging']['calls']['peak_concurrency']} | |",
        ]
    diff = parts.get("diff") or {}
    if "median_s" in diff:
        lines += [
            "",
            f"## Diff alone: {diff['rows']:,} rows in DuckDB (file), `build_plan`",
            "",
            f"{diff['seconds']} s per run, median {diff['median_s']:.2f} s; plan {diff['counts']}; "
            f"peak RSS {diff['peak_rss_mb']:.0f} MB.",
        ]
        if "bare_seconds" in diff:
            lines += [
                "",
                f"Bare DuckDB hash compare of the same tables, alternated with `build_plan` in the same "
                f"process: {diff['bare_seconds']} s, median {diff['bare_median_s']:.2f} s "
                f"({diff['bare_differing']:,} keys differ); `build_plan` = {diff['plan_to_bare']} × bare.",
            ]
    pts = scaling_points(result)
    if pts:
        lines += [
            "",
            f"## Scaling (reduced mode: products flow extract + transform + plan, nothing written, "
            f"latency {cfg['scaling_latency_ms']:g} ms)",
            "",
            "| articles | wall s | rows extracted | rows/s | peak RSS MB |",
            "|--:|--:|--:|--:|--:|",
        ]
        for p in pts:
            if "error" in p:
                lines.append(f"| {p['articles']:,} | {p['error']} | | | |")
            else:
                lines.append(
                    f"| {p['articles']:,} | {p['wall_s']:.1f} | {p['rows_extracted']:,} | "
                    f"{_f(p['rows_per_s'], 0)} | {p['peak_rss_mb']:.0f} |"
                )
        if png_name:
            lines += ["", f"![time and memory by catalogue size]({png_name})"]
    errors = {k: p["error"] for k, p in parts.items() if isinstance(p, dict) and "error" in p}
    if errors:
        lines += ["", "## Parts that failed", ""] + [f"- {k}: {v[-300:]}" for k, v in errors.items()]
    if result.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in result["notes"]]
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any], out: Path, name: str) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    result["targets"] = targets(result)
    paths = {"json": out / f"{name}.json", "md": out / f"{name}.md", "png": out / f"{name}.png"}
    has_png = plot(result, paths["png"])
    paths["json"].write_text(json.dumps(result, indent=1, default=str))
    paths["md"].write_text(markdown(result, paths["png"].name if has_png else None))
    if not has_png:
        paths.pop("png")
    return paths
