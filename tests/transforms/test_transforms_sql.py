"""Qualification of model references and DuckDB -> PostgreSQL transpiling."""

from __future__ import annotations

import pytest

from transforms import SqlError, portability_issues, qualify, transpile
from transforms.sql import parse_select


def test_qualify_bare_model_names() -> None:
    sql = (
        "with int_x as (select * from transforms.int_x), helper as (select * from stg_a) "
        "select * from int_x join helper using (id) join staging.t on true "
        "join settings.s on true where id in (select id from stg_a)"
    )
    out = qualify(sql, ["stg_a", "int_x"], target_schema="tx", schemas={"staging": "stg_ci"})
    assert "FROM tx.int_x" in out  # transforms.<model> -> target schema
    assert out.count("tx.stg_a") == 2  # bare model names, also in subqueries
    assert "FROM int_x JOIN helper" in out  # CTE references stay bare
    assert "JOIN stg_ci.t" in out and "JOIN settings.s" in out  # schema map; unmapped sources untouched


def test_qualify_default_target_schema() -> None:
    assert qualify("select * from stg_a a", ["stg_a"]) == "SELECT * FROM transforms.stg_a AS a"


def test_transpile_supported_duckdb_isms() -> None:
    sql = (
        "select x::decimal(18, 4) as p, ifnull(a, b) as c, a || '-' || b as s, n // 2 as h, "
        "strftime(d, '%Y-%m-%d') as f, regexp_matches(a, '^x') as m, if(ok, 1, 0) as i, "
        "date_diff('day', d, e) as dd, string_agg(a, ',' order by a) as agg "
        "from staging.t qualify row_number() over (partition by a order by d) = 1"
    )
    pg = transpile(sql, "postgres")
    for piece in (
        "CAST(x AS DECIMAL(18, 4))",
        "COALESCE(a, b)",
        "a || '-' || b",
        "DIV(n, 2)",
        "TO_CHAR(d, 'YYYY-MM-DD')",
        "a ~ '^x'",
        "CASE WHEN ok THEN 1 ELSE 0 END",
        "STRING_AGG(a, ',' ORDER BY a)",
    ):
        assert piece in pg, piece
    assert "QUALIFY" not in pg  # sqlglot rewrites qualify into a subquery
    assert transpile(sql, "duckdb").startswith("SELECT CAST(x AS DECIMAL(18, 4))")


@pytest.mark.parametrize(
    "sql",
    [
        "select try_cast(a as int) from t",
        "select make_date(2024, 1, 1)",
        "select a from t group by all",
        "select k from t union by name select k from t",
        "select hash(a) from t",
        "select cast(a as ubigint) from t",
        "select any_value(a) from t",
    ],
)
def test_transpile_rejects_non_portable(sql: str) -> None:
    with pytest.raises(SqlError, match="PostgreSQL|postgres"):
        transpile(sql, "postgres")


def test_portability_issues_lists_each_problem() -> None:
    issues = portability_issues(parse_select("select contains(a, 'x'), arg_max(a, b) from t order by all"))
    assert len(issues) == 3 and any("arg_max" in i for i in issues)
    assert portability_issues(parse_select("select now(), age(a, b), coalesce(a, b) from t")) == []


def test_parse_select_rejects_non_queries() -> None:
    with pytest.raises(SqlError, match="INSERT"):
        parse_select("insert into t values (1)")
