"""`afas-mplus sql` on a PostgreSQL warehouse: the same statement checks, translated as every statement is.

The query is written as on DuckDB (logical schemas `staging`, `transforms`, `plan`, `journal`, `settings`) and
checked by `sql_checks.check_statement` first (one statement, only a query unless --write, no file, network or
extension functions, the journal never a write's target). PostgreSQL adds its own layers:

1. server functions that read files, signal backends or change settings (`pg_*`, `lo_*`, `dblink*`,
   `current_setting`, `set_config`) are refused;
2. a read runs in a READ ONLY transaction: PostgreSQL itself refuses any write or DDL;
3. a write runs in a transaction that is rolled back when the journal's fingerprint moved.
"""

from __future__ import annotations

import io
from typing import Any, TextIO

import psycopg2
import psycopg2.errors
import psycopg2.extras
import sqlglot
from sqlglot import exp

from afas_mplus.sql_checks import PROTECTED_SCHEMA, check_statement
from afas_mplus.sql_errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_USAGE, Refused, SqlOutcome
from afas_mplus.sql_render import FORMATS, render_cursor
from staging.postgres import WarehouseSqlError, masked, to_postgres

_DENIED_PREFIXES = ("pg_", "lo_", "dblink")
_DENIED = frozenset(
    {
        "current_setting",
        "set_config",
        "txid_current",
        "query_to_xml",
        "table_to_xml",
        "cursor_to_xml",
        "database_to_xml",
        "schema_to_xml",
    }
)


def run_sql_postgres(
    dsn: str,
    schema_prefix: str,
    query: str,
    *,
    write: bool = False,
    fmt: str = "table",
    limit: int | None = None,
    width: int | None = None,
    out: TextIO | None = None,
) -> SqlOutcome:
    """`sql_console.run_sql` for the warehouse at `dsn` (schemas `<schema_prefix>staging`, ...)."""
    if fmt not in FORMATS:
        return SqlOutcome(EXIT_USAGE, "", f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    if limit is not None and limit < 0:
        return SqlOutcome(EXIT_USAGE, "", f"--limit must be 0 or more, got {limit}")
    try:
        check_statement(query, write=write)
        _check_server_functions(query)
        try:
            (statement, *more), _ = to_postgres(query, schema_prefix)
        except (WarehouseSqlError, sqlglot.errors.SqlglotError) as exc:
            raise Refused(
                f"cannot run this statement on PostgreSQL ({str(exc).splitlines()[0]}); list the tables "
                f"with: select table_schema, table_name from information_schema.tables"
            ) from None
        conn = psycopg2.connect(dsn, application_name="afas-mplus sql", connect_timeout=15)
    except Refused as exc:
        return SqlOutcome(exc.code, "", exc.message)
    except psycopg2.OperationalError as exc:
        return SqlOutcome(EXIT_CONFIG, "", f"cannot open the warehouse {masked(dsn)}: {_first_line(exc)}")
    psycopg2.extras.register_default_json(conn, loads=lambda text: text)
    psycopg2.extras.register_default_jsonb(conn, loads=lambda text: text)
    buffer = io.StringIO()
    try:
        with conn.cursor() as cur:
            if not write:
                cur.execute("set transaction read only")
                note = render_cursor(
                    _run(cur, statement, more), fmt=fmt, limit=limit, width=width, out=buffer
                )
            else:
                before = _journal_fingerprint(cur, schema_prefix)
                note = render_cursor(
                    _run(cur, statement, more), fmt=fmt, limit=limit, width=width, out=buffer
                )
                if _journal_fingerprint(cur, schema_prefix) != before:
                    raise Refused(
                        f"the statement would change the {PROTECTED_SCHEMA} schema; it was rolled back"
                    )
        conn.commit()
    except Refused as exc:
        conn.rollback()
        return SqlOutcome(exc.code, "", exc.message)
    except psycopg2.Error as exc:
        conn.rollback()
        return SqlOutcome(*_explain_error(exc))
    finally:
        conn.close()
    if out is not None:
        out.write(buffer.getvalue())
        return SqlOutcome(EXIT_OK, "", note)
    return SqlOutcome(EXIT_OK, buffer.getvalue(), note)


def _run(cur: Any, statement: str, more: list[str]) -> Any:
    """A `create or replace table` is a drop, then the create: run them in order; the last one is the answer."""
    cur.execute(statement, ())
    for part in more:
        cur.execute(part, ())
    return cur


def _check_server_functions(query: str) -> None:
    for tree in sqlglot.parse(query, read="duckdb"):
        for node in tree.walk() if tree is not None else ():
            if not isinstance(node, exp.Func):
                continue
            names = (
                {node.name.lower()}
                if isinstance(node, exp.Anonymous)
                else {n.lower() for n in type(node).sql_names()}
            )
            if any(n in _DENIED or n.startswith(_DENIED_PREFIXES) for n in names):
                raise Refused(
                    f"function {sorted(names)[0]}() is not allowed: `afas-mplus sql` reads the warehouse's "
                    f"tables only, no server files, settings or other sessions"
                )


def _journal_fingerprint(cur: Any, prefix: str) -> list[tuple[Any, ...]]:
    """Every journal table's columns, row count and an order-independent hash of its rows."""
    schema = prefix + PROTECTED_SCHEMA
    cur.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = %s order by 1, 2, 3",
        [schema],
    )
    shape = cur.fetchall()
    cur.execute(
        "select table_name from information_schema.tables where table_schema = %s order by 1", [schema]
    )
    sums = []
    for (table,) in cur.fetchall():
        cur.execute(
            f'select count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) from "{schema}"."{table}" t'
        )
        sums.append((table, *cur.fetchone()))
    return [*shape, *sums]


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "pgerror", None) or exc).strip()
    return text.splitlines()[0].removeprefix("ERROR:").strip() if text else type(exc).__name__


def _explain_error(exc: psycopg2.Error) -> tuple[int, str, str]:
    """(exit code, "", one line): PostgreSQL's message with its hint; the query's fault unless the server's."""
    message = _first_line(exc)
    diag = getattr(exc, "diag", None)
    hint = f" ({diag.message_hint})" if diag is not None and diag.message_hint else ""
    if isinstance(exc, psycopg2.errors.ReadOnlySqlTransaction):
        return (
            EXIT_USAGE,
            "",
            "this statement changes the database; `afas-mplus sql` reads only unless you add --write",
        )
    code = getattr(exc, "pgcode", None) or ""
    # 42: syntax or an unknown name; 22: a value (a bad cast); 23: a constraint; the rest is the server's
    if code[:2] in ("42", "22", "23", "0A"):
        return EXIT_USAGE, "", f"{message}{hint}"
    return EXIT_FAILED, "", f"PostgreSQL error: {message}{hint}"
