"""GDPR retention of everything personal an installation keeps (`journal.retention_days`):

- the journal's rows (calls, changes, intents, runs) older than the retention;
- Dagster's runs, their event logs and compute logs, runless events (CLI runs reported to Dagster) and check
  results older than the retention, through Dagster's instance and storage API; assets whose last event is older
  are wiped (Dagster caches an asset's last materialization, previews included);
- dlt's finished load packages (their folders accumulate, one per load);
- then the bytes: DuckDB and SQLite keep deleted rows in free pages, so the warehouse is rewritten into a fresh
  file (`Warehouse.compact`) and Dagster's SQLite files are vacuumed.

Debtors deleted in AFAS leave staging and every derived table at the next extract (`afas_mplus.forget`); this
purge makes their bytes go too.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dagster import DagsterInstance, RunsFilter
from dagster._core.instance.ref import InstanceRef

from afas_mplus.settings import Settings
from reverse_etl.journal import Journal
from staging.warehouse import Warehouse

log = logging.getLogger(__name__)


@dataclass
class PurgeReport:
    journal_rows: int = 0
    dagster_runs: int = 0
    dagster_events: int = 0
    dagster_assets_wiped: int = 0
    dlt_packages: int = 0
    warehouse_bytes: tuple[int, int] = (0, 0)
    errors: list[str] = field(default_factory=list)

    def summary(self, days: int) -> str:
        before, after = self.warehouse_bytes
        text = (
            f"purged data older than {days} days: {self.journal_rows} journal rows, {self.dagster_runs} Dagster "
            f"runs and {self.dagster_events} events without a run, {self.dlt_packages} dlt load packages; "
            f"warehouse compacted {before / 1e6:.1f} MB → {after / 1e6:.1f} MB"
        )
        return text + (f"; not done: {'; '.join(self.errors)}" if self.errors else "")


def cutoff(days: int, now: datetime | None = None) -> datetime:
    if days < 1:
        raise ValueError(f"retention of {days} days: it must be at least 1 day")
    return (now or datetime.now(UTC)).astimezone(UTC) - timedelta(days=days)


def purge_everything(
    settings: Settings,
    wh: Warehouse,
    *,
    days: int | None = None,
    now: datetime | None = None,
    compact: bool = True,
) -> PurgeReport:
    """Everything above; `wh` is held (the warehouse lock) throughout. A part that fails is reported and the
    others still run."""
    days = settings.journal.retention_days if days is None else days
    before = cutoff(days, now)
    report = PurgeReport()
    report.journal_rows = Journal(wh).purge(days, now)
    for name, part in (
        ("Dagster", lambda: purge_dagster(settings.dagster_home, before, report)),
        ("dlt", lambda: setattr(report, "dlt_packages", purge_dlt_packages(settings.data_dir))),
    ):
        try:
            part()
        except Exception as exc:  # noqa: BLE001 - one store that cannot be purged must not keep the others
            log.warning("could not purge %s", name, exc_info=True)
            report.errors.append(f"{name}: {type(exc).__name__}: {exc}")
    if compact:
        report.warehouse_bytes = wh.compact()
    return report


def purge_dlt_packages(data_dir: Path) -> int:
    """Delete dlt's finished load packages (`<pipeline>/load/loaded/<load id>`): the staging tables are the record
    of what came in; a package keeps its schema updates and job list, and, were a job file left, its rows."""
    n = 0
    for package in sorted((data_dir / "dlt").glob("*/load/loaded/*")):
        if package.is_dir():
            shutil.rmtree(package, ignore_errors=True)
            n += 1
    return n


def purge_dagster(home: Path, before: datetime, report: PurgeReport | None = None) -> PurgeReport:
    """Runs (with their event logs and compute logs), runless events and check results older than `before`."""
    report = report or PurgeReport()
    if not home.is_dir() or not any(home.iterdir()):
        return report
    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))
    try:
        finished = {"SUCCESS", "FAILURE", "CANCELED"}
        for record in instance.get_run_records(filters=RunsFilter(created_before=before)):
            run = record.dagster_run
            if run.status.value not in finished:
                continue  # a run still going (or queued) is left alone
            instance.delete_run(run.run_id)
            with contextlib.suppress(Exception):  # logs of runs that captured none
                instance.compute_log_manager.delete_logs(prefix=[run.run_id])
            shard = home / "storage" / f"{run.run_id}.db"
            shard.unlink(missing_ok=True)  # the run's own event shard (SQLite storage), empty now
            report.dagster_runs += 1
        report.dagster_events += _purge_runless_and_checks(instance, before)
        report.dagster_assets_wiped += _wipe_stale_assets(instance, before)
    finally:
        instance.dispose()
    vacuum_sqlite(home)
    return report


def _purge_runless_and_checks(instance: Any, before: datetime) -> int:
    """Runless asset events (CLI runs reported to Dagster) and check results older than `before`: Dagster's own
    run deletion never reaches them (they belong to no run)."""
    # Dagster's event-log storage internals load some 270 more modules than `dagster` itself: only a purge needs them.
    from dagster._core.instance import RUNLESS_RUN_ID
    from dagster._core.storage.event_log.schema import (
        AssetCheckExecutionsTable,
        AssetEventTagsTable,
        SqlEventLogStorageTable,
    )
    from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage

    storage = instance.event_log_storage
    if not isinstance(storage, SqlEventLogStorage):
        return 0
    stamp = before.astimezone(UTC).replace(tzinfo=None)
    old = (SqlEventLogStorageTable.c.run_id == RUNLESS_RUN_ID) & (SqlEventLogStorageTable.c.timestamp < stamp)
    n = 0
    with storage.index_connection() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                SqlEventLogStorageTable.select().with_only_columns(SqlEventLogStorageTable.c.id).where(old)
            ).fetchall()
        ]
        if ids:
            conn.execute(AssetEventTagsTable.delete().where(AssetEventTagsTable.c.event_id.in_(ids)))
            conn.execute(SqlEventLogStorageTable.delete().where(SqlEventLogStorageTable.c.id.in_(ids)))
            n += len(ids)
        if storage.has_table("asset_check_executions"):
            n += (
                conn.execute(
                    AssetCheckExecutionsTable.delete().where(
                        AssetCheckExecutionsTable.c.create_timestamp < stamp
                    )
                ).rowcount
                or 0
            )
    with (
        contextlib.suppress(Exception),
        storage.run_connection(RUNLESS_RUN_ID) as conn,
    ):  # SQLite: its own shard
        conn.execute(SqlEventLogStorageTable.delete().where(old))
    return n


def _wipe_stale_assets(instance: Any, before: datetime) -> int:
    """Assets whose last event is older than `before`: Dagster keeps that event (metadata included) cached on
    the asset itself, so the asset's history is wiped."""
    stale = []
    for key in instance.get_asset_keys():
        event = instance.get_latest_materialization_event(key)
        if event is not None and datetime.fromtimestamp(event.timestamp, UTC) < before:
            stale.append(key)
    if stale:
        instance.wipe_assets(stale)
    return len(stale)


def vacuum_sqlite(home: Path) -> None:
    """Rewrite Dagster's SQLite files without their free pages (where deleted rows' text stays readable)."""
    for db in sorted(home.rglob("*.db")):
        try:
            conn = sqlite3.connect(db, timeout=30)
            try:
                conn.execute("vacuum")
            finally:
                conn.close()
        except sqlite3.Error as exc:  # busy (a webserver writing): the next purge vacuums it
            log.warning("could not vacuum %s: %s", db, exc)
