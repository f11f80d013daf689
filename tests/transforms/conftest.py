"""Fixtures for the SQL model runner tests: model folders, seeded DuckDB, PostgreSQL schemas."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CHAIN = FIXTURES / "chain"
_PG_BASE = "host=127.0.0.1 port=5432 dbname=test connect_timeout=3"
PG_DSNS = (
    [os.environ["TRANSFORMS_TEST_PG_DSN"]]
    if "TRANSFORMS_TEST_PG_DSN" in os.environ
    else [
        f"{_PG_BASE} user=postgres",
        f"{_PG_BASE} user=root",
    ]
)

# Runs unchanged on DuckDB and PostgreSQL; {staging}/{settings} are the physical schema names.
SEED_SQL = [
    "create schema if not exists {staging}",
    "create schema if not exists {settings}",
    "create table {staging}.articles (item_code varchar, description varchar, price decimal(18, 4),"
    " vat_group varchar, blocked boolean, stock_qty integer)",
    "insert into {staging}.articles values"
    " (' A1 ', 'Koffie', 10.0000, 'hoog', false, 7),"
    " ('A2', '', 2.5050, 'laag', null, 3),"
    " ('A3', 'Geblokkeerd', 1.0000, 'hoog', true, 1),"
    " ('A4', 'Zonder btw', 0.3333, 'geen', false, 0)",
    "create table {settings}.vat_groups (vat_group varchar, rate decimal(18, 4))",
    "insert into {settings}.vat_groups values ('HOOG', 0.21), ('LAAG', 0.09), ('GEEN', 0)",
]


def seed(execute: Callable[[str], object], staging: str = "staging", settings: str = "settings") -> None:
    for statement in SEED_SQL:
        execute(statement.format(staging=staging, settings=settings))


@pytest.fixture
def write_models(tmp_path: Path) -> Callable[..., Path]:
    """write_models({"a": "select 1"}, folder="x") -> folder holding a.sql."""

    def write(models: dict[str, str], folder: str = "models") -> Path:
        target = tmp_path / folder
        target.mkdir(exist_ok=True)
        for name, sql in models.items():
            (target / f"{name}.sql").write_text(sql, encoding="utf-8")
        return target

    return write


@pytest.fixture
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    conn = duckdb.connect()
    seed(conn.execute)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """A working DSN (env TRANSFORMS_TEST_PG_DSN, else 127.0.0.1:5432/test as postgres or root)."""
    errors = []
    for dsn in PG_DSNS:
        try:
            import psycopg2

            psycopg2.connect(dsn).close()
            return dsn
        except Exception as e:  # not installed, not running, no access
            errors.append(f"{type(e).__name__}: {str(e).strip().splitlines()[0][:100]}")
    pytest.skip(f"PostgreSQL not reachable at {PG_DSNS[0]!r} ({'; '.join(errors)})")


@pytest.fixture
def pg(pg_dsn: str) -> Iterator[tuple[object, str]]:
    """(psycopg2 connection, unique schema prefix) with seeded staging/settings; all dropped after."""
    import psycopg2

    prefix = f"tfx_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(pg_dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        seed(cur.execute, f"{prefix}_staging", f"{prefix}_settings")
    try:
        yield conn, prefix
    finally:
        conn.rollback()
        conn.autocommit = True
        with conn.cursor() as cur:
            for suffix in ("staging", "settings", "transforms"):
                cur.execute(f"drop schema if exists {prefix}_{suffix} cascade")
        conn.close()
