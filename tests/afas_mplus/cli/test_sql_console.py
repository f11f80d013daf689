"""`afas-mplus sql`: one read-only statement by default, no file access, the journal protected, readable output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from afas_mplus import sql_console
from afas_mplus.cli import main
from afas_mplus.sql_console import run_sql
from afas_mplus.sql_errors import EXIT_CONFIG, EXIT_OK, EXIT_USAGE, Refused
from reverse_etl.journal import CallRecord, Journal
from staging.warehouse import Warehouse

WIDE_COLUMNS = 20


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A staging file as a sync leaves it: the real journal tables with two calls, a priced article table."""
    path = tmp_path / "warehouse.duckdb"
    wh = Warehouse(path)
    Journal(wh).write_calls(
        "run-1",
        [
            CallRecord(
                "products",
                "articles",
                "100",
                ["100"],
                "update",
                "updateProduct",
                {"price": "85.24"},
                {"ok": True},
                "ok",
                started_at=datetime(2026, 3, 1, 12, 0),
            ),
            CallRecord(
                "products",
                "articles",
                "101",
                ["101"],
                "create",
                "createProduct",
                {},
                None,
                "failed",
                error="Jurk [maat 38] :x: [/]",
                started_at=datetime(2026, 3, 1, 12, 1),
            ),
        ],
    )
    wh.execute("create table transforms.prices (item_code varchar, name varchar, price decimal(18, 2))")
    wh.execute(
        "insert into transforms.prices values ('100', 'Jurk [maat 38] :x:', 85.24), ('101', '[/]', 1.50),"
        " ('102', '[bold red]alarm[/]', null)"
    )
    wh.execute(
        "create table transforms.wide as select "
        + ", ".join(f"'value-{i:02d}-of-the-row' as column_{i:02d}" for i in range(WIDE_COLUMNS))
    )
    wh.close()
    return path


def _journal(path: Path) -> list[tuple]:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return conn.execute("select * from journal.calls order by call_id").fetchall() + [
            tuple(conn.execute("select count(*) from journal.runs").fetchone() or ())
        ]
    finally:
        conn.close()


def test_two_statements_are_refused_and_the_journal_stays_intact(db: Path) -> None:
    before = _journal(db)
    assert len(before) == 3
    for write in (False, True):
        code, output, message = run_sql(db, "select 1; drop table journal.calls", write=write)
        assert code == EXIT_USAGE and output == ""
        assert message == "one statement at a time: found 2 (SELECT, DROP); nothing was run"
    assert _journal(db) == before


@pytest.mark.parametrize(
    "query",
    [
        "drop table journal.calls",
        "delete from journal.calls",
        "update journal.calls set status = 'ok'",
        "insert into journal.runs (run_id) values ('x')",
        "create table main.copy as select 1 as a",
        "truncate journal.calls",
        "alter table journal.calls add column x int",
    ],
)
def test_reading_is_the_default_and_a_write_needs_the_flag(db: Path, query: str) -> None:
    before = _journal(db)
    code, _, message = run_sql(db, query)
    assert code == EXIT_USAGE
    assert "reads only unless you add --write" in message
    assert _journal(db) == before


@pytest.mark.parametrize(
    "query, refused",
    [
        ("select * from read_csv('/etc/passwd')", "read_csv"),
        ("select * from read_csv_auto('/etc/passwd')", "read_csv"),
        ("select * from read_parquet('x.parquet')", "read_parquet"),
        ("select * from read_json_auto('x.json')", "read_json"),
        ("select * from read_text('/etc/passwd')", "read_text"),
        ("select * from glob('/etc/*')", "glob"),
        ("select * from parquet_scan('x.parquet')", "parquet_scan"),
        ("select * from '/etc/passwd'", "file name"),
        ('select * from "https://example.com/x.csv"', "file name"),
        ("select getenv('HOME')", "getenv"),
        ("select * from query('drop table journal.calls')", "query"),
        ("copy journal.calls to 'out.csv'", "COPY"),
        ("attach 'other.duckdb' as other", "ATTACH"),
        ("install httpfs", "INSTALL/LOAD"),
        ("load httpfs", "INSTALL/LOAD"),
        ("pragma enable_profiling", "PRAGMA"),
        ("set enable_external_access = true", "SET"),
        ("export database 'dump'", "EXPORT"),
        ("checkpoint", "CALL"),
    ],
)
def test_files_network_and_extensions_are_refused_in_both_modes(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str, refused: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    for write in (False, True):
        code, output, message = run_sql(db, query, write=write)
        assert code == EXIT_USAGE, message
        assert refused in message and output == ""
        assert "\n" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file written (out.csv, dump/)


def test_the_connection_itself_cannot_reach_files(db: Path) -> None:
    """Under the statement check: DuckDB's own switch, so a function the check does not know is still stopped."""
    for write in (False, True):
        conn = sql_console._connect(db, write=write)
        try:
            with pytest.raises(duckdb.PermissionException):
                conn.execute("select * from read_csv('/etc/passwd')")
            with pytest.raises(duckdb.Error):
                conn.execute("set enable_external_access = true")
        finally:
            conn.close()


def test_write_is_an_explicit_opt_in_and_the_journal_stays_protected(db: Path) -> None:
    before = _journal(db)
    assert (
        run_sql(
            db, "create table main.failed as select * from journal.calls where status = 'failed'", write=True
        ).code
        == EXIT_OK
    )
    code, output, _ = run_sql(db, "select error from main.failed", fmt="csv")
    assert (code, output) == (EXIT_OK, "error\nJurk [maat 38] :x: [/]\n")
    assert run_sql(db, "delete from main.failed", write=True).code == EXIT_OK
    for query in (
        "drop table journal.calls",
        "delete from journal.calls",
        "delete from warehouse.journal.calls",
        "update journal.calls set status = 'ok'",
        "insert into journal.runs (run_id) values ('x')",
        "truncate journal.calls",
        "alter table journal.calls drop column error",
        "drop schema journal cascade",
        "create table journal.extra (a int)",
        "create or replace table journal.calls as select 1 as a",
        "with gone as (select 1) delete from journal.calls",
        "explain analyze delete from journal.calls",
    ):
        code, _, message = run_sql(db, query, write=True)
        assert code == EXIT_USAGE, query
        assert "journal schema is protected" in message, (query, message)
    assert _journal(db) == before


def test_a_write_that_moved_the_journal_is_rolled_back(db: Path) -> None:
    """The last layer, for a statement the check did not see through: the journal's fingerprint."""
    before = _journal(db)
    conn = sql_console._connect(db, write=True)
    try:
        with pytest.raises(Refused, match="rolled back"):
            sql_console._execute(
                conn,
                "delete from journal.calls",
                write=True,
                fmt="table",
                limit=None,
                width=None,
                out=io.StringIO(),
            )
    finally:
        conn.close()
    assert _journal(db) == before


def test_values_print_literally_and_money_as_digits(db: Path) -> None:
    query = "select item_code, name, price from transforms.prices order by item_code"
    code, table, note = run_sql(db, query)
    assert code == EXIT_OK and note == "(3 rows)"
    lines = table.splitlines()
    assert lines[0].split() == ["item_code", "name", "price"]
    assert lines[2].split(None, 1)[1].startswith("Jurk [maat 38] :x:")  # no markup, no emoji code replaced
    assert "[/]" in lines[3] and "[bold red]alarm[/]" in lines[4] and "85.24" in lines[2]
    assert "Decimal" not in table and "❌" not in table

    rows = [json.loads(line) for line in run_sql(db, query, fmt="json").output.splitlines()]
    assert rows[0] == {"item_code": "100", "name": "Jurk [maat 38] :x:", "price": "85.24"}
    assert rows[2]["price"] is None
    assert run_sql(db, query, fmt="csv").output == (
        "item_code,name,price\n100,Jurk [maat 38] :x:,85.24\n101,[/],1.50\n102,[bold red]alarm[/],\n"
    )
    assert run_sql(db, query, fmt="markdown").output.splitlines()[2] == "| 100 | Jurk [maat 38] :x: | 85.24 |"
    assert run_sql(db, "select 'a|b' as x", fmt="markdown").output.splitlines()[2] == "| a\\|b |"
    nested = run_sql(db, "select list(price order by item_code) as prices from transforms.prices").output
    assert nested.splitlines()[2] == "[85.24, 1.50, null]"


def test_a_wide_row_keeps_every_value_readable(db: Path) -> None:
    values = [f"value-{i:02d}-of-the-row" for i in range(WIDE_COLUMNS)]
    code, output, _ = run_sql(db, "select * from transforms.wide", width=80)
    assert code == EXIT_OK
    assert all(len(line) <= 80 for line in output.splitlines())
    for i, value in enumerate(values):  # one `column | value` line each, the value whole
        assert f"column_{i:02d} | {value}" in output.splitlines()
    # piped (no terminal width): one table row holding all twenty values, none cut
    code, output, _ = run_sql(db, "select * from transforms.wide")
    assert output.splitlines()[2].split() == values


def test_a_narrow_result_stays_a_table_within_the_width(db: Path) -> None:
    code, output, _ = run_sql(db, "select item_code, price from transforms.prices order by 1", width=80)
    assert code == EXIT_OK and "RECORD" not in output
    assert output.splitlines()[2].split() == ["100", "85.24"]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "select *\nfrom journal.cals",
            'line 2, column 6: Table with name cals does not exist! Did you mean "calls"?',
        ),
        (
            "select stauts from journal.calls",
            'line 1, column 8: Referenced column "stauts" not found in FROM clause!',
        ),
        ("selec 1", 'syntax error, line 1, column 1: at or near "selec"'),
        ("select 1,\n  from where", 'syntax error, line 2, column 8: at or near "where"'),
        ("select 'abc'::int", "Conversion error, line 1, column 13: Could not convert string 'abc' to INT32"),
        ("", "empty query"),
    ],
)
def test_errors_are_one_line_naming_the_problem(db: Path, query: str, expected: str) -> None:
    code, output, message = run_sql(db, query)
    assert code == EXIT_USAGE and output == ""
    assert message.startswith(expected), message
    assert "\n" not in message and "Traceback" not in message


def test_the_limit_is_said(db: Path) -> None:
    code, output, note = run_sql(db, "select * from transforms.prices order by 1", limit=2)
    assert code == EXIT_OK and len(output.splitlines()) == 4  # header, rule, two rows
    assert note == "only the first 2 rows shown; raise --limit to see more"
    assert run_sql(db, "select * from transforms.prices", limit=3).message == "(3 rows)"


def test_no_database_yet_is_a_configuration_problem(tmp_path: Path) -> None:
    code, _, message = run_sql(tmp_path / "absent.duckdb", "select 1")
    assert code == EXIT_CONFIG and "run `afas-mplus sync` first" in message
    assert not (tmp_path / "absent.duckdb").exists()


@contextmanager
def _hold(path: Path, *, read_only: bool) -> Iterator[subprocess.Popen[str]]:
    code = (
        "import duckdb, sys\n"
        f"c = duckdb.connect({str(path)!r}, read_only={read_only})\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def test_a_file_another_process_writes_to_is_one_line_naming_its_pid(db: Path) -> None:
    with _hold(db, read_only=False) as proc:  # a running sync
        code, output, message = run_sql(db, "select count(*) from journal.calls")
        assert code == EXIT_CONFIG and output == ""
        assert f"PID {proc.pid}" in message and "\n" not in message
        assert "several processes read a file at once only while none of them writes" in message


def test_readers_share_the_file_but_a_write_waits_for_them(db: Path) -> None:
    with _hold(db, read_only=True) as proc:  # another `afas-mplus sql`
        code, output, _ = run_sql(db, "select count(*) as n from journal.calls", fmt="json")
        assert (code, output) == (EXIT_OK, '{"n": 2}\n')
        code, _, message = run_sql(db, "create table main.x as select 1 as a", write=True)
        assert code == EXIT_CONFIG and f"PID {proc.pid}" in message


def test_the_cli_command_calls_the_console(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(db.parent)]
    assert main([*data, "sql", "select 1; drop table journal.calls"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().startswith("one statement at a time")
    assert main([*data, "sql", "select price from transforms.prices where item_code = '100'", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"price": str(Decimal("85.24"))}
