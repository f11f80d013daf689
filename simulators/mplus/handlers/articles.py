"""Article preparation for createProduct / updateProduct / the till's ``edit_article``: defaults, the
merge rule, prices from the VAT table, server-assigned ids inside lists, and storing an article.

Preparation has no side effects, so a request that fails part-way leaves the state untouched; only
``store_article`` and ``free_article_number`` change it. The contract is in
:mod:`simulators.mplus.handlers.products`.
"""

from __future__ import annotations

from typing import Any

from simulators.mplus.faults import client_fault
from simulators.mplus.handlers.common import SERVER_OWNED, listed, merge_present
from simulators.mplus.store import MplusStore
from simulators.mplus.values import excl_from_incl, incl_from_excl

ARTICLE_DEFAULTS: dict[str, Any] = {
    "active": True,
    "webshop": False,
    "stockArticle": True,  # [INF] a till keeps stock unless told otherwise
    "vatCode": 2,
    "turnoverGroup": 0,
}


class ArticleRejected(Exception):
    def __init__(self, result: str, message: str) -> None:
        super().__init__(message)
        self.result = result
        self.message = message


# ---------------------------------------------------------------- article preparation (no side effects)
def settle_prices(
    state: MplusStore, article: dict[str, Any], sent: dict[str, Any], vat_changed: bool, failed: str
) -> None:
    code = int(article["vatCode"])
    pct = state.vat_pct(code)
    if pct is None:
        # The fault text MplusKASSA is known to give for a VAT code without a rate.
        raise client_fault(f"The rate for VAT-code {code} is not properly configured.")
    article["vatPercentage"] = pct
    if "priceIncl" in sent and "priceExcl" not in sent:
        article["priceExcl"] = excl_from_incl(int(article["priceIncl"]), pct)
    elif "priceExcl" in sent and "priceIncl" not in sent:
        article["priceIncl"] = incl_from_excl(int(article["priceExcl"]), pct)
    elif vat_changed and "priceIncl" in article and "priceExcl" not in sent:
        article["priceExcl"] = excl_from_incl(int(article["priceIncl"]), pct)
    article.setdefault("priceIncl", 0)
    article.setdefault("priceExcl", 0)
    if "priceGroupList" in sent:
        groups = []
        for entry in listed(article.get("priceGroupList"), "priceGroup"):
            entry = dict(entry)
            number = int(entry["priceGroupNumber"])
            if number not in state.price_groups:
                raise ArticleRejected(failed, f"Price group {number} does not exist")
            entry.setdefault("description", state.price_groups[number]["description"])
            if "priceIncl" in entry and "priceExcl" not in entry:
                entry["priceExcl"] = excl_from_incl(int(entry["priceIncl"]), pct)
            elif "priceExcl" in entry and "priceIncl" not in entry:
                entry["priceIncl"] = incl_from_excl(int(entry["priceExcl"]), pct)
            groups.append(entry)
        article["priceGroupList"] = {"priceGroup": groups}
    elif vat_changed:
        groups = []
        for entry in listed(article.get("priceGroupList"), "priceGroup"):
            entry = dict(entry)
            if "priceIncl" in entry:
                entry["priceExcl"] = excl_from_incl(int(entry["priceIncl"]), pct)
            groups.append(entry)
        if groups:
            article["priceGroupList"] = {"priceGroup": groups}


def assign_sub_ids(state: MplusStore, article: dict[str, Any], sent: dict[str, Any]) -> None:
    """Server-assigned ids inside lists a client sent (barcodeId, relationArticleDiscountId)."""
    if "barcodeList" in sent:
        barcodes = []
        for entry in listed(sent["barcodeList"], "barcode"):
            entry = dict(entry)
            entry.setdefault("barcodeId", state.next_id("barcodeId"))
            barcodes.append(entry)
        article["barcodeList"] = {"barcode": barcodes}
    if "relationArticleDiscountList" in sent:
        discounts = []
        for entry in listed(sent["relationArticleDiscountList"], "relationArticleDiscount"):
            entry = dict(entry)
            entry.setdefault("relationArticleDiscountId", state.next_id("relationArticleDiscountId"))
            entry["articleNumber"] = article["articleNumber"]
            discounts.append(entry)
        article["relationArticleDiscountList"] = {"relationArticleDiscount": discounts}


def validate_article(article: dict[str, Any], failed: str) -> None:
    number = article.get("articleNumber")
    if number is not None and int(number) <= 0:
        raise ArticleRejected(failed, f"Article number {number} is not valid")
    turnover = article.get("turnoverGroup")
    if turnover is not None and not 0 <= int(turnover) <= 999:
        raise ArticleRejected(failed, f"Turnover group {turnover} is out of range 0-999")


def prepare_new(
    state: MplusStore, sent: dict[str, Any], product: dict[str, Any], failed: str
) -> dict[str, Any]:
    article = {k: v for k, v in sent.items() if k not in SERVER_OWNED}
    for key, value in ARTICLE_DEFAULTS.items():
        article.setdefault(key, value)
    if "description" not in article and product.get("description"):
        article["description"] = product["description"]
    validate_article(article, failed)
    settle_prices(state, article, sent, vat_changed=False, failed=failed)
    return article


def prepare_update(
    state: MplusStore, stored: dict[str, Any], sent: dict[str, Any], failed: str
) -> dict[str, Any]:
    article = merge_present(stored, sent)
    validate_article(article, failed)
    vat_changed = "vatCode" in sent and sent["vatCode"] != stored.get("vatCode")
    settle_prices(state, article, sent, vat_changed=vat_changed, failed=failed)
    return article


def check_groups(state: MplusStore, group_numbers: list[int], failed: str) -> None:
    for number in group_numbers:
        group = state.article_groups.get(int(number))
        if group is None or group.get("isDeleted"):
            raise ArticleRejected(failed, f"Article group {number} not found")


# ---------------------------------------------------------------- commit helpers (side effects)
def store_article(state: MplusStore, article: dict[str, Any], product_number: int, is_new: bool) -> int:
    marker = state.next_marker("article")
    now = state.now_mplus()
    if is_new:
        assign_sub_ids(state, article, article)
        article["createTimestamp"] = now
    article["syncMarker"] = marker
    article["changeTimestamp"] = now
    state.article_map[int(article["articleNumber"])] = article
    state.article_product[int(article["articleNumber"])] = product_number
    return marker


def free_article_number(state: MplusStore) -> int:
    while True:
        number = state.next_id("articleNumber")
        if number not in state.article_map:
            return number
