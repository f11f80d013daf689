"""Bad-input corpus: kinds of bad AFAS values (tests/reliability/bad_input_cases.py), each with its exact outcome — an error row naming
the record and the field (and the record not sent), or the documented handling — while a control change in the
same run still syncs and no flow crashes.

One small shop for the whole corpus: a first sync of every flow, then every bad value is planted at once, then one
more sync of every flow; each case then checks its own outcome (module-scoped, so the two syncs run once)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from afas_mplus import runner
from afas_mplus.flow_result import FlowResult
from afas_mplus.flows import FLOWS
from tests.conftest import Harness
from tests.reliability.bad_input_cases import CASES, MAPPING, TODAY, Shop

pytestmark = pytest.mark.reliability


# -- the shared shop -----------------------------------------------------------------------------------------


def _sync_all(h: Harness) -> list[FlowResult]:
    with h.runtime() as rt:
        return runner.run_flows(rt, list(FLOWS.values()))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    data = Path(tmp_path_factory.mktemp("bad_input")) / "data"
    h = Harness(
        data,
        simulator={"articles": 60, "debtors": 12},
        prices={"price_list_groups": MAPPING, "today": TODAY},
        # key sweeps each run, so a new key with an old ModifiedDate arrives in the one sync the corpus makes (by
        # default at the next due sweep: tests/e2e/test_products_flow.py)
        afas={"key_sweep_every_minutes": 0},
    )
    h.afas.clock = lambda: datetime.combine(TODAY, time(12))
    first = _sync_all(h)
    assert all(r.status == "ok" for r in first), [(r.flow, r.error) for r in first]

    held = {int(a["articleNumber"]): a for a in h.mplus.articles()}
    simple = sorted(
        c
        for c, a in h.afas.articles.items()
        if c.isdigit() and int(c) in held and a.model_code is None and not a.blocked
    )
    stocked = [c for c in simple if held[int(c)].get("stockArticle") and (c, "01") in h.afas.stock]
    debtors = sorted(r["extRelationId"] for r in h.mplus.relations.values() if r.get("extRelationId"))
    ctx: dict[str, Any] = {
        "simple": simple,
        "stocked": stocked,
        "debtor": debtors[0],
        "debtor_2": debtors[1],
        "simple_description": held[int(simple[0])]["description"],
    }
    ctx.update({f"simple_{i}": c for i, c in enumerate(simple)})
    ctx.update({f"stocked_{i}": c for i, c in enumerate(stocked)})
    ctx["stock_before"] = {c: h.mplus.stock(1, c) for c in stocked}
    for setup, _ in CASES.values():
        setup(h, ctx)

    # the control changes, one per flow, in the same run
    control_article = simple[-1]
    h.afas.modify_article(control_article, price_excl=Decimal("42.42"))
    control_debtor = debtors[-1]
    h.afas.modify_debtor(control_debtor, city="Control City")
    control_stock = stocked[-1]
    h.afas.set_stock(control_stock, "01", physical=77, allocated=0, reserved=0)
    control_tier = simple[-2]
    h.afas.add_price_row("P01", control_tier, Decimal("3.21"), from_qty=11)
    ctx["control"] = (control_article, control_debtor, control_stock, control_tier)

    second = _sync_all(h)
    return Shop(h, second, ctx)


def test_no_flow_crashes_and_every_control_change_arrives(shop: Shop) -> None:
    assert [r.flow for r in shop.results] == list(FLOWS)
    assert all(r.status == "ok" for r in shop.results), [(r.flow, r.error) for r in shop.results]
    article, debtor, stocked, tier = shop.ctx["control"]
    assert shop.article(article)["priceExcl"] == 4242
    assert shop.relation(debtor)["city"] == "Control City"
    assert shop.h.mplus.stock(1, stocked) == 77
    entries = shop.article(tier)["priceGroupList"]["priceGroup"]
    assert [
        (e["priceGroupNumber"], e["minimumAmount"])
        for e in entries
        if e.get("priceExcl") == 321 or e.get("priceIncl") == 321
    ] == [(1, 11)]


def test_the_corpus_has_at_least_40_kinds() -> None:
    assert len(CASES) >= 40, len(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_value_has_its_exact_outcome(shop: Shop, name: str) -> None:
    CASES[name][1](shop)
