"""The request-bound limit: the least time any client needs for the calls a sync cannot avoid.

reads  = sum over the resources read of ceil(rows / page size), x latency / 8 (AFAS allows 8 parallel calls;
         the same bound is applied to the MplusKASSA reads; a resource read with nothing new still costs 1 call)
writes = sum over the entities pushed of ceil(write calls needed / write concurrency) x latency, entity after
         entity (article groups must exist before the articles that name them)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

READ_PARALLEL = 8

# rows per call of the MplusKASSA reads (pipelines/mplus: syncMarker pages; getStock in sync mode answers all
# changed levels of a branch in one call)
MPLUS_PAGE = {
    "mplus_articles": 500,
    "mplus_relations": 1000,
    "mplus_stock": 10**9,
    "mplus_orders": 500,
    "mplus_article_groups": 10**9,
}


def page_size_of(resource: str, afas_page_size: int) -> int:
    if resource.startswith("afas_"):
        return afas_page_size
    return MPLUS_PAGE.get(resource, 500)


def read_calls(extracted: Mapping[str, int], resources: list[str], afas_page_size: int) -> int:
    """Calls needed to read `extracted` rows of each resource (child tables ride along with their parent)."""
    calls = 0
    for r in resources:
        rows = int(extracted.get(r, 0))
        calls += max(1, math.ceil(rows / page_size_of(r, afas_page_size)))
    return calls


def request_bound(
    extracted: Mapping[str, int],
    resources: list[str],
    writes_per_entity: list[int],
    *,
    latency_s: float,
    afas_page_size: int,
    write_concurrency: int,
) -> dict[str, Any]:
    reads = read_calls(extracted, resources, afas_page_size)
    read_s = math.ceil(reads / READ_PARALLEL) * latency_s if reads else 0.0
    write_rounds = sum(math.ceil(n / write_concurrency) for n in writes_per_entity if n)
    write_s = write_rounds * latency_s
    return {
        "read_calls": reads,
        "read_s": round(read_s, 3),
        "write_calls": sum(writes_per_entity),
        "write_s": round(write_s, 3),
        "total_s": round(read_s + write_s, 3),
        "write_concurrency": write_concurrency,
        "latency_s": latency_s,
    }
