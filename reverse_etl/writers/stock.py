"""Push step of the stock flow: absolute quantities with setStock, one call per article and branch.

Absolute values make a retry harmless: sending the same quantity twice cannot double a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from connectors.mplus.errors import MplusTransportError
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.base import WriterBase

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


class StockWriter(WriterBase):
    flow = "stock"
    entity = "stock"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        branch, article = int(row["branch_number"]), int(row["article_number"])
        amount = Decimal(str(row["quantity"]))

        async def call() -> Any:
            try:
                result = await self.client.set_stock(branch, article, amount)
            except MplusTransportError:  # an absolute amount: sending it once more is safe
                result = await self.client.set_stock(branch, article, amount)
            return result.model_dump(mode="json")

        return await self.send(
            group_key,
            rows,
            str(row["action"]),
            "setStock",
            {"branchNumber": branch, "articleNumber": article, "amount": str(amount)},
            call,
            what=f"stock of article {article} in branch {branch}",
            fix=f"check that article {article} is a stock article in branch {branch}",
        )
