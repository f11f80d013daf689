"""The bad-input corpus's cases (tests/reliability/test_bad_input.py runs them): each kind of bad value is a
setup that plants it in the stand-ins and a check of its exact outcome after the shared sync."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from afas_mplus.flow_result import FlowResult
from tests.conftest import Harness

TODAY = date.today()
OLD = datetime(2020, 1, 1, 9, 0)
MAPPING = {"P01": 1, "P02": 2, "P03": 3}
ERRORS = {
    "products": "transforms.errors_products",
    "customers": "transforms.errors_customers",
    "stock": "transforms.errors_stock",
    "prices": "transforms.errors_prices",
}


@dataclass
class Shop:
    h: Harness
    results: list[FlowResult]
    ctx: dict[str, Any]

    def errors(self, flow: str) -> set[tuple[str, str]]:
        return {(str(r["record_key"]), r["field"]) for r in self.h.query(f"select * from {ERRORS[flow]}")}

    def messages(self, flow: str, record_key: str) -> list[str]:
        return [
            r["message"]
            for r in self.h.query(f"select * from {ERRORS[flow]}")
            if str(r["record_key"]) == record_key
        ]

    def extract_errors(self) -> set[tuple[str, str, str]]:
        return {
            (r["resource"], r["record_key"], r["field"])
            for r in self.h.query("select resource, record_key, field from staging.extract_errors")
        }

    def article(self, code: str) -> dict[str, Any] | None:
        return self.h.mplus.get_article(int(code)) if code.isdigit() else None

    def relation(self, debtor_id: str) -> dict[str, Any] | None:
        return next((r for r in self.h.mplus.relations.values() if r.get("extRelationId") == debtor_id), None)


Setup = Callable[[Harness, dict[str, Any]], None]
Check = Callable[[Shop], None]
CASES: dict[str, tuple[Setup, Check]] = {}


def case(name: str, setup: Setup, check: Check) -> None:
    assert name not in CASES
    CASES[name] = (setup, check)


def _touch(h: Harness, table: str, record: Any, key: Any, **raw: Any) -> None:
    """Set values without the stand-in's setters (they would refuse a bad value) and mark the record changed."""
    for name, value in raw.items():
        setattr(record, name, value)
    if hasattr(record, "modified"):
        record.modified = h.afas.now()
    h.afas.touch(table, key)


# -- articles (products flow) --------------------------------------------------------------------------------


def _new_article(code: str, **fields: Any) -> Setup:
    def setup(h: Harness, ctx: dict[str, Any]) -> None:
        values = {"group_code": "500", "vat_group": "HOOG", "price_excl": Decimal("10.00"), "ean": None}
        values.update(fields)
        description = values.pop("description", None)
        h.afas.add_article(code, **values)
        if description is not None:  # add_article would name an article without a description itself
            h.afas.modify_article(code, description=description)

    return setup


def _refused(flow: str, key: str, field: str, *words: str) -> Check:
    """An error row (record, field) whose message names the record; nothing of it reached the target."""

    def check(shop: Shop) -> None:
        assert (key, field) in shop.errors(flow), sorted(e for e in shop.errors(flow) if e[0] == key)
        assert any(key in m and all(w in m for w in words) for m in shop.messages(flow, key)), shop.messages(
            flow, key
        )
        if flow == "products":
            assert shop.article(key) is None, f"article {key} was sent"
        if flow == "customers":
            assert shop.relation(key) is None, f"debtor {key} was sent"

    return check


ARTICLE_CASES: list[tuple[str, str, dict[str, Any], str, tuple[str, ...]]] = [
    # name, code, fields of the new AFAS article, field named by the error row, words in its message
    ("negative_price", "70001", {"price_excl": Decimal("-5.00")}, "price", ("negative",)),
    ("sub_cent_price", "70002", {"price_excl": Decimal("0.001")}, "price", ("decimals",)),
    ("three_decimals_price", "70003", {"price_excl": Decimal("9.995")}, "price", ("whole cents",)),
    ("blank_name", "70004", {"description": "   "}, "description", ("no description",)),
    ("empty_name", "70005", {"description": ""}, "description", ("no description",)),
    ("name_10000_chars", "70006", {"description": "x" * 10_000}, "description", ("10000 characters",)),
    ("name_just_over_limit", "70007", {"description": "y" * 101}, "description", ("at most 100",)),
    ("extra_text_too_long", "70008", {"extra_description": "z" * 1001}, "extra_text", ("at most 1000",)),
    ("brand_too_long", "70009", {"brand": "B" * 51}, "brand", ("at most 50",)),
    ("colour_too_long", "70010", {"colour": "C" * 51}, "colour", ("at most 50",)),
    ("ean_letters", "70011", {"ean": "ABC123"}, "barcode", ("ABC123", "check digit")),
    ("ean_bad_check_digit", "70012", {"ean": "8712345678902"}, "barcode", ("8712345678902",)),
    ("ean_wrong_length", "70013", {"ean": "123456789"}, "barcode", ("123456789",)),
    ("control_char_name", "70014", {"description": "Mok\x0bblauw"}, "description", ("control character",)),
    ("nul_in_extra_text", "70015", {"extra_description": "Tekst\x00"}, "extra_text", ("control character",)),
    (
        "control_char_feature",
        "70016",
        {"features": {"Materiaal": "Wol\x1f"}},
        "features",
        ("control character",),
    ),
    ("feature_value_too_long", "70017", {"features": {"Materiaal": "w" * 300}}, "features", ("at most 255",)),
    ("unknown_item_group", "70018", {"group_code": "999"}, "group_code", ("999",)),
    ("no_price", "70019", {"price_excl": None}, "price", ("no sales price",)),
    ("unknown_vat_group", "70020", {"vat_group": "XYZ"}, "vat_group", ("XYZ",)),
    ("letters_in_code", "AB-70021", {}, "article_number", ("not numeric",)),
]
for _name, _code, _fields, _field, _words in ARTICLE_CASES:
    case(_name, _new_article(_code, **_fields), _refused("products", _code, _field, *_words))


def _leading_zero(h: Harness, ctx: dict[str, Any]) -> None:
    code = ctx["simple"][0]
    h.afas.add_article("0" + code, description="Dubbel", group_code="500", price_excl=Decimal("3.00"))
    ctx["zero_code"] = "0" + code


def _leading_zero_check(shop: Shop) -> None:
    code = shop.ctx["simple"][0]
    errors = shop.errors("products")
    assert ("0" + code, "article_number") in errors and (code, "article_number") in errors
    assert any("0" + code in m and "leading zeros" in m for m in shop.messages("products", code))
    # the article MplusKASSA already has keeps what it had: neither changed nor deactivated
    assert (
        shop.article(code)["description"] == shop.ctx["simple_description"] and shop.article(code)["active"]
    )


case("code_collides_after_leading_zeros", _leading_zero, _leading_zero_check)


def _shared_barcode(h: Harness, ctx: dict[str, Any]) -> None:
    for code in ("70031", "70032"):
        h.afas.add_article(code, group_code="500", price_excl=Decimal("4.00"), ean="8700000000017")


case(
    "barcode_on_two_new_articles",
    _shared_barcode,
    lambda s: [_refused("products", c, "barcode", "more than one")(s) for c in ("70031", "70032")],
)


def _feature_separators(h: Harness, ctx: dict[str, Any]) -> None:
    h.afas.add_article(
        "70041",
        group_code="500",
        price_excl=Decimal("5.00"),
        features={"Materiaal": "Katoen|Herkomst=Portugal", "Maat=": 'a "b" \\ c'},
    )


def _feature_separators_check(shop: Shop) -> None:
    article = shop.article("70041")
    assert article is not None, shop.messages("products", "70041")
    fields = {f["fieldName"]: f.get("strValue") for f in article["customFieldList"]["customField"]}
    assert fields == {
        "MATERIAAL": "Katoen|Herkomst=Portugal",
        "MAAT=": 'a "b" \\ c',
    }  # codes as AFAS stages them


case("feature_value_with_separators", _feature_separators, _feature_separators_check)


def _old_modified(h: Harness, ctx: dict[str, Any]) -> None:
    h.afas.add_article("70051", group_code="500", price_excl=Decimal("6.00"), modified=OLD)


case(
    "new_article_with_old_modified_date",
    _old_modified,
    lambda s: (
        (s.article("70051") is not None and s.article("70051")["priceExcl"] == 600)
        or pytest.fail("a new article with an old ModifiedDate was not extracted")
    ),
)


def _raw_article(code_key: str, **raw: Any) -> Setup:
    def setup(h: Harness, ctx: dict[str, Any]) -> None:
        code = ctx[code_key]
        _touch(h, "articles", h.afas.articles[code], code, **raw)

    return setup


def _not_loaded(resource: str, key_of: Callable[[dict[str, Any]], str], field: str) -> Check:
    """Documented handling of a value that does not fit its column: a row in staging.extract_errors naming the
    record and the field; the record is not loaded (what MplusKASSA holds stays as it is)."""

    def check(shop: Shop) -> None:
        key = key_of(shop.ctx)
        assert (resource, key, field) in shop.extract_errors(), sorted(shop.extract_errors())

    return check


case(
    "price_with_5_decimals",
    _raw_article("simple_2", price_excl=Decimal("1.23456")),
    _not_loaded("afas_articles", lambda c: c["simple"][2], "SalesPrice"),
)
case(
    "price_1e15",
    _raw_article("simple_3", price_excl=Decimal("1E15")),
    _not_loaded("afas_articles", lambda c: c["simple"][3], "SalesPrice"),
)

# An unreadable ModifiedDate is an extract error on the read that meets it (tests/pipelines/test_afas_extract.py);
# the stand-in cannot filter such a row incrementally, so it is not in this corpus.

# -- debtors (customers flow) --------------------------------------------------------------------------------


def _new_debtor(debtor_id: str, kind: str = "P", **fields: Any) -> Setup:
    def setup(h: Harness, ctx: dict[str, Any]) -> None:
        values: dict[str, Any] = {
            "first_name": "Test",
            "last_name": f"Klant {debtor_id}",
            "city": "Utrecht",
            "country": "NL",
            "email": f"klant{debtor_id}@example.nl",
        }
        if kind == "O":
            values = {
                "name": f"Bedrijf {debtor_id}",
                "city": "Utrecht",
                "country": "NL",
                "email": f"info{debtor_id}@example.nl",
            }
        values.update(fields)
        h.afas.add_debtor(kind, debtor_id=debtor_id, **values)

    return setup


DEBTOR_CASES: list[tuple[str, str, str, dict[str, Any], str, tuple[str, ...]]] = [
    ("debtor_without_name", "80001", "P", {"first_name": None, "last_name": None}, "name", ("no name",)),
    ("debtor_name_10000_chars", "80002", "O", {"name": "N" * 10_000}, "name", ("10000 characters",)),
    ("debtor_control_char_city", "80003", "P", {"city": "Utrecht\x07"}, "city", ("control character",)),
    ("debtor_malformed_email", "80004", "P", {"email": "geen-adres"}, "email", ("malformed",)),
    ("debtor_unknown_country", "80005", "P", {"country": "ZZ"}, "country", ("ZZ",)),
    ("debtor_zipcode_too_long", "80006", "P", {"zipcode": "1" * 21}, "zipcode", ("at most 20",)),
    ("debtor_city_too_long", "80007", "P", {"city": "U" * 51}, "city", ("at most 50",)),
]
for _name, _id, _kind, _fields, _field, _words in DEBTOR_CASES:
    case(_name, _new_debtor(_id, _kind, **_fields), _refused("customers", _id, _field, *_words))


def _shared_email(h: Harness, ctx: dict[str, Any]) -> None:
    for debtor_id in ("80011", "80012"):
        _new_debtor(debtor_id, email="gedeeld@example.nl")(h, ctx)


case(
    "two_debtors_one_email",
    _shared_email,
    lambda s: [_refused("customers", d, "email", "80011, 80012", "share")(s) for d in ("80011", "80012")],
)

# -- stock ---------------------------------------------------------------------------------------------------


def _stock(key: str, value: Any) -> Setup:
    def setup(h: Harness, ctx: dict[str, Any]) -> None:
        h.afas.set_stock(ctx[key], "01", physical=value, allocated=0, reserved=0)

    return setup


def _stock_refused(key: str) -> Check:
    def check(shop: Shop) -> None:
        code = shop.ctx[key]
        assert (f"1:{code}", "quantity") in shop.errors("stock")
        assert shop.h.mplus.stock(1, code) == shop.ctx["stock_before"][code]  # MplusKASSA keeps its stock

    return check


case("stock_1e12", _stock("stocked_0", Decimal("1E12")), _stock_refused("stocked_0"))
case("stock_minus_1e10", _stock("stocked_1", Decimal("-1E10")), _stock_refused("stocked_1"))


def _nan_stock(h: Harness, ctx: dict[str, Any]) -> None:
    code = ctx["stocked_2"]
    # JSON has no NaN: AFAS's answer carries null, which would count as 0 and empty the till's stock
    _touch(h, "stock", h.afas.stock[(code, "01")], (code, "01"), physical=Decimal("NaN"))


case("stock_nan", _nan_stock, _stock_refused("stocked_2"))


def _unmapped_warehouse(h: Harness, ctx: dict[str, Any]) -> None:
    h.afas.set_warehouse("09", "Extern magazijn")
    for code in (ctx["stocked_3"], ctx["stocked_4"]):
        h.afas.set_stock(code, "09", physical=5)


def _unmapped_warehouse_check(shop: Shop) -> None:
    rows = [e for e in shop.errors("stock") if e[1] == "warehouse"]
    assert rows == [("warehouse:09", "warehouse")]  # once, not per article
    assert shop.messages("stock", "warehouse:09")[0].startswith("Warning: AFAS warehouse 09")


case("unmapped_warehouse", _unmapped_warehouse, _unmapped_warehouse_check)

# -- prices --------------------------------------------------------------------------------------------------


def _price_row(key: str, price: Any, **kw: Any) -> Setup:
    def setup(h: Harness, ctx: dict[str, Any]) -> None:
        h.afas.add_price_row("P01", ctx[key], price, **kw)

    return setup


def _tier_refused(key: str, field: str, *words: str) -> Check:
    def check(shop: Shop) -> None:
        code = shop.ctx[key]
        rows = [
            r
            for r in shop.h.query("select * from transforms.errors_prices")
            if r["field"] == field and code in r["record_key"]
        ]
        assert rows and all(all(w in r["message"] for w in words) for r in rows), rows

    return check


case(
    "price_row_ends_before_start",
    _price_row(
        "simple_5", Decimal("7.00"), from_qty=3, valid_from=TODAY.replace(day=1), valid_to=date(2020, 1, 1)
    ),
    _tier_refused("simple_5", "valid_to", "before it starts"),
)
case(
    "price_row_negative",
    _price_row("simple_6", Decimal("-1.00"), from_qty=4),
    _tier_refused("simple_6", "price"),
)
case(
    "price_row_rounds_to_zero",
    _price_row("simple_7", Decimal("0.001"), from_qty=5),
    _tier_refused("simple_7", "price", "rounds to 0.00"),
)
case(
    "price_row_other_currency",
    _price_row("simple_8", Decimal("8.00"), from_qty=6, currency="USD"),
    _tier_refused("simple_8", "currency", "USD"),
)
case(
    "price_row_fraction_quantity",
    _price_row("simple_9", Decimal("8.00"), from_qty=Decimal("2.5")),
    _tier_refused("simple_9", "from_quantity", "2.5"),
)
case(
    "price_row_fraction_discount",
    _price_row("simple_10", Decimal("8.00"), from_qty=7, discount_pct="2.5"),
    _tier_refused("simple_10", "discount_percentage", "2.5"),
)


def _four_decimals_check(shop: Shop) -> None:
    # Documented handling: price lists may carry 4 decimals; the tier is sent rounded to cents.
    code = int(shop.ctx["simple_11"])
    tiers = [
        e
        for e in shop.article(str(code))["priceGroupList"]["priceGroup"]
        if e["priceGroupNumber"] == 1 and e["minimumAmount"] == 8
    ]
    assert len(tiers) == 1 and (tiers[0].get("priceExcl") or tiers[0].get("priceIncl")) == 1235, tiers


case("price_row_four_decimals", _price_row("simple_11", Decimal("12.3456"), from_qty=8), _four_decimals_check)


def _validity_not_a_date(h: Harness, ctx: dict[str, Any]) -> None:
    row = h.afas.add_price_row("P01", ctx["simple_12"], Decimal("9.00"), from_qty=9)
    _touch(h, "price_rows", row, row.row_id, valid_to="31-12-2025")
    ctx["bad_row"] = row


case(
    "validity_31_12_2025",
    _validity_not_a_date,
    lambda s: (
        [
            e
            for e in s.extract_errors()
            if e[0] == "afas_price_list_rows" and e[2] == "ValidTo" and s.ctx["simple_12"] in e[1]
        ]
        or pytest.fail(str(sorted(s.extract_errors())))
    ),
)


def _agreement_backwards(h: Harness, ctx: dict[str, Any]) -> None:
    h.afas.add_agreement(
        ctx["debtor"],
        item_code=ctx["simple_13"],
        price=Decimal("5.00"),
        valid_from=TODAY.replace(day=1),
        valid_to=date(2020, 1, 1),
    )


case(
    "agreement_ends_before_start",
    _agreement_backwards,
    lambda s: _tier_refused("debtor", "valid_to", "before it starts")(s),
)
