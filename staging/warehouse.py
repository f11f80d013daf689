"""The staging database: one DuckDB file by default (PostgreSQL when a DSN is configured: `staging.postgres`).

Schemas: `staging` (what dlt loaded, as the APIs sent it), `settings` (user mappings as
tables the SQL joins), `transforms` (SQL models), `plan` (what a push would send) and
`journal` (what was sent and answered). Users query all of them with `afas-mplus sql`.
`Warehouse` (the interface, `staging.base`) is importable from here too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from staging.base import SCHEMAS, Dialect, Warehouse, WarehouseBusyError, plain

__all__ = ["DLT_MAX_QUERY_LENGTH", "SCHEMAS", "Dialect", "DuckDBWarehouse", "Warehouse", "WarehouseLocked"]
# dlt loads DuckDB with INSERT ... VALUES text and sends up to half of this per statement (its default: 16 MB).
# DuckDB's parse tree of a 16 MB INSERT took ~1 GB and most of the extract's time (20k articles: 38 s,
# peak RSS 1.2 GB); statements of 128 kB: 10 s, 240 MB.
DLT_MAX_QUERY_LENGTH = 256 * 1024
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


class WarehouseLocked(WarehouseBusyError):
    """The DuckDB file is held by another process: DuckDB allows one writer process per file."""

    def __init__(self, path: Path, pid: int | None, holder: str | None) -> None:
        self.path, self.pid, self.holder = path, pid, holder
        who = f"PID {pid}" if pid else "another process"
        if holder:
            who += f" ({holder})"
        super().__init__(
            f"the warehouse {path} is in use by {who}: wait until it finishes, or pass --wait SECONDS "
            f"to wait for it"
        )


class DuckDBWarehouse(Warehouse, implements="duckdb"):
    """The staging database in one DuckDB file (`path`; None: in memory), one connection shared by threads."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        dsn: None = None,
        memory_limit: str | None = None,
        wait_s: float = 0.0,
        holder: str | None = None,
    ) -> None:
        """`dsn`: always None here (`Warehouse(dsn=...)` opens PostgreSQL); `wait_s`: how long to wait for another process to release the file (else `WarehouseLocked` at once);
        `holder`: what this process is, told to a process that finds the file busy ("afas-mplus sync", ...)."""
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dialect: Dialect = "duckdb"
        self._lock = threading.RLock()
        config = {"memory_limit": memory_limit} if memory_limit else {}
        self._conn = self._connect(config, wait_s)
        self._claim(holder)
        for schema in SCHEMAS:
            self._conn.execute(f"create schema if not exists {schema}")

    @property
    def owner_file(self) -> Path | None:
        return self.path.with_name(self.path.name + ".owner.json") if self.path else None

    def _connect(self, config: dict[str, Any], wait_s: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + max(wait_s, 0.0)
        while True:
            try:
                return duckdb.connect(str(self.path) if self.path else ":memory:", config=config)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or self.path is None:
                    raise
                if time.monotonic() >= deadline:
                    match = _LOCK_PID.search(str(exc))
                    raise WarehouseLocked(
                        self.path,
                        int(match.group(1)) if match else None,
                        self._holder(int(match.group(1)) if match else None),
                    ) from None
                time.sleep(0.5)

    def _holder(self, pid: int | None) -> str | None:
        """What the process holding the file said it was (its owner file), if it is that process."""
        try:
            info = json.loads(self.owner_file.read_text(encoding="utf-8")) if self.owner_file else {}
        except (OSError, ValueError):
            return None
        if pid is not None and info.get("pid") != pid:
            return None
        since = str(info.get("since", ""))[11:19]
        return f"{info.get('holder', 'afas-mplus')}" + (f", since {since} UTC" if since else "")

    def _claim(self, holder: str | None) -> None:
        if self.owner_file is None:
            return
        info = {
            "pid": os.getpid(),
            "holder": holder or "afas-mplus",
            "since": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
        }
        # Telling others who holds the file is a courtesy, never a reason to fail.
        with contextlib.suppress(OSError):
            self.owner_file.write_text(json.dumps(info), encoding="utf-8")

    @property
    def database(self) -> str:
        return str(self.path) if self.path else ":memory:"

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the one shared connection: DuckDB allows one writer process per file."""
        return self._conn.cursor()

    @contextlib.contextmanager
    def models_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:  # one writer on the shared connection
            yield self._conn.cursor()

    def dlt_destination(self, pipeline_name: str = "") -> Any:
        # dlt takes seconds to import: only an extract asks for a destination, not every user of the warehouse
        import dlt

        return dlt.destinations.duckdb(self._conn, max_query_length=DLT_MAX_QUERY_LENGTH)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        with self._lock:
            self._conn.execute(sql, params or [])

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        with self._lock:
            self._conn.executemany(sql, batch)

    def append_rows(self, table: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]) -> int:
        """Append many rows to `table` (`columns`: name -> DuckDB type, in table order) at once.

        DuckDB's executemany runs one INSERT per row (~1.5 ms each: 50k journal rows took over a minute);
        the rows go through a newline-delimited JSON file that DuckDB's reader loads in one statement.
        """
        names = list(columns)
        fd, path = tempfile.mkstemp(prefix="append-", suffix=".jsonl")
        n = 0
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(dict(zip(names, row, strict=True)), default=str, ensure_ascii=False))
                    fh.write("\n")
                    n += 1
            if n:
                spec = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
                with self._lock:
                    self._conn.execute(
                        f"insert into {table} ({', '.join(names)}) select {', '.join(names)} from read_json("
                        f"?, format = 'newline_delimited', columns = {{{spec}}})",
                        [path],
                    )
        finally:
            os.unlink(path)
        return n

    def stream(
        self, sql: str, params: Sequence[Any] | None = None, batch: int = 2000
    ) -> Iterator[dict[str, Any]]:
        """Rows as dicts, fetched `batch` at a time on a cursor of their own: a 100k-row plan is never one list,
        and the journal can be written on the shared connection while the rows are being read."""
        cur = self._conn.cursor()
        try:
            cur.execute(sql, params or [])
            cols = [d[0] for d in cur.description or []]
            while chunk := cur.fetchmany(batch):
                yield from (dict(zip(cols, row, strict=True)) for row in chunk)
        finally:
            cur.close()

    def query_table(
        self, sql: str, params: Sequence[Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._lock:
            cur = self._conn.execute(sql, params or [])
            return [d[0] for d in cur.description or []], cur.fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def replace_table(
        self, schema: str, name: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """(Re)create a small table from Python rows: settings mappings."""
        cols = ", ".join(f"{c} {t}" for c, t in columns.items())
        marks = ", ".join("?" for _ in columns)
        with self._lock:
            self._conn.execute(f"create or replace table {schema}.{name} ({cols})")
            batch = [tuple(plain(v) for v in r) for r in rows]
            if batch:
                self._conn.executemany(f"insert into {schema}.{name} values ({marks})", batch)

    def compact(self, wait_s: float = 30.0) -> tuple[int, int]:
        """Rewrite the file with only its live data; returns its size before and after. DuckDB keeps deleted rows'
        bytes in free blocks (a purged e-mail stays readable in the file): the data is copied into a fresh file
        (COPY FROM DATABASE) that replaces this one, all under this process's hold of the file."""
        if self.path is None:
            return 0, 0
        fresh = self.path.with_name(self.path.name + ".compact")
        with self._lock:
            for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
                leftover.unlink(missing_ok=True)
            self._conn.execute("checkpoint")
            before = self.path.stat().st_size
            name = self._conn.execute("select current_database()").fetchone()[0]  # type: ignore[index]
            self._conn.execute(f"attach '{fresh}' as afas_mplus_compact")
            try:
                self._conn.execute(f'copy from database "{name}" to afas_mplus_compact')
            finally:
                self._conn.execute("detach afas_mplus_compact")
            config = {
                "memory_limit": self._conn.execute("select current_setting('memory_limit')").fetchone()[0]
            }
            # Closed, then swapped: nothing is written to the old file after the copy. Another process can only
            # take the file in the instant between the swap and the reopen; then this one waits for it.
            self._conn.close()
            os.replace(fresh, self.path)
            self.path.with_name(self.path.name + ".wal").unlink(missing_ok=True)
            self._conn = self._connect(config, wait_s)
            for schema in SCHEMAS:
                self._conn.execute(f"create schema if not exists {schema}")
        return before, self.path.stat().st_size

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        try:
            if (
                self.owner_file
                and json.loads(self.owner_file.read_text(encoding="utf-8")).get("pid") == os.getpid()
            ):
                self.owner_file.unlink()
        except (OSError, ValueError):
            pass
