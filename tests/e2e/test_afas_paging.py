"""Paging all articles through the AFAS client with concurrency 8: every row exactly once, never > 8 calls."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from afas_mplus.settings import DEMO_AFAS_TOKEN
from connectors.afas.client import AfasClient
from simulators.afas import AfasSimConfig, AfasState, create_app


def test_concurrent_paging_returns_each_row_once_within_eight_calls() -> None:
    state = AfasState.load_or_seed(None, n_articles=3000, n_debtors=10)
    app = create_app(state, AfasSimConfig(tokens=[DEMO_AFAS_TOKEN], latency_s=0.005))

    async def read() -> list[dict]:
        async with AfasClient(
            "http://afas.test/ProfitRestServices",
            DEMO_AFAS_TOKEN,
            concurrency=8,
            page_size=50,
            transport=httpx.ASGITransport(app=app),
        ) as client:
            return [
                row
                async for page in client.iter_pages("Sync_Articles", order_by=["ItemCode"])
                for row in page
            ]

    rows = asyncio.run(read())
    counts = Counter(r["ItemCode"] for r in rows)
    assert len(counts) == len(state.articles)
    assert set(counts.values()) == {1}
    peak = state.stats.snapshot()["peak_concurrency"]
    assert 2 <= peak <= 8
