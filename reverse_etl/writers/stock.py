"""Push step of the stock flow: absolute quantities with setStock, one call per article and branch.

Absolute values make a retry harmless: sending the same quantity twice cannot double a change.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from connectors.mplus.errors import MplusError, MplusTransportError
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.wording import failure_text

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


class StockWriter:
    flow = "stock"
    entity = "stock"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        branch, article = int(row["branch_number"]), int(row["article_number"])
        amount = Decimal(str(row["quantity"]))
        request = {"branchNumber": branch, "articleNumber": article, "amount": str(amount)}
        started = time.perf_counter()
        status, error, response = "ok", None, None
        for attempt in range(2):
            try:
                result = await self.client.set_stock(branch, article, amount)
                response = result.model_dump(mode="json")
                status, error = "ok", None
                break
            except MplusTransportError as exc:
                # An absolute write may be repeated safely once.
                status, error = "failed", failure_text(exc, f"stock of {article} in branch {branch}",
                                                       "see the message; the next run retries")
                if attempt:
                    break
            except MplusError as exc:
                status, error = "failed", failure_text(exc, f"stock of {article} in branch {branch}",
                                                       f"check that article {article} is a stock article in "
                                                       f"branch {branch}")
                break
        return [CallRecord(self.flow, self.entity, group_key, [str(row["record_key"])], str(row["action"]),
                           "setStock", request, response, status, error,
                           duration_ms=(time.perf_counter() - started) * 1000)]
