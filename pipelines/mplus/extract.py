"""The MplusKASSA extract of one run into `staging.mplus_*`, from plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from connectors.aio import Portal
from connectors.mplus.client import MplusClient
from pipelines.load import Staging, extract_record, now, run_source
from pipelines.mplus.columns import CHILD_TABLES
from pipelines.mplus.helpers import MplusReader
from pipelines.mplus.source import COMPANIONS, mplus_source


def extract_mplus(
    client: MplusClient,
    portal: Portal,
    staging: Staging,
    resources: Sequence[str],
    *,
    sync_marker_limit: int = 500,
    stock_branches: Iterable[int] = (),
) -> dict[str, int]:
    """Load these resources (and the list tables read with them); returns rows loaded per table.
    `stock_branches`: the branches whose stock levels are read."""
    if not resources:
        return {}
    started = now()
    reader = MplusReader(client, portal, sync_marker_limit)
    wanted = [*resources, *(c for r in resources for c in COMPANIONS.get(r, ()))]
    source = mplus_source(reader, sorted(set(stock_branches))).with_resources(*dict.fromkeys(wanted))
    counts = run_source(staging, "mplus", source, CHILD_TABLES)
    staging.sink(extract_record("mplus", counts, started))
    return counts
