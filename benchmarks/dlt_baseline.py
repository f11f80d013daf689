"""dlt's generic `rest_api` source against the same AFAS stand-in, for the extract step.

The same GetConnectors the products flow reads, paged with dlt's offset paginator (`skip` / `take`, one
request after the other: dlt's paginator is sequential), loaded into DuckDB by dlt with the same loader
setting as ours (`staging.warehouse.DLT_MAX_QUERY_LENGTH`), so the comparison is about the source. Against it,
in the same process and against the same stand-ins: this project's AFAS extract (`steps.extract_afas`) and,
for the paging alone, both sources iterated without loading.

`python -m benchmarks.dlt_baseline --spec SPEC.json --out RESULT.json`
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
from benchmarks.measure import RssSampler
from benchmarks.standins import StandIns

# resource -> (GetConnector, orderbyfieldids), as pipelines/afas reads them for the products flow
CONNECTORS = {
    "afas_articles": ("Sync_Articles", "ItemCode"),
    "afas_item_attributes": ("Sync_ItemAttributes", "ItemCode,AttributeCode"),
    "afas_item_features": ("Sync_ItemFeatures", "ItemCode,FeatureCode"),
    "afas_article_groups": ("Profit_ArticleGroups", "Artikelgroep"),
}


def rest_api_config(afas_url: str, page_size: int) -> dict[str, Any]:
    from afas_mplus.settings import DEMO_AFAS_TOKEN
    from simulators.afas.app import auth_header

    return {
        "client": {
            "base_url": afas_url.rstrip("/") + "/",
            "headers": {"Authorization": auth_header(DEMO_AFAS_TOKEN)},
            "paginator": {
                "type": "offset",
                "limit": page_size,
                "offset_param": "skip",
                "limit_param": "take",
                "total_path": None,
                "stop_after_empty_page": True,
            },
        },
        "resource_defaults": {"write_disposition": "replace", "endpoint": {"data_selector": "rows"}},
        "resources": [
            {"name": name, "endpoint": {"path": f"connectors/{conn}", "params": {"orderbyfieldids": order}}}
            for name, (conn, order) in CONNECTORS.items()
        ],
    }


def _rest_api_source(afas_url: str, page_size: int) -> Any:
    from dlt.sources.rest_api import rest_api_source

    return rest_api_source(rest_api_config(afas_url, page_size), name="afas_rest_api", max_table_nesting=0)


def _calls(sims: StandIns) -> dict[str, Any]:
    s = sims.stats()["afas"]
    return {"reads": s["reads"], "peak_concurrency": s["peak_concurrency"], "rows_served": s["rows_served"]}


def run(cfg: BenchConfig, articles: int, work: Path) -> dict[str, Any]:
    import dlt

    from afas_mplus import steps
    from afas_mplus.runtime import Runtime
    from benchmarks.ours import _settings
    from staging.warehouse import DLT_MAX_QUERY_LENGTH

    os.environ["AFAS_MPLUS_CONFIG"] = str(work / "no-config.yaml")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
    out: dict[str, Any] = {
        "articles": articles,
        "latency_ms": cfg.latency_ms,
        "page_size": cfg.page_size,
        "connectors": {k: v[0] for k, v in CONNECTORS.items()},
    }
    sampler = RssSampler()
    with StandIns(articles=articles, debtors=50, latency_ms=cfg.latency_ms, seed=cfg.seed) as sims:
        out["standins"] = sims.info
        # 1. dlt rest_api: extract (paging) + normalize + load into DuckDB
        pipeline = dlt.pipeline(
            pipeline_name="bench_rest_api",
            pipelines_dir=str(work / "dlt"),
            destination=dlt.destinations.duckdb(
                str(work / "rest_api.duckdb"), max_query_length=DLT_MAX_QUERY_LENGTH
            ),
            dataset_name="staging",
        )
        sims.reset()
        sampler.start()
        t0 = time.perf_counter()
        pipeline.extract(_rest_api_source(sims.afas_url, cfg.page_size))
        t1 = time.perf_counter()
        pipeline.normalize()
        pipeline.load()
        t2 = time.perf_counter()
        rows = {
            k: v
            for k, v in pipeline.last_trace.last_normalize_info.row_counts.items()
            if not k.startswith("_dlt")
        }
        out["rest_api"] = {
            "wall_s": round(t2 - t0, 3),
            "extract_s": round(t1 - t0, 3),
            "normalize_load_s": round(t2 - t1, 3),
            "rows": rows,
            "calls": _calls(sims),
            "peak_rss_mb": round(sampler.stop(), 1),
        }
        _log(cfg, "dlt rest_api", out["rest_api"])

        # 2. this project's AFAS extract of the same resources into its own staging database
        rt = Runtime.open(_settings(work / "data", sims, cfg))
        try:
            sims.reset()
            sampler.start()
            t0 = time.perf_counter()
            counts = steps.extract_afas(rt, tuple(CONNECTORS))
            wall = time.perf_counter() - t0
            out["ours"] = {
                "wall_s": round(wall, 3),
                "rows": counts,
                "calls": _calls(sims),
                "peak_rss_mb": round(sampler.stop(), 1),
            }
            _log(cfg, "ours extract", out["ours"])

            # 3. paging alone: the same connectors, pages only (nothing normalized or loaded)
            from pipelines.afas.helpers import AfasReader

            reader = AfasReader(rt.afas, rt.portal)
            sims.reset()
            t0 = time.perf_counter()
            n = 0
            for name, (conn, order) in CONNECTORS.items():
                keyset = "ItemCode" if name == "afas_articles" else None  # as pipelines/afas does
                for page in reader.pages(conn, order_by=order.split(","), keyset=keyset):
                    n += len(page)
            out["ours_paging"] = {
                "wall_s": round(time.perf_counter() - t0, 3),
                "rows": n,
                "calls": _calls(sims),
            }
            _log(cfg, "ours paging", out["ours_paging"])
        finally:
            rt.close()
        sims.reset()
        t0 = time.perf_counter()
        n = sum(1 for _ in _rest_api_source(sims.afas_url, cfg.page_size))
        out["rest_api_paging"] = {
            "wall_s": round(time.perf_counter() - t0, 3),
            "items": n,
            "calls": _calls(sims),
        }
        _log(cfg, "dlt paging", out["rest_api_paging"])
    ra, ours = out["rest_api"]["wall_s"], out["ours"]["wall_s"]
    out["speedup_extract"] = round(ra / ours, 2) if ours else None
    pa, po = out["rest_api_paging"]["wall_s"], out["ours_paging"]["wall_s"]
    out["speedup_paging"] = round(pa / po, 2) if po else None
    return out


def _log(cfg: BenchConfig, label: str, rec: dict[str, Any]) -> None:
    if not cfg.quiet:
        print(
            f"  {label:<18} {rec['wall_s']:>8.2f} s  calls {rec['calls']['reads']:>5}  "
            f"peak concurrency {rec['calls']['peak_concurrency']}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--spec", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    spec = json.loads(Path(args.spec).read_text())
    cfg = BenchConfig.from_json(spec["config"])
    work = Path(tempfile.mkdtemp(prefix="afas-mplus-dlt-"))
    try:
        result = run(cfg, int(spec["articles"]), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
