"""AFAS stand-in state: persistence, test mutators, incremental views and the fast query paths."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from simulators.afas import AfasState
from simulators.afas.connectors import GET_CONNECTORS
from simulators.afas.query import ConnectorView, rows_json, run_get
from simulators.afas.testing import ManualClock, demo_state, order_body, person_relation_body
from simulators.afas.updates import handle_write


def fetch(state: AfasState, connector: str, **params: str) -> list[dict[str, Any]]:
    conn = GET_CONNECTORS[connector]
    _, _, rows = run_get(state, conn, {"skip": "-1", "take": "-1", **params})
    return rows_json(conn, rows)


def where(state: AfasState, connector: str, field: str, value: str) -> list[dict[str, Any]]:
    return fetch(state, connector, filterfieldids=field, filtervalues=value, operatortypes="1")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 29, 12, 30, 0))  # summer time in Amsterdam: the Z must not shift it


@pytest.fixture
def state(clock: ManualClock) -> AfasState:
    return demo_state(clock=clock)


# ---------------------------------------------------------------- mutators


def test_modify_article_stamps_modified_date_in_amsterdam_time(state: AfasState, clock: ManualClock) -> None:
    fetch(state, "Sync_Articles")  # build the view first: the change must reach it incrementally
    state.modify_article("10001", Description="Nieuwe naam", price_excl="12.5")
    (row,) = where(state, "Sync_Articles", "ItemCode", "10001")
    assert (row["Description"], row["SalesPrice"]) == ("Nieuwe naam", 12.5)
    assert row["ModifiedDate"] == "2026-03-29T12:30:00Z"
    assert where(state, "Profit_Article", "ItemCode", "10001")[0]["ModifiedDate"] == "2026-03-29T12:30:00Z"
    changed = fetch(
        state,
        "Sync_Articles",
        filterfieldids="ModifiedDate",
        filtervalues="2026-03-29T12:30:00",
        operatortypes="2",
    )
    assert [r["ItemCode"] for r in changed] == ["10001"]
    with pytest.raises(TypeError):
        state.modify_article("10001", colour_of_the_sky="blue")


def test_add_block_remove_article(state: AfasState, clock: ManualClock) -> None:
    state.add_article(
        "20500", "Nieuwe Sjaal", group_code="400", price_excl=Decimal("19.95"), ean="8712345678906"
    )
    assert where(state, "Sync_Articles", "ItemCode", "20500")[0]["Barcode"] == "8712345678906"
    assert where(state, "Profit_Barcode_per_Item", "ItemCode", "20500")[0]["Barcode"] == "8712345678906"
    state.block_article("20500")
    assert where(state, "Profit_Article", "ItemCode", "20500")[0]["Blocked"] is True
    state.set_stock("20500", "02", physical=5)
    state.remove_article("20500")
    assert where(state, "Sync_Articles", "ItemCode", "20500") == []
    assert where(state, "Sync_StockPerWarehouse", "ItemCode", "20500") == []
    made = state.add_article_for_code("88888")
    assert made.description == "Handmatig aangemaakt artikel" and made.price_excl == Decimal("10.33")


def test_set_stock(state: AfasState) -> None:
    state.set_stock("10001", "01", physical=50, allocated=5, reserved=3, incoming=12)
    state.set_stock("10001", "03", physical=7)
    rows = {r["Warehouse"]: r for r in where(state, "Sync_StockPerWarehouse", "ItemCode", "10001")}
    assert (
        rows["01"]["PhysicalStock"],
        rows["01"]["AvailableStock"],
        rows["01"]["SalesReservations"],
        rows["01"]["PurchaseOrdered"],
    ) == (50, 45, 3, 12)
    assert rows["03"]["ModifiedDate"] == "2026-03-29T12:30:00Z"
    total = sum(r["PhysicalStock"] for r in rows.values())
    assert where(state, "Profit_Stock_per_Warehouse", "Item_code", "10001")[0]["In_stock"] == total


def test_modify_debtor_and_prices(state: AfasState) -> None:
    state.modify_debtor("20002", Email="nieuw@voorbeeld.nl", CountryId="BE", PriceList="P02", Blocked=True)
    row = where(state, "Sync_Debtors", "DebtorId", "20002")[0]
    assert (row["Email"], row["CountryId"], row["PriceList"], row["Blocked"]) == (
        "nieuw@voorbeeld.nl",
        "B",
        "P02",
        True,
    )
    assert where(state, "Profit_Debtor", "DebtorId", "20002")[0]["ModifiedDate"] == "2026-03-29T12:30:00Z"
    added = state.add_price_row("P01", "10001", "9.99", from_qty=5, valid_to="2026-12-31")
    rows = [r for r in where(state, "Sync_PriceListRows", "ItemCode", "10001") if r["FromQuantity"] == 5]
    assert rows[0]["Price"] == 9.99 and rows[0]["ValidTo"] == "2026-12-31T00:00:00Z"
    state.modify_price_row("P01", "10001", 5, price="8.88")
    assert state.price_rows[added.row_id].price == Decimal("8.88")
    assert state.remove_price_row("P01", "10001", 5) == 1
    assert all(r["FromQuantity"] != 5 for r in where(state, "Sync_PriceListRows", "ItemCode", "10001"))
    debtor = state.add_debtor("P", first_name="Eva", last_name="Jansen", email="eva@example.nl", country="NL")
    assert where(state, "Sync_Debtors", "DebtorId", debtor.debtor_id)[0]["LastName"] == "Jansen"


def test_views_update_incrementally(state: AfasState) -> None:
    fetch(state, "Sync_Articles")
    view: ConnectorView = state.views["Sync_Articles"]
    untouched = view.by_entity["10002"][0]
    state.modify_article("10001", description="x")
    fetch(state, "Sync_Articles")
    assert view.by_entity["10002"][0] is untouched  # only the changed article's row was rebuilt
    fresh = ConnectorView(GET_CONNECTORS["Sync_Articles"]).current(state).rows
    assert view.current(state).rows == fresh


# ---------------------------------------------------------------- persistence


def test_persistence_round_trip(state: AfasState, tmp_path: Path) -> None:
    handle_write(state, "POST", "FbSales", None, order_body("20001", [{"ItCd": "10001", "QuUn": 2}]))
    handle_write(
        state,
        "POST",
        "KnSalesRelationPer",
        None,
        person_relation_body("Eva", "Bakker", DaBi="1990-05-01", SoSe="123456782"),
    )
    handle_write(
        state,
        "POST",
        "FiEntries",
        None,
        {
            "FiEntryPar": {
                "Element": {
                    "Fields": {"Year": 2026, "Peri": 3, "JoCo": "50"},
                    "Objects": {
                        "FiEntries": {
                            "Element": [
                                {"Fields": {"VaAs": "1", "AcNr": "1000", "EnDa": "2026-03-02", "AmDe": 5}},
                                {"Fields": {"VaAs": "1", "AcNr": "8000", "EnDa": "2026-03-02", "AmCr": 5}},
                            ]
                        }
                    },
                }
            }
        },
    )
    state.modify_article("10001", blocked=True)
    file = state.save(tmp_path / "afas.json")
    loaded = AfasState.load(file, clock=state.clock)
    assert loaded.to_dict() == state.to_dict()
    for connector in GET_CONNECTORS:
        assert fetch(loaded, connector) == fetch(state, connector), connector
    # the counters survive: the next order number continues
    keys = handle_write(loaded, "POST", "FbSales", None, order_body("20001", [{"ItCd": "10002"}]))
    assert keys["FbSales"]["OrNu"] == str(state.counters["FbSales"] + 1)
    loaded.reset()
    assert loaded.to_dict() == state.to_dict()


def test_load_or_seed_uses_the_data_dir(tmp_path: Path) -> None:
    seeded = AfasState.load_or_seed(tmp_path, n_articles=40, n_debtors=10)
    # 40 articles, the gift card and the three sold by the kilo
    assert (tmp_path / "afas-state.json").exists() and len(seeded.articles) == 44
    seeded.modify_article("10001", description="bewaard")
    seeded.save()
    again = AfasState.load_or_seed(tmp_path, n_articles=40, n_debtors=10)
    assert again.articles["10001"].description == "bewaard"
    assert AfasState.load_or_seed(None, n_articles=40, n_debtors=10).path is None


# ---------------------------------------------------------------- fast query paths against a reference


@pytest.fixture(scope="module")
def big() -> AfasState:
    return demo_state(n_articles=12000, n_debtors=20)


def _reference(all_rows: list[dict[str, Any]], pred: Any, order: str) -> list[str]:
    hits = [r for r in all_rows if pred(r)]
    for part in reversed(order.split(",")):
        name = part.lstrip("-")
        hits.sort(
            key=lambda r, n=name: (r[n] is not None, str(r[n]).lower() if isinstance(r[n], str) else r[n]),
            reverse=part.startswith("-"),
        )
    return [r["ItemCode"] for r in hits]


def test_fast_paths_match_a_plain_scan(big: AfasState) -> None:
    all_rows = fetch(big, "Sync_Articles")
    rng = random.Random(3)
    codes = sorted(r["ItemCode"] for r in all_rows)
    for _ in range(6):
        pivot = rng.choice(codes)
        price = str(rng.randint(10, 150))
        cases = [
            # keyset: bisect on the cached order
            (
                "ItemCode,Blocked",
                f"{pivot},true",
                "4,7",
                "ItemCode",
                lambda r, p=pivot: r["ItemCode"].lower() > p.lower() and not r["Blocked"],
            ),
            ("ItemCode", pivot, "5", "-ItemCode", lambda r, p=pivot: r["ItemCode"].lower() < p.lower()),
            (
                "ItemCode,ItemCode",
                f"{pivot},{codes[-50]}",
                "2,3",
                "ItemCode",
                lambda r, p=pivot: p.lower() <= r["ItemCode"].lower() <= codes[-50].lower(),
            ),
            # a broad equality (no index) plus a range on another field: the cached filter
            (
                "PosArticle,SalesPrice",
                f"true,{price}",
                "1,4",
                "-SalesPrice,ItemCode",
                lambda r, p=price: r["PosArticle"] and r["SalesPrice"] > float(p),
            ),
            # a rare equality: the index
            (
                "ItemCode;ItemCode",
                f"{pivot};{codes[0]}",
                "1;1",
                "ItemCode",
                lambda r, p=pivot: r["ItemCode"] in (p, codes[0]),
            ),
        ]
        for fields, values, ops, order, pred in cases:
            expected = _reference(all_rows, pred, order)
            for skip, take in ((0, 100), (250, 100), (0, -1)):
                got = fetch(
                    big,
                    "Sync_Articles",
                    filterfieldids=fields,
                    filtervalues=values,
                    operatortypes=ops,
                    orderbyfieldids=order,
                    skip=str(skip),
                    take=str(take),
                )
                want = expected[skip:] if take < 0 else expected[skip : skip + take]
                assert [r["ItemCode"] for r in got] == want, (fields, values, ops, order, skip)


def test_json_encoding_without_orjson_is_identical(state: AfasState, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from simulators.afas import query

    handle_write(state, "POST", "FbSales", None, order_body("20001", [{"ItCd": "10001", "QuUn": 2}]))
    for connector in ("Sync_Articles", "Profit_SalesorderLines", "Sync_PriceListRows"):
        conn = GET_CONNECTORS[connector]
        _, _, rows = run_get(state, conn, {"take": "50"})
        fast = json.loads(query.encode_page(conn, 0, 50, rows))
        monkeypatch.setattr(query, "orjson", None)
        plain = json.loads(query.encode_page(conn, 0, 50, rows))
        monkeypatch.undo()
        assert fast == plain and fast["rows"]
