"""`staging.extract_errors`: every value an API sent that does not fit its column, by record and field.

One row per bad value: source ("afas"), resource (the staging table), connector, record_key (the record's key
as one text), field, value (as sent), message (what is wrong, what happened to the row, what to do), seen_at.
A record's errors are replaced whenever the record is read again (a full-read resource: all of them each run),
so a row here means the record, as AFAS holds it now, still has that value; records read with no misfit
leave no row. A record's errors also go when a key sweep finds it deleted at the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pipelines.arrow import BadValue, Row, TypedPage, record_key
from staging.warehouse import Warehouse

TABLE = "staging.extract_errors"
COLUMNS = {
    "source": "varchar",
    "resource": "varchar",
    "connector": "varchar",
    "record_key": "varchar",
    "field": "varchar",
    "value": "varchar",
    "message": "varchar",
    "seen_at": "timestamptz",
}


def ensure_table(warehouse: Warehouse) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in COLUMNS.items())
    warehouse.execute(f"create table if not exists {TABLE} ({cols})")


def records_with_errors(warehouse: Warehouse, resource: str) -> set[str]:
    return {
        r["record_key"]
        for r in warehouse.query(f"select distinct record_key from {TABLE} where resource = ?", [resource])
    }


class ResourceErrors:
    """The bad values one resource met in this run, and which records with earlier errors it read again.

    `consequence` says what happened to such a row ("the row was not loaded ..."), `advice` what to do."""

    def __init__(
        self,
        source: str,
        resource: str,
        connector: str,
        key: Sequence[str],
        *,
        watch: set[str],
        consequence: str,
        advice: str,
    ) -> None:
        self.source, self.resource, self.connector, self.key = source, resource, connector, tuple(key)
        self.watch = watch  # records with errors from earlier runs: re-read ones lose them
        self.consequence, self.advice = consequence, advice
        self.bad: dict[
            tuple[str, str], BadValue
        ] = {}  # (record, field) -> the value: a record read twice counts once
        self.read: set[str] = set()

    def add(self, rows: Sequence[Row], page: TypedPage) -> None:
        for bad in page.bad:
            self.bad[(bad.record_key, bad.field)] = bad
        if self.watch:
            for i, row in enumerate(rows):
                k = record_key(row, self.key, i)
                if k in self.watch:
                    self.read.add(k)

    def message(self, bad: BadValue) -> str:
        return f"{bad.field} = {plain(bad.value)}: {bad.message}; {self.consequence}. {self.advice}"

    def store(self, warehouse: Warehouse, *, replace_all: bool, removed: Iterable[str] = ()) -> int:
        """Replace the errors of the records read in this run (all of the resource's with `replace_all`) and of
        `removed` records by this run's; returns how many bad values were stored."""
        ensure_table(warehouse)
        if replace_all:
            warehouse.execute(f"delete from {TABLE} where resource = ?", [self.resource])
        else:
            gone = self.read | {k for k, _ in self.bad} | set(removed)
            if gone:
                warehouse.execute("create or replace temp table extract_errors_gone (record_key varchar)")
                warehouse.append_rows("extract_errors_gone", {"record_key": "varchar"}, ([k] for k in gone))
                warehouse.execute(
                    f"delete from {TABLE} where resource = ? and record_key in "
                    "(select record_key from extract_errors_gone)",
                    [self.resource],
                )
                warehouse.execute("drop table extract_errors_gone")
        seen = datetime.now(UTC)
        warehouse.append_rows(
            TABLE,
            COLUMNS,
            (
                [
                    self.source,
                    self.resource,
                    self.connector,
                    b.record_key,
                    b.field,
                    plain(b.value),
                    self.message(b),
                    seen,
                ]
                for b in self.bad.values()
            ),
        )
        return len(self.bad)


def plain(value: Any) -> str | None:
    """A value as text for the table: Decimals in plain notation, everything else as str."""
    if value is None:
        return None
    if hasattr(value, "as_tuple"):
        return format(value, "f")
    return str(value)
