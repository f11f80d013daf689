"""The AFAS extract of one run: the declared resources into `staging.afas_*`, from plain values.

    AfasExtract(client, portal, Staging(warehouse, data_dir, sink), connector_ids).run(["afas_articles"])

1. Column hints from each connector's metainfo (every field, typed), checked against the declarations.
2. One dlt run of all the resources (parallel, incremental where declared).
3. Key sweeps (deleted rows out, rows staging lacks in) and key scans (rows of new keys read by key), when
   due (`sweep_every`, pipelines.afas.sweep_schedule); rows so found are merged by a second dlt run, which
   leaves the incremental cursors alone. A key scan not due keeps its table, plus the keys read this run.
4. Bad values replace the read records' rows in `staging.extract_errors`.
Run records (extract, each sweep, extract errors) go to `Staging.sink`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pyarrow as pa

from connectors.afas.client import AfasClient
from connectors.aio import Portal
from pipelines.afas import sweep_schedule
from pipelines.afas.helpers import AfasReader
from pipelines.afas.hints import column_hints
from pipelines.afas.keys import add_loaded_keys, fetch_missing, keys_missing, sweep
from pipelines.afas.resources import AfasResource, select, with_connector
from pipelines.afas.source import BoundResource, afas_fill_source, afas_source
from pipelines.extract_errors import ResourceErrors, ensure_table, records_with_errors
from pipelines.load import RunRecord, Staging, extract_record, now, run_source

SKIPPED = "the row was not loaded (staging keeps the record's last good version)"
NULLED = "staged as NULL, the rest of the row loaded"


@dataclass
class AfasExtract:
    """Everything the AFAS extract needs, as plain values.

    `connector_ids`: settings.afas.connectors field -> GetConnector id (`{"articles": "Sync_Articles"}`);
    `columns`: per connector id, our column name -> the connector's (renamed custom connectors);
    `extra`: the user's declared resources (pipelines.afas.resources.resources_from_config)."""

    client: AfasClient
    portal: Portal
    staging: Staging
    connector_ids: Mapping[str, str]
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    overlap_minutes: int = 10
    extra: Sequence[AfasResource] = ()
    # Told the keys a key sweep removed from a staging table (table, keys): e.g. to forget deleted debtors.
    on_removed: Callable[[str, list[str]], None] | None = None
    # Key sweeps and key scans read the whole connector: at most once per `sweep_every` (0: every run).
    sweep_every: timedelta = timedelta(0)

    def run(self, names: Sequence[str]) -> dict[str, int]:
        """Load these resources (by staging table name); returns rows loaded per table."""
        if not names:
            return {}
        started = now()
        warehouse = self.staging.warehouse
        reader = AfasReader(self.client, self.portal, self.columns)
        bound = self.bind([with_connector(r, self.connector_ids) for r in select(names, self.extra)])
        sweep_schedule.ensure_table(warehouse)
        due = {
            b.name
            for b in bound
            if (b.resource.key_sweep or b.resource.keys_of)
            and sweep_schedule.is_due(warehouse, b.name, self.sweep_every, started)
        }
        resting = [
            b for b in bound if b.resource.keys_of and b.name not in due
        ]  # key scans not due: not read
        bound = [b for b in bound if b not in resting]
        counts = run_source(self.staging, "afas", afas_source(reader, bound, self.overlap_minutes))

        by_name = {b.name: b for b in bound}
        for scan in resting:
            target = by_name.get(scan.resource.keys_of or "")
            if target is not None:
                add_loaded_keys(warehouse, scan, target)
        fills: list[tuple[BoundResource, list[pa.Table]]] = []
        removed: dict[str, list[str]] = {}
        for b in bound:
            if b.resource.key_sweep and b.name in due:
                swept_at = now()
                result = sweep(reader, warehouse, b)
                removed[b.name] = result.removed
                if result.removed and self.on_removed is not None:
                    self.on_removed(b.name, list(result.removed))
                fills.append((b, result.missing))
                self.staging.sink(
                    RunRecord(
                        "afas",
                        f"sweep {b.name}",
                        "ok",
                        len(result.removed),
                        {"removed": len(result.removed), "added": result.missing_rows},
                        swept_at,
                    )
                )
            target = by_name.get(b.resource.keys_of or "")
            if target is not None:
                missing = keys_missing(warehouse, b, target)
                if missing:
                    fills.append((target, fetch_missing(reader, target, missing)))
        fills = [(b, tables) for b, tables in fills if tables]
        if fills:
            for table, n in run_source(self.staging, "afas", afas_fill_source(fills)).items():
                counts[table] = counts.get(table, 0) + n
        for name in due:  # complete: the rows it found are loaded
            sweep_schedule.mark_swept(warehouse, name, started)

        errors = {
            b.name: b.errors.store(
                warehouse, replace_all=b.resource.disposition == "replace", removed=removed.get(b.name, ())
            )
            for b in bound
        }
        self.staging.sink(extract_record("afas", counts, started))
        if any(errors.values()):
            self.staging.sink(
                RunRecord(
                    "afas",
                    "extract errors",
                    "ok",
                    sum(errors.values()),
                    {k: v for k, v in errors.items() if v},
                    started,
                )
            )
        return counts

    def bind(self, resources: Sequence[AfasResource]) -> list[BoundResource]:
        """Each resource with its column hints (one metainfo call per connector) and its error log."""
        ensure_table(self.staging.warehouse)
        metainfo: dict[str, dict[str, Any]] = {}
        bound = []
        for r in resources:
            if r.connector not in metainfo:
                metainfo[r.connector] = self.portal.call(self.client.metainfo_get, r.connector)
            hints = column_hints(r, metainfo[r.connector], self.columns.get(r.connector))
            errors = ResourceErrors(
                "afas",
                r.name,
                r.connector,
                r.key,
                watch=records_with_errors(self.staging.warehouse, r.name),
                consequence=NULLED if r.keep_bad_rows else SKIPPED,
                advice=f"Correct the value in AFAS, or the field's type in GetConnector {r.connector}.",
            )
            bound.append(BoundResource(r, hints, errors))
        return bound
