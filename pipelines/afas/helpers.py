"""HTTP details of the AFAS extract: paging through the client, column renames, typed dates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa

from afas_mplus.aio import Portal
from connectors.afas.client import AfasClient
from connectors.afas.dates import parse_afas_date, parse_afas_datetime
from connectors.afas.filters import Filter, Op, where
from pipelines.arrow import Hints, page_table


class AfasReader:
    """Sync view of the async client for dlt resources: pages of rows, renamed to our column names."""

    def __init__(self, client: AfasClient, portal: Portal, columns: Mapping[str, Mapping[str, str]] | None = None,
                 keyset_above: int = 100_000) -> None:
        self.client = client
        self.portal = portal
        self.columns = columns or {}
        self.keyset_above = keyset_above
        # connector -> column hints from its metainfo (our column names), set by the extract step
        self.hints: dict[str, Hints] = {}

    def pages(self, connector: str, *, order_by: Sequence[str], filters: Filter | None = None,
              datetime_columns: Sequence[str] = ("ModifiedDate", "CreateDate"),
              date_columns: Sequence[str] = (), keyset: str | None = None) -> Iterator[list[dict[str, Any]]]:
        # Their column names -> ours, so a renamed custom connector stays invisible downstream.
        rename = {theirs: ours for ours, theirs in self.columns.get(connector, {}).items()}
        order = [rename_back(c, self.columns.get(connector, {})) for c in order_by]
        flt = filters
        for page in self.portal.iterate(lambda: self.client.iter_pages(
                connector, order_by=order, filters=flt, keyset=keyset)):
            out = []
            for row in page:
                if rename:
                    row = {rename.get(k, k): v for k, v in row.items()}
                for col in datetime_columns:
                    if col in row:
                        row[col] = parse_afas_datetime(row[col])
                for col in date_columns:
                    if col in row:
                        row[col] = parse_afas_date(row[col])
                out.append(row)
            yield out


    def table(self, connector: str, rows: list[dict[str, Any]], key: str | None = None) -> pa.Table:
        """A page as an Arrow table typed from the connector's metainfo (see pipelines.afas.arrow)."""
        return page_table(f"AFAS {connector}", rows, self.hints.get(connector, {}), key,
                          "Correct the value in AFAS, or check the connector's field type in its metainfo.")

    def tables(self, connector: str, *, order_by: Sequence[str], key: str | None = None,
               **kwargs: Any) -> Iterator[pa.Table]:
        for page in self.pages(connector, order_by=order_by, **kwargs):
            yield self.table(connector, page, key)


def rename_back(column: str, mapping: Mapping[str, str]) -> str:
    desc = column.startswith("-")
    name = mapping.get(column.lstrip("-"), column.lstrip("-"))
    return f"-{name}" if desc else name


def modified_since(start: datetime | None, column: str = "ModifiedDate") -> Filter | None:
    """The incremental window: dlt's lag already stepped `start` back by the overlap."""
    return where(column, Op.GE, start) if start is not None else None
