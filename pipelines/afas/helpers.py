"""HTTP details of the AFAS extract: paging through the client, column renames, reading rows by key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc

from connectors.afas.client import MAX_QUERY_CHARS, AfasClient
from connectors.afas.dates import AMSTERDAM, parse_afas_date, parse_afas_datetime
from connectors.afas.errors import AfasQueryTooLong
from connectors.afas.filters import Filter, FilterValue, Op, where
from connectors.aio import Portal
from pipelines.arrow import Parser

Rows = list[dict[str, Any]]


class AfasReader:
    """Sync view of the async client for dlt resources: pages of rows under our column names.

    `columns` maps, per connector, our column name to the connector's (`{"Sync_Articles": {"PosArticle":
    "U1234"}}`): a customer's connector with other field ids stays invisible downstream."""

    def __init__(
        self, client: AfasClient, portal: Portal, columns: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        self.client = client
        self.portal = portal
        self.columns = columns or {}

    def theirs(self, connector: str, column: str) -> str:
        """The connector's field id of our `column` (a leading - for descending order is kept)."""
        desc = column.startswith("-")
        name = self.columns.get(connector, {}).get(column.lstrip("-"), column.lstrip("-"))
        return f"-{name}" if desc else name

    def pages(
        self,
        connector: str,
        *,
        order_by: Sequence[str],
        filters: Filter | None = None,
        keyset: str | None = None,
    ) -> Iterator[Rows]:
        """The connector's rows page by page, renamed to our columns; `filters` use the connector's field ids
        (build them with `theirs`), `order_by` and `keyset` our column names."""
        rename = {theirs: ours for ours, theirs in self.columns.get(connector, {}).items()}
        order = [self.theirs(connector, c) for c in order_by]
        their_keyset = self.theirs(connector, keyset) if keyset else None
        for page in self.portal.iterate(
            lambda: self.client.iter_pages(connector, order_by=order, filters=filters, keyset=their_keyset)
        ):
            yield [{rename.get(k, k): v for k, v in row.items()} for row in page] if rename else page

    def since(self, connector: str, column: str, start: datetime | None) -> Filter | None:
        """The incremental window (`column >= start`); dlt's lag already stepped `start` back by the overlap."""
        return where(self.theirs(connector, column), Op.GE, start) if start is not None else None

    def by_keys(
        self,
        connector: str,
        columns: Sequence[str],
        keys: Sequence[Sequence[FilterValue]],
        *,
        order_by: Sequence[str],
    ) -> Iterator[Rows]:
        """The rows of these keys (values of `columns`, in order), whatever their ModifiedDate: as many keys per
        call as AFAS's query limit of 2049 characters allows."""
        fields = [self.theirs(connector, c) for c in columns]
        order = [self.theirs(connector, c) for c in order_by]
        pending = [
            key_filter(fields, batch) for batch in key_batches(fields, keys, order, self.client.page_size)
        ]
        while pending:
            flt = pending.pop(0)
            try:
                pages = list(self.pages(connector, order_by=order_by, filters=flt))
            except AfasQueryTooLong:  # our estimate was short: halve the batch
                groups = flt.groups
                if len(groups) == 1:
                    raise
                pending[:0] = [Filter(groups[: len(groups) // 2]), Filter(groups[len(groups) // 2 :])]
                continue
            yield from pages


def key_filter(fields: Sequence[str], keys: Sequence[Sequence[FilterValue]]) -> Filter:
    """(f1 = k1 AND f2 = k2) OR ...: one OR group per key; an empty part matches an empty field."""
    groups = []
    for key in keys:
        group = None
        for name, value in zip(fields, key, strict=True):
            cond = where(name, Op.EMPTY) if value in (None, "") else where(name, Op.EQ, value)
            group = cond if group is None else group & cond
        assert group is not None
        groups.extend(group.groups)
    return Filter(tuple(groups))


def key_batches(
    fields: Sequence[str], keys: Sequence[Sequence[FilterValue]], order_by: Sequence[str], take: int
) -> Iterator[list[Sequence[FilterValue]]]:
    """`keys` in batches whose filter keeps the query string under AFAS's limit (estimated as the client
    renders it: the three aligned lists, or filterjson when a value holds , or ;)."""
    batch: list[Sequence[FilterValue]] = []
    for key in keys:
        if batch and query_chars(key_filter(fields, [*batch, key]), order_by, take) > MAX_QUERY_CHARS:
            yield batch
            batch = []
        batch.append(key)
    if batch:
        yield batch


def query_chars(flt: Filter, order_by: Sequence[str], take: int) -> int:
    """The length of the GetConnector query string the client sends for this filter (its shortest form)."""
    base = [("skip", "0"), ("take", str(take)), ("orderbyfieldids", ",".join(order_by))]
    forms = [base + [("filterjson", flt.to_filterjson())]]
    if flt.query_safe:
        forms.append(base + list(flt.to_query().items()))
    return min(len("&".join(f"{k}={quote(v, safe=',;:@')}" for k, v in params)) for params in forms)


def afas_timestamp(value: Any) -> datetime | None:
    """An AFAS date-time (Amsterdam local time, sent with a misleading Z) as an aware datetime."""
    if not isinstance(value, str | datetime):
        raise TypeError(f"a {type(value).__name__} is not a date")
    return parse_afas_datetime(value)


def afas_date(value: Any) -> date | None:
    """An AFAS date without time of day (validity dates), sent as 2025-12-31 or 2025-12-31T00:00:00Z."""
    if not isinstance(value, str | date):
        raise TypeError(f"a {type(value).__name__} is not a date")
    return parse_afas_date(value)


def afas_timestamps(values: list[Any]) -> pa.Array | None:
    """A column of AFAS date-times in Arrow (ISO text, trailing Z dropped, read as Amsterdam time; an autumn
    hour that occurs twice is the first, as parse_afas_datetime has it); None when a value needs the
    one-by-one parse (a spring hour that does not exist, an offset, not a date, not text)."""
    local = _local_times(values)
    if local is None:
        return None
    try:
        return pc.assume_timezone(local, AMSTERDAM.key, ambiguous="earliest", nonexistent="raise")
    except pa.ArrowInvalid:
        return None


def afas_dates(values: list[Any]) -> pa.Array | None:
    """A column of AFAS dates in Arrow: the calendar date of the local time AFAS sent."""
    local = _local_times(values)
    return None if local is None else pc.cast(local, pa.date32(), safe=False)


def _local_times(values: list[Any]) -> pa.Array | None:
    try:
        text = pa.array(values, pa.string(), from_pandas=False)
        return pc.replace_substring_regex(text, "[Zz]$", "").cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None


AFAS_PARSERS = {"timestamp": Parser(afas_timestamp, afas_timestamps), "date": Parser(afas_date, afas_dates)}
