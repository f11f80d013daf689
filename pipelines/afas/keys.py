"""What an incremental read cannot see: records deleted in AFAS, and records new to staging whose ModifiedDate
is older than the cursor (created with an old date, or just entering a filtered connector).

Key sweep (`key_sweep`): one full read of the connector per run (AFAS cannot narrow a GetConnector to its key
columns), keys kept in memory; staged rows whose key AFAS no longer has are deleted, and rows staging lacks are
loaded from the same read. Key scan (`keys_of`): a keys-only table of the same connector; when both tables are
extracted in one run, the scan's keys that the other table lacks are read by key (in batches under AFAS's
query limit). Either way the rows go through the same typing, so a row left out for a bad value is tried again
next run, and its error row stays while AFAS holds the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from dlt.common.normalizers.naming.snake_case import NamingConvention

from pipelines.afas.helpers import AfasReader
from pipelines.afas.source import BoundResource, typed_key_text
from staging.warehouse import Warehouse

NAMING = NamingConvention()  # dlt's default: the staged column of ItemCode is item_code


def column(name: str) -> str:
    return NAMING.normalize_identifier(name)


@dataclass
class SweepResult:
    removed: list[str] = field(default_factory=list)  # keys deleted from staging (gone from AFAS)
    missing: list[pa.Table] = field(default_factory=list)  # rows AFAS has and staging lacked, typed

    @property
    def missing_rows(self) -> int:
        return sum(t.num_rows for t in self.missing)


def staged_keys(warehouse: Warehouse, bound: BoundResource) -> set[str]:
    """The staged keys as the texts `BoundResource.key_texts` gives for rows read from AFAS."""
    key = bound.resource.key
    if not warehouse.table_exists("staging", bound.name):
        return set()
    _, rows = warehouse.query_table(f"select {', '.join(column(k) for k in key)} from staging.{bound.name}")
    hints = [bound.hints.get(k) for k in key]
    return {"|".join(typed_key_text(v, h) for v, h in zip(row, hints, strict=True)) for row in rows}


def sweep(reader: AfasReader, warehouse: Warehouse, bound: BoundResource) -> SweepResult:
    """Delete staged rows whose key AFAS no longer has; return those keys and the rows staging lacks.

    A row added or changed meanwhile is not deleted: only staged keys missing from AFAS are."""
    r = bound.resource
    staged = staged_keys(warehouse, bound)
    present: set[str] = set()
    result = SweepResult()
    for rows in reader.pages(r.connector, order_by=r.order, keyset=r.keyset):
        rows = bound.prepare(rows)
        keys = bound.key_texts(rows)
        present.update(keys)
        new = [row for row, k in zip(rows, keys, strict=True) if k not in staged]
        if new:
            table = bound.table(new)
            if table.num_rows:
                result.missing.append(table)
    result.removed = sorted(staged - present)
    if result.removed:
        delete_keys(warehouse, bound, result.removed)
    return result


def delete_keys(warehouse: Warehouse, bound: BoundResource, keys: Sequence[str]) -> None:
    col = column(bound.resource.key[0])
    warehouse.execute(f"create or replace temp table sweep_gone ({col} varchar)")
    warehouse.append_rows("sweep_gone", {col: "varchar"}, ([k] for k in keys))
    warehouse.execute(
        f"delete from staging.{bound.name} where cast({col} as varchar) in (select {col} from sweep_gone)"
    )
    warehouse.execute("drop table sweep_gone")


def keys_missing(warehouse: Warehouse, scan: BoundResource, target: BoundResource) -> list[tuple[Any, ...]]:
    """Keys the key scan found that the target table lacks (staged values, ready for a filter)."""
    cols = [column(k) for k in scan.resource.key]
    if not (warehouse.table_exists("staging", scan.name) and warehouse.table_exists("staging", target.name)):
        return []
    match = " and ".join(f"t.{c} = k.{c}" for c in cols)
    _, rows = warehouse.query_table(
        f"select {', '.join(f'k.{c}' for c in cols)} from staging.{scan.name} k "
        f"where not exists (select 1 from staging.{target.name} t where {match}) order by {', '.join(cols)}"
    )
    return [tuple(row) for row in rows]


def add_loaded_keys(warehouse: Warehouse, scan: BoundResource, target: BoundResource) -> None:
    """A key scan not due this run (pipelines.afas.sweep_schedule): keys of target rows loaded since the scan's
    last load join its table. Those rows just came from AFAS, so their records exist; without this a record
    created between two scans would count as deleted. A staged key the scan did not see stays out."""
    cols = [column(k) for k in scan.resource.key]
    if not (warehouse.table_exists("staging", scan.name) and warehouse.table_exists("staging", target.name)):
        return
    if not {"_dlt_load_id", "_dlt_id"} <= set(warehouse.columns("staging", scan.name)) & set(
        warehouse.columns("staging", target.name)
    ):
        return  # a table created empty (its connector had no rows yet): nothing was loaded to add
    match = " and ".join(f"k.{c} = t.{c}" for c in cols)
    names = ", ".join([*cols, "_dlt_load_id", "_dlt_id"])
    warehouse.execute(
        f"insert into staging.{scan.name} ({names}) select {', '.join(f't.{c}' for c in cols)}, t._dlt_load_id, "
        f"t._dlt_id from staging.{target.name} t "
        f"where t._dlt_load_id > (select coalesce(max(_dlt_load_id), '') from staging.{scan.name}) "
        f"and not exists (select 1 from staging.{scan.name} k where {match})"
    )


def fetch_missing(reader: AfasReader, target: BoundResource, keys: Sequence[Sequence[Any]]) -> list[pa.Table]:
    """The target's rows of these keys, read by key whatever their ModifiedDate."""
    r = target.resource
    return list(target.tables(reader.by_keys(r.connector, r.key, keys, order_by=r.order)))
