"""The diff alone: `reverse_etl.diff.build_plan` on N rows in DuckDB (desired vs current, 1 % changed), and
beside it, in the same process and the same rounds, a bare DuckDB hash compare of the same two tables (the
least any diff costs: one full outer join on the key comparing a hash of the compared fields, counted).

`python -m benchmarks.diff_bench --spec SPEC.json --out RESULT.json`; the tables are generated in SQL
(twelve fields of the article shape), in a DuckDB file like the real staging database.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from afas_mplus.flows.products import ARTICLE_FIELDS
from benchmarks.measure import RssSampler

FIELDS = ARTICLE_FIELDS  # the products flow's compared fields: the bench diffs what the flow diffs

_ROWS = """
select cast(i as varchar) as record_key, cast(i // 3 as varchar) as group_key,
       'Artikel ' || i as description, 'Lange omschrijving van artikel ' || i as extra_text,
       cast((i % 17000) / 100 + 5 as decimal(18, 2)) as price, cast(1 + i % 3 as integer) as vat_code,
       cast(8700000000000 + i as varchar) as barcode, 'Merk ' || (i % 40) as brand,
       cast(100 * (1 + i % 6) as varchar) as group_code, case when i % 3 = 0 then 'Zwart' end as colour,
       case when i % 3 = 0 then 'M' end as size, 'Materiaal=Katoen|Herkomst=Nederland' as features,
       i % 250 <> 0 as active, i % 10 <> 0 as stock_article
from range({n}) as t(i)
"""


def bare_compare_sql(spec: Any) -> str:
    """Keys new, gone or differing in a compared field, only counted: what `build_plan` is measured against."""
    fields = ", ".join(dict.fromkeys([*spec.fields, *([spec.active_field] if spec.active_field else [])]))
    return (
        f"select count(*) from (select record_key, hash({fields}) as h from {spec.desired}) as d "
        f"full outer join (select record_key, hash({fields}) as h from {spec.current}) as c "
        f"on d.record_key = c.record_key where d.record_key is null or c.record_key is null or d.h <> c.h"
    )


def run(rows: int, repeat: int = 3) -> dict[str, Any]:
    from reverse_etl.diff import build_plan
    from reverse_etl.spec import PlanSpec
    from staging.warehouse import Warehouse

    work = Path(tempfile.mkdtemp(prefix="afas-mplus-diff-"))
    try:
        wh = Warehouse(work / "diff.duckdb")
        wh.execute("create table staging.bench_desired as " + _ROWS.format(n=rows))
        # current: 1 % changed prices, 0.5 % missing (creates), every 250th row deactivated in desired
        wh.execute(
            "create table staging.bench_current as select * replace ("
            "case when cast(record_key as bigint) % 100 = 7 then price + 1 else price end as price, "
            "true as active) from staging.bench_desired where cast(record_key as bigint) % 200 <> 3"
        )
        spec = PlanSpec(
            flow="bench",
            entity="articles",
            desired="staging.bench_desired",
            current="staging.bench_current",
            fields=FIELDS,
            active_field="active",
            create_only=frozenset({"extra_text", "features"}),
        )
        times, bare, counts, differing = [], [], {}, 0
        sampler = RssSampler()
        sampler.start()
        for _ in range(repeat):  # alternated, so a burst of load on the machine hits both alike
            t0 = time.perf_counter()
            summary = build_plan(wh, spec)
            times.append(time.perf_counter() - t0)
            counts = summary.counts
            t0 = time.perf_counter()
            differing = int(wh.scalar(bare_compare_sql(spec)) or 0)
            bare.append(time.perf_counter() - t0)
        peak = sampler.stop()
        wh.close()
        median, bare_median = statistics.median(times), statistics.median(bare)
        return {
            "rows": rows,
            "seconds": [round(t, 3) for t in times],
            "first_s": round(times[0], 3),
            "median_s": round(median, 3),
            "counts": counts,
            "peak_rss_mb": round(peak, 1),
            "bare_seconds": [round(t, 3) for t in bare],
            "bare_median_s": round(bare_median, 3),
            "bare_differing": differing,
            "plan_to_bare": round(median / bare_median, 2) if bare_median else None,
            "threads": "duckdb default (all cores)",
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--spec", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    spec = json.loads(Path(args.spec).read_text())
    result = run(int(spec["rows"]))
    Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
