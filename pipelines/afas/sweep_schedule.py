"""When a key sweep or key scan is due, kept in the warehouse (`staging.afas_key_sweeps`).

A key sweep or key scan reads the whole connector (AFAS cannot narrow a GetConnector to its key columns): at
100k articles ~100 pages in sequence, ten times the incremental read a steady-state run needs otherwise. So
it runs when `every` has passed since the last one (`afas.key_sweep_every_minutes`; 0 = every run): a record
deleted in AFAS is found at the latest by the first sweep after it. Between sweeps the incremental read still
brings every change; what waits for the sweep is a deletion and a row whose ModifiedDate is older than the
cursor.

One row per staging table: resource, swept_at (when the last complete sweep started, UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from staging.warehouse import Warehouse

TABLE = "staging.afas_key_sweeps"


def ensure_table(warehouse: Warehouse) -> None:
    warehouse.execute(f"create table if not exists {TABLE} (resource varchar, swept_at timestamptz)")


def last_swept(warehouse: Warehouse, resource: str) -> datetime | None:
    value = warehouse.scalar(f"select max(swept_at) from {TABLE} where resource = ?", [resource])
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def is_due(warehouse: Warehouse, resource: str, every: timedelta, at: datetime) -> bool:
    """A sweep of `resource` is due: every run (`every` 0), never swept, or `every` passed since the last."""
    if every <= timedelta(0):
        return True
    last = last_swept(warehouse, resource)
    return last is None or at - last >= every


def mark_swept(warehouse: Warehouse, resource: str, at: datetime) -> None:
    """Record a complete sweep of `resource` that started at `at`."""
    warehouse.execute(f"delete from {TABLE} where resource = ?", [resource])
    warehouse.execute(f"insert into {TABLE} (resource, swept_at) values (?, ?)", [resource, at])
