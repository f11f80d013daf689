"""`afas-mplus sql`: query the staging database safely, print the answer readably.

Safety, in layers (each would stop the next one's miss):

1. DuckDB's own parser splits the text: exactly one statement, and only a query (SELECT, WITH,
   FROM-first, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of one of those). `--write` adds INSERT,
   UPDATE, DELETE, CREATE, DROP, ALTER and MERGE; SET, ATTACH, COPY, INSTALL/LOAD, PRAGMA, EXPORT,
   CALL, transactions, ... are refused in both modes.
2. sqlglot walks the statement: file, network and extension functions (`read_csv`, `glob`,
   `parquet_scan`, `query`, `getenv`, ...) and file names used as tables (`from 'x.csv'`) are
   refused; with `--write`, no statement may write to a `journal.*` table or the schema itself.
3. The connection: read-only unless `--write`, `enable_external_access=false` (no files, no
   network, no extension downloads), configuration locked; with `--write` the statement runs in a
   transaction that is rolled back when the journal's fingerprint moved.

Every problem is one line naming it (syntax error with line and column, unknown table or column
with DuckDB's "did you mean"); values print literally (no rich markup, no emoji codes) and
Decimals as `85.24`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, TextIO

import duckdb

from afas_mplus.sql_checks import PROTECTED_SCHEMA, check_statement
from afas_mplus.sql_errors import EXIT_CONFIG, EXIT_OK, EXIT_USAGE, Refused, SqlOutcome, explain_error
from afas_mplus.sql_render import FORMATS, render_cursor


def run_sql(
    db_path: Path,
    query: str,
    *,
    write: bool = False,
    fmt: str = "table",
    limit: int | None = None,
    width: int | None = None,
    out: TextIO | None = None,
) -> SqlOutcome:
    """Check `query`, run it on the DuckDB file `db_path`, render the answer.

    `limit`: at most this many rows (None: all). `width`: the terminal width a table must fit, else
    each row is shown as a vertical record (None: tables are as wide as their content, for pipes).
    `out`: when given, the rendered rows are written there as they are fetched (`output` is then "").
    """
    if fmt not in FORMATS:
        return SqlOutcome(EXIT_USAGE, "", f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    if limit is not None and limit < 0:
        return SqlOutcome(EXIT_USAGE, "", f"--limit must be 0 or more, got {limit}")
    try:
        check_statement(query, write=write)
        if not Path(db_path).exists():
            raise Refused(
                f"no staging database at {db_path} yet: run `afas-mplus sync` first "
                f"(or pass --data-dir / --config of the installation to query)",
                EXIT_CONFIG,
            )
        conn = _connect(Path(db_path), write=write)
    except Refused as exc:
        return SqlOutcome(exc.code, "", exc.message)
    except duckdb.Error as exc:
        return SqlOutcome(*explain_error(exc, query, db_path))
    buffer = io.StringIO() if out is None else None
    sink = out if out is not None else buffer
    assert sink is not None
    try:
        note = _execute(conn, query, write=write, fmt=fmt, limit=limit, width=width, out=sink)
    except Refused as exc:
        return SqlOutcome(exc.code, "", exc.message)
    except duckdb.Error as exc:
        return SqlOutcome(*explain_error(exc, query, db_path))
    finally:
        conn.close()
    return SqlOutcome(EXIT_OK, buffer.getvalue() if buffer is not None else "", note)


def _connect(db_path: Path, *, write: bool) -> duckdb.DuckDBPyConnection:
    config: dict[str, Any] = {
        "enable_external_access": False,  # no files, no network, no extension downloads
        "autoinstall_known_extensions": False,
        "errors_as_json": True,  # positions and candidates come as fields, not prose to pick apart
        "lock_configuration": True,  # the statement cannot switch any of this back on
    }
    return duckdb.connect(str(db_path), read_only=not write, config=config)


def _journal_fingerprint(conn: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Every journal table's columns, row count and an order-independent hash of its rows."""
    tables = [
        r[0]
        for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1",
            [PROTECTED_SCHEMA],
        ).fetchall()
    ]
    shape = conn.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = ? order by all",
        [PROTECTED_SCHEMA],
    ).fetchall()
    sums = [
        (t, *conn.execute(f'select count(*), bit_xor(hash(t)) from {PROTECTED_SCHEMA}."{t}" as t').fetchone())
        for t in tables
    ]
    return [*shape, *sums]


def _execute(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    write: bool,
    fmt: str,
    limit: int | None,
    width: int | None,
    out: TextIO,
) -> str:
    if not write:
        cur = conn.execute(query)
        return render_cursor(cur, fmt=fmt, limit=limit, width=width, out=out)
    # DuckDB's DDL is transactional: a statement that got past the checks and still moved the journal
    # is undone, whatever it was.
    conn.execute("begin transaction")
    try:
        before = _journal_fingerprint(conn)
        cur = conn.execute(query)
        rendered = io.StringIO()
        note = render_cursor(cur, fmt=fmt, limit=limit, width=width, out=rendered)
        if _journal_fingerprint(conn) != before:
            raise Refused(f"the statement would change the {PROTECTED_SCHEMA} schema; it was rolled back")
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
    out.write(rendered.getvalue())
    return note
