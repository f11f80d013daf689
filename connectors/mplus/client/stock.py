"""Stock levels: read whole, streamed in batches, or set."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

from ..models import ArticleStock, Batch, SetStockResult, validate_article_number
from ..money import decimal_to_quantity
from .calls import MplusCalls
from .exchange import Answer

STOCK_BATCH = 5000  # stock levels per batch of a streamed getStock


class StockCalls(MplusCalls):
    """Stock levels."""

    async def get_stock(
        self, branch: int, article_numbers: Sequence[int | str], *, since_stock_id: int | None = None
    ) -> Batch[ArticleStock]:
        """Stock levels of the articles asked; with `since_stock_id` (sync mode, inclusive lower bound like a
        syncMarker) every level of the branch changed since then, for all articles when none are asked.
        Holds the whole answer: for sync mode prefer ``iter_stock``."""
        request = _stock_request(branch, article_numbers, since_stock_id)
        return await self._records("getStock", request, ArticleStock)

    async def iter_stock(
        self,
        branch: int,
        article_numbers: Sequence[int | str] = (),
        *,
        since_stock_id: int | None = None,
        batch_size: int = STOCK_BATCH,
    ) -> AsyncIterator[Batch[ArticleStock]]:
        """``get_stock`` streamed: batches of up to ``batch_size`` levels (good ones plus ``errors``) handed
        out while the answer is still arriving, so memory holds about one batch however many levels the branch
        has. A level without ``branchNumber`` gets ``branch``. Retried like any read until the first batch
        is out; a failure after that raises a transient MplusTransportError."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        request = _stock_request(branch, article_numbers, since_stock_id)
        async for found, errors in self._stream("getStock", request, Answer(), batch_size, True):
            batch = self._typed("getStock", ArticleStock, found, errors)
            for level in batch:
                if not level.branch_number:
                    level.branch_number = branch
            yield batch

    async def set_stock(
        self, branch: int, article_number: int | str, amount: Decimal, *, reference: str | None = None
    ) -> SetStockResult:
        """Sets the *absolute* stock of one article in one branch (not a delta)."""
        number = validate_article_number(article_number)
        value, places = decimal_to_quantity(amount)
        request = {
            "branchNumber": branch,
            "articleNumber": number,
            "amount": value,
            "decimalPlaces": places,
            "reference": reference,
        }
        response = await self.call("setStock", request)
        self._check("setStock", response, "SET-STOCK-RESULT-OK", number)
        return SetStockResult(stock_id=response.get("stockId"))


def _stock_request(
    branch: int, article_numbers: Sequence[int | str], since_stock_id: int | None
) -> dict[str, Any]:
    numbers = [validate_article_number(n) for n in article_numbers]
    request: dict[str, Any] = {"branchNumber": branch, "articleNumbers": {"articleNumbers": numbers}}
    if since_stock_id is not None:
        request["stockId"] = since_stock_id
    return request
