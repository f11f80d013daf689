"""The prerequisites check passes on a correct setup and names the problem and the fix on a broken one."""

from __future__ import annotations

from afas_mplus.prerequisites import run_checks


def test_all_prerequisites_met_on_the_demo_setup(harness) -> None:
    h = harness()
    with h.runtime() as rt:
        checks = run_checks(rt)
    failed = [c for c in checks if not c.ok and not c.warning]
    assert not failed, failed
    names = {c.name for c in checks}
    assert "AFAS GetConnector Sync_Articles" in names and "MplusKASSA reachable" in names
    # the demo's unmapped price list is reported before any sync, as a warning naming the list
    assert any(c.name == "AFAS price list P99" and c.warning for c in checks)


def test_missing_connector_and_bad_mapping_are_named_with_the_fix(harness) -> None:
    h = harness(stock={"warehouse_branches": {"01": 7}}, products={"article_filter": "a.pos_article and"})
    h.sims.afas_config.granted_connectors = [
        c
        for c in (
            "Profit_ArticleGroups",
            "Profit_Warehouses",
            "Sync_ItemAttributes",
            "Sync_ItemFeatures",
            "Sync_StockPerWarehouse",
            "Sync_Debtors",
            "Sync_PriceListRows",
            "Sync_DebtorAgreements",
            "Profit_Salesorders",
            "KnSalesRelationOrg",
            "KnSalesRelationPer",
            "FbSales",
        )
    ]
    with h.runtime() as rt:
        checks = {c.name: c for c in run_checks(rt)}
    missing = checks["AFAS GetConnector Sync_Articles"]
    assert not missing.ok and "docs/custom-connectors.md" in missing.fix
    branch = checks["branch for warehouse 01"]
    assert not branch.ok and "stock.warehouse_branches" in branch.fix
    assert not checks["setting products.article_filter"].ok


def test_a_filter_is_bound_against_the_staged_columns(harness) -> None:
    h = harness()
    h.sync("products", dry_run=True)  # something staged to bind against
    h.settings.products.article_filter = "a.pos_article and a.no_such_column = 1"
    with h.runtime() as rt:
        checks = {c.name: c for c in run_checks(rt)}
    bad = checks["setting products.article_filter"]
    assert not bad.ok and not bad.warning
    assert "no_such_column" in bad.detail and "int_articles" in bad.fix
    h.settings.products.article_filter = "a.pos_article and not a.blocked"
    with h.runtime() as rt:
        assert {c.name: c for c in run_checks(rt)}["setting products.article_filter"].ok
