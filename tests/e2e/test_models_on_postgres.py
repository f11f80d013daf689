"""The same SQL models give the same desired state on PostgreSQL as on DuckDB (sqlglot transpiles them)."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest

from afas_mplus import flow_models
from afas_mplus.flows import FLOWS
from transforms import run_models

# It copies a DuckDB installation's staging into PostgreSQL and compares: the installation itself is DuckDB.
pytestmark = pytest.mark.warehouse("duckdb")

PG_TYPES = [
    (r"^VARCHAR$", "text"),
    (r"^BIGINT$", "bigint"),
    (r"^INTEGER$", "integer"),
    (r"^BOOLEAN$", "boolean"),
    (r"^DECIMAL\((\d+),(\d+)\)$", r"numeric(\1,\2)"),
    (r"^TIMESTAMP WITH TIME ZONE$", "timestamptz"),
    (r"^TIMESTAMP$", "timestamp"),
    (r"^DATE$", "date"),
    (r"^DOUBLE$", "double precision"),
    (r"^JSON$", "text"),
]


def _pg_type(duck: str) -> str:
    for pattern, repl in PG_TYPES:
        if re.match(pattern, duck):
            return re.sub(pattern, repl, duck)
    raise AssertionError(f"no PostgreSQL type for {duck}")


def _copy(rt, cur, schema: str, pg_schema: str) -> None:  # noqa: ANN001
    tables = [
        r["table_name"]
        for r in rt.warehouse.query(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        )
    ]
    cur.execute(f"create schema {pg_schema}")
    for table in tables:
        cols = rt.warehouse.query(
            "select column_name, data_type from information_schema.columns where table_schema = ? and "
            "table_name = ? order by ordinal_position",
            [schema, table],
        )
        cols = [c for c in cols if not c["column_name"].startswith("_dlt")]
        names = ", ".join(c["column_name"] for c in cols)
        cur.execute(
            f"create table {pg_schema}.{table} ({', '.join(c['column_name'] + ' ' + _pg_type(c['data_type']) for c in cols)})"
        )
        _, rows = rt.warehouse.query_table(f"select {names} from {schema}.{table}")
        if rows:
            marks = ", ".join(["%s"] * len(cols))
            cur.executemany(f"insert into {pg_schema}.{table} ({names}) values ({marks})", rows)


def _rows(fetch) -> list[tuple]:  # noqa: ANN001
    def norm(v: object) -> object:
        return v.normalize() if isinstance(v, Decimal) else v

    return sorted((tuple(norm(v) for v in row) for row in fetch), key=repr)


@pytest.mark.parametrize("flow_name", ["products", "stock", "customers", "orders", "prices"])
def test_models_give_the_same_state_on_postgres(harness, postgres_dsn: str, flow_name: str) -> None:
    import psycopg2

    h = harness()
    for name in ("products", "customers") if flow_name in ("stock", "orders", "prices") else ():
        h.sync(name)
    h.sync(flow_name, dry_run=True)
    flow = FLOWS[flow_name]
    prefix = f"parity_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(postgres_dsn)
    conn.autocommit = True
    try:
        with h.runtime() as rt, conn.cursor() as cur:
            _copy(rt, cur, "staging", f"{prefix}_staging")
            _copy(rt, cur, "settings", f"{prefix}_settings")
            _copy(
                rt, cur, "journal", f"{prefix}_journal"
            )  # the orders models read the financial entries confirmed
            graph = flow_models.model_graph(flow)
            run_models(
                conn,
                graph,
                dialect="postgres",
                params=flow.params(h.settings),
                target_schema=f"{prefix}_transforms",
                schemas={
                    "staging": f"{prefix}_staging",
                    "settings": f"{prefix}_settings",
                    "journal": f"{prefix}_journal",
                },
            )
            finals = [m.name for m in graph.models if m.layer in ("desired", "current", "errors")]
            assert finals
            compared = 0
            for name in finals:
                cols = [c for c in rt.warehouse.columns("transforms", name)]
                _, duck = rt.warehouse.query_table(f"select {', '.join(cols)} from transforms.{name}")
                cur.execute(f"select {', '.join(cols)} from {prefix}_transforms.{name}")
                assert _rows(cur.fetchall()) == _rows(duck), name
                compared += len(duck)
            assert compared > 0
    finally:
        with conn.cursor() as cur:
            for suffix in ("staging", "settings", "transforms", "journal"):
                cur.execute(f"drop schema if exists {prefix}_{suffix} cascade")
        conn.close()
