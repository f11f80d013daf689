"""AFAS Profit REST client (async, httpx): GetConnectors, UpdateConnectors, metainfo.

    async with AfasClient("https://12345.rest.afas.online/ProfitRestServices", token) as afas:
        flt = where("Blocked", Op.EQ, False) & where("ModifiedDate", Op.GE, since)
        async for page in afas.iter_pages("Sync_Articles", order_by=["ItemCode"], filters=flt):
            ...
        result = await afas.insert("FbSales", element({"DbId": "10001"}, {"FbSalesLines": [line]}))

From sync code: `asyncio.run(...)` or one loop per client (httpx connections belong to their loop).
Rows keep AFAS's values: numbers as int/Decimal, dates as strings (parse with parse_afas_datetime).
"""

from .auth import AfasToken, Secret
from .bodies import element
from .client import MAX_CONCURRENCY, MAX_QUERY_CHARS, AfasClient, AfasStats
from .codec import dumps, format_decimal, loads, to_decimal
from .dates import AMSTERDAM, parse_afas_date, parse_afas_datetime, to_afas_filter_value
from .errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasNotFoundError,
    AfasPayloadTooLargeError,
    AfasQueryTooLong,
    AfasTransportError,
    AfasUnavailableError,
    AfasValidationError,
)
from .filters import Condition, Filter, Op, format_value, where

__all__ = [
    "AMSTERDAM",
    "MAX_CONCURRENCY",
    "MAX_QUERY_CHARS",
    "AfasAuthError",
    "AfasClient",
    "AfasError",
    "AfasForbiddenError",
    "AfasNotFoundError",
    "AfasPayloadTooLargeError",
    "AfasQueryTooLong",
    "AfasStats",
    "AfasToken",
    "AfasTransportError",
    "AfasUnavailableError",
    "AfasValidationError",
    "Condition",
    "Filter",
    "Op",
    "Secret",
    "dumps",
    "element",
    "format_decimal",
    "format_value",
    "loads",
    "parse_afas_date",
    "parse_afas_datetime",
    "to_afas_filter_value",
    "to_decimal",
    "where",
]
