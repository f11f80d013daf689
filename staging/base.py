"""The warehouse interface: what every step, writer and check calls, whatever the database.

Two implementations: `staging.warehouse.DuckDBWarehouse` (one file, the embedded default) and
`staging.postgres.PostgresWarehouse` (a PostgreSQL DSN). `Warehouse(...)` picks one: a `dsn` means PostgreSQL.

Callers write SQL in DuckDB's dialect with `?` placeholders and the logical schema names (`staging`, `settings`,
`transforms`, `plan`, `journal`); PostgreSQL translates each statement (sqlglot) and maps the schemas through
its `schema_prefix` (one warehouse database can then hold several installations side by side).
"""

from __future__ import annotations

import contextlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal

SCHEMAS = ("staging", "settings", "transforms", "plan", "journal")
Dialect = Literal["duckdb", "postgres"]
# Locks the project takes for its own consistency (a load, a model run) wait this long for another process.
INTERNAL_WAIT_S = 1800.0
_PREFIX = re.compile(r"^([a-z][a-z0-9_]{0,29})?$")
# dialect -> the class that implements it; each registers itself (`implements=`), and staging/__init__.py imports
# both, so `Warehouse(...)` can choose without this module importing the modules that import it.
_IMPLEMENTATIONS: dict[str, type[Warehouse]] = {}


class WarehouseBusyError(Exception):
    """What this run needs is held by another process; the message names the holder and `--wait`."""


class Warehouse(ABC):
    """A thread-safe handle on the warehouse. `Warehouse(path)` opens DuckDB, `Warehouse(dsn=...)` PostgreSQL."""

    dialect: Dialect
    schema_prefix: str = ""
    wait_s: float = 0.0  # how long `lock` waits for another process by default

    def __init_subclass__(cls, implements: Dialect | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if implements is not None:
            _IMPLEMENTATIONS[implements] = cls

    def __new__(cls, *args: Any, **kwargs: Any) -> Warehouse:
        # `Warehouse(...)` itself chooses the implementation (as `pathlib.Path` does), so code that opens the
        # default warehouse keeps working and every annotation `Warehouse` fits both.
        if cls is Warehouse:
            cls = _IMPLEMENTATIONS["postgres" if kwargs.get("dsn") else "duckdb"]
        return super().__new__(cls)

    # -- names ------------------------------------------------------------------------------------------------

    @staticmethod
    def check_prefix(prefix: str) -> str:
        if not _PREFIX.match(prefix):
            raise ValueError(
                f"schema prefix {prefix!r}: use at most 30 lower-case letters, digits and _, "
                f"starting with a letter (e.g. shop_amsterdam_)"
            )
        return prefix

    def schema(self, logical: str) -> str:
        """The physical schema of a logical one (`staging` -> `<prefix>staging`); other names are left alone."""
        return self.schema_prefix + logical if logical in SCHEMAS else logical

    def table(self, name: str) -> str:
        """`schema.table` with its schema mapped; a bare name (a temporary table) is left alone."""
        schema, dot, rest = name.partition(".")
        return f"{self.schema(schema)}.{rest}" if dot else name

    @property
    @abstractmethod
    def database(self) -> str:
        """Where the data lives, for messages (never a password)."""

    # -- statements: DuckDB dialect, `?` placeholders, logical schemas -----------------------------------------

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def query_table(
        self, sql: str, params: Sequence[Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]: ...

    @abstractmethod
    def stream(
        self, sql: str, params: Sequence[Any] | None = None, batch: int = 2000
    ) -> Iterator[dict[str, Any]]:
        """Rows as dicts, fetched `batch` at a time on a cursor of their own: a 100k-row plan is never one list,
        and the journal can be written while the rows are being read."""

    @abstractmethod
    def append_rows(self, table: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]) -> int:
        """Append many rows to `table` (`columns`: name -> DuckDB type, in table order) in one bulk load."""

    @abstractmethod
    def replace_table(
        self, schema: str, name: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """(Re)create a small table from Python rows (settings mappings), in one transaction."""

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cols, rows = self.query_table(sql, params)
        return [dict(zip(cols, row, strict=True)) for row in rows]

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        _, rows = self.query_table(sql, params)
        return rows[0][0] if rows else None

    def table_exists(self, schema: str, name: str) -> bool:
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                [self.schema(schema), name],
            )
        )

    def columns(self, schema: str, name: str) -> list[str]:
        rows = self.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [self.schema(schema), name],
        )
        return [r["column_name"] for r in rows]

    # -- the SQL models ---------------------------------------------------------------------------------------

    @abstractmethod
    @contextlib.contextmanager
    def models_connection(self) -> Iterator[Any]:
        """The driver connection `transforms.runner.run_models` runs on, held by this run alone meanwhile."""

    def model_schemas(self) -> dict[str, Any]:
        """`run_models` / `compile_model` keyword arguments placing the models in this warehouse's schemas."""
        if not self.schema_prefix:
            return {}
        return {
            "target_schema": self.schema("transforms"),
            "schemas": {s: self.schema(s) for s in SCHEMAS if s != "transforms"},
        }

    # -- dlt ----------------------------------------------------------------------------------------------------

    @abstractmethod
    def dlt_destination(self, pipeline_name: str) -> Any:
        """dlt's destination for the pipeline `pipeline_name` (from `pipeline_name`)."""

    def dlt_dataset(self) -> str:
        return self.schema("staging")

    def pipeline_name(self, source: str, scope: str = "") -> str:
        """dlt's pipeline (its state and working folder) for `source` run by `scope` (a flow)."""
        return source

    # -- other processes ----------------------------------------------------------------------------------------

    def lock(
        self, name: str, *, what: str | None = None, wait_s: float | None = None
    ) -> contextlib.AbstractContextManager[None]:
        """Hold `name` against other processes on this warehouse (e.g. `flow products`: one run of a flow at a
        time) for the `with` block, waiting up to `wait_s` (default: `self.wait_s`), else `WarehouseBusyError`
        naming `what` and the holder. DuckDB needs none: its file admits one process at all."""
        return contextlib.nullcontext()

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def plain(v: Any) -> Any:
    """A Python value as the driver should bind it (DuckDB binds Decimal params as double)."""
    return str(v) if isinstance(v, Decimal) else v
