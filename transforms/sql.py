"""sqlglot helpers: parse a model, find the tables it reads, qualify them, transpile it.

Models are DuckDB SQL. :func:`transpile` turns them into PostgreSQL with sqlglot at
``ErrorLevel.RAISE`` and, on top of sqlglot's own "unsupported" errors, rejects the
constructs that sqlglot 30 passes through or rewrites into something PostgreSQL lacks
or evaluates differently (list: :data:`NON_PORTABLE_FUNCTIONS`, :func:`portability_issues`;
each one found by running both engines side by side).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

from transforms.errors import SqlError

__all__ = [
    "MODEL_SCHEMA",
    "NON_PORTABLE_FUNCTIONS",
    "Dialect",
    "is_cte_reference",
    "parse_select",
    "portability_issues",
    "portability_nodes",
    "qualify",
    "qualify_ast",
    "table_key",
    "table_references",
    "transpile",
]

Dialect = Literal["duckdb", "postgres"]
MODEL_SCHEMA = "transforms"  # logical schema of models in references; mapped to the run's target schema


def _fn(*names: str) -> tuple[type[exp.Expr], ...]:
    return tuple(getattr(exp, n) for n in names if hasattr(exp, n))


# sqlglot expression classes (DuckDB spelling in the key) that do not survive the trip to PostgreSQL.
NON_PORTABLE_FUNCTIONS: dict[tuple[type[exp.Expr], ...], str] = {
    _fn("TryCast"): "try_cast becomes a plain cast (errors instead of null)",
    _fn("ArgMax", "ArgMin"): "arg_max/arg_min/max_by/min_by do not exist; use row_number() over (...)",
    _fn("DateFromParts"): "make_date becomes date_from_parts, which does not exist",
    _fn("EndsWith"): "ends_with does not exist; use right(x, n) = '...' or like",
    _fn("Contains"): "contains does not exist; use strpos(x, y) > 0 or like",
    _fn("Format"): "format() placeholders differ ({} vs %s); use || or concat",
    _fn("SHA2"): "sha256 on text does not exist; use md5",
    _fn("Split"): "string_split/str_split do not exist; use split_part",
    _fn("DayOfWeek", "DayOfWeekIso", "DayOfYear", "Week", "WeekOfYear", "Quarter"): (
        "use extract(dow|isodow|doy|week|quarter from x) instead"
    ),
    _fn("Mode"): "mode() needs WITHIN GROUP",
    _fn("RegexpExtract", "RegexpFullMatch"): "regexp_extract/regexp_full_match do not exist; use ~ or regexp_replace",
    _fn("Typeof"): "typeof does not exist",
    _fn("Struct"): "structs do not exist",
    _fn("First", "Last"): "first/last aggregates do not exist; use min/max or a window",
    _fn("Median"): "median becomes percentile_cont, which returns double precision",
    _fn("UnixToTime", "StrToTime"): "epoch_ms/to_timestamp/strptime return timestamptz; cast strings to date/timestamp",
    _fn("Initcap"): "initcap does not exist in DuckDB",
    _fn("ReadCSV", "ReadParquet", "ReadJSON"): "file readers are DuckDB-only",
    _fn("Glob"): "glob does not exist; use like",
    _fn("SimilarTo"): "similar to is a regex in DuckDB but SQL-regex in PostgreSQL; use ~",
    _fn("Lambda"): "lambdas are DuckDB-only",
}  # fmt: skip
# Functions sqlglot does not know (exp.Anonymous, passed through verbatim) that both engines have.
PORTABLE_UNKNOWN_FUNCTIONS = frozenset({"now", "age", "row"})
# Data types both engines have under the name sqlglot writes for PostgreSQL.
_PORTABLE_TYPES = frozenset(
    getattr(exp.DataType.Type, n)
    for n in (
        "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE", "TEXT", "VARCHAR",
        "CHAR", "BPCHAR", "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "INTERVAL", "JSON", "UUID", "BLOB",
        "VARBINARY", "ARRAY", "NULL", "UNKNOWN",
    )
)  # fmt: skip


def _clean(message: str) -> str:
    return message.replace("\x1b[4m", "").replace("\x1b[0m", "").strip()


def _parse_error_message(e: ParseError | TokenError) -> str:
    if isinstance(e, ParseError) and e.errors:
        err = e.errors[0]
        desc = str(err.get("description") or "syntax error")
        return f"{desc} at line {err.get('line')}, column {err.get('col')} near {err.get('highlight')!r}"
    return _clean(str(e)).splitlines()[0]


def parse_select(sql: str) -> exp.Query:
    """Parse ``sql`` as exactly one DuckDB SELECT (CTEs, set operations allowed); ``SqlError`` otherwise."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except (ParseError, TokenError) as e:
        raise SqlError(f"does not parse as DuckDB SQL: {_parse_error_message(e)}") from e
    if len(statements) != 1:
        raise SqlError(f"must hold exactly one SELECT statement, found {len(statements)} statements")
    query = statements[0]
    if not isinstance(query, exp.Query) or isinstance(query, exp.Subquery):
        raise SqlError(f"must be a SELECT query, found {query.key.upper()}: {query.sql('duckdb')[:60]!r}")
    return query


def _name(ident: exp.Expr | None) -> str:
    if not isinstance(ident, exp.Identifier):
        return ident.name if ident is not None else ""
    return ident.this if ident.quoted else ident.this.lower()


def is_cte_reference(table: exp.Table) -> bool:
    """True when a bare table name refers to a CTE visible at that point of the query."""
    if table.args.get("db") or table.args.get("catalog"):
        return False
    name = _name(table.this)
    child: exp.Expr = table
    skip_owner = False
    for anc in _ancestors(table):
        if isinstance(anc, exp.With):
            ctes = list(anc.expressions)
            idx = next((i for i, c in enumerate(ctes) if c is child), len(ctes))
            visible = ctes if anc.args.get("recursive") else ctes[:idx]  # recursive: all of them
            if name in _cte_names(visible):
                return True
            skip_owner = True  # the query owning this WITH: its CTE list was just handled
        elif isinstance(anc, exp.Query):
            with_ = anc.args.get("with_")
            if with_ is not None and not skip_owner and name in _cte_names(with_.expressions):
                return True
            skip_owner = False
        child = anc
    return False


def _cte_names(ctes: Iterable[exp.Expr]) -> set[str]:
    return {_name(c.args["alias"].this) for c in ctes if c.args.get("alias")}


def _ancestors(node: exp.Expr) -> Iterable[exp.Expr]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def table_references(query: exp.Expr) -> list[exp.Table]:
    """Named tables the query reads (joins, unions, subqueries included), CTE references excluded."""
    return [
        t for t in query.find_all(exp.Table) if isinstance(t.this, exp.Identifier) and not is_cte_reference(t)
    ]


def table_key(table: exp.Table) -> str:
    """``[catalog.]schema.table`` or ``table``; unquoted parts lower-cased."""
    parts = [table.args.get("catalog"), table.args.get("db"), table.this]
    return ".".join(_name(p) for p in parts if p is not None)


def qualify_ast(
    query: exp.Query,
    models: Iterable[str],
    *,
    target_schema: str = MODEL_SCHEMA,
    schemas: Mapping[str, str] | None = None,
) -> exp.Query:
    """Copy of ``query`` with model references in ``target_schema`` and source schemas renamed.

    Bare names of ``models`` and ``transforms.<model>`` go to ``target_schema``; a schema found
    in ``schemas`` (logical -> physical, e.g. ``{"staging": "staging_ci"}``) is renamed.
    """
    names = set(models)
    schemas = dict(schemas or {})
    query = query.copy()
    for table in table_references(query):
        if table.args.get("catalog"):
            continue
        db = _name(table.args.get("db")) if table.args.get("db") else ""
        if (not db and _name(table.this) in names) or db == MODEL_SCHEMA:
            table.set("db", exp.to_identifier(target_schema))
        elif db in schemas:
            table.set("db", exp.to_identifier(schemas[db]))
    return query


def qualify(
    sql: str,
    models: Iterable[str],
    *,
    target_schema: str = MODEL_SCHEMA,
    schemas: Mapping[str, str] | None = None,
) -> str:
    """String form of :func:`qualify_ast`; returns DuckDB SQL."""
    return qualify_ast(parse_select(sql), models, target_schema=target_schema, schemas=schemas).sql("duckdb")


def portability_issues(tree: exp.Expr) -> list[str]:
    """Constructs in a DuckDB tree that PostgreSQL (after sqlglot transpiling) lacks or evaluates differently."""
    return [f"{node.sql('duckdb')[:80]!r}: {why}" for node, why in portability_nodes(tree)]


def portability_nodes(tree: exp.Expr) -> list[tuple[exp.Expr, str]]:
    """Like :func:`portability_issues`, as (offending node, reason) pairs."""
    found: list[tuple[exp.Expr, str]] = []
    for node in tree.walk():
        why = next((w for classes, w in NON_PORTABLE_FUNCTIONS.items() if type(node) in classes), None)
        if why is None:
            why = _query_issue(node)
        if why is not None:
            found.append((node, why))
    return found


def _query_issue(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous) and node.name.lower() not in PORTABLE_UNKNOWN_FUNCTIONS:
        return f"function {node.name!r} is unknown to sqlglot and would reach PostgreSQL untranslated"
    if isinstance(node, exp.DataType) and node.this not in _PORTABLE_TYPES:
        return f"type {node.this.name} does not exist in PostgreSQL"
    if isinstance(node, exp.Group) and node.args.get("all"):
        return "'group by all': list the columns"
    if isinstance(node, exp.Ordered) and isinstance(node.this, exp.Var) and node.this.name.upper() == "ALL":
        return "'order by all': list the columns"
    if isinstance(node, exp.Star) and any(
        node.args.get(k) for k in ("except_", "except", "replace", "rename")
    ):
        return "select * exclude/replace/rename: list the columns"
    if isinstance(node, exp.SetOperation) and node.args.get("by_name"):
        return "'union by name': align the columns by position"
    if isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() in ("ASOF", "POSITIONAL"):
        return "asof/positional joins are DuckDB-only"
    if isinstance(node, exp.TableSample | exp.Pivot):
        return "sampling and pivot are not portable"
    table_fn = node.this if isinstance(node, exp.Table) else None
    if isinstance(table_fn, exp.Func) and not isinstance(table_fn, exp.Unnest | exp.GenerateSeries):
        return "table functions are DuckDB-only"
    return None


def transpile(sql: str | exp.Expr, dialect: Dialect = "postgres", *, check_portability: bool = True) -> str:
    """DuckDB SQL (text or tree) -> ``dialect`` SQL; ``SqlError`` when sqlglot cannot translate it.

    For PostgreSQL, :func:`portability_issues` are errors too unless ``check_portability`` is off.
    """
    if isinstance(sql, str):
        try:
            trees = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
        except (ParseError, TokenError) as e:
            raise SqlError(f"does not parse as DuckDB SQL: {_parse_error_message(e)}") from e
        if len(trees) != 1:
            raise SqlError(f"expected one statement, found {len(trees)}")
        tree = trees[0]
    else:
        tree = sql
    if dialect == "postgres" and check_portability and (issues := portability_issues(tree)):
        raise SqlError("not portable to PostgreSQL: " + "; ".join(issues))
    try:
        return tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE, comments=False)
    except UnsupportedError as e:
        raise SqlError(f"cannot be transpiled to {dialect}: {_clean(str(e))}") from e
