"""`afas-mplus sql` on a PostgreSQL warehouse: the query as written for DuckDB, on the installation's prefixed
schemas, read-only unless --write, server functions refused, the journal protected, errors in one line."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from afas_mplus.cli import main
from afas_mplus.sql_errors import EXIT_OK, EXIT_USAGE
from afas_mplus.sql_postgres import run_sql_postgres
from reverse_etl.journal import CallRecord, Journal
from staging.base import Warehouse
from tests.conftest import drop_schemas

pytestmark = pytest.mark.postgres


@pytest.fixture()
def installation(postgres_dsn: str) -> Iterator[tuple[str, str]]:
    prefix = f"q{uuid.uuid4().hex[:10]}_"
    with Warehouse(dsn=postgres_dsn, schema_prefix=prefix) as wh:
        wh.execute(
            "create table staging.afas_articles (item_code varchar, description varchar, "
            "sales_price decimal(18, 4))"
        )
        wh.executemany(
            "insert into staging.afas_articles values (?, ?, ?)",
            [("10001", "Koffie | 100% arabica", Decimal("85.2400")), ("10002", None, Decimal("1.5"))],
        )
        Journal(wh).write_calls(
            "r1",
            [
                CallRecord(
                    "products",
                    "articles",
                    "g",
                    ["10001"],
                    "create",
                    "POST",
                    {"a": 1},
                    {"ok": True},
                    "ok",
                    started_at=datetime.now(UTC),
                )
            ],
        )
    try:
        yield postgres_dsn, prefix
    finally:
        drop_schemas(postgres_dsn, prefix)


def test_a_query_reads_the_installations_schemas_and_keeps_money_exact(installation: tuple[str, str]) -> None:
    dsn, prefix = installation
    code, output, _ = run_sql_postgres(
        dsn,
        prefix,
        "select item_code, description, sales_price from "
        "staging.afas_articles where description like '%100%%' "
        "order by item_code",
        fmt="json",
    )
    assert code == EXIT_OK
    assert [json.loads(line) for line in output.splitlines()] == [
        {"item_code": "10001", "description": "Koffie | 100% arabica", "sales_price": "85.2400"}
    ]
    code, output, note = run_sql_postgres(dsn, prefix, "select count(*) as n from journal.calls")
    assert code == EXIT_OK and "1" in output and note == "(1 row)"


@pytest.mark.parametrize(
    "query, complaint",
    [
        ("insert into staging.afas_articles values ('1', 'x', 1)", "--write"),
        ("select pg_read_file('/etc/passwd')", "pg_read_file() is not allowed"),
        ("select current_setting('data_directory')", "current_setting() is not allowed"),
        ("select 1; select 2", "one statement at a time"),
    ],
)
def test_what_a_read_may_not_do_is_refused_in_one_line(
    installation: tuple[str, str], query: str, complaint: str
) -> None:
    code, output, message = run_sql_postgres(*installation, query)
    assert code == EXIT_USAGE and output == "" and complaint in message and "\n" not in message


def test_write_changes_staging_but_never_the_journal(installation: tuple[str, str]) -> None:
    dsn, prefix = installation
    assert (
        run_sql_postgres(
            dsn,
            prefix,
            "create table staging.mine as select item_code from staging.afas_articles",
            write=True,
        ).code
        == EXIT_OK
    )
    code, _, message = run_sql_postgres(dsn, prefix, "delete from journal.calls", write=True)
    assert code == EXIT_USAGE and "journal schema is protected" in message
    with Warehouse(dsn=dsn, schema_prefix=prefix) as wh:
        assert wh.scalar("select count(*) from staging.mine") == 2
        assert wh.scalar("select count(*) from journal.calls") == 1


def test_an_unknown_column_names_it_with_postgresqls_hint(installation: tuple[str, str]) -> None:
    code, _, message = run_sql_postgres(*installation, "select descriptoin from staging.afas_articles")
    assert code == EXIT_USAGE and 'column "descriptoin" does not exist' in message
    assert "description" in message and "\n" not in message  # PostgreSQL's "Perhaps you meant ..."


def test_the_cli_queries_postgresql_when_warehouse_dsn_is_set(
    installation: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dsn, prefix = installation
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    monkeypatch.setenv("WAREHOUSE_SCHEMA_PREFIX", prefix)
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path),
                "sql",
                "select item_code from staging.afas_articles order by 1",
                "--format",
                "csv",
            ]
        )
        == EXIT_OK
    )
    assert capsys.readouterr().out == "item_code\n10001\n10002\n"
    assert not (tmp_path / "warehouse.duckdb").exists()
