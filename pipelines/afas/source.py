"""The dlt source of AFAS, built in a loop from the resource declarations (pipelines.afas.resources), the way
dlt's rest_api source builds resources from a config list. Every resource yields Arrow tables (one per AFAS
page), typed from the connector's metainfo: dlt writes them to parquet as they are.

Incremental resources filter on their cursor (ModifiedDate); the overlap (dlt's `lag`) re-reads a window
because AFAS dates lack sub-second precision, and `merge` on the primary key makes the re-read harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from connectors.afas.codec import to_decimal
from pipelines.afas.helpers import AFAS_PARSERS, AfasReader, Rows
from pipelines.afas.resources import AfasResource
from pipelines.arrow import key_text, typed_page
from pipelines.extract_errors import ResourceErrors


@dataclass
class BoundResource:
    """A declaration ready to read: its connector id resolved, its column hints, where its bad values go."""

    resource: AfasResource
    hints: dict[str, dict[str, Any]]
    errors: ResourceErrors

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def connector(self) -> str:
        return self.resource.connector

    def prepare(self, rows: Rows) -> Rows:
        """Rows as staged: only the key of a key scan; the derived key added."""
        r = self.resource
        if r.keys_of:
            rows = [{k: row.get(k) for k in r.key} for row in rows]
        if r.derived_key:
            name = r.key[0]
            for row in rows:
                row[name] = derived_key(row, r.derived_key, self.hints)
        return rows

    def table(self, rows: Rows) -> pa.Table:
        """One page as a typed table; its bad values reported, their rows left out or NULLed (bad_values)."""
        page = typed_page(
            rows,
            self.hints,
            key=self.resource.key,
            parsers=AFAS_PARSERS,
            keep_bad_rows=self.resource.keep_bad_rows,
        )
        self.errors.add(rows, page)
        return page.table

    def tables(self, pages: Iterable[Rows]) -> Iterator[pa.Table]:
        for rows in pages:
            table = self.table(self.prepare(rows))
            if table.num_rows:
                yield table

    def key_texts(self, rows: Rows) -> list[str]:
        """The key of each (prepared) row as the text `staged_keys` gives for a staged row."""
        key = self.resource.key
        return ["|".join(typed_key_text(row.get(k), self.hints.get(k)) for k in key) for row in rows]


def derived_key(
    row: Mapping[str, Any], columns: Sequence[str], hints: Mapping[str, Mapping[str, Any]]
) -> str:
    """One text of several columns (parts as staged: a date as 2025-12-31, 1.0000 as 1), for rows whose natural
    key holds NULLs (an agreement on an article has no discount group): a merge key must not."""
    return "|".join(typed_key_text(row.get(c), hints.get(c)) for c in columns)


def typed_key_text(value: Any, hint: Mapping[str, Any] | None) -> str:
    """A key part converted as its column is (a value that does not convert keeps its text: it is reported)."""
    kind = hint.get("data_type") if hint else None
    parser = AFAS_PARSERS.get(kind or "")
    try:
        if value is not None and parser is not None:
            value = parser.one(value)
        elif kind == "decimal":
            value = to_decimal(value)
    except (ValueError, TypeError):
        pass
    return key_text(value)


@dlt.source(name="afas", max_table_nesting=0)
def afas_source(
    reader: AfasReader, resources: Sequence[BoundResource], overlap_minutes: int = 10
) -> list[DltResource]:
    return [dlt_resource(reader, b, overlap_minutes * 60) for b in resources]


def dlt_resource(reader: AfasReader, bound: BoundResource, lag: int) -> DltResource:
    r = bound.resource

    def read(since: Any = None) -> Iterator[pa.Table]:
        filters = reader.since(r.connector, r.incremental, since) if r.incremental else None
        yield from bound.tables(reader.pages(r.connector, order_by=r.order, filters=filters, keyset=r.keyset))

    if r.incremental:
        cursor = dlt.sources.incremental(
            r.incremental, initial_value=None, lag=lag, on_cursor_value_missing="include"
        )

        def rows(modified: Any = cursor) -> Iterator[pa.Table]:
            yield from read(modified.start_value)
    else:

        def rows() -> Iterator[pa.Table]:
            yield from read()

    return dlt.resource(
        rows,
        name=r.name,
        primary_key=list(r.key),
        write_disposition=r.disposition,
        columns=bound.hints,
        parallelized=True,
    )


@dlt.source(name="afas", max_table_nesting=0)
def afas_fill_source(fills: Sequence[tuple[BoundResource, list[pa.Table]]]) -> list[DltResource]:
    """Rows read outside the incremental window (new keys a key scan or sweep found), merged into the
    resource's table by a resource of their own: the incremental cursor and its state stay untouched."""
    return [
        dlt.resource(
            tables,
            name=f"{b.name}_by_key",
            table_name=b.name,
            primary_key=list(b.resource.key),
            write_disposition="merge",
            columns=b.hints,
        )
        for b, tables in fills
    ]
