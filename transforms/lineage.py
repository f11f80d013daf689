"""Which staging columns the SQL reads: sqlglot column lineage of every model that reads a staging table (the
standard staging models, or the user's mappings in their place). `afas-mplus check` compares this with each
connector's metainfo, and a run compares it with the staged tables before any model runs, so a missing column
is one line naming the model and the column, never a database error."""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from transforms.expressions import render_query
from transforms.graph import Model

Reads = dict[str, dict[str, set[str]]]  # staging table -> column -> the models reading it


def _projection(scope: Scope, name: str) -> exp.Expression | None:
    for sel in scope.expression.selects:
        if sel.alias_or_name == name:
            return sel
    return None


def _resolve(scope: Scope, column: exp.Column, out: set[tuple[str, str]], depth: int = 0) -> None:
    """The staging (table, column) pairs a column of this scope comes from."""
    if depth > 20:
        return
    sources = [scope.sources.get(column.table)] if column.table else list(scope.sources.values())
    for source in sources:
        if isinstance(source, exp.Table):
            if source.db == "staging" and (column.table or len(sources) == 1):
                out.add((source.name, column.name))
        elif isinstance(source, Scope) and isinstance(source.expression, exp.Select | exp.Union):
            _from_scope(source, column.name, out, depth + 1, strict=bool(column.table) or len(sources) == 1)


def _from_scope(scope: Scope, name: str, out: set[tuple[str, str]], depth: int, strict: bool) -> None:
    projection = _projection(scope, name)
    if projection is not None:
        for col in projection.find_all(exp.Column):
            _resolve(scope, col, out, depth)
        return
    if (
        any(
            isinstance(s, exp.Star) or (isinstance(s, exp.Column) and isinstance(s.this, exp.Star))
            for s in scope.expression.selects
        )
        and strict
    ):
        _resolve(scope, exp.column(name), out, depth)


def staging_reads(models: Iterable[Model]) -> Reads:
    """Per staging table, the columns read and by which models."""
    reads: Reads = {}
    for model in models:
        if not any(s.startswith("staging.") for s in model.sources):
            continue
        query = render_query(model.sql, missing="null")
        found: set[tuple[str, str]] = set()
        for scope in traverse_scope(query):
            for column in scope.columns:
                _resolve(scope, column, found)
        for table, column in found:
            reads.setdefault(table, {}).setdefault(column, set()).add(model.name)
    return reads
