"""Running a dlt source into the staging schema: the pipeline, the tables every run guarantees, row counts.

The AFAS and MplusKASSA extracts (pipelines.afas.extract, pipelines.mplus.extract) load through here; they
take plain values (a `Staging`: the warehouse, the data directory, a sink for run records), not the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dlt

from pipelines.dlt_config import configure_dlt
from staging.base import INTERNAL_WAIT_S, Warehouse

configure_dlt()  # defaults before any pipeline exists; the runner may call it again (telemetry on)

Columns = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class RunRecord:
    """One step of an extract, for the journal (`journal.runs`): what ran, how many rows, details."""

    source: str  # "afas", "mplus"
    step: str  # "extract", "sweep afas_price_list_rows", "extract errors"
    status: str
    rows: int
    details: dict[str, Any]
    started_at: datetime


RunSink = Callable[[RunRecord], None]


@dataclass(frozen=True)
class Staging:
    """Where extracts load: the warehouse, dlt's working directory (`<data_dir>/dlt`) and who gets run records.
    `scope`: who extracts (a flow); on PostgreSQL, where flows run at the same time, each has its own pipelines."""

    warehouse: Warehouse
    data_dir: Path
    sink: RunSink = field(default=lambda record: None)
    scope: str = ""

    def pipeline(self, name: str) -> dlt.Pipeline:
        pipeline_name = self.warehouse.pipeline_name(name, self.scope)
        return dlt.pipeline(
            pipeline_name=pipeline_name,
            destination=self.warehouse.dlt_destination(pipeline_name),
            dataset_name=self.warehouse.dlt_dataset(),
            pipelines_dir=str(self.data_dir / "dlt"),
        )


def run_source(
    staging: Staging, name: str, source: Any, child_tables: Mapping[str, Columns] | None = None
) -> dict[str, int]:
    """Load `source` into staging with the pipeline `name`; returns rows per table (dlt's tables left out).

    `pipeline.run`'s steps, one by one, so that only the load holds the dataset against other processes (on
    PostgreSQL: two merges into one table at once could both insert a key): the extract, which waits for the
    APIs, runs in parallel with other flows'."""
    warehouse = staging.warehouse
    pipeline = staging.pipeline(name)

    def load_lock() -> AbstractContextManager[None]:
        return warehouse.lock("dlt load", what="loading staging", wait_s=INTERNAL_WAIT_S)

    # the pipeline's working folder and state are one process's at a time
    with warehouse.lock(
        f"dlt {pipeline.pipeline_name}", what=f"dlt pipeline {pipeline.pipeline_name}", wait_s=INTERNAL_WAIT_S
    ):
        pipeline.sync_destination()  # the state (incremental cursors) the destination holds, if newer
        if pipeline.has_pending_data:  # what an interrupted run extracted is loaded first
            if pipeline.list_extracted_load_packages():
                pipeline.normalize()
            if pipeline.list_normalized_load_packages():
                with load_lock():
                    pipeline.load()
        # Arrow pages load as parquet (DuckDB; CSV on PostgreSQL); the few row resources (orders, groups, stock)
        # as dlt's insert_values files (statements capped by the DuckDB destination's max_query_length). Not
        # jsonl: dlt leaves null fields out of jsonl rows and DuckDB's JSON reader then rejects keys it did not
        # guess from the first rows.
        pipeline.extract(source)
        normalized = pipeline.normalize()
        with load_lock():
            pipeline.load()
            ensure_tables(warehouse, pipeline, source, child_tables)
    counts = dict(normalized.row_counts) if normalized else {}
    return {k: v for k, v in counts.items() if not k.startswith("_dlt")}


def extract_record(name: str, counts: Mapping[str, int], started: datetime) -> RunRecord:
    return RunRecord(name, "extract", "ok", sum(counts.values()), dict(counts), started)


def now() -> datetime:
    return datetime.now(UTC)


_DLT_TYPES = {
    "text": "varchar",
    "bigint": "bigint",
    "bool": "boolean",
    "timestamp": "timestamptz",
    "date": "date",
    "double": "double",
    "json": "json",
    "time": "time",
    "binary": "blob",
    "wei": "decimal(38, 0)",
}


def ensure_tables(
    warehouse: Warehouse,
    pipeline: dlt.Pipeline,
    source: Any,
    child_tables: Mapping[str, Columns] | None = None,
) -> None:
    """Every declared table and column exists after an extract, even when the API had nothing to say:
    a resource that yielded nothing still gets its table, and a column added in a newer version of
    this project is added to an existing table (its old rows read NULL until the API sends it)."""
    wanted: dict[str, Columns] = {}
    for resource in source.selected_resources.values():
        schema = resource.compute_table_schema()
        wanted[schema.get("name") or resource.name] = schema.get("columns", {})
        wanted.update((child_tables or {}).get(resource.name, {}))
    naming = pipeline.default_schema.naming
    for name, columns in wanted.items():
        typed = {
            naming.normalize_identifier(col): sql_type(spec)
            for col, spec in columns.items()
            if spec.get("data_type")
        }
        if not typed:
            continue
        if not warehouse.table_exists("staging", name):
            cols = ", ".join(f"{c} {t}" for c, t in typed.items())
            warehouse.execute(f"create table if not exists staging.{name} ({cols})")
            continue
        present = set(warehouse.columns("staging", name))
        for col, type_ in typed.items():
            if col not in present:
                warehouse.execute(f"alter table staging.{name} add column {col} {type_}")


def sql_type(spec: Mapping[str, Any]) -> str:
    if spec["data_type"] == "decimal":
        return f"decimal({spec.get('precision', 38)}, {spec.get('scale', 9)})"
    return _DLT_TYPES.get(spec["data_type"], "varchar")
