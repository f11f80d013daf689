"""MplusKASSA stand-in: setStock (absolute), updateStock (delta), getStock by stockId, getStockHistory."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.testing import article, drive, optional_schema, product

SCHEMA = optional_schema()


@pytest.fixture
def app():
    return create_app(MplusState.from_catalog(build_catalog()), MplusSimConfig())


def stock_rows(response):
    return {
        (s["branchNumber"], s["articleNumber"]): (s["amountFree"], s.get("decimalPlacesFree"), s["stockId"])
        for s in response["articleStocks"]
    }


def test_set_stock_is_absolute_update_stock_is_a_delta(app):
    state = app.state.mplus_state

    async def scenario(mp):
        await mp.call("createProduct", product(article(10001), article(10002, stockArticle=False)))
        first = await mp.call(
            "setStock", {"branchNumber": 1, "articleNumber": 10001, "amount": 12, "decimalPlaces": 0}
        )
        assert first["result"] == "SET-STOCK-RESULT-OK"
        again = await mp.call("setStock", {"branchNumber": 1, "articleNumber": 10001, "amount": 7})
        assert again["stockId"] > first["stockId"]
        assert state.stock(1, 10001) == 7  # absolute, not 12 + 7
        delta = await mp.call(
            "updateStock",
            {"branchNumber": 1, "articleNumber": 10001, "amountChanged": -2500, "decimalPlaces": 3},
        )
        assert delta["result"] == "UPDATE-STOCK-RESULT-OK"
        assert state.stock(1, 10001) == Decimal("4.5")
        rows = stock_rows(
            await mp.call("getStock", {"branchNumber": 1, "articleNumbers": {"articleNumbers": [10001]}})
        )
        assert rows[(1, 10001)] == (45, 1, delta["stockId"])

        results = [
            (await mp.call("setStock", req))["result"]
            for req in (
                {"branchNumber": 1, "articleNumber": 10002, "amount": 1},
                {"branchNumber": 1, "articleNumber": 55555, "amount": 1},
                {"branchNumber": 9, "articleNumber": 10001, "amount": 1},
            )
        ]
        assert results == [
            "SET-STOCK-RESULT-NO-STOCK-ARTICLE",
            "SET-STOCK-RESULT-ARTICLE-NOT-FOUND",
            "SET-STOCK-RESULT-BRANCH-NOT-FOUND",
        ]
        no_stock = await mp.call(
            "updateStock", {"branchNumber": 1, "articleNumber": 10002, "amountChanged": 1}
        )
        assert no_stock["result"] == "UPDATE-STOCK-RESULT-NO-STOCK-ARTICLE"
        assert (await mp.call("getCurrentSyncMarkers"))["stockId"] == delta["stockId"]

    drive(app, scenario, SCHEMA)


def test_get_stock_sync_by_stock_id_and_history(app):
    async def scenario(mp):
        await mp.call("createProduct", product(article(1), article(2), article(3)))
        ids = []
        for branch, number, amount in ((1, 1, 5), (2, 1, 6), (1, 2, 7), (1, 1, 8)):
            ids.append(
                (
                    await mp.call(
                        "setStock", {"branchNumber": branch, "articleNumber": number, "amount": amount}
                    )
                )["stockId"]
            )
        changed = stock_rows(
            await mp.call("getStock", {"branchNumber": 1, "articleNumbers": {}, "stockId": ids[1]})
        )
        assert changed == {(1, 2): (7, 0, ids[2]), (1, 1): (8, 0, ids[3])}  # inclusive bound, branch 1 only
        everything = stock_rows(await mp.call("getStock", {"branchNumber": 1, "articleNumbers": {}}))
        assert everything[(1, 3)] == (0, 0, 0)  # never counted: zero
        history = await mp.call("getStockHistory", {"branchNumber": 1, "sinceStockId": ids[2]})
        rows = [(h["articleNumber"], h["amountChanged"], h["type"]) for h in history["articleStockHistory"]]
        assert rows == [(2, 7, "STOCK-HISTORY-TYPE-API"), (1, 3, "STOCK-HISTORY-TYPE-API")]

    drive(app, scenario, SCHEMA)
