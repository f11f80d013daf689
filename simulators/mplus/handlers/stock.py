"""getStock, setStock (absolute), updateStock (delta), getStockHistory.

Every stock change draws the next ``stockId`` (one sequence for all branches, reported as ``stockId`` by
getCurrentSyncMarkers) and appends a history row with the change. ``getStock`` with ``stockId`` and
``getStockHistory`` with ``sinceStockId`` use it as an inclusive lower bound, like syncMarkers [DOC].
Only stock articles (``stockArticle=true``) keep stock: setStock/updateStock on others answer
``...-NO-STOCK-ARTICLE``.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from typing import Any

from simulators.mplus.handlers.common import inner, listed, page_limit
from simulators.mplus.store import MplusStore
from simulators.mplus.values import from_quantity, mplus_datetime, parse_mplus_datetime, to_quantity


def _level(state: MplusStore, branch: int, article: int) -> dict[str, Any]:
    return state.stock_levels.get((branch, article)) or {
        "free": Decimal(0),
        "reserved": Decimal(0),
        "incoming": Decimal(0),
        "stockId": 0,
        "changed": None,
    }


def change_stock(
    state: MplusStore,
    branch: int,
    article: int,
    amount: Decimal,
    absolute: bool,
    history_type: str = "STOCK-HISTORY-TYPE-API",
    order_id: str | None = None,
) -> int:
    """Apply a stock change (caller has validated branch and article); returns the new stockId."""
    level = dict(_level(state, branch, article))
    before = level["free"]
    level["free"] = amount if absolute else before + amount
    stock_id = state.next_marker("stock")
    now = state.now()
    level["stockId"] = stock_id
    level["changed"] = mplus_datetime(now)
    state.stock_levels[(branch, article)] = level
    state.stock_index.touch((branch, article), stock_id)
    changed, places = to_quantity(level["free"] - before)
    row: dict[str, Any] = {
        "stockId": stock_id,
        "timestamp": mplus_datetime(now),
        "branchNumber": branch,
        "articleNumber": article,
        "amountChanged": changed,
        "decimalPlaces": places,
        "type": history_type,
    }
    if order_id:
        row["orderId"] = order_id
    if history_type == "STOCK-HISTORY-TYPE-CORRECTION":
        row["beforeCorrectionQuantity"], row["beforeCorrectionDecimalPlaces"] = to_quantity(before)
        row["afterCorrectionQuantity"], row["afterCorrectionDecimalPlaces"] = to_quantity(level["free"])
    state.stock_history.append(row)
    return stock_id


def _write(state: MplusStore, request: dict[str, Any], absolute: bool) -> dict[str, Any]:
    prefix = "SET-STOCK-RESULT" if absolute else "UPDATE-STOCK-RESULT"
    req = inner(request)
    branch = int(req.get("branchNumber", 0))
    article_number = int(req.get("articleNumber", 0))
    if branch not in state.branches:
        return {"result": f"{prefix}-BRANCH-NOT-FOUND"}
    article = state.article_map.get(article_number)
    if article is None:
        return {"result": f"{prefix}-ARTICLE-NOT-FOUND"}
    if not article.get("stockArticle", True):
        return {"result": f"{prefix}-NO-STOCK-ARTICLE"}
    value = req.get("amount") if absolute else req.get("amountChanged")
    amount = from_quantity(int(value or 0), req.get("decimalPlaces"))
    stock_id = change_stock(state, branch, article_number, amount, absolute=absolute)
    return {"result": f"{prefix}-OK", "stockId": stock_id}


def set_stock(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return _write(state, request, absolute=True)


def update_stock(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return _write(state, request, absolute=False)


def _stock_out(state: MplusStore, branch: int, article: int) -> dict[str, Any]:
    level = _level(state, branch, article)
    free, free_places = to_quantity(level["free"])
    reserved, reserved_places = to_quantity(level["reserved"])
    incoming, incoming_places = to_quantity(level["incoming"])
    out: dict[str, Any] = {"branchNumber": branch, "articleNumber": article}
    if level["changed"]:
        out["changeTimestamp"] = level["changed"]
    out.update(
        {
            "stockId": level["stockId"],
            "amountFree": free,
            "decimalPlacesFree": free_places,
            "amountReserved": reserved,
            "decimalPlacesReserved": reserved_places,
            "amountIncoming": incoming,
            "decimalPlacesIncoming": incoming_places,
            "isDayStockArticle": False,
        }
    )
    return out


def get_stock(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    branches = [int(b) for b in listed(req.get("branchNumbers"), "branchNumber")] or [
        int(req.get("branchNumber", 0))
    ]
    branches = [b for b in branches if b in state.branches]
    articles = [int(a) for a in listed(req.get("articleNumbers"), "articleNumbers")]
    stock_id = req.get("stockId")
    out: list[dict[str, Any]] = []
    if stock_id is not None:
        # Sync mode: every level changed since stockId (inclusive), in stockId order.
        wanted = set(articles)
        for _, key in state.stock_index.scan(int(stock_id)):
            branch, article = key  # type: ignore[misc]
            if branch in branches and (not wanted or article in wanted):
                out.append(_stock_out(state, branch, article))
    elif articles:
        for branch in branches:
            for article in articles:
                known = state.article_map.get(article)
                if known is not None and known.get("stockArticle", True):
                    out.append(_stock_out(state, branch, article))
    else:
        # [INF] no article list: every stock article of the branch, zero when never counted.
        for branch in branches:
            for number in sorted(state.article_map):
                if state.article_map[number].get("stockArticle", True):
                    out.append(_stock_out(state, branch, number))
    return {"articleStocks": out}


def get_stock_history(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    branch = int(req.get("branchNumber", 0))
    articles = {int(a) for a in listed(req.get("articleNumbers"), "articleNumbers")}
    since = int(req.get("sinceStockId") or 0)
    limit = page_limit(req.get("sinceStockIdLimit"))
    start = parse_mplus_datetime(req.get("fromFinancialDateTime"))
    end = parse_mplus_datetime(req.get("throughFinancialDateTime"))
    history = state.stock_history
    i = bisect_left(history, since, key=lambda row: row["stockId"]) if since else 0
    out: list[dict[str, Any]] = []
    for row in history[i:]:
        if row["branchNumber"] != branch or (articles and row["articleNumber"] not in articles):
            continue
        ts = parse_mplus_datetime(row["timestamp"])
        if (start and ts and ts < start) or (end and ts and ts > end):
            continue
        out.append(row)
        if limit is not None and len(out) >= limit:
            break
    return {"articleStockHistory": out}
