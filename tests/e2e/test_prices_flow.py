"""B2B prices flow end to end on the stand-ins: AFAS price lists, staffel tiers and debtor agreements arrive in
MplusKASSA as price group entries and relation discounts, valid today, once; removals and validity follow."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from afas_mplus.cli import main
from afas_mplus.runtime import load_simulators
from afas_mplus.settings import Settings

MAPPING = {"P01": 1, "P02": 2, "P03": 3}
SMALL = {"articles": 120}  # the demo shop, smaller: this file stays fast


def _cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _valid(row, day: date) -> bool:  # noqa: ANN001 - a stand-in PriceRow / Agreement
    return row.valid_from.date() <= day and (row.valid_to is None or row.valid_to.date() >= day)


def _basis(afas, group: int) -> str:  # noqa: ANN001
    price_list = next(p for p, g in MAPPING.items() if g == group)
    return "priceIncl" if afas.price_lists[price_list].vat_included else "priceExcl"


def expected_tiers(afas, mplus, day: date) -> dict[int, set[tuple]]:  # noqa: ANN001
    """article -> {(price group, minimumAmount, price field, cents, discount %)}: AFAS's rows valid on `day`,
    computed from the stand-in's own tables, independently of the SQL models."""
    held = {int(a["articleNumber"]) for a in mplus.articles()}
    out: dict[int, set[tuple]] = defaultdict(set)
    for r in afas.price_rows.values():
        if r.price_list in MAPPING and r.item_code.isdigit() and int(r.item_code) in held and _valid(r, day):
            group = MAPPING[r.price_list]
            out[int(r.item_code)].add(
                (group, int(r.from_qty), _basis(afas, group), _cents(r.price), int(r.discount_pct))
            )
    return out


def held_tiers(afas, mplus, groups: tuple[int, ...] = (1, 2, 3)) -> dict[int, set[tuple]]:  # noqa: ANN001
    out: dict[int, set[tuple]] = {}
    for a in mplus.articles():
        entries = (a.get("priceGroupList") or {}).get("priceGroup", [])
        out[int(a["articleNumber"])] = {
            (
                e["priceGroupNumber"],
                e["minimumAmount"],
                _basis(afas, e["priceGroupNumber"]),
                e[_basis(afas, e["priceGroupNumber"])],
                e["discountPercentage"],
            )
            for e in entries
            if e["priceGroupNumber"] in groups
        }
    return out


def relation_of(mplus, debtor_id: str) -> dict:  # noqa: ANN001
    return next(r for r in mplus.relations.values() if r.get("extRelationId") == debtor_id)


def expected_discounts(afas, mplus, debtor_id: str, day: date) -> set[tuple]:  # noqa: ANN001
    """(article, discount group, minimumAmount, discount %, priceExcl cents) of the debtor's agreements valid on
    `day`, for articles MplusKASSA has and numbered discount groups."""
    held = {str(a["articleNumber"]) for a in mplus.articles()}
    return {
        (
            int(g.item_code) if g.item_code else None,
            None if g.item_code else int(g.discount_group),
            g.from_qty,
            int(g.discount_pct),
            _cents(g.price) if g.price is not None else None,
        )
        for g in afas.agreements.values()
        if g.debtor_id == debtor_id
        and _valid(g, day)
        and (g.item_code in held if g.item_code else (g.discount_group or "").isdigit())
    }


def held_discounts(relation: dict) -> set[tuple]:
    return {
        (
            e.get("articleNumber"),
            e.get("articleDiscountGroupNumber"),
            Decimal(e["minimumAmount"]).scaleb(-e.get("minimumAmountDecimalPlaces", 0)),
            e.get("discountPercentage", 0),
            e.get("priceExcl"),
        )
        for e in (relation.get("relationArticleDiscountList") or {}).get("relationArticleDiscount", [])
    }


def assert_prices_equal_afas(afas, mplus, day: date) -> None:  # noqa: ANN001
    expected = expected_tiers(afas, mplus, day)
    held = held_tiers(afas, mplus)
    wrong = {a: (held[a], expected.get(a, set())) for a in held if held[a] != expected.get(a, set())}
    assert not wrong, list(wrong.items())[:3]
    for debtor in afas.debtors.values():
        linked = [r for r in mplus.relations.values() if r.get("extRelationId") == debtor.debtor_id]
        if not linked or debtor.blocked:
            continue
        relation = linked[0]
        assert relation.get("priceGroupNumber", 0) == MAPPING.get(debtor.price_list or "", 0), (
            debtor.debtor_id
        )
        assert relation.get("discountPercentage", 0) == int(debtor.discount_pct), debtor.debtor_id
        assert held_discounts(relation) == expected_discounts(afas, mplus, debtor.debtor_id, day), (
            debtor.debtor_id
        )


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_full_sync_by_cli_then_plan_then_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], warehouse_env: dict
) -> None:
    monkeypatch.setenv("SIMULATOR_ARTICLES", str(SMALL["articles"]))
    data = ["--data-dir", str(tmp_path)]
    main([*data, "sync", "products", "customers", "prices", "--json"])
    prices = {r["flow"]: r for r in _json_lines(capsys.readouterr().out)}["prices"]
    assert prices["pushed_failed"] == 0 and prices["write_calls"] > 0, prices

    sims = load_simulators(Settings(data_dir=tmp_path))  # what the stand-ins hold after the run
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()  # the sync's day
    assert_prices_equal_afas(sims.afas_state, sims.mplus_state, today)
    held = held_tiers(sims.afas_state, sims.mplus_state)
    # staffel 1 / 10 / 50 arrives as three entries of one price group; the VAT-incl list as priceIncl
    assert any(sorted(t[1] for t in tiers if t[0] == 1) == [1, 10, 50] for tiers in held.values())
    assert any(t[0] == 3 and t[2] == "priceIncl" for tiers in held.values() for t in tiers)
    # the demo's dated rows: tier 100 ended yesterday and tier 200 starts tomorrow: neither is there yet
    assert not any(t[1] in (100, 200) for tiers in held.values() for t in tiers)
    # agreements sit on their relations (the demo has four debtors with an article price and a group discount)
    with_deals = [r for r in sims.mplus_state.relations.values() if r.get("relationArticleDiscountList")]
    assert len(with_deals) == 4

    # the unmapped price list is one error row naming the list
    main(
        [
            *data,
            "sql",
            "select record_key, message from transforms.errors_article_prices where field = 'price_list'",
            "--json",
        ]
    )
    rows = _json_lines(capsys.readouterr().out)
    assert [r["record_key"] for r in rows] == ["P99"] and "P99" in rows[0]["message"]

    assert main([*data, "plan", "prices"]) == 0
    shown = capsys.readouterr().out
    assert (
        "prices/article_prices" in shown and "prices/relation_prices" in shown and "Nothing was sent" in shown
    )

    main([*data, "sync", "prices", "--json"])
    again = _json_lines(capsys.readouterr().out)[0]
    assert again["flow"] == "prices" and again["write_calls"] == 0
    assert again["plan"]["create"] == again["plan"]["update"] == again["plan"]["delete"] == 0


def _tiered(afas, mplus, price_list: str, quantities: list[int]) -> list[str]:  # noqa: ANN001
    """Articles in MplusKASSA with exactly these from-quantities on the list."""
    held = {str(a["articleNumber"]) for a in mplus.articles()}
    by_item: dict[str, list[int]] = defaultdict(list)
    for r in afas.price_rows.values():
        if r.price_list == price_list and r.item_code in held:
            by_item[r.item_code].append(int(r.from_qty))
    return sorted(i for i, q in by_item.items() if sorted(q) == quantities)


def test_changed_removed_and_expired_tiers_cost_exactly_their_writes(harness) -> None:
    today = datetime.now(
        ZoneInfo("Europe/Amsterdam")
    ).date()  # the sync's day: the catalog dates its rows from it
    h = harness(
        simulator=SMALL, prices={"today": today}, afas={"key_sweep_every_minutes": 0}
    )  # sweeps each run
    h.afas.clock = lambda: datetime.combine(today, time(12))
    for flow in ("products", "customers", "prices"):
        h.sync(flow)

    # a price group this sync does not manage, set at the till: it must survive our full-list writes
    h.mplus.price_groups[4] = {"priceGroupNumber": 4, "description": "Personeel"}
    three = _tiered(h.afas, h.mplus, "P02", [1, 10, 50])
    keep = three[0]
    staff = {"priceGroupNumber": 4, "priceExcl": 500, "minimumAmount": 1, "discountPercentage": 0}
    h.mplus.edit_article(
        keep,
        priceGroupList={"priceGroup": [*h.mplus.get_article(keep)["priceGroupList"]["priceGroup"], staff]},
    )

    # one tier changed on 4 articles: exactly 4 writes
    changed = [keep, *three[1:4]]
    for code in changed:
        h.afas.modify_price_row("P02", code, 10, price=Decimal("12.345"))
    result = h.sync("prices")
    assert (result.plan["update"], result.plan["delete"], result.write_calls) == (4, 0, 4), result.as_json()
    for code in changed:
        tiers = {
            e["minimumAmount"]: e
            for e in h.mplus.get_article(code)["priceGroupList"]["priceGroup"]
            if e["priceGroupNumber"] == 2
        }
        assert sorted(tiers) == [1, 10, 50] and tiers[10]["priceExcl"] == 1235  # 12.345 rounds half up
    assert any(
        e["priceGroupNumber"] == 4 and e["priceExcl"] == 500
        for e in h.mplus.get_article(keep)["priceGroupList"]["priceGroup"]
    )

    # a tier removed in AFAS disappears; a debtor's new price list and discount reach its relation
    gone = three[4]
    h.afas.remove_price_row("P02", gone, 50)
    h.afas.modify_debtor("20002", price_list="P02", discount_pct=Decimal(7))
    # dated rows: one valid only today, one agreement ending today
    short = three[5]
    h.afas.add_price_row(
        "P01", short, Decimal("3.00"), from_qty=25, valid_from=today - timedelta(days=3), valid_to=today
    )
    deal = h.afas.add_agreement("20001", item_code=short, price=Decimal("2.50"), valid_to=today)
    result = h.sync("prices")
    # 2 articles (one tier gone, one added) and 2 relations (price list + discount; an agreement added)
    assert (result.plan["delete"], result.plan["create"], result.plan["update"], result.write_calls) == (
        1,
        2,
        1,
        4,
    ), result.as_json()
    assert sorted(
        e["minimumAmount"]
        for e in h.mplus.get_article(gone)["priceGroupList"]["priceGroup"]
        if e["priceGroupNumber"] == 2
    ) == [1, 10]
    assert (
        relation_of(h.mplus, "20002")["priceGroupNumber"],
        relation_of(h.mplus, "20002")["discountPercentage"],
    ) == (2, 7)
    assert_prices_equal_afas(h.afas, h.mplus, today)
    assert (int(short), None, Decimal(1), 0, 250) in held_discounts(relation_of(h.mplus, "20001"))

    # the next day (clock moved for AFAS and for the SQL): the ended row and agreement are gone, the row
    # that starts tomorrow (the demo's tier 200) has arrived
    tomorrow = today + timedelta(days=1)
    h.settings.prices.today = tomorrow
    h.afas.clock = lambda: datetime.combine(tomorrow, time(0, 5))
    result = h.sync("prices")
    assert result.pushed_failed == 0
    assert_prices_equal_afas(h.afas, h.mplus, tomorrow)
    assert 25 not in {e["minimumAmount"] for e in h.mplus.get_article(short)["priceGroupList"]["priceGroup"]}
    starts = next(r for r in h.afas.price_rows.values() if r.from_qty == 200)
    assert 200 in {
        e["minimumAmount"] for e in h.mplus.get_article(starts.item_code)["priceGroupList"]["priceGroup"]
    }
    assert deal.item_code not in {
        str(e.get("articleNumber"))
        for e in (relation_of(h.mplus, "20001").get("relationArticleDiscountList") or {}).get(
            "relationArticleDiscount", []
        )
    }
    # a debtor whose price list is taken away loses the relation's price group
    h.afas.modify_debtor("20002", price_list=None)
    assert h.sync("prices").write_calls == 1
    assert relation_of(h.mplus, "20002")["priceGroupNumber"] == 0
    assert h.sync("prices").write_calls == 0


def test_unmapped_list_and_broken_tiers_are_error_rows_the_rest_arrives(harness) -> None:
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()  # the sync's day
    h = harness(
        simulator=SMALL,
        prices={"today": today, "price_list_groups": {**MAPPING, "P04": 9}},
        afas={"key_sweep_every_minutes": 0},
    )  # key sweeps each run
    for flow in ("products", "customers"):
        h.sync(flow)
    one = _tiered(h.afas, h.mplus, "P01", [1])
    three = _tiered(h.afas, h.mplus, "P01", [1, 10, 50])
    negative, duplicate, fraction, discount = three[0], three[1], one[0], one[1]
    h.afas.modify_price_row("P01", negative, 10, price=Decimal("-1.00"))
    h.afas.add_price_row("P01", duplicate, Decimal("9.00"), from_qty=10, valid_from=today - timedelta(days=2))
    h.afas.add_price_row("P01", fraction, Decimal("9.00"), from_qty=Decimal("2.5"))
    h.afas.add_price_row("P01", discount, Decimal("9.00"), from_qty=5, discount_pct=Decimal("2.5"))
    h.afas.add_price_row("P04", one[2], Decimal("9.00"))  # mapped to price group 9, which MplusKASSA lacks
    h.afas.add_agreement("20001", item_code="99999", price=Decimal("1.00"))  # no such article at the till
    h.afas.add_agreement("20001", discount_group="SALE", discount_pct=15)  # not a group number

    result = h.sync("prices")
    assert result.pushed_failed == 0 and result.write_calls > 0
    errors = h.query("select entity, record_key, field, message from transforms.errors_prices")
    by_field = defaultdict(list)
    for e in errors:
        by_field[e["field"]].append(e)

    def named(field: str, *words: str) -> bool:
        return any(all(w in e["message"] for w in words) for e in by_field[field])

    assert named("price_list", "P99") and named("price_list", "P04", "9")
    assert named("price", "P01", negative) and named("from_quantity", "P01", duplicate, "10")
    assert named("from_quantity", "P01", fraction, "2.5") and named(
        "discount_percentage", "P01", discount, "2.5"
    )
    assert named("item_code", "20001", "99999") and named("discount_group", "20001", "SALE")

    # everything else arrived: the broken tiers are missing, nothing more
    broken = {(negative, 10), (duplicate, 10), (fraction, 2), (discount, 5)}
    expected = expected_tiers(h.afas, h.mplus, today)
    held = held_tiers(h.afas, h.mplus)
    for article, tiers in expected.items():
        want = {t for t in tiers if not (t[0] == 1 and (str(article), t[1]) in broken)}
        assert held[article] == want, article
    deals = held_discounts(relation_of(h.mplus, "20001"))
    assert deals == expected_discounts(h.afas, h.mplus, "20001", today) and len(deals) == 2

    # a tier that was fine and breaks later is held: MplusKASSA keeps its last good price, nothing is written
    before = {
        e["minimumAmount"]: e["priceExcl"]
        for e in h.mplus.get_article(three[2])["priceGroupList"]["priceGroup"]
        if e["priceGroupNumber"] == 1
    }
    h.afas.modify_price_row("P01", three[2], 50, price=Decimal("-3.00"))
    result = h.sync("prices")
    assert result.write_calls == 0 and result.plan["delete"] == 0
    after = {
        e["minimumAmount"]: e["priceExcl"]
        for e in h.mplus.get_article(three[2])["priceGroupList"]["priceGroup"]
        if e["priceGroupNumber"] == 1
    }
    assert after == before

    # an agreement deleted in AFAS (an incremental read never sees it: the key sweep does) leaves its relation
    original = next(
        g
        for g in h.afas.agreements.values()
        if g.debtor_id == "20001" and g.item_code and g.item_code != "99999"
    )
    h.afas.remove_agreement(original.agreement_id)
    result = h.sync("prices")
    assert (result.plan["delete"], result.write_calls) == (1, 1), result.as_json()
    assert held_discounts(relation_of(h.mplus, "20001")) == expected_discounts(
        h.afas, h.mplus, "20001", today
    )
    assert int(original.item_code) not in {d[0] for d in held_discounts(relation_of(h.mplus, "20001"))}


def test_tiers_cleared_at_the_till_leave_staging_and_are_sent_again(harness) -> None:
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()  # the sync's day
    h = harness(
        simulator=SMALL, prices={"today": today}, afas={"key_sweep_every_minutes": 0}
    )  # sweeps each run
    h.afas.clock = lambda: datetime.combine(today, time(12))
    for flow in ("products", "customers", "prices"):
        h.sync(flow)
    assert h.sync("prices").write_calls == 0
    code = next(a for a, tiers in expected_tiers(h.afas, h.mplus, today).items() if len(tiers) >= 2)
    staged = (
        "select count(*) as n from staging.mplus_article_price_groups where article_number = {} "
        "and not coalesce(is_placeholder, false)"
    )
    assert h.query(staged.format(code))[0]["n"] >= 2
    h.mplus.edit_article(code, priceGroupList={"priceGroup": []})  # someone empties the list at the till

    result = h.sync("prices")
    # the re-read article's old tiers were deleted from staging (a placeholder row marks it read), so the
    # plan creates them again: one write for the article
    assert result.write_calls == 1 and result.plan["create"] >= 2, result.as_json()
    assert held_tiers(h.afas, h.mplus)[code] == expected_tiers(h.afas, h.mplus, today)[code]
    assert h.sync("prices").write_calls == 0
