"""The warehouse on PostgreSQL: staging, models, plans and journal in one database, many processes at once.

Callers write DuckDB SQL with `?` placeholders and logical schemas (`staging`, `plan`, ...), as for the embedded
warehouse; `to_postgres` translates each statement once (sqlglot; the result is cached): schemas get the
warehouse's prefix, `create or replace table` becomes drop + create in one transaction, `?` becomes psycopg2's
`%s`. Bulk appends use COPY.

No single-writer lock: different flows run at the same time in different processes (Dagster's multiprocess,
Celery or Kubernetes executors, two terminals). What must not overlap is held with PostgreSQL advisory locks:
- `lock("flow products")`: one run of a flow at a time (two would plan and push the same changes twice);
- a dlt pipeline's working folder and state, per flow (`pipeline_name`), and dlt's loads into one dataset
  (two merges into one table at once could both insert a key);
- DDL (create/drop/alter) under a transaction lock: `create table if not exists` races in PostgreSQL;
- the SQL models (`models_connection`): a model table is dropped and re-created.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from staging.base import INTERNAL_WAIT_S, SCHEMAS, Dialect, Warehouse, WarehouseBusyError

# Advisory locks of this project: (namespace, hashtext(prefix + name)); other applications' locks never collide.
LOCK_NAMESPACE = 0x41664D70  # "AfMp"
_PARAM = "afas_mplus_param__"
_STATEMENTS = (
    exp.Query,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
)
_EXPLAIN = re.compile(
    r"^\s*explain\s+", re.IGNORECASE
)  # stands in for a `?` while the statement is generated (then `%s`)


class WarehouseSqlError(ValueError):
    """A statement the PostgreSQL warehouse cannot translate (a DuckDB-only command)."""


@functools.lru_cache(maxsize=2048)
def to_postgres(sql: str, prefix: str = "") -> tuple[tuple[str, ...], bool]:
    """DuckDB SQL (one or more statements) as PostgreSQL statements for psycopg2, and whether they change the
    schema (DDL on a permanent table). Every `%` is doubled and every `?` is `%s`: run them with a parameter
    sequence (possibly empty) so psycopg2 always formats."""
    if explained := _EXPLAIN.match(sql):  # sqlglot reads EXPLAIN as an opaque command
        inner, _ = to_postgres(sql[explained.end() :], prefix)
        return tuple(f"EXPLAIN {s}" for s in inner), False
    out: list[str] = []
    ddl = False
    for statement in sqlglot.parse(sql, read="duckdb"):
        if statement is None:
            continue
        if not isinstance(statement, _STATEMENTS):
            head = statement.this if isinstance(statement, exp.Command) else statement.sql("duckdb")
            raise WarehouseSqlError(f"{str(head).upper()[:40]} is DuckDB's: it cannot run on PostgreSQL")
        _map_schemas(statement, prefix)
        if isinstance(statement, exp.Create | exp.Drop | exp.Alter | exp.TruncateTable) and not _temporary(
            statement
        ):
            ddl = True
        if (
            isinstance(statement, exp.Create)
            and statement.args.get("replace")
            and str(statement.args.get("kind", "")).upper() == "TABLE"
        ):
            out.extend(_replace_table(statement))
        else:
            out.append(_generate(statement))
    return tuple(out), ddl


def _replace_table(statement: exp.Create) -> list[str]:
    """`create or replace table t ...` as PostgreSQL statements (one transaction): a table from a query is built
    beside the old one first (the query may read it, as DuckDB allows), then swapped in."""
    statement.set("replace", False)
    target = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
    temporary = _temporary(statement) and not target.args.get("db")
    old = f"pg_temp.{target.sql('postgres')}" if temporary else target.sql("postgres")
    if statement.expression is None:  # columns only: nothing to read
        return [f"DROP TABLE IF EXISTS {old} CASCADE", _generate(statement)]
    new_name = f"{target.name}__new"
    built = target.copy()
    built.set("this", exp.to_identifier(new_name))
    statement.set("this", built)
    return [
        f"DROP TABLE IF EXISTS {built.sql('postgres') if not temporary else 'pg_temp.' + new_name}",
        _generate(statement),
        f"DROP TABLE IF EXISTS {old} CASCADE",
        f"ALTER TABLE {'pg_temp.' + new_name if temporary else built.sql('postgres')} RENAME TO {target.name}",
    ]


def _generate(statement: exp.Expr) -> str:
    statement = statement.transform(
        lambda node: exp.column(_PARAM) if isinstance(node, exp.Placeholder) else node, copy=True
    )
    text = statement.sql(dialect="postgres", unsupported_level=ErrorLevel.RAISE)
    return text.replace("%", "%%").replace(_PARAM, "%s")


def _temporary(statement: exp.Expr) -> bool:
    props = statement.args.get("properties")
    return bool(props and any(isinstance(p, exp.TemporaryProperty) for p in props.expressions))


def _map_schemas(statement: exp.Expr, prefix: str) -> None:
    if not prefix:
        return
    for table in statement.find_all(exp.Table):
        db = table.args.get("db")
        if db is not None and not table.args.get("catalog") and db.name in SCHEMAS:
            table.set("db", exp.to_identifier(prefix + db.name))
        elif (
            db is None
            and isinstance(table.parent, exp.Create | exp.Drop)
            and str(table.parent.args.get("kind", "")).upper() == "SCHEMA"
            and table.name in SCHEMAS
        ):
            table.set("this", exp.to_identifier(prefix + table.name))


def _copy_value(v: Any) -> str:
    """One value in COPY's text format: \\N is NULL; backslash, tab and line breaks escaped."""
    if v is None:
        return r"\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime | date | dtime):
        text = v.isoformat()
    elif isinstance(v, dict | list):
        text = json.dumps(v, default=str, ensure_ascii=False)
    elif isinstance(v, bytes):
        text = "\\x" + v.hex()
    else:
        text = str(v) if not isinstance(v, Decimal) else format(v, "f")
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def dlt_credentials_url(dsn: str) -> str:
    """The DSN (URL or `key=value`) as the URL dlt's postgres destination takes; an absent password is given as
    empty (dlt insists on one; trust and peer authentication have none)."""
    parts = psycopg2.extensions.parse_dsn(dsn)
    user = quote(parts.pop("user", "") or os.environ.get("PGUSER", "postgres"), safe="")
    password = quote(parts.pop("password", "") or "", safe="")
    host = parts.pop("host", "") or "localhost"
    port = parts.pop("port", "") or "5432"
    database = quote(parts.pop("dbname", "") or user, safe="")
    query = f"?{urlencode(parts)}" if parts else ""
    return f"postgresql://{user}:{password}@{host}:{port}/{database}{query}"


def masked(dsn: str) -> str:
    """host:port/database of a DSN, for messages: never its password."""
    try:
        parts = psycopg2.extensions.parse_dsn(dsn)
    except psycopg2.ProgrammingError:
        return "the configured PostgreSQL (warehouse_dsn)"
    user = parts.get("user")
    return (
        f"postgresql://{user + '@' if user else ''}{parts.get('host', 'localhost')}:{parts.get('port', 5432)}"
        f"/{parts.get('dbname', '')}"
    )


class PostgresWarehouse(Warehouse, implements="postgres"):
    """The warehouse in a PostgreSQL database; schemas `<schema_prefix>staging`, `<schema_prefix>plan`, ..."""

    def __init__(
        self,
        path: Any = None,
        *,
        dsn: str,
        schema_prefix: str = "",
        memory_limit: str | None = None,
        wait_s: float = 0.0,
        holder: str | None = None,
    ) -> None:
        """`wait_s`: how long `lock` waits for a flow another process runs; `holder`: what this process is, told
        to a process that finds a flow busy. `path` and `memory_limit` are the embedded warehouse's."""
        self.dialect: Dialect = "postgres"
        self.dsn = dsn
        self.schema_prefix = self.check_prefix(schema_prefix)
        self.wait_s = wait_s
        label = f"{holder or 'afas-mplus'} [pid {os.getpid()}]"
        # the client's PID last: a truncated name (63 bytes) still says what runs
        self.application_name = label if len(label) <= 63 else f"{label[:50]}… [pid {os.getpid()}]"
        self._lock = threading.RLock()
        self._conn = self._connect()
        with self._tx() as cur:
            self._ddl_lock(cur)
            for schema in SCHEMAS:
                cur.execute(f"create schema if not exists {self.schema(schema)}")

    # -- connections --------------------------------------------------------------------------------------------

    def _connect(self) -> Any:
        conn = psycopg2.connect(self.dsn, application_name=self.application_name, connect_timeout=15)
        conn.autocommit = False
        # JSON stays text, as DuckDB returns it: callers parse what they need (never a float).
        psycopg2.extras.register_default_json(conn, loads=lambda text: text)
        psycopg2.extras.register_default_jsonb(conn, loads=lambda text: text)
        return conn

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Any]:
        """A cursor in a transaction of its own on the shared connection: committed, or rolled back on error."""
        with self._lock:
            try:
                with self._conn.cursor() as cur:
                    yield cur
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise

    def _ddl_lock(self, cur: Any) -> None:
        cur.execute(
            "select pg_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, self.schema_prefix + "ddl"]
        )

    def _run(self, cur: Any, sql: str, params: Sequence[Any] | None) -> None:
        statements, ddl = to_postgres(sql, self.schema_prefix)
        if ddl:
            self._ddl_lock(cur)
        values = tuple(params or ())
        for i, statement in enumerate(statements):
            # parameters belong to the last statement (a `create or replace` is a drop, then the create)
            cur.execute(statement, values if i == len(statements) - 1 else ())

    @property
    def database(self) -> str:
        where = masked(self.dsn)
        return f"{where} (schemas {self.schema_prefix}*)" if self.schema_prefix else where

    # -- statements ---------------------------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        with self._tx() as cur:
            self._run(cur, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(r) for r in rows]
        if not batch:
            return
        statements, ddl = to_postgres(sql, self.schema_prefix)
        if len(statements) != 1 or ddl:
            raise WarehouseSqlError("executemany takes one INSERT, UPDATE or DELETE statement")
        with self._tx() as cur:
            psycopg2.extras.execute_batch(cur, statements[0], batch, page_size=500)

    def query_table(
        self, sql: str, params: Sequence[Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._tx() as cur:
            self._run(cur, sql, params)
            cols = [d[0] for d in cur.description or []]
            return cols, cur.fetchall() if cur.description else []

    def stream(
        self, sql: str, params: Sequence[Any] | None = None, batch: int = 2000
    ) -> Iterator[dict[str, Any]]:
        statements, _ = to_postgres(sql, self.schema_prefix)
        if len(statements) != 1:
            raise WarehouseSqlError("stream takes one query")
        conn = self._connect()  # a connection of its own: the journal is written on the shared one meanwhile
        try:
            with conn.cursor(name="afas_mplus_stream") as cur:  # server-side: rows arrive `batch` at a time
                cur.itersize = batch
                cur.execute(statements[0], tuple(params or ()))
                cols: list[str] | None = None
                while chunk := cur.fetchmany(batch):
                    cols = cols or [d[0] for d in cur.description]
                    yield from (dict(zip(cols, row, strict=True)) for row in chunk)
            conn.commit()
        finally:
            conn.close()

    def append_rows(self, table: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]) -> int:
        """COPY from a spooled file: one statement for any number of rows, streamed (never one list)."""
        names = list(columns)
        n = 0
        with tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8") as buf:
            for row in rows:
                if len(row) != len(names):
                    raise ValueError(f"{table}: a row of {len(row)} values for {len(names)} columns")
                buf.write("\t".join(_copy_value(v) for v in row))
                buf.write("\n")
                n += 1
            if n:
                buf.seek(0)
                with self._tx() as cur:
                    cur.copy_expert(f"copy {self.table(table)} ({', '.join(names)}) from stdin", buf)
        return n

    def replace_table(
        self, schema: str, name: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]
    ) -> None:
        cols = ", ".join(f"{c} {t}" for c, t in columns.items())
        marks = ", ".join("?" for _ in columns)
        batch = [tuple(r) for r in rows]
        with self._tx() as cur:
            self._run(cur, f"create or replace table {schema}.{name} ({cols})", None)
            if batch:
                (insert,), _ = to_postgres(
                    f"insert into {schema}.{name} values ({marks})", self.schema_prefix
                )
                psycopg2.extras.execute_batch(cur, insert, batch, page_size=500)

    # -- models and dlt -----------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def models_connection(self) -> Iterator[Any]:
        # Models are dropped and re-created: two processes doing it to one table at once could both create it.
        with self._lock, self.lock("models", what="the SQL models", wait_s=INTERNAL_WAIT_S):
            yield self._conn

    def pipeline_name(self, source: str, scope: str = "") -> str:
        # One pipeline (state, working folder, merge tables) per source and flow: flows run in parallel here.
        return f"{self.schema_prefix}{source}_{scope}" if scope else f"{self.schema_prefix}{source}"

    def dlt_destination(self, pipeline_name: str = "") -> Any:
        # dlt takes seconds to import: only an extract asks for a destination, not every user of the warehouse
        import dlt

        own = pipeline_name.removeprefix(self.schema_prefix)
        # dlt merges through a dataset of load tables: one per pipeline, so parallel loads never share them
        layout = f"{self.dlt_dataset()}__{own}" if own else "%s_load"
        return dlt.destinations.postgres(dlt_credentials_url(self.dsn), staging_dataset_name_layout=layout)

    # -- other processes ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, name: str, *, what: str | None = None, wait_s: float | None = None) -> Iterator[None]:
        key = self.schema_prefix + name
        deadline = time.monotonic() + max(self.wait_s if wait_s is None else wait_s, 0.0)
        while True:
            with self._tx() as cur:
                cur.execute("select pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, key])
                got = cur.fetchone()[0]
            if got:
                break
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"{what or name} is in use by {self._holder(key)} on the warehouse "
                    f"{self.database}: wait until it finishes, or pass --wait SECONDS to "
                    f"wait for it"
                )
            time.sleep(0.2)
        try:
            yield
        finally:
            with contextlib.suppress(psycopg2.Error), self._tx() as cur:
                cur.execute("select pg_advisory_unlock(%s, hashtext(%s))", [LOCK_NAMESPACE, key])

    def _holder(self, key: str) -> str:
        """Who holds the advisory lock `key`: the application name its process gave (afas-mplus sync, a Dagster
        run ...) and since when."""
        with self._tx() as cur:
            cur.execute(
                "select a.application_name, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                "where l.locktype = 'advisory' and l.granted and l.classid = (%s)::int4::oid "
                "and l.objid = hashtext(%s)::oid and l.objsubid = 2",
                [LOCK_NAMESPACE, key],
            )
            row = cur.fetchone()
        if not row:
            return "another process"
        name, since = row
        return f"{name or 'another process'}" + (f", connected since {since:%H:%M:%S %Z}" if since else "")

    def close(self) -> None:
        with self._lock, contextlib.suppress(psycopg2.Error):
            self._conn.close()
