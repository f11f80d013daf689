"""Products flow end to end on the stand-ins: AFAS articles arrive in MplusKASSA, once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from simulators.demo.catalog import build_catalog

VAT_CODES = {"HOOG": 2, "LAAG": 1, "GEEN": 3}


def _expected_articles() -> dict[str, object]:
    """Valid demo articles, computed from the catalog independently of the SQL models."""
    cat = build_catalog()
    eans: dict[str, int] = defaultdict(int)
    selected = [a for a in cat.articles if a.pos and not a.blocked]
    for a in selected:
        if a.ean:
            eans[a.ean] += 1
    return {a.item_code: a for a in selected if a.item_code.isdigit() and (not a.ean or eans[a.ean] == 1)}


def test_full_sync_creates_every_valid_article_then_nothing(harness) -> None:
    h = harness()
    first = h.sync("products")
    expected = _expected_articles()
    assert first.pushed_failed == 0, first.errors
    held = {int(a["articleNumber"]): a for a in h.mplus.articles()}
    assert set(held) == {int(c) for c in expected}

    # prices in cents, VAT code, article group and variant grouping
    groups = {g["groupNumber"]: g for g in h.mplus.article_groups.values()}
    assert {g["text"] for g in groups.values()} == {code for code, _ in build_catalog().groups}
    by_product: dict[int, set[str]] = defaultdict(set)
    for code, a in expected.items():
        art = held[int(code)]
        assert art["priceExcl"] == int((a.price_excl * 100).to_integral_value()), code
        assert art["vatCode"] == VAT_CODES[a.vat_group], code
        assert art.get("extArticleId") == code
        product = h.mplus.products[h.mplus.article_product[int(code)]]
        by_product[product["productNumber"]].add(a.model_code or code)
        assert {groups[n]["text"] for n in product.get("groupNumbers", [])} == {a.group_code}, code
    # one product per model code: never two models in one product, never one model split
    assert all(len(models) == 1 for models in by_product.values())
    models = [a.model_code or c for c, a in expected.items()]
    assert len(by_product) == len(set(models))

    # each non-numeric SKU is one error row naming the SKU and the field
    errors = h.query("select record_key, field, message from transforms.errors_products order by record_key")
    sku_errors = [e for e in errors if e["field"] == "article_number"]
    assert sorted(e["record_key"] for e in sku_errors) == sorted(
        a.item_code for a in build_catalog().articles if a.pos and not a.blocked and not a.item_code.isdigit()
    )
    assert all(e["record_key"] in e["message"] for e in sku_errors)

    second = h.sync("products")
    assert second.write_calls == 0
    assert second.plan["create"] == second.plan["update"] == second.plan["deactivate"] == 0


def test_changes_in_afas_give_exactly_those_writes(harness) -> None:
    h = harness()
    h.sync("products")
    expected = _expected_articles()
    simple = sorted(c for c, a in expected.items() if a.model_code is None)
    for code in simple[:3]:
        h.afas.modify_article(code, price_excl=Decimal("12.34"))
    h.afas.block_article(simple[3])
    result = h.sync("products")
    assert result.plan["update"] == 3
    assert result.plan["deactivate"] == 1
    assert result.write_calls == 4
    assert h.mplus.get_article(simple[0])["priceExcl"] == 1234
    assert h.mplus.get_article(simple[3])["active"] is False
    assert h.sync("products").write_calls == 0


def test_create_only_field_survives_and_owned_field_is_restored(harness) -> None:
    h = harness()
    h.sync("products")
    code = sorted(_expected_articles())[0]
    original = h.mplus.get_article(code)
    h.mplus.edit_article(code, extraText="Verrijkt in de kassa", description="Handmatig aangepast")
    result = h.sync("products")
    assert result.plan["update"] == 1
    after = h.mplus.get_article(code)
    assert after["extraText"] == "Verrijkt in de kassa"  # create-only: the POS keeps its text
    assert after["description"] == original["description"]  # owned by the sync: put back
    assert h.sync("products").write_calls == 0


def test_an_item_deleted_in_afas_is_deactivated(harness) -> None:
    h = harness(afas={"key_sweep_every_minutes": 0})  # the key scan every run
    h.sync("products")
    code = sorted(c for c, a in _expected_articles().items() if a.model_code is None)[0]
    h.afas.remove_article(code)
    result = h.sync("products")
    assert result.plan["deactivate"] == 1 and result.write_calls == 1
    assert h.mplus.get_article(code)["active"] is False


def age_sweeps(h, minutes: int) -> None:
    """As if the last key sweeps and scans ran `minutes` earlier."""
    with h.runtime() as rt:
        rt.warehouse.execute(
            f"update staging.afas_key_sweeps set swept_at = swept_at - interval '{minutes} minutes'"
        )


def test_a_deletion_waits_for_the_next_key_scan_and_a_new_item_counts_as_present_meanwhile(harness) -> None:
    h = harness()  # default: the key scan at most once an hour
    h.sync("products")
    code = sorted(c for c, a in _expected_articles().items() if a.model_code is None)[0]
    h.afas.remove_article(code)
    h.afas.add_article_for_code("88001", description="Nieuw tussen twee scans")
    served = h.afas.stats.rows_served
    result = h.sync("products")  # no key scan: the incremental reads only
    assert h.afas.stats.rows_served - served < len(h.afas.articles) / 2
    assert (result.plan["deactivate"], result.plan["create"]) == (0, 1), result.as_json()
    assert h.mplus.get_article(code)["active"] is True
    age_sweeps(h, 59)
    assert h.sync("products").plan["deactivate"] == 0  # not due yet
    age_sweeps(h, 2)
    served = h.afas.stats.rows_served
    result = h.sync("products")  # an hour after the last scan: due
    assert h.afas.stats.rows_served - served >= len(h.afas.articles)
    assert (result.plan["deactivate"], result.write_calls) == (1, 1), result.as_json()
    assert h.mplus.get_article(code)["active"] is False
    assert h.mplus.get_article("88001")["active"] is True  # the scan sees it: still present
    assert h.sync("products").write_calls == 0


def test_item_group_renamed_in_afas_renames_the_article_group(harness) -> None:
    h = harness()
    h.sync("products")
    h.afas.set_group("300", "Schoenen & Laarzen")
    result = h.sync("products")
    assert result.write_calls == 1
    renamed = [g for g in h.mplus.article_groups.values() if g["text"] == "300"]
    assert [g["name"] for g in renamed] == ["Schoenen & Laarzen"]


@pytest.mark.parametrize("include_vat, field", [(False, "priceExcl"), (True, "priceIncl")])
def test_both_vat_modes_converge_and_send_the_price_on_the_basis_chosen(
    harness, include_vat: bool, field: str
) -> None:
    h = harness(products={"prices_include_vat": include_vat})
    first = h.sync("products")
    assert first.pushed_failed == 0
    expected = _expected_articles()
    code = sorted(expected)[0]
    assert h.mplus.get_article(code)[field] == int((expected[code].price_excl * 100).to_integral_value())
    second = h.sync("products")
    assert second.plan["update"] == 0 and second.write_calls == 0, second.plan
