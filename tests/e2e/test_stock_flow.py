"""Stock flow end to end: MplusKASSA's stock per branch equals the chosen calculation over AFAS."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from simulators.demo.catalog import build_catalog

BRANCH_OF = {"01": 1, "02": 1, "03": 2}  # the default warehouse -> branch mapping


def _calc(kind: str, s: object) -> Decimal:
    physical, allocated, reserved, incoming = s.physical, s.allocated, s.reserved, s.incoming  # type: ignore[attr-defined]
    available = physical - allocated
    return {
        "available_minus_reserved": available - reserved,
        "physical": physical,
        "available": available,
        "economic": physical + incoming - reserved,
    }[kind]


def _expected(kind: str, managed: set[int]) -> dict[tuple[int, int], Decimal]:
    per_branch: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    items = set()
    for s in build_catalog().stock:
        if s.item_code.isdigit() and int(s.item_code) in managed:
            items.add(int(s.item_code))
            per_branch[(BRANCH_OF[s.warehouse], int(s.item_code))] += _calc(kind, s)
    # Every managed article AFAS knows gets a value in every mapped branch (0 where AFAS has no row).
    return {(b, a): max(per_branch.get((b, a), Decimal(0)), Decimal(0)) for a in items for b in (1, 2)}


@pytest.mark.parametrize("kind", ["available_minus_reserved", "physical", "available", "economic"])
def test_stock_equals_the_calculation_and_a_rerun_writes_nothing(harness, kind: str) -> None:
    h = harness(stock={"calculation": kind})
    h.sync("products")
    first = h.sync("stock")
    assert first.pushed_failed == 0, first.errors
    managed = {int(a["articleNumber"]) for a in h.mplus.articles() if a.get("stockArticle")}
    expected = _expected(kind, managed)
    assert expected, "the demo shop must have stock-managed articles"
    actual = {key: h.mplus.stock(*key) for key in expected}
    assert actual == expected
    assert h.sync("stock").write_calls == 0


def test_changed_reservations_write_exactly_those_articles(harness) -> None:
    h = harness()
    h.sync("products")
    h.sync("stock")
    # five articles whose branch-1 stock is above 1 in warehouse 01, so one more reservation shows
    rows = [
        s
        for s in build_catalog().stock
        if s.warehouse == "01" and s.item_code.isdigit() and h.mplus.stock(1, s.item_code) > 1
    ]
    changed = rows[:5]
    for s in changed:
        h.afas.set_stock(s.item_code, "01", reserved=s.reserved + 1)
    result = h.sync("stock")
    assert result.write_calls == 5
    assert result.plan["update"] == 5
    for s in changed:
        assert h.mplus.stock(1, s.item_code) >= 0


def test_articles_without_stock_management_get_no_writes(harness) -> None:
    h = harness()
    h.sync("products")
    h.sync("stock")
    with h.runtime() as rt:
        calls = rt.warehouse.query(
            "select record_keys from journal.calls where flow = 'stock' and operation = 'setStock'"
        )
    written = {int(c["record_keys"].split(":")[1]) for c in calls}
    unmanaged = {int(a["articleNumber"]) for a in h.mplus.articles() if not a.get("stockArticle")}
    assert unmanaged, "the demo shop has articles without stock management"
    assert not written & unmanaged


def test_the_tills_stock_is_read_incrementally_and_a_till_correction_is_put_back(harness) -> None:
    from simulators.mplus.handlers.stock import change_stock

    h = harness()
    h.sync("products")
    h.sync("stock")
    assert h.sync("stock").write_calls == 0  # reads back the levels the first run set
    staged_before = h.query("select count(*) as n from staging.mplus_stock")[0]["n"]
    assert staged_before > 0
    with h.runtime() as rt:
        managed = [
            r["article_number"]
            for r in rt.warehouse.query(
                "select article_number from transforms.desired_stock where branch_number = 1 and quantity > 0 "
                "order by article_number limit 2"
            )
        ]
    assert len(managed) == 2
    wanted = {a: h.mplus.stock(1, a) for a in managed}
    for a in managed:  # someone at the till counts differently
        change_stock(h.mplus, 1, a, wanted[a] + 3, absolute=True)
    h.mplus.stats.reset()
    result = h.sync("stock")
    # getStock in sync mode: one call per mapped branch, answering only the two changed levels
    assert h.mplus.stats.snapshot()["calls"].get("getStock") == 2
    assert result.extracted.get("mplus_stock") == 2
    assert result.write_calls == 2 and result.plan["update"] == 2
    assert {a: h.mplus.stock(1, a) for a in managed} == wanted
    # the staged table was merged, not replaced
    assert h.query("select count(*) as n from staging.mplus_stock")[0]["n"] == staged_before
