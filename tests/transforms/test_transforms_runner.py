"""run_models on DuckDB and PostgreSQL with the 3-model fixture chain."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from transforms import ModelError, ModelGraph, ParameterError, compile_model, run_models

CHAIN = Path(__file__).parent / "fixtures" / "chain"
EXPECTED = [  # desired_products, sorted; blocked article A3 filtered out
    ("A1", "A1 Koffie", Decimal("12.1000"), Decimal("6.0500"), 3),
    ("A2", "A2 A2", Decimal("2.7305"), Decimal("1.3653"), 1),  # 2.5050 * 1.09 = 2.730450 -> 2.7305
    ("A4", "A4 Zonder btw", Decimal("0.3333"), Decimal("0.1667"), 0),
    ("TOTAL", "all articles", Decimal("15.1638"), None, None),
]


def _rows(fetch) -> list[tuple]:
    return sorted(fetch("select * from {schema}.desired_products"), key=lambda r: r[0])


def test_chain_on_duckdb(duck: duckdb.DuckDBPyConnection) -> None:
    graph = ModelGraph.load(CHAIN)
    results = run_models(duck, graph)
    assert [(r.name, r.rows) for r in results] == [
        ("stg_articles", 4),
        ("int_articles", 3),
        ("desired_products", 4),
    ]
    assert all(r.seconds >= 0 for r in results)
    rows = _rows(lambda q: duck.execute(q.format(schema="transforms")).fetchall())
    assert rows == EXPECTED
    assert all(isinstance(r[2], Decimal) for r in rows)
    types = dict(duck.execute("select column_name, data_type from information_schema.columns "
                              "where table_name = 'int_articles'").fetchall())  # fmt: skip
    assert types["price_incl"] == "DECIMAL(18,4)" and types["price_excl"] == "DECIMAL(18,4)"


def test_params_and_only(duck: duckdb.DuckDBPyConnection) -> None:
    graph = ModelGraph.load(CHAIN)
    run_models(duck, graph, only=["stg_articles"], target_schema="tx")
    assert duck.execute("select count(*) from tx.stg_articles").fetchone() == (4,)
    assert duck.execute(
        "select count(*) from information_schema.tables where table_schema = 'tx'"
    ).fetchone() == (1,)
    params = {"article_filter": "a.stock_qty > 0", "article_name_expr": "upper(a.description)"}
    results = run_models(duck, graph, params=params, only=["int_articles"], target_schema="tx")
    assert [(r.name, r.rows) for r in results] == [("int_articles", 2)]
    assert duck.execute("select name from tx.int_articles order by 1").fetchall() == [("A2",), ("KOFFIE",)]


def test_bad_parameter_fails_before_running(duck: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ParameterError, match="article_filter"):
        run_models(duck, ModelGraph.load(CHAIN), params={"article_filter": "1; drop table staging.articles"})
    assert duck.execute(
        "select count(*) from information_schema.tables where table_schema = 'transforms'"
    ).fetchone() == (0,)


def test_failing_model_names_file_and_error(duck: duckdb.DuckDBPyConnection, write_models) -> None:
    folder = write_models({"stg_a": "select 1 as id", "int_b": "select no_such_column from stg_a"})
    with pytest.raises(ModelError) as err:
        run_models(duck, ModelGraph.load(folder))
    assert err.value.model == "int_b" and err.value.path == folder / "int_b.sql"
    assert "int_b.sql" in str(err.value) and "no_such_column" in str(err.value)


def test_argument_checks(duck: duckdb.DuckDBPyConnection) -> None:
    graph = ModelGraph.load(CHAIN)
    with pytest.raises(ValueError, match="unknown model"):
        run_models(duck, graph, only=["nope"])
    with pytest.raises(ValueError, match="does not match"):
        run_models(duck, graph, dialect="postgres")
    with pytest.raises(ValueError, match="plain identifier"):
        run_models(duck, graph, target_schema="x; drop")


@pytest.mark.postgres
def test_chain_on_postgres_matches_duckdb(pg, duck: duckdb.DuckDBPyConnection) -> None:
    conn, prefix = pg
    graph = ModelGraph.load(CHAIN)
    schemas = {"staging": f"{prefix}_staging", "settings": f"{prefix}_settings"}
    target = f"{prefix}_transforms"
    results = run_models(conn, graph, dialect="postgres", target_schema=target, schemas=schemas)
    assert [(r.name, r.rows) for r in results] == [
        ("stg_articles", 4),
        ("int_articles", 3),
        ("desired_products", 4),
    ]

    def fetch(q: str) -> list[tuple]:
        with conn.cursor() as cur:
            cur.execute(q.format(schema=target))
            return cur.fetchall()

    pg_rows = _rows(fetch)
    run_models(duck, graph)
    assert pg_rows == _rows(lambda q: duck.execute(q.format(schema="transforms")).fetchall()) == EXPECTED
    assert all(isinstance(r[2], Decimal) for r in pg_rows)
    types = dict(fetch(f"select column_name, numeric_precision || ',' || numeric_scale from information_schema.columns "
                       f"where table_schema = '{target}' and table_name = 'int_articles' and data_type = 'numeric'"))  # fmt: skip
    assert types == {"price_excl": "18,4", "price_incl": "18,4", "vat_rate": "18,4"}
    # a rerun replaces the tables (drop ... cascade + create in one transaction)
    assert [
        r.rows for r in run_models(conn, graph, dialect="postgres", target_schema=target, schemas=schemas)
    ] == [
        4,
        3,
        4,
    ]
    assert conn.autocommit is True  # restored


@pytest.mark.postgres
def test_postgres_dsn_and_model_error_rolls_back(pg, pg_dsn: str, write_models) -> None:
    conn, prefix = pg
    target = f"{prefix}_transforms"
    folder = write_models({"stg_a": "select 1 as id", "int_b": "select id from stg_a"})
    graph = ModelGraph.load(folder)
    assert [r.rows for r in run_models(pg_dsn, graph, dialect="postgres", target_schema=target)] == [1, 1]
    bad = write_models(
        {"stg_a": "select 1 as id", "int_b": "select id, 1 / (id - 1) as boom from stg_a"}, "bad"
    )
    with pytest.raises(ModelError) as err:
        run_models(pg_dsn, ModelGraph.load(bad), dialect="postgres", target_schema=target, only=["int_b"])
    assert err.value.path == bad / "int_b.sql" and "division by zero" in str(err.value)
    with conn.cursor() as cur:  # the failed model's drop was rolled back: the old table is still there
        cur.execute(f"select count(*) from {target}.int_b")
        assert cur.fetchone() == (1,)


def test_compile_model_for_postgres() -> None:
    graph = ModelGraph.load(CHAIN)
    sql = compile_model(graph["desired_products"], graph, dialect="postgres", target_schema="t1")
    assert "FROM t1.int_articles" in sql and "/*" not in sql


def test_postgres_run_checks_parameter_portability() -> None:
    graph = ModelGraph.load(CHAIN)
    params = {"article_name_expr": "strip_accents(a.description)"}
    assert "STRIP_ACCENTS" in compile_model(graph["int_articles"], graph, params=params)
    with pytest.raises(ParameterError, match="article_name_expr.*not portable"):
        compile_model(graph["int_articles"], graph, dialect="postgres", params=params)
