"""The AFAS extract end to end against the stand-in: bad values, new keys, empty connectors, declared connectors."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pipelines.afas import AFAS_RESOURCES, AfasResourceError, resources_from_config
from pipelines.afas.keys import column
from simulators.afas.connectors import GET_CONNECTORS
from tests.pipelines.conftest import CONNECTOR_IDS, AfasExtractHarness

OLD = datetime(2020, 1, 1, 9, 0)  # long before any incremental cursor


def touch_article(afas: AfasExtractHarness, code: str, **fields: object) -> None:
    """Change an article in AFAS without going through its setters (which would refuse a bad value)."""
    article = afas.state.articles[code]
    for name, value in fields.items():
        setattr(article, name, value)
    afas.state.touch("articles", code)


def move_cursor(afas: AfasExtractHarness, code: str) -> None:
    """An edit now: the next incremental read starts at now minus the overlap, past the demo's dates."""
    afas.state.modify_article(code, description=f"edited {code}")


# -- values that do not fit ------------------------------------------------------------------------------------


def test_bad_values_are_error_rows_and_the_rest_of_the_page_loads(afas: AfasExtractHarness) -> None:
    codes = sorted(afas.state.articles)
    touch_article(afas, codes[0], price_excl=Decimal("1.23456"))
    touch_article(afas, codes[1], price_excl=Decimal("1E15"))
    touch_article(afas, codes[2], modified="not-a-date")
    bad_row = next(iter(afas.state.price_rows.values()))
    bad_row.valid_to = "31-12-2025"
    afas.state.touch("price_rows", bad_row.row_id)

    counts = afas.run("afas_articles", "afas_price_list_rows")

    assert afas.keys("afas_articles", "item_code") == set(codes[3:])  # one page: the good rows all loaded
    assert counts["afas_articles"] == len(codes) - 3
    assert counts["afas_price_list_rows"] == len(afas.state.price_rows) - 1
    price_key = f"{bad_row.price_list}|{bad_row.item_code}|{bad_row.from_qty.normalize():f}|2024-01-01"
    assert price_key not in afas.keys("afas_price_list_rows", "price_row_key")
    errors = afas.errors()
    assert [(e["resource"], e["connector"], e["record_key"], e["field"], e["value"]) for e in errors] == [
        ("afas_articles", "Sync_Articles", codes[0], "SalesPrice", "1.23456"),
        ("afas_articles", "Sync_Articles", codes[1], "SalesPrice", "1000000000000000.0"),  # as sent
        ("afas_articles", "Sync_Articles", codes[2], "ModifiedDate", "not-a-date"),
        ("afas_price_list_rows", "Sync_PriceListRows", price_key, "ValidTo", "31-12-2025"),
    ]
    assert "5 decimals, the column keeps 4" in errors[0]["message"]
    assert "not loaded" in errors[0]["message"] and "Correct the value in AFAS" in errors[0]["message"]
    assert "not an AFAS date: '31-12-2025'" in errors[3]["message"]
    record = next(r for r in afas.records if r.step == "extract errors")
    assert record.details == {"afas_articles": 3, "afas_price_list_rows": 1}


def test_an_error_stays_until_its_record_is_read_again_and_goes_once_it_loads(
    afas: AfasExtractHarness,
) -> None:
    codes = sorted(afas.state.articles)
    touch_article(afas, codes[0], price_excl=Decimal("1.23456"))
    afas.run("afas_articles")
    move_cursor(afas, codes[5])

    afas.run("afas_articles")  # reads only the recent edit: the bad record was not read again
    assert [e["record_key"] for e in afas.errors()] == [codes[0]]

    afas.state.modify_article(codes[0], price_excl=Decimal("2.5"))  # corrected in AFAS
    afas.run("afas_articles")
    assert afas.errors() == []
    price = afas.query(f"select sales_price from staging.afas_articles where item_code = '{codes[0]}'")
    assert price == [{"sales_price": Decimal("2.5000")}]


def test_a_changed_value_that_no_longer_fits_keeps_the_last_good_version_staged(
    afas: AfasExtractHarness,
) -> None:
    code = sorted(afas.state.articles)[0]
    afas.run("afas_articles")
    before = afas.query(f"select sales_price from staging.afas_articles where item_code = '{code}'")
    touch_article(afas, code, price_excl=Decimal("3.14159"), modified=datetime(2030, 1, 1))
    afas.run("afas_articles")
    assert afas.query(f"select sales_price from staging.afas_articles where item_code = '{code}'") == before
    assert [(e["record_key"], e["field"]) for e in afas.errors()] == [(code, "SalesPrice")]


def test_a_full_read_keeps_the_row_with_the_bad_value_null_and_casts_the_others(
    afas: AfasExtractHarness,
) -> None:
    # A customer's connector where HouseNumber holds numbers: declared a whole number; "12a" cannot be one.
    (resource,) = resources_from_config(
        [
            {
                "name": "afas_debtor_houses",
                "connector": "Sync_Debtors",
                "key": ["DebtorId"],
                "types": {"HouseNumber": "bigint"},
            }
        ]
    )
    debtors = sorted(afas.state.debtors)
    orgpers = [afas.state.orgpers[afas.state.debtors[d].bc_co] for d in debtors]
    for n, op in enumerate(orgpers):
        op.house_number = "12a" if n == 0 else str(40 + n)
        afas.state.touch("orgpers", op.bc_co)

    afas.run("afas_debtor_houses", extra=(resource,))

    rows = afas.query("select debtor_id, house_number from staging.afas_debtor_houses order by debtor_id")
    assert rows == [
        {"debtor_id": d, "house_number": None if n == 0 else 40 + n} for n, d in enumerate(debtors)
    ]
    (error,) = afas.errors()
    assert (error["record_key"], error["field"], error["value"]) == (debtors[0], "HouseNumber", "12a")
    assert "staged as NULL" in error["message"]


def test_a_number_where_text_is_expected_is_staged_as_text(afas: AfasExtractHarness) -> None:
    debtor = sorted(afas.state.debtors)[0]
    op = afas.state.orgpers[afas.state.debtors[debtor].bc_co]
    op.house_number = 12  # AFAS's own HmNr is an integer
    afas.state.touch("orgpers", op.bc_co)
    afas.run("afas_debtors")
    assert afas.query(f"select house_number from staging.afas_debtors where debtor_id = '{debtor}'") == [
        {"house_number": "12"}
    ]
    assert afas.errors() == []


# -- new keys are always fetched ---------------------------------------------------------------------------------


def test_a_new_article_older_than_the_cursor_is_fetched_by_its_key(afas: AfasExtractHarness) -> None:
    afas.run("afas_articles", "afas_article_keys")
    move_cursor(afas, sorted(afas.state.articles)[0])
    afas.run("afas_articles", "afas_article_keys")
    afas.state.add_article("OLD-1", "Imported with its old date")
    touch_article(afas, "OLD-1", modified=OLD, created=OLD)

    counts = afas.run("afas_articles", "afas_article_keys")

    assert "OLD-1" in afas.keys("afas_articles", "item_code")
    assert afas.keys("afas_articles", "item_code") == afas.keys("afas_article_keys", "item_code")
    # the edit still inside the overlap window, re-read, and the new key: out of the window, read by key
    assert counts["afas_articles"] == 2
    # reading by key left the incremental cursor alone, and a key once staged is not read again
    assert afas.run("afas_articles", "afas_article_keys") == {
        "afas_articles": 1,
        "afas_article_keys": len(afas.state.articles),
    }


def test_many_new_keys_are_read_in_batches_within_the_query_limit(afas: AfasExtractHarness) -> None:
    afas.run("afas_articles", "afas_article_keys")
    move_cursor(afas, sorted(afas.state.articles)[0])
    afas.run("afas_articles", "afas_article_keys")
    new = [f"IMPORTED-LONG-ITEM-CODE-{n:05d}" for n in range(300)]
    for code in new:
        afas.state.add_article(code)
        touch_article(afas, code, modified=OLD, created=OLD)
    before = dict(afas.state.stats.snapshot()["calls"])

    afas.run("afas_articles", "afas_article_keys")

    assert set(new) <= afas.keys("afas_articles", "item_code")
    calls = afas.state.stats.snapshot()
    assert "404" not in calls["statuses"]  # no query over AFAS's 2049 characters
    by_key = (
        calls["calls"]["GET Sync_Articles"] - before["GET Sync_Articles"] - 2
    )  # minus the two keyset reads
    assert 300 * 30 // 2049 < by_key < 300  # ~60 codes of ~30 characters a call


def test_a_price_row_older_than_the_cursor_comes_in_and_a_deleted_one_goes(afas: AfasExtractHarness) -> None:
    afas.run("afas_price_list_rows")
    gone = next(iter(afas.state.price_rows.values()))
    afas.state.remove_price_row(gone.price_list, gone.item_code, gone.from_qty)
    row = afas.state.add_price_row("P01", sorted(afas.state.articles)[3], Decimal("9.95"), from_qty=50)
    row.modified = OLD
    afas.state.touch("price_rows", row.row_id)
    edited = next(iter(afas.state.price_rows.values()))  # an old row, edited: the cursor moves to now
    afas.state.modify_price_row(edited.price_list, edited.item_code, edited.from_qty, price=Decimal("1.11"))
    afas.records.clear()

    afas.run("afas_price_list_rows")
    afas.run("afas_price_list_rows")

    keys = afas.keys("afas_price_list_rows", "price_row_key")
    assert f"P01|{row.item_code}|50|{row.valid_from.date()}" in keys
    assert not any(
        k.startswith(f"{gone.price_list}|{gone.item_code}|{gone.from_qty.normalize():f}|") for k in keys
    )
    assert len(keys) == len(afas.state.price_rows)
    sweeps = [r.details for r in afas.records if r.step == "sweep afas_price_list_rows"]
    assert sweeps == [{"removed": 1, "added": 1}, {"removed": 0, "added": 0}]


def test_a_sweep_not_due_reads_incrementally_and_the_next_due_one_finds_the_deletion(
    afas: AfasExtractHarness,
) -> None:
    hour = timedelta(hours=1)
    afas.run("afas_price_list_rows", sweep_every=hour)  # the first run sweeps: nothing swept yet
    gone = next(iter(afas.state.price_rows.values()))
    afas.state.remove_price_row(gone.price_list, gone.item_code, gone.from_qty)
    staged = len(afas.keys("afas_price_list_rows", "price_row_key"))
    afas.records.clear()

    afas.run("afas_price_list_rows", sweep_every=hour)
    assert len(afas.keys("afas_price_list_rows", "price_row_key")) == staged  # not seen yet
    assert not [r for r in afas.records if r.step.startswith("sweep")]

    afas.warehouse.execute("update staging.afas_key_sweeps set swept_at = swept_at - interval '61 minutes'")
    afas.run("afas_price_list_rows", sweep_every=hour)  # due: an hour has passed
    assert len(afas.keys("afas_price_list_rows", "price_row_key")) == staged - 1 == len(afas.state.price_rows)
    assert [r.details for r in afas.records if r.step.startswith("sweep")] == [{"removed": 1, "added": 0}]


# -- empty is normal ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", AFAS_RESOURCES, ids=lambda r: r.name)
def test_an_empty_connector_still_gives_its_table_with_every_column(
    empty_afas: AfasExtractHarness, resource: object
) -> None:
    name = resource.name  # type: ignore[attr-defined]
    for _ in range(2):  # the second run: incremental, key sweeps and key scans over empty tables
        assert empty_afas.run(name).get(name, 0) == 0
    connector = GET_CONNECTORS[resource.connector_id(CONNECTOR_IDS)]  # type: ignore[attr-defined]
    if resource.keys_of:  # type: ignore[attr-defined]
        expected = {column(k) for k in resource.key}  # type: ignore[attr-defined]
    else:
        expected = {column(f.id) for f in connector.fields} | {column(k) for k in resource.key}  # type: ignore
    staged = set(empty_afas.warehouse.columns("staging", name))
    assert expected <= staged
    assert empty_afas.query(f"select count(*) as n from staging.{name}") == [{"n": 0}]


# -- connectors declared in the settings ---------------------------------------------------------------------


def test_a_declared_connector_loads_with_every_column_typed_from_its_metainfo(
    afas: AfasExtractHarness,
) -> None:
    extra = resources_from_config(
        [
            {
                "name": "afas_profit_debtors",
                "connector": "Profit_Debtor",
                "key": ["DebtorId"],
                "incremental": "ModifiedDate",
            }
        ]
    )
    counts = afas.run("afas_profit_debtors", extra=extra)
    assert counts == {"afas_profit_debtors": len(afas.state.debtors)}
    types = {
        r["column_name"]: r["data_type"]
        for r in afas.query(
            "select column_name, data_type from information_schema.columns where table_name = 'afas_profit_debtors'"
        )
    }
    assert {column(f.id) for f in GET_CONNECTORS["Profit_Debtor"].fields} <= set(types)
    assert types["credit_limit"] == "DECIMAL(18,4)"
    assert types["blocked"] == "BOOLEAN"
    assert types["modified_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["debtor_id"] == "VARCHAR"


def test_a_declared_column_the_connector_lacks_is_one_line_naming_it(afas: AfasExtractHarness) -> None:
    extra = resources_from_config([{"name": "afas_x", "connector": "Profit_Debtor", "key": ["DebtorNr"]}])
    with pytest.raises(
        AfasResourceError,
        match=r"afas_x: connector Profit_Debtor has no field DebtorNr \(its "
        r"fields: .*DebtorId",
    ):
        afas.run("afas_x", extra=extra)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"name": "afas_x", "connector": "C"}, "key missing"),
        (
            {"name": "afas_x", "connector": "C", "key": "K", "colour": "red"},
            "unknown field(s) colour; allowed: name",
        ),
        ({"name": "afas_articles", "connector": "C", "key": "K"}, "the name is taken"),
        ({"name": "Afas X", "connector": "C", "key": "K"}, "name must be lower case"),
        (
            {"name": "afas_x", "connector": "C", "key": "K", "types": {"K": "int"}},
            "types.K must be one of text",
        ),
        (
            {
                "name": "afas_x",
                "connector": "C",
                "key": "K",
                "incremental": "M",
                "write_disposition": "replace",
            },
            "an incremental resource merges",
        ),
        ({"name": "afas_x", "connector": "C", "key": ["A", "B"], "key_sweep": True}, "join several columns"),
    ],
)
def test_a_declaration_that_cannot_work_is_refused_with_the_fix(item: dict, message: str) -> None:
    with pytest.raises(AfasResourceError, match="AFAS resource") as err:
        resources_from_config([item])
    assert message in str(err.value)


def test_an_unreadable_cursor_value_kept_as_null_still_loads_its_row(afas: AfasExtractHarness) -> None:
    extra = resources_from_config(
        [
            {
                "name": "afas_articles_all",
                "connector": "Sync_Articles",
                "key": "ItemCode",
                "incremental": "ModifiedDate",
                "bad_values": "null_value",
            }
        ]
    )
    code = sorted(afas.state.articles)[0]
    touch_article(afas, code, modified="not-a-date")
    afas.run("afas_articles_all", extra=extra)
    assert afas.query(f"select modified_date from staging.afas_articles_all where item_code = '{code}'") == [
        {"modified_date": None}
    ]
    assert afas.keys("afas_articles_all", "item_code") == set(afas.state.articles)
    assert [(e["record_key"], e["field"]) for e in afas.errors()] == [(code, "ModifiedDate")]
