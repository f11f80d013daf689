"""MplusKASSA stand-in: seeded data, persistence round trip, till mutators, scale."""

from __future__ import annotations

import time

import pytest

from simulators.demo.catalog import build_catalog
from simulators.mplus import MplusSimConfig, MplusState, create_app
from simulators.mplus.handlers.products import create_product, get_products
from simulators.mplus.testing import article, drive, optional_schema, product

SCHEMA = optional_schema()


@pytest.fixture
def state():
    return MplusState.from_catalog(build_catalog())


def test_seed_summary(state):
    assert sorted(state.branches) == [1, 2] and state.vat_rates == {1: 9, 2: 21, 3: 0}
    assert [m["method"] for m in state.payment_methods] == ["CASH", "PIN", "IDEAL", "ONACCOUNT"]
    assert (
        len(state.employees) == 1
        and len(state.turnover_groups) == 6
        and sorted(state.price_groups) == [1, 2, 3]
    )
    assert sorted(state.relations) == list(range(1001, 1013))
    assert len(state.orders) == 12 and len(state.invoices) == 16  # 4 till sales booked as invoices (no order)
    till = sorted(i["extInvoiceId"] for i in state.invoices.values() if not i.get("orderIds"))
    assert till == ["F-2026001", "F-2026002", "F-2026003", "F-2026004"]
    assert not state.products and not state.article_map and not state.article_groups
    unpaid = sorted(o["extOrderId"] for o in state.orders.values() if not o["fullyPaid"])
    assert unpaid == ["POS-2026005", "POS-2026009"]
    states = sorted(i["state"] for i in state.invoices.values())
    assert states.count("INVOICE-STATE-OUTSTANDING") == 3 and states.count("INVOICE-STATE-PAID") == 13
    assert state.markers == {
        "article": 0,
        "articleGroup": 0,
        "relation": 12,
        "employee": 1,
        "invoice": 16,
        "receipt": 0,
        "order": 12,
        "stock": 0,
    }
    # Deterministic: the same catalog gives the same state, ids included.
    assert MplusState.from_catalog(build_catalog()).snapshot() == state.snapshot()


@pytest.mark.parametrize("name", ["mplus.json", "mplus.pkl"])
def test_persistence_round_trip(tmp_path, state, name):
    app = create_app(state, MplusSimConfig())

    async def fill(mp):
        await mp.call(
            "createProduct",
            product(article(10001, priceDeviationMin=__import__("decimal").Decimal("1.5")), article(10002)),
        )
        await mp.call("setStock", {"branchNumber": 1, "articleNumber": 10001, "amount": 3})
        await mp.call("newArticleGroup", {"parentGroupNumber": 0, "name": "G", "text": ""})
        await mp.call("createRelation", {"relation": {"name": "Persist", "email": "p@x.nl"}})
        await mp.call("createOrderV3", {"idempotencyKey": "k", "order": {"orderId": "", "extOrderId": "W1"}})

    drive(app, fill, SCHEMA)
    path = tmp_path / name
    state.save(path)
    loaded = MplusState.load(path)
    assert loaded.snapshot() == state.snapshot()
    assert loaded.stock(1, 10001) == 3

    async def after(mp):
        marker = (await mp.call("getCurrentSyncMarkers"))["articleSyncMarker"]
        await mp.call("updateProduct", product(article(10002, description="na laden")))
        page = await mp.call("getProducts", {"pluNumbers": {}, "syncMarker": marker + 1})
        assert [p["productNumber"] for p in page["productList"]["product"]] == [1]
        found = await mp.call("findRelationV2", {"relation": {"email": "p@x.nl"}, "exactMatch": True})
        assert found["result"] == "FIND-RELATION-RESULT-OK"
        replay = await mp.call("createOrderV3", {"idempotencyKey": "k", "order": {"orderId": ""}})
        assert replay["idempotencyResult"] == "IDEMPOTENCY-RESULT-REPLAY-RESPONSE"
        assert (await mp.call("findOrder", {"extOrderId": "W1"}))["result"] == "GET-ORDER-RESULT-OK"

    drive(create_app(loaded, MplusSimConfig()), after, SCHEMA)


def test_load_or_seed(tmp_path):
    path = tmp_path / "data" / "mplus.pkl"
    seeded = MplusState.load_or_seed(path, n_articles=50)
    assert path.exists() and len(seeded.orders) == 12
    seeded.edit_relation(1002, city="Zandvoort")
    seeded.save(path)
    assert MplusState.load_or_seed(path).get_relation(1002)["city"] == "Zandvoort"
    assert MplusState.load_or_seed(None).get_relation(1002)["city"] == "Haarlem"


def test_till_mutators_raise_sync_markers(state):
    app = create_app(state, MplusSimConfig())

    async def setup(mp):
        await mp.call("createProduct", product(article(10001), article(10002)))

    drive(app, setup, SCHEMA)
    before = state.markers["article"]
    edited = state.edit_article(10001, description="Aan de kassa gewijzigd", priceIncl=605)
    assert edited["syncMarker"] == before + 1 and edited["priceExcl"] == 500
    assert state.get_article(10001)["description"] == "Aan de kassa gewijzigd"
    assert [a["articleNumber"] for a in state.articles()] == [10001, 10002]
    stock_id = state.set_stock(2, 10002, 4)
    assert state.stock(2, 10002) == 4 and state.markers["stock"] == stock_id

    async def read(mp):
        page = await mp.call("getProducts", {"pluNumbers": {}, "syncMarker": before + 1})
        return page["productList"]["product"]

    [changed] = drive(app, read, SCHEMA)
    assert changed["syncMarker"] == before + 1
    with pytest.raises(KeyError):
        state.edit_article(4242, description="x")
    with pytest.raises(KeyError):
        state.pay_order("POS-404")


def test_paging_stays_cheap_at_scale(state):
    with state.lock:
        for p in range(2000):
            arts = [
                {
                    "articleNumber": 100000 + p * 10 + i,
                    "description": f"A{p}/{i}",
                    "priceIncl": 1000,
                    "vatCode": 2,
                }
                for i in range(10)
            ]
            assert create_product(state, {"product": {"articleList": {"article": arts}}})["result"].endswith(
                "OK"
            )
    started = time.perf_counter()
    for _ in range(50):
        tail = get_products(state, {"syncMarker": state.markers["article"] - 25, "syncMarkerLimit": 1000})
        page = get_products(state, {"syncMarker": 10_000, "syncMarkerLimit": 1000})
    elapsed = time.perf_counter() - started
    assert len(tail["productList"]["product"]) == 3 and len(page["productList"]["product"]) == 100
    assert elapsed < 2.0, f"100 paged reads over 20k articles took {elapsed:.2f}s"
