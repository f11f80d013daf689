"""Placeholders: substitution, defaults, validation of user-supplied SQL expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms import ModelGraph, ParameterError, find_placeholders, render, validate_expression

CHAIN = Path(__file__).parent / "fixtures" / "chain"


def test_render_defaults_and_params() -> None:
    model = ModelGraph.load(CHAIN)["int_articles"]
    default = render(model)
    assert "(a.description) AS name" in default and "NOT a.blocked AND (TRUE)" in default
    custom = render(model, {"article_filter": "a.stock_qty > 0 or a.item_code like 'A%'", "unused": "1"})
    assert "NOT a.blocked AND (a.stock_qty > 0 OR a.item_code LIKE 'A%')" in custom  # parenthesised
    assert "{{" not in custom and "__tfx_param" not in custom


def test_default_with_quotes_and_repeated_placeholder() -> None:
    sql = "select {{ n | default: 'coalesce(x, ''?'')' }} as a, {{n}} as b, {{ m }} as c"
    assert find_placeholders(sql)[1].name == "n"
    out = render(sql, {"m": "upper(y) /* comment */"})
    assert out == "SELECT (COALESCE(x, '?')) AS a, (COALESCE(x, '?')) AS b, (UPPER(y)) AS c"


def test_value_cannot_escape_its_position() -> None:
    # text pasting would let the newline in the literal end the line comment; the tree keeps it a string
    sql = "select 1 as x\n-- note\nwhere {{ f }}"
    out = render(sql, {"f": "'a\n) union select secret from t --' = b"})
    assert out == "SELECT 1 AS x WHERE ('a\n) union select secret from t --' = b)"


@pytest.mark.parametrize(
    "sql",
    [
        "select 1 -- {{ f | default: 'true' }}",
        "select '{{ f | default: 'true' }}'",
        "select a.{{ f | default: 'true' }} from t as a",
        "select * from {{ f | default: 'true' }}",
    ],
)
def test_placeholder_must_be_an_expression(sql: str) -> None:
    with pytest.raises(ParameterError, match="must stand for an expression"):
        render(sql)


def test_value_must_be_portable_for_postgres() -> None:
    sql = "select {{ name_expr }} as name from t as a"
    assert (
        render(sql, {"name_expr": "strip_accents(a.x)"}) == "SELECT (STRIP_ACCENTS(a.x)) AS name FROM t AS a"
    )
    with pytest.raises(ParameterError, match=r"not portable to PostgreSQL.*column 7"):
        render(sql, {"name_expr": "lower(strip_accents(a.x))"}, dialect="postgres")


def test_missing_placeholder_names_model_and_placeholder(tmp_path: Path) -> None:
    (tmp_path / "int_x.sql").write_text("select 1 as id\nwhere {{ region_filter }}\n")
    model = ModelGraph.load(tmp_path)["int_x"]  # loads: the value may come at run time
    assert ModelGraph.load(tmp_path).parameters == {"region_filter": None}
    with pytest.raises(ParameterError) as err:
        render(model, {"other": "true"})
    e = err.value
    assert (e.model, e.parameter, e.line, e.col) == ("int_x", "region_filter", 2, 7)
    assert "model int_x: parameter 'region_filter'" in str(e) and "no value and no default" in str(e)


@pytest.mark.parametrize(
    ("value", "message", "line", "col"),
    [
        ("1; drop table x", "';' is not allowed", 1, 2),
        ("(select 1)", "subqueries are not allowed", 1, 2),
        ("read_csv('x')", "function 'read_csv' is not allowed", 1, 1),
        ("a.x = 1 or read_parquet('p') is null", "function 'read_parquet'", 1, 12),
        ("x in (select id from t)", "subqueries are not allowed", 1, 7),
        ("getenv('HOME')", "function 'getenv'", 1, 1),
        ("true\n  and system('rm -rf /')", "function 'system'", 2, 7),
        ("pg_read_file('/etc/passwd')", "function 'pg_read_file'", 1, 1),
        ("nextval('seq')", "function 'nextval'", 1, 1),
        ("copy t to 'x.csv'", "'copy' is not allowed", 1, 1),
        ("attach 'x.db'", "'attach' is not allowed", 1, 1),
        ("pragma version", "'pragma' is not allowed", 1, 1),
        ("install httpfs", "'install' is not allowed", 1, 1),
        ("load('httpfs')", "function 'load'", 1, 1),
        ("1) union select 1 --", "subqueries are not allowed", 1, 10),
        ("x as y", "not a single SQL expression", 1, None),
        ("a = ?", "bind parameter is not allowed", 1, 1),
        ("", "empty expression", 1, 1),
    ],
)
def test_dangerous_expressions_rejected(value: str, message: str, line: int, col: int | None) -> None:
    with pytest.raises(ParameterError) as err:
        validate_expression(value, parameter="article_filter", model="int_articles")
    e = err.value
    assert message in str(e) and e.parameter == "article_filter" and e.model == "int_articles"
    assert e.line == line and (col is None or e.col == col)
    assert "parameter 'article_filter'" in str(e) and f"line {line}" in str(e)


@pytest.mark.parametrize(
    "value",
    [
        "true",
        "a.description",
        "coalesce(nullif(trim(a.extra_description), ''), a.description)",
        "a.item_code like 'A%' and not a.blocked",
        "case when a.price > 10 then 'duur' else 'goedkoop' end",
        "cast(a.price as decimal(18, 4)) * 1.21",
        "a.code in ('X', 'Y')",
        "extract(year from a.created) >= 2020",
        "cast(a.created as timestamp with time zone) is not null",
    ],
)
def test_ordinary_expressions_accepted(value: str) -> None:
    validate_expression(value, parameter="p")


def test_bad_value_via_render_names_parameter() -> None:
    with pytest.raises(ParameterError, match=r"model <sql>: parameter 'f': .*read_csv.*line 1, column 1"):
        render("select * from t where {{ f }}", {"f": "read_csv('x') is not null"})


def test_malformed_placeholder() -> None:
    with pytest.raises(ParameterError, match=r"malformed placeholder.*line 2, column 7"):
        find_placeholders("select 1\nwhere {{ f | dflt: 'x' }}")
