"""A user's data mapping (a `.sql` file replacing a shared staging model), checked with sqlglot before anything
runs: one SELECT; allow-listed functions only; every table it reads a staging table, every column it reads a
column of that table; it outputs exactly the contract's columns. Each problem names the file, line and column.

A mapping that passes is run wrapped (`wrap`): every output column cast to its contract type, so the flow models
read the types they were written for, whatever the connector's types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.optimizer.scope import Scope, traverse_scope

from transforms.contracts import Contract

# Functions a mapping may call (sqlglot's expression keys; `anonymous` names below): renames, casts, text and
# number shaping, conditionals and the aggregates a reshape (one row per item with a column per attribute) needs.
ALLOWED_FUNCTIONS = frozenset(
    {
        "cast",
        "trycast",
        "coalesce",
        "nullif",
        "if",
        "case",
        "trim",
        "lower",
        "upper",
        "concat",
        "concatws",
        "substring",
        "replace",
        "length",
        "left",
        "right",
        "splitpart",
        "round",
        "abs",
        "floor",
        "ceil",
        "greatest",
        "least",
        "max",
        "min",
        "sum",
        "count",
        "avg",
        "anyvalue",
        "first",
        "stringagg",
        "grouptoarray",
        "lpad",
        "rpad",
        "regexpreplace",
        "regexpextract",
        "regexplike",
        "strposition",
        "datestrtodate",
        "todate",
        "currentdate",
        "timestamptrunc",
        "datetrunc",
        "tochar",
        "timetostr",
        "strtotime",
        "strtodate",
        "div",
        "mod",
        "sign",
    }
)
ALLOWED_ANONYMOUS = frozenset({"regexp_matches", "strip_accents", "string_agg", "ltrim", "rtrim", "format"})


@dataclass(frozen=True)
class MappingProblem:
    path: Path
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def _where(node: exp.Expression | None, sql: str) -> tuple[int, int]:
    """The line and column where a node starts: the first position the parser recorded under it, moved back to
    the node's own keyword or function name when the parser recorded none for the node itself."""
    if node is None:
        return 1, 1
    starts = [
        n.meta["start"]
        for n in (node, *node.find_all(exp.Identifier, exp.Func, exp.Literal))
        if isinstance(n.meta, dict) and "start" in n.meta
    ]
    offset = min(starts) if starts else 0
    if not (isinstance(node.meta, dict) and "start" in node.meta):
        word = node.name if isinstance(node, exp.Anonymous) else node.key
        found = sql.lower().rfind(str(word).lower(), 0, offset or len(sql))
        if isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous):
            found = max(found, sql.lower().rfind(node.sql_name().lower(), 0, offset or len(sql)))
        if found >= 0:
            offset = found
    line = sql.count("\n", 0, offset) + 1
    return line, offset - (sql.rfind("\n", 0, offset) + 1) + 1


Query = exp.Select | exp.Union  # one query: a SELECT (with CTEs), or SELECTs joined by UNION [ALL]


def parse_mapping(path: Path, sql: str) -> tuple[Query | None, list[MappingProblem]]:
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except ParseError as e:
        first = e.errors[0] if e.errors else {}
        return None, [
            MappingProblem(
                path,
                int(first.get("line") or 1),
                int(first.get("col") or 1),
                f"not valid SQL: {first.get('description') or e}",
            )
        ]
    if len(statements) != 1 or not isinstance(statements[0], exp.Select | exp.Union):
        line, col = _where(
            statements[1] if len(statements) > 1 else statements[0] if statements else None, sql
        )
        return None, [
            MappingProblem(path, line, col, "a mapping is one SELECT statement (CTEs allowed), nothing else")
        ]
    return statements[0], []


def check_mapping(
    path: Path, sql: str, contract: Contract, staged: Mapping[str, set[str] | None] | None = None
) -> list[MappingProblem]:
    """Problems of one mapping. `staged`: staging table -> its columns (metainfo or warehouse), or None for a
    declared table not staged yet (its columns are not checked); `staged` None skips the table and column
    check altogether."""
    query, problems = parse_mapping(path, sql)
    if query is None:
        return problems
    for node in query.find_all(exp.Func):
        if isinstance(node, exp.Connector | exp.Binary | exp.Unary | exp.Predicate):
            continue  # and, or, comparisons: operators
        name = node.name.lower() if isinstance(node, exp.Anonymous) else node.key
        if (isinstance(node, exp.Anonymous) and name not in ALLOWED_ANONYMOUS) or (
            not isinstance(node, exp.Anonymous) and name not in ALLOWED_FUNCTIONS
        ):
            line, col = _where(node, sql)
            shown = node.name if isinstance(node, exp.Anonymous) else node.sql_name().lower()
            problems.append(
                MappingProblem(
                    path,
                    line,
                    col,
                    f"function {shown} is not allowed in a mapping; use "
                    "casts, text, number and conditional functions",
                )
            )
    for sel in query.selects:
        if isinstance(sel, exp.Star) or (isinstance(sel, exp.Column) and isinstance(sel.this, exp.Star)):
            line, col = _where(query, sql)
            problems.append(
                MappingProblem(path, line, col, "name the output columns: `*` changes with the connector")
            )
    problems += _outputs(path, query, contract, sql)
    if staged is not None:
        problems += _reads(path, query, staged, sql)
    return sorted(set(problems), key=lambda p: (p.line, p.col, p.message))


def _outputs(path: Path, query: Query, contract: Contract, sql: str) -> list[MappingProblem]:
    names = [s.alias_or_name for s in query.selects]
    out = []
    for sel in query.selects:
        if sel.alias_or_name not in contract.names:
            line, col = _where(sel, sql)
            out.append(
                MappingProblem(
                    path,
                    line,
                    col,
                    f"column {sel.alias_or_name} is not in the contract of "
                    f"{contract.model} ({', '.join(contract.names)})",
                )
            )
    missing = [c for c in contract.columns if c.name not in names]
    if missing:
        line, col = _where(query.selects[-1] if query.selects else query, sql)
        req = [c.name for c in missing if c.required]
        hint = (
            f"; {', '.join(req)} {'is' if len(req) == 1 else 'are'} required"
            if req
            else "; write `null as <column>` for an optional column your AFAS does not have"
        )
        out.append(
            MappingProblem(
                path, line, col, f"{contract.model} must output {', '.join(c.name for c in missing)}{hint}"
            )
        )
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        line, col = _where(query, sql)
        out.append(MappingProblem(path, line, col, f"column {', '.join(doubles)} is output twice"))
    return out


def _source_columns(source: exp.Table | Scope, staged: Mapping[str, set[str] | None]) -> set[str] | None:
    """The columns a FROM item offers; None when it offers anything (a `*` inside a CTE)."""
    if isinstance(source, Scope):
        selects = source.expression.selects
        if any(isinstance(s, exp.Star) for s in selects):
            inner = list(source.sources.values())
            if len(selects) == 1 and len(inner) == 1:  # `select * from staging.x`: that table's columns
                return _source_columns(inner[0], staged)
            return None
        return {s.alias_or_name for s in selects}
    return staged.get(source.name, set()) if source.db == "staging" else set()  # None: not staged yet


def _reads(path: Path, query: Query, staged: Mapping[str, set[str] | None], sql: str) -> list[MappingProblem]:
    out = []
    for scope in traverse_scope(query):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and (source.db != "staging" or source.name not in staged):
                line, col = _where(source, sql)
                known = ", ".join(f"staging.{t}" for t in sorted(staged))
                out.append(
                    MappingProblem(
                        path,
                        line,
                        col,
                        f"table {source.sql()} is not a staging table; a mapping "
                        f"reads connectors as staging.<table> ({known})",
                    )
                )
        own = (
            {s.alias_or_name for s in scope.expression.selects}
            if isinstance(scope.expression, exp.Select)
            else set()
        )
        for column in scope.columns:
            if column.table:
                source = scope.sources.get(column.table)
                offered = None if source is None else _source_columns(source, staged)
                if source is None or offered is None or column.name in offered:
                    continue
                table = source.sql() if isinstance(source, exp.Table) else column.table
            else:
                offers = [_source_columns(s, staged) for s in scope.sources.values()]
                if column.name in own or any(o is None or column.name in o for o in offers):
                    continue
                table = " / ".join(
                    s.sql() if isinstance(s, exp.Table) else n for n, s in scope.sources.items()
                )
            line, col = _where(column, sql)
            out.append(
                MappingProblem(
                    path,
                    line,
                    col,
                    f"column {column.name} is not in {table or 'any table'}: "
                    "check the connector's fields (`afas-mplus check`)",
                )
            )
    return out


def wrap(sql: str, contract: Contract) -> str:
    """The mapping as it runs: its columns cast to the contract's types, in the contract's order."""
    body = sql.strip().rstrip(";")
    cols = ",\n    ".join(f"cast({c.name} as {c.type}) as {c.name}" for c in contract.columns)
    return f"with mapped as (\n{body}\n)\nselect\n    {cols}\nfrom mapped\n"
