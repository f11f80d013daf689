"""The naive sync baseline, for the push step: what a hand-written script does.

Read every target record (all MplusKASSA products, page after page), compare with the desired state in
Python, write one call per differing record, one at a time. It gets the same desired rows as our push
(`transforms.desired_articles`) and writes through the same writer, so only the strategy differs.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

# desired_articles column -> the staged MplusKASSA article column it is compared with
COMPARED = {
    "description": "description",
    "price": "price_excl",
    "vat_code": "vat_code",
    "barcode": "barcode",
    "brand": "brand",
    "colour": "colour",
    "size": "size",
    "active": "active",
    "stock_article": "stock_article",
}
CURRENT_OF = {"extra_text": "extra_text", "features": "features", **COMPARED}


def _norm(v: Any) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, Decimal | float):
        return Decimal(str(v)).normalize()
    return v


async def _naive_push(rt: Any, desired: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    from pipelines.mplus.helpers import article_rows
    from reverse_etl.writers.products import ArticleWriter

    t0 = time.perf_counter()
    target: dict[str, dict[str, Any]] = {}
    async for page in rt.mplus.iter_products(0, limit=limit):  # every target record, every time
        for product in page:
            for row in article_rows(product):
                target[str(row["article_number"])] = row
    read_s = time.perf_counter() - t0
    differing, missing = [], 0
    for d in desired:
        cur = target.get(str(d["record_key"]))
        if cur is None:
            missing += 1 if d.get("active") else 0
            continue
        if any(_norm(d.get(f)) != _norm(cur.get(c)) for f, c in COMPARED.items()):
            row = dict(d, action="update")
            row.update({f"{f}__current": cur.get(c) for f, c in CURRENT_OF.items()})
            differing.append(row)
    writer = ArticleWriter(rt)
    failed = 0
    for row in differing:  # one call per record, one at a time
        for rec in await writer.write(str(row["group_key"]), [row]):
            failed += 0 if rec.ok else 1
    return {
        "read_s": round(read_s, 3),
        "compared": len(desired),
        "target_records": len(target),
        "differing": len(differing),
        "missing_not_created": missing,
        "failed": failed,
    }


def naive_products(bench: Any) -> list[dict[str, Any]]:
    """Two scenarios after our products runs: no-op (target in sync) and a fresh 1 % change."""
    from afas_mplus import runner, steps
    from afas_mplus.flows import FLOWS

    rt, sims = bench.rt, bench.sims
    flow = FLOWS["products"]
    limit = rt.settings.mplus.sync_marker_limit
    out = []
    for scenario in ("noop", "change"):
        changed = None
        if scenario == "change":
            changed = sims.change("products", bench.cfg.change_share)
            steps.extract(rt, flow)  # desired state only: not part of the push step being compared
            steps.transform(rt, flow)
        desired = rt.warehouse.query("select * from transforms.desired_articles")
        sims.reset()
        t0 = time.perf_counter()
        res = rt.portal.call(_naive_push, rt, desired, limit)
        wall = time.perf_counter() - t0
        stats = sims.stats()
        rec = {
            "flow": "products",
            "scenario": scenario,
            "wall_s": round(wall, 3),
            **res,
            "calls": {"mplus": {k: stats["mplus"][k] for k in ("reads", "writes", "peak_concurrency")}},
        }
        if changed is not None:
            rec["changed_rows"] = changed["rows"]
            # our plan afterwards: what the naive writes left undone (0 = it did the job)
            steps.extract(rt, flow)
            steps.transform(rt, flow)
            left = runner.plan_entity(rt, flow.entities[-1])
            rec["left_changes"] = left.changes
        out.append(rec)
        if not bench.cfg.quiet:
            print(
                f"  naive      {scenario:<7} {wall:>8.2f} s  reads {rec['calls']['mplus']['reads']:>5}  "
                f"writes {rec['calls']['mplus']['writes']:>6}",
                flush=True,
            )
    return out
