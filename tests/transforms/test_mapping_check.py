"""A user's data mapping is checked with sqlglot before anything runs: each problem names file, line and
column, and one that passes runs cast to its contract."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from transforms.contracts import load_contracts
from transforms.mapping_check import check_mapping, wrap

GROUPS = load_contracts()["stg_afas__item_groups"]  # record_key, group_code, group_name, parent_group_code
STAGED = {"groups": {"code", "name", "parent"}}
GOOD = """with source as (
    select * from staging.groups
)
select
    code as record_key,
    code as group_code,
    trim(name) as group_name,
    parent as parent_group_code
from source"""


def problems(sql: str, staged: dict[str, set[str]] | None = STAGED) -> list[str]:
    return [str(p) for p in check_mapping(Path("m/stg_afas__item_groups.sql"), sql, GROUPS, staged)]


def test_a_good_mapping_has_no_problem() -> None:
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            GOOD.replace("trim(name)", "trim(nmae)"),
            "m/stg_afas__item_groups.sql:7:10: column nmae is not in source",
        ),
        (
            GOOD.replace("trim(name)", "read_csv(name)"),
            "m/stg_afas__item_groups.sql:7:5: function read_csv is not allowed",
        ),
        (
            GOOD.replace("staging.groups", "staging.grups"),
            "m/stg_afas__item_groups.sql:2:19: table staging.grups is not a staging table",
        ),
        (GOOD.replace("staging.groups", "journal.runs"), "table journal.runs is not a staging table"),
        (
            GOOD.replace("\n    trim(name) as group_name,", ""),
            "stg_afas__item_groups must output group_name; write `null as <column>`",
        ),
        (
            GOOD.replace("code as group_code", "code as grp"),
            "column grp is not in the contract of stg_afas__item_groups",
        ),
        (GOOD + ";\ndelete from staging.groups", "m/stg_afas__item_groups.sql:10:1: a mapping is one SELECT"),
        ("select code as record_key from", "m/stg_afas__item_groups.sql:1:"),
        ("select * from staging.groups", "name the output columns"),
    ],
)
def test_a_problem_names_file_line_and_column(sql: str, expected: str) -> None:
    found = problems(sql)
    assert any(expected in p for p in found), found


def test_without_staged_columns_only_the_query_itself_is_checked() -> None:
    assert problems(GOOD.replace("trim(name)", "trim(nmae)"), staged=None) == []


def test_a_mapping_runs_cast_to_its_contract_types() -> None:
    conn = duckdb.connect()
    conn.execute(
        "create schema staging; create table staging.groups (code integer, name varchar, parent integer)"
    )
    conn.execute("insert into staging.groups values (10, ' Koffie ', null)")
    sql = wrap(GOOD.replace("code as group_code", "code as group_code"), GROUPS)
    rows = conn.execute(sql).fetchall()
    types = [d[1] for d in conn.execute(sql).description]
    assert rows == [("10", "10", "Koffie", None)] and all("VARCHAR" in str(t).upper() for t in types)
