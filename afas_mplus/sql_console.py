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

import contextlib
import csv
import io
import json
import logging
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple, TextIO
from uuid import UUID

import duckdb
import sqlglot
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from afas_mplus.errors import ExitCode

# The CLI's exit codes (afas_mplus.errors.ExitCode), as this command uses them.
EXIT_OK = ExitCode.OK
EXIT_FAILED = ExitCode.WRITES_FAILED  # the query was accepted but DuckDB could not finish it (out of memory)
EXIT_USAGE = (
    ExitCode.USAGE
)  # the query is the problem: syntax, a refused statement, an unknown name, a bad cast
EXIT_CONFIG = (
    ExitCode.CONFIG
)  # the environment is: no staging database yet, the file locked by another process

Format = Literal["table", "csv", "json", "markdown"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")
PROTECTED_SCHEMA = "journal"  # what was sent and answered: evidence, never edited by hand

_READ_TYPES = frozenset({"SELECT", "EXPLAIN"})
_WRITE_TYPES = frozenset(
    {"INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "MERGE_INTO", "CREATE_FUNC"}
)
# What each DuckDB statement type must look like to sqlglot too: a text the two parsers read
# differently (a comment one of them misses) is refused rather than trusted.
_SQLGLOT_ROOTS: dict[str, tuple[type[exp.Expr], ...]] = {
    "SELECT": tuple(
        getattr(exp, n)
        for n in ("Query", "Subquery", "Describe", "Show", "Summarize", "Values")
        if hasattr(exp, n)
    ),
    "INSERT": (exp.Insert,),
    "UPDATE": (exp.Update,),
    "DELETE": (exp.Delete, exp.TruncateTable),
    "CREATE": (exp.Create,),
    "CREATE_FUNC": (exp.Create,),
    "DROP": (exp.Drop,),
    "ALTER": (exp.Alter, exp.Comment),
    "MERGE_INTO": (exp.Merge,),
}
_REFUSED_WHY = {
    "SET": "SET/RESET/USE change the session",
    "PRAGMA": "PRAGMA changes settings (use DESCRIBE or SHOW)",
    "ATTACH": "ATTACH opens other databases",
    "DETACH": "DETACH closes databases",
    "COPY": "COPY reads or writes files",
    "COPY_DATABASE": "COPY DATABASE writes files",
    "EXPORT": "EXPORT/IMPORT DATABASE read or write files",
    "LOAD": "INSTALL/LOAD add extensions",
    "EXTENSION": "extensions cannot be installed",
    "CALL": "CALL/CHECKPOINT run procedures",
    "TRANSACTION": "each statement runs in its own transaction",
    "MULTI": "a PIVOT needs its values listed: `pivot t on col in ('a', 'b')`",
}
# Functions that reach files, the network, the environment or run SQL text (lower-case).
_DENIED_FUNCTIONS = frozenset(
    {
        "glob",
        "sniff_csv",
        "query",
        "query_table",
        "getenv",
        "copy",
        "attach",
        "detach",
        "install",
        "load",
        "force_install",
        "system",
        "shell",
        "export_database",
        "import_database",
        "checkpoint",
        "force_checkpoint",
        "which_secret",
        "duckdb_secrets",
        "load_aws_credentials",
        "from_substrait",
        "from_substrait_json",
        "set_config",
        "dblink",
    }
)
_DENIED_PREFIXES = (
    "read_",
    "parquet_",
    "sqlite_",
    "postgres_",
    "mysql_",
    "iceberg_",
    "delta_",
    "http_",
    "json_execute",
    "azure_",
    "s3_",
    "ducklake_",
)
_DENIED_SUFFIXES = ("_scan", "_attach", "_query", "_execute")
_FILE_LIKE_TABLE = re.compile(r"[./\\*:]")  # `from 'x.csv'` / `from "s3://b/k"`: DuckDB reads the file
_LOCK_PID = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


class SqlOutcome(NamedTuple):
    """`output` belongs on stdout, `message` (an error line or a note such as "first 100 rows") on stderr."""

    code: int
    output: str
    message: str = ""


class Refused(Exception):
    """The query cannot be run as given; `message` is the one line for the user."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


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
        return SqlOutcome(*_explain_error(exc, query, db_path))
    buffer = io.StringIO() if out is None else None
    sink = out if out is not None else buffer
    assert sink is not None
    try:
        note = _execute(conn, query, write=write, fmt=fmt, limit=limit, width=width, out=sink)
    except Refused as exc:
        return SqlOutcome(exc.code, "", exc.message)
    except duckdb.Error as exc:
        return SqlOutcome(*_explain_error(exc, query, db_path))
    finally:
        conn.close()
    return SqlOutcome(EXIT_OK, buffer.getvalue() if buffer is not None else "", note)


# --- checking ------------------------------------------------------------------------------------------


def check_statement(query: str, *, write: bool = False) -> None:
    """Raise `Refused` unless `query` is exactly one statement this mode may run."""
    if not query.strip():
        raise Refused('empty query: give one SQL statement, e.g. "select * from transforms.errors_products"')
    parser = duckdb.connect(":memory:", config={"errors_as_json": True})  # parses only: no file is opened
    try:
        statements = parser.extract_statements(query)
    except duckdb.Error as exc:
        raise Refused(_explain_error(exc, query, None)[2]) from None
    finally:
        parser.close()
    if not statements:
        raise Refused("the query holds no statement (only comments?)")
    if len(statements) > 1:
        kinds = ", ".join(s.type.name for s in statements)
        raise Refused(f"one statement at a time: found {len(statements)} ({kinds}); nothing was run")
    _check_one(statements[0].type.name, statements[0].query, write=write)


def _check_one(kind: str, text: str, *, write: bool) -> None:
    if kind == "EXPLAIN":
        # EXPLAIN ANALYZE runs its statement: check that one as if it stood alone.
        m = re.match(r"\s*explain\s+(?:analyze\s+)?(?P<inner>.*)\Z", text, re.IGNORECASE | re.DOTALL)
        if not m:
            raise Refused("cannot check this EXPLAIN: start the query with EXPLAIN (no comment before it)")
        check_statement(m["inner"], write=write)
        return
    if kind in _WRITE_TYPES and not write:
        raise Refused(
            f"{kind.replace('_', ' ')} changes the database; `afas-mplus sql` reads only unless you "
            f"add --write"
        )
    if kind not in _READ_TYPES | _WRITE_TYPES:
        why = _REFUSED_WHY.get(kind, "not a query")
        raise Refused(f"{kind.replace('_', ' ')} statements are not allowed here ({why})")
    tree = _sqlglot_tree(text)
    roots = _SQLGLOT_ROOTS.get(kind, ())
    if not isinstance(tree, roots):
        raise Refused(
            f"cannot check this statement (DuckDB reads a {kind}, sqlglot a {type(tree).__name__}); "
            f"write it as a plain query"
        )
    _check_tree(tree, write=write)


def _sqlglot_tree(text: str) -> exp.Expr:
    sqlglot_log = logging.getLogger("sqlglot")
    level = sqlglot_log.level
    sqlglot_log.setLevel(
        logging.ERROR
    )  # "falling back to parsing as a Command" is our business, not the user's
    try:
        trees = [t for t in sqlglot.parse(text, read="duckdb") if t is not None]
    except (ParseError, TokenError) as exc:
        detail = str(exc).splitlines()[0][:160]
        raise Refused(f"cannot check this statement (sqlglot: {detail}); simplify it or report it") from None
    finally:
        sqlglot_log.setLevel(level)
    if len(trees) != 1 or isinstance(trees[0], exp.Command):
        raise Refused("cannot check this statement (sqlglot cannot read it); write it as a plain query")
    return trees[0]


def _denied(name: str) -> bool:
    name = name.lower()
    return name in _DENIED_FUNCTIONS or name.startswith(_DENIED_PREFIXES) or name.endswith(_DENIED_SUFFIXES)


def _function_names(node: exp.Func) -> set[str]:
    if isinstance(node, exp.Anonymous):
        return {node.name.lower()}
    return {n.lower() for n in type(node).sql_names()}


def _check_tree(tree: exp.Expr, *, write: bool) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Func) and (names := _function_names(node)) and any(_denied(n) for n in names):
            raise Refused(
                f"function {sorted(names)[0]}() is not allowed: `afas-mplus sql` reads the staging "
                f"database only, no files, network or environment"
            )
        if (
            isinstance(node, exp.Table)
            and isinstance(node.this, exp.Identifier)
            and _FILE_LIKE_TABLE.search(node.name)
        ):
            raise Refused(
                f"{node.name!r} looks like a file name; `afas-mplus sql` reads the staging database "
                f"only (see `show all tables`)"
            )
    if write and not isinstance(tree, _SQLGLOT_ROOTS["SELECT"]):
        _check_journal_untouched(tree)


def _check_journal_untouched(tree: exp.Expr) -> None:
    """A write may read journal tables (in a query) but name none as its target, nor the schema."""
    protected = PROTECTED_SCHEMA

    def inside_query(node: exp.Expr) -> bool:
        parent = node.parent
        while parent is not None and parent is not tree:
            if isinstance(parent, exp.Query | exp.Subquery):
                return True
            parent = parent.parent
        return False

    schema_statement = (
        isinstance(tree, exp.Create | exp.Drop) and str(tree.args.get("kind") or "").upper() == "SCHEMA"
    )
    for table in tree.find_all(exp.Table):
        if inside_query(table):
            continue
        names = {table.db.lower()} | ({table.name.lower()} if schema_statement else set())
        if protected in names:
            raise Refused(
                f"the {protected} schema is protected, also with --write: it records what was sent "
                f"and answered (it is purged by `afas-mplus purge-logs`)"
            )
    if isinstance(tree, exp.Alter) and any(
        i.name.lower() == protected for i in tree.find_all(exp.Identifier)
    ):
        raise Refused(f"the {protected} schema is protected, also with --write: no table may move into it")


# --- running -------------------------------------------------------------------------------------------


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
        return _render(cur, fmt=fmt, limit=limit, width=width, out=out)
    # DuckDB's DDL is transactional: a statement that got past the checks and still moved the journal
    # is undone, whatever it was.
    conn.execute("begin transaction")
    try:
        before = _journal_fingerprint(conn)
        cur = conn.execute(query)
        rendered = io.StringIO()
        note = _render(cur, fmt=fmt, limit=limit, width=width, out=rendered)
        if _journal_fingerprint(conn) != before:
            raise Refused(f"the statement would change the {PROTECTED_SCHEMA} schema; it was rolled back")
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
    out.write(rendered.getvalue())
    return note


def _rows(cur: duckdb.DuckDBPyConnection, limit: int | None, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
    n = 0
    while limit is None or n < limit:
        size = batch if limit is None else min(batch, limit - n)
        chunk = cur.fetchmany(size)
        if not chunk:
            return
        n += len(chunk)
        yield from chunk


def _render(
    cur: duckdb.DuckDBPyConnection, *, fmt: str, limit: int | None, width: int | None, out: TextIO
) -> str:
    """Write the result to `out`; return a note for stderr (rows left out, statement done)."""
    if cur.description is None:  # CREATE, DROP, ...: nothing to show
        return "done"
    columns = [d[0] for d in cur.description]
    rows = _rows(cur, limit)
    shown = 0
    if fmt == "json":
        for row in rows:
            out.write(
                json.dumps(dict(zip(columns, row, strict=True)), default=_json_default, ensure_ascii=False)
            )
            out.write("\n")
            shown += 1
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else text_of(v) for v in row])
            shown += 1
    else:
        table_rows = [tuple(text_of(v, null="NULL") for v in row) for row in rows]
        shown = len(table_rows)
        out.write(
            render_markdown(columns, table_rows)
            if fmt == "markdown"
            else render_table(columns, table_rows, width=width)
        )
    more = limit is not None and shown == limit and bool(cur.fetchmany(1))
    if more:
        return f"only the first {shown} row{'s' if shown != 1 else ''} shown; raise --limit to see more"
    return f"({shown} row{'s' if shown != 1 else ''})" if fmt in ("table", "markdown") else ""


# The PostgreSQL console (afas_mplus.sql_postgres) renders its cursor the same way.
render_cursor = _render


# --- rendering -----------------------------------------------------------------------------------------


def text_of(value: Any, *, null: str = "") -> str:
    """A value as a user reads it: 85.24 (never Decimal('85.24')), dates ISO, lists and structs as JSON."""
    if value is None:
        return null
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dict | list | tuple):
        return _nested(value)
    return str(value)


def _nested(value: Any) -> str:
    """A LIST / STRUCT / MAP as JSON-like text, its numbers bare (`[85.24, 1.50]`, not `["85.24", ...]`)."""
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_nested(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return text_of(value)


def _json_default(value: Any) -> Any:
    # Money stays exact: a JSON number would be read back as a float by most tools.
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta | UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    return str(value)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None) -> str:
    """A table when every value fits whole within `width`; otherwise one vertical record per row.

    Values are never cut or squeezed: a `select *` of 20 columns on an 80-column terminal becomes
    `column | value` records (like psql's \\x) instead of 20 columns of three letters each.
    """
    if not columns:
        return ""
    natural = sum(max([cell_len(c), *(_widest_line(r[i]) for r in rows)]) for i, c in enumerate(columns))
    natural += 3 * len(columns)  # padding and the gap between columns
    if width is not None and natural > width + 3:
        return render_records(columns, rows)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    for c in columns:
        table.add_column(Text(c), no_wrap=True, overflow="ignore")
    for r in rows:
        table.add_row(*(Text(v) for v in r))
    console = Console(
        file=io.StringIO(),
        width=natural + 8,
        color_system=None,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=False,
        soft_wrap=False,
    )
    with console.capture() as capture:
        console.print(table)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    if width is not None and max(cell_len(line) for line in lines) > width:
        return render_records(columns, rows)
    return "\n".join(lines) + "\n"


def render_records(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """psql-style expanded output: `-[ RECORD n ]-` then `column | value`, continuation lines indented."""
    label = max(cell_len(c) for c in columns)
    lines: list[str] = []
    for n, row in enumerate(rows, 1):
        lines.append(f"-[ RECORD {n} ]" + "-" * max(0, label - 10))
        for c, v in zip(columns, row, strict=True):
            first, *rest = v.split("\n") or [""]
            pad = " " * (label - cell_len(c))
            lines.append(f"{c}{pad} | {first}")
            lines.extend(f"{' ' * label} | {more}" for more in rest)
    return "\n".join(lines) + ("\n" if lines else "")


def render_markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(v: str) -> str:
        return v.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _widest_line(value: str) -> int:
    return max((cell_len(line) for line in value.split("\n")), default=0)


# --- errors --------------------------------------------------------------------------------------------


def _explain_error(exc: duckdb.Error, query: str, db_path: Path | str | None) -> tuple[int, str, str]:
    """(exit code, "", one line) for a DuckDB error: what went wrong, where, and DuckDB's suggestion."""
    raw = str(exc)
    if isinstance(exc, duckdb.IOException) and (m := _LOCK_PID.search(raw)):
        exe = Path(m["exe"]).name or m["exe"]
        return (
            EXIT_CONFIG,
            "",
            (
                f"the staging database {db_path} is in use by another process ({exe}, PID {m['pid']}: a sync, the "
                f"Dagster UI or a `sql --write`); DuckDB lets several processes read a file at once only while none "
                f"of them writes, so wait until it finishes or stop it, then try again"
            ),
        )
    kind, detail = _json_error(raw)
    message = " ".join(
        line.strip()
        for line in str(detail.get("exception_message", raw)).splitlines()
        if line.strip() and not line.startswith("LINE ")
    )
    where = ""
    if str(detail.get("position", "")).isdigit():
        line, col = _line_col(query, int(detail["position"]))
        where = f"line {line}, column {col}: "
    if isinstance(exc, duckdb.ParserException):
        return (
            EXIT_USAGE,
            "",
            f"syntax error, {where or 'in the query: '}{message.removeprefix('syntax error ')}",
        )
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        hint = (
            ""
            if "did you mean" in message.lower() or "candidate" in message.lower()
            else ' (list the tables with: afas-mplus sql "show all tables")'
        )
        return EXIT_USAGE, "", f"{where}{message}{hint}"
    if isinstance(exc, duckdb.PermissionException):
        return EXIT_USAGE, "", f"refused, {where}{message} (`afas-mplus sql` reads the staging database only)"
    if isinstance(exc, duckdb.IOException):
        return EXIT_CONFIG, "", f"cannot open the staging database {db_path}: {message}"
    failed = (
        EXIT_FAILED
        if isinstance(exc, duckdb.OutOfMemoryException | duckdb.InternalException | duckdb.FatalException)
        else EXIT_USAGE
    )
    return failed, "", f"{kind or 'DuckDB'} error, {where}{message}"


def _json_error(raw: str) -> tuple[str, dict[str, Any]]:
    start = raw.find("{")
    if start >= 0:
        with contextlib.suppress(ValueError):
            detail = json.loads(raw[start:])
            if isinstance(detail, dict):
                return str(detail.get("exception_type", "")), detail
    head, _, rest = raw.partition(": ")
    return (
        (head.removesuffix(" Error"), {"exception_message": rest})
        if rest
        else ("", {"exception_message": raw})
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
