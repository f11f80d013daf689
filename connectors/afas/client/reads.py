"""Reading: GetConnector pages (one, all, or iterated by skip or keyset), the query string within AFAS's
length limit, and the metainfo calls."""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import AsyncGenerator, Sequence
from typing import Any, Final
from urllib.parse import quote

import orjson

from ..errors import AfasError, AfasQueryTooLong
from ..filters import Filter, FilterValue, Op, where
from .calls import AfasCalls, segment

MAX_QUERY_CHARS: Final = 2049  # longer query strings get a 404 from AFAS
# Legal unencoded in a query (AFAS's own examples show `A,B;A` raw); keeps the string short for the 2049 limit.
_QUERY_SAFE: Final = ",;:@"
_ISO_Z: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")

Row = dict[str, Any]


class ReadCalls(AfasCalls):
    """GetConnectors and metainfo."""

    async def get_page(
        self,
        connector: str,
        *,
        skip: int,
        take: int,
        filters: Filter | None = None,
        order_by: Sequence[str],
    ) -> list[Row]:
        """One page of a GetConnector (`rows`), numbers as int/Decimal, dates as AFAS strings."""
        return self._rows(connector, await self._get_page_raw(connector, skip, take, filters, order_by))

    async def _get_page_raw(
        self, connector: str, skip: int, take: int, filters: Filter | None, order_by: Sequence[str]
    ) -> bytes:
        url = self._get_url(connector, skip=skip, take=take, filters=filters, order_by=order_by)
        return await self._call("GET", url, connector=connector, detail=f" skip={skip} take={take}", raw=True)

    def _rows(self, connector: str, body: bytes) -> list[Row]:
        data = self._parse_body("GET", connector, body)
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise AfasError(
                f"AFAS answered GET {connector} without a 'rows' list", connector=connector, method="GET"
            )
        return rows

    def iter_pages(
        self,
        connector: str,
        *,
        order_by: Sequence[str],
        filters: Filter | None = None,
        page_size: int | None = None,
        keyset: str | None = None,
    ) -> AsyncGenerator[list[Row], None]:
        """Yield the pages of a GetConnector in order (empty pages are not yielded).

        Skip paging keeps up to `concurrency` pages in flight (ramping up 1, 2, 4, ... so small tables
        cost one call). With `keyset`, pages follow `keyset > last value` instead of skip, as AFAS
        recommends above ~100k rows; the keyset field must be unique and is ordered on first.
        """
        order = _check_order_by(connector, order_by)
        take = self.page_size if page_size is None else page_size
        if take < 1:
            raise ValueError(f"page_size must be at least 1, got {take}")
        if keyset is not None:
            return self._iter_keyset(connector, order, filters, take, keyset)
        return self._iter_skip(connector, order, filters, take)

    async def get_all(
        self,
        connector: str,
        *,
        order_by: Sequence[str],
        filters: Filter | None = None,
        page_size: int | None = None,
        keyset: str | None = None,
    ) -> list[Row]:
        rows: list[Row] = []
        async for page in self.iter_pages(
            connector, order_by=order_by, filters=filters, page_size=page_size, keyset=keyset
        ):
            rows.extend(page)
        return rows

    async def _iter_skip(
        self, connector: str, order: list[str], filters: Filter | None, take: int
    ) -> AsyncGenerator[list[Row], None]:
        pending: deque[asyncio.Task[list[Row]]] = deque()
        next_skip = 0
        window = 1

        def top_up() -> None:
            nonlocal next_skip
            while len(pending) < window:
                coro = self.get_page(connector, skip=next_skip, take=take, filters=filters, order_by=order)
                pending.append(asyncio.ensure_future(coro))
                next_skip += take

        try:
            top_up()
            while True:
                rows = await pending.popleft()
                if len(rows) < take:
                    # Short page = end; the pages still in flight lie beyond it (finally cancels them).
                    if rows:
                        yield rows
                    return
                window = min(window * 2, self.concurrency)
                top_up()  # before yielding, so AFAS works while the caller processes this page
                yield rows
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    async def _iter_keyset(
        self, connector: str, order: list[str], filters: Filter | None, take: int, keyset: str
    ) -> AsyncGenerator[list[Row], None]:
        descending = f"-{keyset}" in order
        order = [f"-{keyset}" if descending else keyset] + [o for o in order if o.lstrip("-") != keyset]

        def fetch(last: FilterValue, first: bool) -> asyncio.Task[bytes]:
            page_filter = filters
            if not first:
                # `&` distributes, so the keyset condition lands in every OR group of the user's filter.
                after = where(keyset, Op.LT if descending else Op.GT, last)
                page_filter = after if filters is None else filters & after
            return asyncio.ensure_future(self._get_page_raw(connector, 0, take, page_filter, order))

        pending: asyncio.Task[bytes] | None = fetch(None, True)
        previous: FilterValue = None
        first = True
        try:
            while pending is not None:
                body = await pending
                pending = None
                # Each page's filter needs the last key of the one before, so pages come one after another.
                # The next request leaves as soon as that key is known (a quick parse of the page), while this
                # page is decoded exactly (Decimals) and processed: AFAS works meanwhile, as with skip paging.
                peek = _peek_keyset(body, keyset)
                if peek is not None:
                    count, last = peek
                    if count >= take:
                        self._check_advance(connector, keyset, first, previous, last)
                        pending = fetch(last, False)
                rows = self._rows(connector, body)
                if peek is None and len(rows) >= take:
                    last = _keyset_value(connector, keyset, rows[-1])
                    self._check_advance(connector, keyset, first, previous, last)
                    pending = fetch(last, False)
                if rows:
                    yield rows
                if pending is not None:
                    previous, first = last, False
        finally:
            if pending is not None:
                pending.cancel()
                await asyncio.gather(pending, return_exceptions=True)

    @staticmethod
    def _check_advance(
        connector: str, keyset: str, first: bool, previous: FilterValue, last: FilterValue
    ) -> None:
        if not first and last == previous:
            # Guards against an endless loop when AFAS's filter and sort disagree on the keyset.
            raise AfasError(
                f"keyset paging on {connector} did not advance past {keyset}={last!r}: the keyset field "
                "must be unique and sortable",
                connector=connector,
                method="GET",
            )

    # ------------------------------------------------------------------ metainfo

    async def metainfo(self) -> dict[str, Any]:
        """The token's App Connector: `getConnectors`, `updateConnectors`, `info`."""
        return await self._call_dict("GET", f"{self.base_url}/metainfo", "metainfo")

    async def metainfo_get(self, connector_id: str) -> dict[str, Any]:
        """Field list of a GetConnector (`fields`: id, dataType, label, length, decimals...)."""
        path = f"metainfo/get/{segment(connector_id)}"
        return await self._call_dict("GET", f"{self.base_url}/{path}", f"metainfo/get/{connector_id}")

    async def metainfo_update(self, connector_id: str) -> dict[str, Any]:
        """Fields and nested objects of an UpdateConnector."""
        path = f"metainfo/update/{segment(connector_id)}"
        return await self._call_dict("GET", f"{self.base_url}/{path}", f"metainfo/update/{connector_id}")

    async def profit_version(self) -> str:
        data = await self._call_dict("GET", f"{self.base_url}/ProfitVersion", "ProfitVersion")
        return str(data.get("version", ""))

    def _get_url(
        self, connector: str, *, skip: int, take: int, filters: Filter | None, order_by: Sequence[str]
    ) -> str:
        order = _check_order_by(connector, order_by)
        base = [("skip", str(skip)), ("take", str(take)), ("orderbyfieldids", ",".join(order))]
        url = f"{self.base_url}/connectors/{segment(connector)}"
        candidates: list[list[tuple[str, str]]] = []
        if filters is None:
            candidates.append(base)
        else:
            if filters.query_safe:  # shortest form first; filterjson for ',' ';' values or when too long
                candidates.append(base + list(filters.to_query().items()))
            candidates.append(base + [("filterjson", filters.to_filterjson())])
        shortest = 0
        for params in candidates:
            query = "&".join(f"{k}={quote(v, safe=_QUERY_SAFE)}" for k, v in params)
            if len(query) <= MAX_QUERY_CHARS:
                return f"{url}?{query}"
            shortest = min(shortest or len(query), len(query))
        raise AfasQueryTooLong(
            f"The query for GetConnector {connector} is {shortest} characters, over AFAS's limit of "
            f"{MAX_QUERY_CHARS} (AFAS would answer 404): split the filter into several calls.",
            connector=connector,
            method="GET",
        )


def _check_order_by(connector: str, order_by: Sequence[str]) -> list[str]:
    if isinstance(order_by, str):
        order_by = [order_by]
    order = [o.strip() for o in order_by if o and o.strip()]
    if not order:
        raise ValueError(
            f"order_by is required for GetConnector {connector}: AFAS pages are only stable with orderbyfieldids"
        )
    for item in order:
        if "," in item or ";" in item:
            raise ValueError(f"invalid order_by field {item!r}")
    return order


def _peek_keyset(body: bytes, keyset: str) -> tuple[int, FilterValue] | None:
    """Row count and last keyset value of a page, from a fast parse (orjson, floats inexact): None when that
    parse cannot be trusted for the key (not JSON, no rows list, or a key that is neither text nor integer),
    in which case the exact decode decides."""
    try:
        rows = orjson.loads(body).get("rows")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not isinstance(rows, list):
        return None
    if not rows:
        return 0, None
    value = rows[-1].get(keyset) if isinstance(rows[-1], dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return len(rows), _filter_value(value)


def _keyset_value(connector: str, keyset: str, row: Row) -> FilterValue:
    value = row.get(keyset)
    if value is None:
        raise AfasError(
            f"keyset paging on {connector}: the last row has no value for {keyset} (the keyset field must be a "
            "returned, non-empty, unique column)",
            connector=connector,
            method="GET",
        )
    return _filter_value(value)


def _filter_value(value: FilterValue) -> FilterValue:
    if isinstance(value, str) and _ISO_Z.fullmatch(value):
        return value[:-1]  # AFAS sends local time with a Z; filter values carry no zone
    return value
