"""The flow runner: the plan-size check guards against destruction only, and one flow's failure is reported
without stopping the others."""

from __future__ import annotations

import pytest

from afas_mplus import flow_result, push_checks, runner
from afas_mplus.errors import ExitCode
from afas_mplus.flows import FLOWS
from afas_mplus.settings import GuardSettings
from reverse_etl.diff import PlanSummary

ARTICLES = next(e for e in FLOWS["products"].entities if e.name == "articles")
STOCK = FLOWS["stock"].entities[0]


def _summary(**counts: int) -> PlanSummary:
    return PlanSummary(
        "products",
        "articles",
        {"create": 0, "update": 0, "deactivate": 0, "unchanged": 0, "error": 0, **counts},
        "f" * 16,
    )


@pytest.mark.parametrize(
    "counts, target, blocked",
    [
        ({"create": 296}, 0, False),  # first sync into an empty POS
        ({"create": 292}, 4, False),  # resumed after an interrupted first sync: creates are not destructive
        ({"create": 295}, 1, False),  # a POS that already held one article
        ({"deactivate": 200}, 296, True),  # most of the catalogue suddenly gone from AFAS
        ({"update": 150, "deactivate": 10}, 296, True),
        ({"update": 100}, 296, False),  # a third of the catalogue: below the 50 % default
        ({"deactivate": 4}, 4, False),  # a handful of records never blocks (guard.min_changes)
    ],
)
def test_the_plan_size_check_counts_only_what_it_would_overwrite_or_remove(
    counts: dict[str, int], target: int, blocked: bool
) -> None:
    destructive = {k: v for k, v in counts.items() if k != "create"}
    reason = push_checks.guard_reason(ARTICLES, _summary(**counts), destructive, target, GuardSettings())
    assert (reason is not None) is blocked
    if reason:
        assert "guard.max_change_share" in reason and "afas-mplus apply products --force" in reason


def test_the_advice_names_a_value_that_lets_the_plan_through() -> None:
    reason = push_checks.guard_reason(
        ARTICLES, _summary(deactivate=200), {"deactivate": 200}, 296, GuardSettings()
    )
    assert reason is not None
    suggested = float(reason.split("set guard.max_change_share to ")[1].split(" ")[0])
    assert suggested <= 1
    assert (
        push_checks.guard_reason(
            ARTICLES,
            _summary(deactivate=200),
            {"deactivate": 200},
            296,
            GuardSettings(max_change_share=suggested),
        )
        is None
    )


def test_unguarded_entities_are_never_blocked() -> None:
    assert (
        push_checks.guard_reason(STOCK, _summary(update=10_000), {"update": 10_000}, 10, GuardSettings())
        is None
    )


def test_exit_code_ranks_environment_over_blocked_over_failed() -> None:
    ok, failed, blocked, env = (flow_result.FlowResult(n) for n in ("a", "b", "c", "d"))
    failed.pushed_failed = 1
    blocked.blocked.append("x")
    env.status, env.error_exit = "failed", ExitCode.CONFIG
    assert flow_result.exit_code([ok]) is ExitCode.OK
    assert flow_result.exit_code([ok, failed]) is ExitCode.WRITES_FAILED
    assert flow_result.exit_code([failed, blocked]) is ExitCode.BLOCKED
    assert flow_result.exit_code([failed, blocked, env]) is ExitCode.CONFIG


def test_a_first_sync_into_a_pos_that_holds_some_articles_is_not_blocked(harness) -> None:  # noqa: ANN001
    h = harness(products={"article_filter": "a.item_code = '10001'"})
    h.sync("products")
    assert len(h.mplus.articles()) == 1
    h.settings.products.article_filter = "a.pos_article and not a.blocked"
    result = h.sync("products")
    assert not result.blocked and result.pushed_ok > 250


def test_a_destructive_plan_is_blocked_until_the_setting_named_in_the_message_allows_it(harness) -> None:  # noqa: ANN001
    h = harness()
    h.sync("products")
    codes = sorted(a.item_code for a in h.afas.articles.values() if a.item_code.isdigit() and a.pos)[:200]
    for code in codes:
        h.afas.block_article(code)
    result = h.sync("products")
    assert result.blocked and result.write_calls == 0
    assert all(a["active"] for a in h.mplus.articles() if str(a["articleNumber"]) in codes)
    h.settings.guard.max_change_share = 1.0
    again = h.sync("products")
    assert not again.blocked and again.plan["deactivate"] >= 150


def test_filling_empty_fields_is_not_an_overwrite(harness) -> None:  # noqa: ANN001
    # prices' first sync sets the price group of relations the customers flow created: nothing is overwritten
    h = harness()
    for flow in ("products", "customers"):
        h.sync(flow)
    result = h.sync("prices")
    assert not result.blocked and result.plan["update"] > 10
    with h.runtime() as rt:
        entity = FLOWS["prices"].entities[1]
        runner.plan_entity(rt, entity)
        assert push_checks.destructive_counts(rt, entity) == {"update": 0, "deactivate": 0, "delete": 0}


def test_one_failing_flow_is_reported_and_the_others_still_run(harness) -> None:  # noqa: ANN001
    h = harness(customers={"debtor_filter": "d.no_such_column"})
    with h.runtime() as rt:
        results = runner.run_flows(rt, [FLOWS[n] for n in ("customers", "products")])
    customers, products = results
    assert customers.status == "failed" and "customers.debtor_filter" in (customers.error or "")
    assert customers.error_exit is ExitCode.CONFIG
    assert products.status == "ok" and products.pushed_ok > 250


def test_one_line_survives_an_exception_chain_that_loops() -> None:
    a, b = ValueError("outer"), KeyError("inner")
    a.__context__, b.__context__ = b, a
    assert flow_result.one_line(a) == "ValueError: outer"
    assert flow_result.cause_exit(a) is ExitCode.WRITES_FAILED
