"""Run a model graph on DuckDB or PostgreSQL.

Each model becomes a table ``<target_schema>.<model>``:

* DuckDB: ``create or replace table s.m as <select>``
* PostgreSQL: ``drop table if exists s.m cascade; create table s.m as <select>``, one
  transaction per model (committed on success, rolled back on failure).

Before anything runs, every selected model is rendered (placeholders), qualified (bare
model names and ``transforms.<model>`` -> ``target_schema``; source schemas renamed
through ``schemas``) and transpiled, so a bad parameter fails before the database is
touched. Row counts come from ``select count(*)``; no data passes through Python, so
``decimal`` columns stay exact.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import psycopg2

from transforms.errors import ModelError, SqlError
from transforms.expressions import render_query
from transforms.graph import Model, ModelGraph
from transforms.sql import MODEL_SCHEMA, Dialect, qualify_ast, transpile

__all__ = ["ModelResult", "compile_model", "run_models"]

log = logging.getLogger(__name__)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ModelResult:
    name: str
    rows: int
    seconds: float


def _check_ident(value: str, what: str) -> str:
    if not _IDENT.match(value):
        raise ValueError(f"{what} {value!r} must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return value


def compile_model(
    model: Model,
    graph: ModelGraph,
    *,
    dialect: Dialect = "duckdb",
    params: Mapping[str, str] | None = None,
    target_schema: str = MODEL_SCHEMA,
    schemas: Mapping[str, str] | None = None,
) -> str:
    """The model's SELECT as it will run: rendered, qualified, transpiled to ``dialect``."""
    portable = dialect == "postgres" and graph.check_portability
    try:
        query = render_query(model, params, dialect="postgres" if portable else "duckdb")
        query = qualify_ast(query, graph.names, target_schema=target_schema, schemas=schemas)
        return transpile(query, dialect, check_portability=portable)
    except SqlError as e:
        raise ModelError(model.name, model.path, str(e)) from e


def run_models(
    conn: Any,
    graph: ModelGraph,
    *,
    dialect: Dialect = "duckdb",
    params: Mapping[str, str] | None = None,
    only: Iterable[str] | None = None,
    target_schema: str = MODEL_SCHEMA,
    schemas: Mapping[str, str] | None = None,
    grains: Mapping[str, tuple[str, ...]] | None = None,
) -> list[ModelResult]:
    """Materialise the models of ``graph`` (or just ``only``) in dependency order.

    ``conn``: a ``duckdb.DuckDBPyConnection`` (dialect ``duckdb``), or a psycopg2 connection
    or DSN string (dialect ``postgres``; a DSN connection is closed afterwards).
    ``schemas`` maps logical source schemas to physical ones, e.g. ``{"staging": "stg_ci"}``.
    ``grains``: model -> the columns its rows must be unique on, checked after it is built (a duplicate is a
    ``ModelError`` naming the key: what reads the model would otherwise double a row).
    Raises ``ParameterError`` before running anything, ``ModelError`` when a model fails.
    """
    if dialect not in ("duckdb", "postgres"):
        raise ValueError(f"unsupported dialect {dialect!r}")
    is_duckdb = isinstance(conn, duckdb.DuckDBPyConnection)
    if is_duckdb != (dialect == "duckdb"):
        raise ValueError(f"dialect {dialect!r} does not match connection {type(conn).__name__}")
    _check_ident(target_schema, "target schema")
    for physical in (schemas or {}).values():
        _check_ident(physical, "schema")
    if isinstance(only, str):
        only = [only]
    selected = set(graph.names if only is None else only)
    if unknown := sorted(selected - set(graph.names)):
        raise ValueError(f"unknown model(s): {', '.join(unknown)}")
    models = [m for m in graph.models if m.name in selected]
    compiled = [
        (
            m,
            compile_model(
                m, graph, dialect=dialect, params=params, target_schema=target_schema, schemas=schemas
            ),
            tuple((grains or {}).get(m.name, ())),
        )
        for m in models
    ]
    if is_duckdb:
        return _run_duckdb(conn, compiled, target_schema)
    if isinstance(conn, str):
        pg = psycopg2.connect(conn)
        try:
            return _run_postgres(pg, compiled, target_schema)
        finally:
            pg.close()
    return _run_postgres(conn, compiled, target_schema)


def _grain_sql(table: str, grain: tuple[str, ...]) -> str:
    cols = ", ".join(grain)
    # as a UNIQUE constraint: rows without a key are not duplicates of each other (the errors models name them)
    present = " and ".join(f"{c} is not null" for c in grain)
    return f"select {cols}, count(*) from {table} where {present} group by {cols} having count(*) > 1 limit 3"


def _grain_error(model: Model, grain: tuple[str, ...], rows: list[Any]) -> ModelError:
    shown = "; ".join(f"{'|'.join(str(v) for v in r[:-1])} ({r[-1]} rows)" for r in rows)
    return ModelError(
        model.name,
        model.path,
        f"grain {', '.join(grain)} is not unique: {shown}; a model "
        "reading it would count such a record twice",
    )


def _run_duckdb(
    conn: duckdb.DuckDBPyConnection, compiled: list[tuple[Model, str, tuple[str, ...]]], schema: str
) -> list[ModelResult]:
    conn.execute(f"create schema if not exists {schema}")
    results = []
    for model, select, grain in compiled:
        table = f"{schema}.{model.name}"
        start = time.perf_counter()
        try:
            conn.execute(f"create or replace table {table} as {select}")
            row = conn.execute(f"select count(*) from {table}").fetchone()
            doubles = conn.execute(_grain_sql(table, grain)).fetchall() if grain else []
        except duckdb.Error as e:
            raise ModelError(model.name, model.path, f"{type(e).__name__}: {e}") from e
        if doubles:
            raise _grain_error(model, grain, doubles)
        results.append(_done(model, int(row[0]) if row else 0, start))
    return results


def _run_postgres(
    conn: Any, compiled: list[tuple[Model, str, tuple[str, ...]]], schema: str
) -> list[ModelResult]:
    autocommit = conn.autocommit
    if autocommit:
        conn.autocommit = False  # drop + create must be one transaction
    try:
        with conn.cursor() as cur:
            cur.execute(f"create schema if not exists {schema}")
        conn.commit()
        results = []
        for model, select, grain in compiled:
            table = f"{schema}.{model.name}"
            start = time.perf_counter()
            try:
                with conn.cursor() as cur:
                    cur.execute(f"drop table if exists {table} cascade")
                    cur.execute(f"create table {table} as {select}")
                    cur.execute(f"select count(*) from {table}")
                    row = cur.fetchone()
                    doubles: list[Any] = []
                    if grain:
                        cur.execute(_grain_sql(table, grain))
                        doubles = list(cur.fetchall())
                conn.commit()
            except Exception as e:  # the driver's error (psycopg2.Error), whatever the driver
                conn.rollback()
                message = str(getattr(e, "pgerror", None) or e).strip()
                raise ModelError(model.name, model.path, f"{type(e).__name__}: {message}") from e
            if doubles:
                raise _grain_error(model, grain, doubles)
            results.append(_done(model, int(row[0]) if row else 0, start))
        return results
    finally:
        if autocommit:
            conn.autocommit = True


def _done(model: Model, rows: int, start: float) -> ModelResult:
    result = ModelResult(model.name, rows, time.perf_counter() - start)
    log.info("model %s: %d rows in %.3fs", model.name, rows, result.seconds)
    return result
