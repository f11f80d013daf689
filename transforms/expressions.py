"""Placeholders in models: the data mapper's user-supplied SQL expressions.

Syntax (the only one)::

    {{ name }}                          -- value must come from ``params``
    {{ name | default: 'sql expr' }}    -- default used when ``params`` has no value

The default is a single-quoted string holding a SQL expression; double a quote to
embed one: ``{{ article_name_expr | default: 'coalesce(a.description, ''?'')' }}``.
A name may appear several times in a model; at most one distinct default per name
(across all models of a graph). Names are ``[A-Za-z_][A-Za-z0-9_]*``. A placeholder
stands for one expression (select item, condition, function argument, ...): one inside
a string, a comment or in place of a table/column name is an error, and so is any
``{{`` that is not a placeholder.

Values come from ``params: Mapping[str, str]`` (one mapping for the whole graph, keyed
by placeholder name) and override defaults. Each value (and each default) is validated:
it must parse in DuckDB SQL as one scalar or boolean expression; statements, ``;``,
subqueries, table references, bind parameters (``?``/``$1``) and dangerous functions
(file/network/system access, sequences, settings: ``read_csv``, ``read_parquet``,
``copy``, ``attach``, ``pragma``, ``install``, ``load``, ``getenv``, ``system``, ``pg_*``,
...) are rejected with a :class:`ParameterError` naming the parameter and the
line/column in the value; for PostgreSQL runs the value must also be portable.
Substitution happens on the syntax tree (the placeholder becomes a sentinel column that
is replaced by the parsed value in parentheses), never by pasting text, so a value
cannot escape its position or change the precedence around it. Column names are not
checked here: an unknown column fails when the model runs (``ModelError``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError
from sqlglot.tokens import Token, TokenType

from transforms.errors import ParameterError
from transforms.sql import parse_select, portability_nodes

if TYPE_CHECKING:
    from transforms.graph import Model

__all__ = [
    "Placeholder",
    "find_placeholders",
    "placeholder_defaults",
    "render",
    "render_query",
    "validate_expression",
]

_DUCKDB = Dialect.get_or_raise("duckdb")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*(?:\|\s*default\s*:\s*'((?:[^']|'')*)'\s*)?\}\}")

# Functions a mapper expression may not call (lower-case names; prefixes/suffixes below).
_DENIED_FUNCTIONS = frozenset(
    {
        "copy", "attach", "detach", "pragma", "install", "force_install", "load", "getenv", "system",
        "shell", "query", "query_table", "sniff_csv", "glob", "checkpoint", "force_checkpoint",
        "current_setting", "set_config", "nextval", "setval", "currval", "lastval", "sleep", "sleep_ms",
        "export_database", "import_database", "which_secret", "load_aws_credentials", "dblink",
        "xmlparse", "set_variable", "getvariable",
    }
)  # fmt: skip
_DENIED_PREFIXES = (
    "read_", "pg_", "lo_", "dblink_", "duckdb_", "sqlite_", "postgres_", "mysql_", "iceberg_", "delta_",
    "parquet_", "http_", "txid_", "json_execute",
)  # fmt: skip
_DENIED_SUFFIXES = ("_scan", "_to_xml", "_attach", "_query", "_execute")
# Statement keywords that have no place inside an expression.
_STATEMENT_WORDS = frozenset(
    {
        "select", "insert", "update", "delete", "drop", "create", "alter", "copy", "attach", "detach",
        "pragma", "install", "set", "use", "grant", "revoke", "execute", "call", "truncate", "merge",
        "export", "import", "checkpoint", "vacuum", "begin", "commit", "rollback", "describe", "show",
        "summarize",
    }
)  # fmt: skip
_PLAIN_TOKENS = frozenset({TokenType.VAR, TokenType.STRING, TokenType.IDENTIFIER})
# AST nodes that may not occur in a mapper expression.
_FORBIDDEN_NODES: tuple[type[exp.Expr], ...] = tuple(
    getattr(exp, n)
    for n in (
        "Query", "Subquery", "Table", "From", "Join", "DDL", "DML", "Command", "Placeholder", "Parameter",
        "Pragma", "Attach", "Detach", "Install", "Copy", "Set", "Use", "Transaction", "Commit", "Rollback",
        "Describe", "Kill", "Export", "Lambda",
    )
    if hasattr(exp, n)
)  # fmt: skip


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ ... }}`` occurrence in a model's text (``start``/``end`` are character offsets)."""

    name: str
    default: str | None
    start: int
    end: int
    line: int
    col: int


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def find_placeholders(sql: str, *, source: str = "<sql>") -> list[Placeholder]:
    """All placeholders in ``sql`` in text order; a malformed ``{{`` raises ``ParameterError``."""
    found: list[Placeholder] = []
    pos = 0
    while (start := sql.find("{{", pos)) >= 0:
        line, col = _line_col(sql, start)
        m = _PLACEHOLDER.match(sql, start)
        if not m:
            snippet = sql[start : sql.find("\n", start) if "\n" in sql[start:] else None][:60]
            raise ParameterError(source, "?", f"malformed placeholder {snippet!r}", line, col)
        default = m.group(2).replace("''", "'") if m.group(2) is not None else None
        found.append(Placeholder(m.group(1), default, start, m.end(), line, col))
        pos = m.end()
    return found


def placeholder_defaults(sql: str, *, source: str = "<sql>") -> dict[str, str | None]:
    """Placeholder name -> default expression (``None`` when none is given), in order of appearance."""
    defaults: dict[str, str | None] = {}
    for ph in find_placeholders(sql, source=source):
        old = defaults.get(ph.name)
        if old is not None and ph.default is not None and old != ph.default:
            raise ParameterError(
                source, ph.name, f"conflicting defaults {old!r} and {ph.default!r}", ph.line, ph.col
            )
        defaults[ph.name] = old if old is not None else ph.default
    return defaults


def _denied(name: str) -> bool:
    name = name.lower()
    return name in _DENIED_FUNCTIONS or name.startswith(_DENIED_PREFIXES) or name.endswith(_DENIED_SUFFIXES)


def _func_names(node: exp.Func) -> set[str]:
    if isinstance(node, exp.Anonymous):
        return {node.name.lower()}
    return {n.lower() for n in type(node).sql_names()}


def _find_token(tokens: list[Token], text: str, words: set[str]) -> tuple[int, int]:
    for tok in tokens:
        if tok.text.lower() in words:
            return _line_col(text, tok.start)
    return 1, 1


def validate_expression(
    value: str, *, parameter: str, model: str = "<sql>", dialect: str = "duckdb"
) -> exp.Expr:
    """Parse ``value`` as one safe DuckDB scalar/boolean expression; return its AST.

    With ``dialect="postgres"`` the expression must also transpile (see :mod:`transforms.sql`).
    Raises ``ParameterError`` naming ``model``, ``parameter`` and the line/column in ``value``.
    """

    def fail(message: str, line: int | None = 1, col: int | None = 1) -> ParameterError:
        return ParameterError(model, parameter, message, line, col)

    if not isinstance(value, str):
        raise fail(f"value must be a SQL expression string, got {type(value).__name__}")
    if not value.strip():
        raise fail("empty expression")
    try:
        tokens = _DUCKDB.tokenize(value)
    except TokenError as e:
        raise fail(f"cannot tokenize: {e}") from e
    for i, tok in enumerate(tokens):
        word = tok.text.lower()
        if tok.token_type == TokenType.SEMICOLON:
            raise fail(
                "';' is not allowed: give one expression, not statements", *_line_col(value, tok.start)
            )
        if tok.token_type not in _PLAIN_TOKENS and word in _STATEMENT_WORDS:
            what = "subqueries are" if word == "select" else f"'{tok.text}' is"
            raise fail(f"{what} not allowed: give one expression", *_line_col(value, tok.start))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.token_type == TokenType.L_PAREN and _denied(word):
            raise fail(f"function '{tok.text}' is not allowed", *_line_col(value, tok.start))
    try:
        parsed = _DUCKDB.parse_into(exp.Condition, value)
    except ParseError as e:
        err = e.errors[0] if e.errors else {}
        desc = str(err.get("description") or "invalid expression").split(". Line")[0]
        raise fail(f"not a single SQL expression: {desc}", err.get("line"), err.get("col")) from e
    expr = parsed[0] if parsed else None
    if expr is None:
        raise fail("empty expression")
    for node in expr.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            kind = {"placeholder": "bind parameter", "parameter": "bind parameter"}.get(node.key, node.key)
            kind = "subquery" if isinstance(node, exp.Query | exp.Subquery) else kind
            raise fail(
                f"{kind} is not allowed in an expression", *_find_token(tokens, value, {"select", "("})
            )
        if isinstance(node, exp.Func) and any(_denied(n) for n in _func_names(node)):
            names = _func_names(node)
            raise fail(f"function '{sorted(names)[0]}' is not allowed", *_find_token(tokens, value, names))
    if dialect == "postgres":
        if issues := portability_nodes(expr):
            node, why = issues[0]
            names = _func_names(node) if isinstance(node, exp.Func) else set()
            raise fail(f"not portable to PostgreSQL: {why}", *_find_token(tokens, value, names))
        try:
            expr.sql("postgres", unsupported_level=ErrorLevel.RAISE)
        except UnsupportedError as e:
            raise fail(f"cannot be transpiled to PostgreSQL: {e}") from e
    return expr


def _sentinel(index: int) -> str:
    return f"__tfx_param_{index}__"


def render_query(
    model: Model | str,
    params: Mapping[str, str] | None = None,
    *,
    dialect: str = "duckdb",
    missing: str | None = None,
) -> exp.Query:
    """The model's SELECT as a sqlglot tree with every placeholder replaced by its validated value.

    ``missing`` (e.g. ``"null"``) stands in for placeholders with neither value nor default
    instead of raising. ``dialect="postgres"`` also requires values to be portable.
    Raises ``ParameterError``, or ``SqlError`` when the model itself does not parse.
    """
    sql, name = (model, "<sql>") if isinstance(model, str) else (model.sql, model.name)
    placeholders = find_placeholders(sql, source=name)
    defaults = placeholder_defaults(sql, source=name)
    first = {ph.name: ph for ph in reversed(placeholders)}
    index = {n: i for i, n in enumerate(defaults)}
    values: dict[str, exp.Expr] = {}
    for ph_name, default in defaults.items():
        value = params[ph_name] if params is not None and ph_name in params else default
        if value is None:
            value = missing
        if value is None:
            ph = first[ph_name]
            message = f"placeholder {{{{ {ph_name} }}}} has no value and no default"
            raise ParameterError(name, ph_name, message, ph.line, ph.col)
        values[ph_name] = validate_expression(value, parameter=ph_name, model=name, dialect=dialect)
    pieces, pos = [], 0
    for ph in placeholders:
        pieces += [sql[pos : ph.start], _sentinel(index[ph.name])]
        pos = ph.end
    query = parse_select("".join(pieces) + sql[pos:])
    by_sentinel = {_sentinel(i): n for n, i in index.items()}
    used: set[str] = set()

    def substitute(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name in by_sentinel:
            ph_name = by_sentinel[node.name]
            used.add(ph_name)
            return exp.Paren(this=values[ph_name].copy())
        return node

    query = query.transform(substitute)
    for ph_name in defaults.keys() - used:
        ph = first[ph_name]
        message = "a placeholder must stand for an expression (not inside a string, comment or name)"
        raise ParameterError(name, ph_name, message, ph.line, ph.col)
    return query


def render(model: Model | str, params: Mapping[str, str] | None = None, *, dialect: str = "duckdb") -> str:
    """DuckDB SQL of the model with its placeholders substituted (see :func:`render_query`).

    ``model`` is a :class:`~transforms.graph.Model` or raw SQL text. ``params`` values override
    in-SQL defaults; names no placeholder uses are ignored (one mapping serves a whole graph).
    """
    return render_query(model, params, dialect=dialect).sql("duckdb", comments=False)
