"""The checks `afas-mplus sql` makes before a statement runs (layers 1 and 2 of afas_mplus.sql_console): one
statement of a kind this mode may run, no file, network or extension function, no write to the journal."""

from __future__ import annotations

import logging
import re

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from afas_mplus.sql_errors import Refused, explain_error

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


def check_statement(query: str, *, write: bool = False) -> None:
    """Raise `Refused` unless `query` is exactly one statement this mode may run."""
    if not query.strip():
        raise Refused('empty query: give one SQL statement, e.g. "select * from transforms.errors_products"')
    parser = duckdb.connect(":memory:", config={"errors_as_json": True})  # parses only: no file is opened
    try:
        statements = parser.extract_statements(query)
    except duckdb.Error as exc:
        raise Refused(explain_error(exc, query, None)[2]) from None
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
