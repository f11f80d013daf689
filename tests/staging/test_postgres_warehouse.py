"""The PostgreSQL warehouse takes what callers write for DuckDB: translated statements, prefixed schemas, bulk
appends, streams, and locks that name their holder."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import psycopg2
import pytest

from staging.base import Warehouse, WarehouseBusyError
from staging.postgres import PostgresWarehouse, WarehouseSqlError, dlt_credentials_url, masked, to_postgres
from staging.warehouse import DuckDBWarehouse
from tests.conftest import drop_schemas

pytestmark = pytest.mark.postgres


@pytest.fixture()
def prefix(postgres_dsn: str) -> Iterator[str]:
    name = f"u{uuid.uuid4().hex[:10]}_"
    try:
        yield name
    finally:
        drop_schemas(postgres_dsn, name)


@pytest.fixture()
def pg(postgres_dsn: str, prefix: str) -> Iterator[PostgresWarehouse]:
    wh = Warehouse(dsn=postgres_dsn, schema_prefix=prefix, holder="a test")
    assert isinstance(wh, PostgresWarehouse)
    try:
        yield wh
    finally:
        wh.close()


def test_warehouse_chooses_its_implementation_from_the_dsn(tmp_path, postgres_dsn: str, prefix: str) -> None:  # noqa: ANN001
    duck = Warehouse(tmp_path / "w.duckdb")
    try:
        assert (
            isinstance(duck, DuckDBWarehouse)
            and duck.dialect == "duckdb"
            and duck.schema("staging") == "staging"
        )
    finally:
        duck.close()
    with Warehouse(dsn=postgres_dsn, schema_prefix=prefix) as pg:
        assert pg.dialect == "postgres" and pg.schema("staging") == f"{prefix}staging"
        assert pg.schema("information_schema") == "information_schema"
    with pytest.raises(ValueError, match="schema prefix"):
        Warehouse(dsn=postgres_dsn, schema_prefix="Bad-Prefix")


def test_translation_of_duckdb_statements() -> None:
    # a query may read the table it replaces (DuckDB allows it): built beside it, then swapped in
    assert to_postgres("create or replace table plan.x as select 1 as a where 'a' like '%b'", "p_")[0] == (
        "DROP TABLE IF EXISTS p_plan.x__new",
        "CREATE TABLE p_plan.x__new AS SELECT 1 AS a WHERE 'a' LIKE '%%b'",  # psycopg2 formats every statement
        "DROP TABLE IF EXISTS p_plan.x CASCADE",
        "ALTER TABLE p_plan.x__new RENAME TO x",
    )
    (insert,), ddl = to_postgres("insert into journal.runs values (?, ?)", "p_")
    assert insert == "INSERT INTO p_journal.runs VALUES (%s, %s)" and not ddl
    temp, _ = to_postgres("create or replace temp table gone (k varchar)", "p_")
    assert temp[0] == "DROP TABLE IF EXISTS pg_temp.gone CASCADE"  # never a permanent table of that name
    assert to_postgres("explain select * from transforms.m", "p_")[0] == (
        "EXPLAIN SELECT * FROM p_transforms.m",
    )
    assert to_postgres("select * from staging.t", "")[0] == ("SELECT * FROM staging.t",)
    with pytest.raises(WarehouseSqlError, match="CHECKPOINT"):
        to_postgres("checkpoint", "")


def test_statements_run_with_prefixed_schemas_and_duckdb_idioms(
    pg: PostgresWarehouse, postgres_dsn: str, prefix: str
) -> None:
    pg.execute(
        "create table if not exists plan.t (k varchar, action varchar, changed_fields varchar, "
        "price decimal(18, 4), price__current varchar)"
    )
    pg.executemany(
        "insert into plan.t values (?, ?, ?, ?, ?)",
        [
            ("a", "update", "price", Decimal("1.10"), "0.00"),
            ("b", "update", "price", Decimal("2"), "3.5"),
            ("c", "deactivate", None, None, None),
            ("d%", "create", "price", Decimal("0.0001"), None),
        ],
    )
    # count(*) filter, strpos, trim(x, chars) and `?` next to a literal `%`, as push_checks.destructive_counts writes them
    row = pg.query(
        "select count(*) filter (where action = 'update' and strpos(',' || changed_fields || ',', ',price,') > 0 "
        "and trim(cast(price__current as varchar), '0.') <> '') as update, "
        "count(*) filter (where action = 'deactivate') as deactivate from plan.t where k like '%' or k = ?",
        ["x"],
    )
    assert row == [{"update": 1, "deactivate": 1}]
    assert pg.scalar("select price from plan.t where k = ?", ["d%"]) == Decimal(
        "0.0001"
    )  # exact, never float
    pg.execute("create or replace table plan.t as select k from plan.t where k < 'c'")
    assert pg.columns("plan", "t") == ["k"] and pg.table_exists("plan", "t")
    # the tables live in the prefixed schemas only
    conn = psycopg2.connect(postgres_dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"select count(*) from {prefix}plan.t")
            assert cur.fetchone() == (2,)
            cur.execute(
                "select count(*) from information_schema.tables where table_schema = 'plan' and "
                "table_name = 't'"
            )
            assert cur.fetchone() == (0,)
    finally:
        conn.close()


def test_append_rows_keeps_every_value_exactly(pg: PostgresWarehouse) -> None:
    pg.execute("create table journal.things (a varchar, b double, c timestamp, d boolean, e decimal(18, 4))")
    awkward = ["tab\there", "line\nbreak", "back\\slash", r"\N", "", "é 🙂", "carriage\rreturn"]
    rows = [
        (text, 1.5, datetime(2026, 1, 2, 3, 4, 5), i % 2 == 0, Decimal("12.3400"))
        for i, text in enumerate(awkward)
    ]
    rows.append((None, None, None, None, None))
    n = pg.append_rows(
        "journal.things",
        {"a": "VARCHAR", "b": "DOUBLE", "c": "TIMESTAMP", "d": "BOOLEAN", "e": "DECIMAL(18,4)"},
        iter(rows),
    )
    assert n == len(rows)
    got = pg.query_table("select a, b, c, d, e from journal.things")[1]
    assert sorted(got, key=repr) == sorted(rows, key=repr)  # NULL stays NULL, '' stays '', '\N' stays text


def test_stream_reads_in_batches_while_the_shared_connection_writes(pg: PostgresWarehouse) -> None:
    pg.execute(
        "create table plan.big as select cast(i as varchar) as k from generate_series(1, 5000) as s(i)"
    )
    pg.execute("create table journal.log (k varchar)")
    seen = 0
    for row in pg.stream("select k from plan.big order by cast(k as integer)", batch=700):
        seen += 1
        if seen % 1000 == 0:
            pg.execute("insert into journal.log values (?)", [row["k"]])
    assert seen == 5000 and pg.scalar("select count(*) from journal.log") == 5


def test_replace_table_is_one_transaction_and_json_stays_text(pg: PostgresWarehouse) -> None:
    pg.replace_table(
        "settings", "vat", {"vat_group": "varchar", "code": "integer"}, [("HOOG", 2), ("LAAG", 1)]
    )
    pg.replace_table("settings", "vat", {"vat_group": "varchar", "code": "integer"}, [("GEEN", 3)])
    assert pg.query("select * from settings.vat") == [{"vat_group": "GEEN", "code": 3}]
    assert pg.scalar("select cast('{\"a\": 1.10}' as json)") == '{"a": 1.10}'  # as DuckDB returns it


def test_a_held_lock_names_its_holder_and_waits_when_asked(postgres_dsn: str, prefix: str) -> None:
    first = Warehouse(dsn=postgres_dsn, schema_prefix=prefix, holder="afas-mplus sync products")
    second = Warehouse(dsn=postgres_dsn, schema_prefix=prefix, holder="afas-mplus sync products")
    other_shop = Warehouse(dsn=postgres_dsn, schema_prefix=prefix + "b_")
    try:
        held = first.lock("flow products", what="the products flow")
        held.__enter__()
        t0 = time.monotonic()
        with (
            pytest.raises(WarehouseBusyError) as busy,
            second.lock("flow products", what="the products flow"),
        ):
            pass
        assert time.monotonic() - t0 < 5
        message = str(busy.value)
        assert (
            "the products flow is in use by afas-mplus sync products [pid" in message and "--wait" in message
        )
        with second.lock("flow customers"), other_shop.lock("flow products"):
            pass  # another flow, or another installation's products flow, is free
        release = threading.Timer(1.0, held.__exit__, args=(None, None, None))
        release.start()
        t0 = time.monotonic()
        with second.lock("flow products", wait_s=20):
            waited = time.monotonic() - t0
        release.join()
        assert 0.8 < waited < 20
    finally:
        for wh in (first, second, other_shop):
            wh.close()
        drop_schemas(postgres_dsn, prefix + "b_")


def test_a_dsn_is_never_shown_with_its_password() -> None:
    assert masked("postgresql://sync:hunter22@db.example:5433/wh") == "postgresql://sync@db.example:5433/wh"
    assert dlt_credentials_url("host=h dbname=d user=u") == "postgresql://u:@h:5432/d"
    assert (
        dlt_credentials_url("postgresql://u:p%40ss@h:6432/d?sslmode=require")
        == "postgresql://u:p%40ss@h:6432/d?sslmode=require"
    )
