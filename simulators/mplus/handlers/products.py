"""getProducts, createProduct, updateProduct (and the till's ``edit_article``).

A product only groups articles; colours and sizes are separate articles of one product. Articles are
never deleted: they become ``active=false``.

Change tracking [DOC + INF]: every change to an article draws a new value from the *article* sequence
(``articleSyncMarker`` in getCurrentSyncMarkers) for that article, and the product's ``syncMarker`` becomes
that value too (a product-level change draws one for the product alone). getProducts in syncMarker mode
pages by product in product-syncMarker order, each product whole, and ``syncMarkerLimit`` counts
articles: products are added while the page stays within the limit, but a first product larger than the
limit comes whole. The highest syncMarker of a page therefore covers everything before it, so "highest
seen + 1" is always a safe next lower bound.

updateProduct contract (the stand-in's rule; MplusKASSA documents none beyond the result enums):

* The product is found by ``productNumber``; without one, by the first article number in the request that
  exists. Neither -> ``UPDATE-PRODUCT-RESULT-NOT-FOUND``.
* Articles are merged one by one by ``articleNumber``. An article that exists in this product is updated;
  one that exists in *another* product -> ``UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN``
  and nothing changes; an unknown or absent number creates a new article in this product. Articles of the
  product that the request does not mention are left exactly as they are: never deleted, never
  deactivated, their syncMarker unchanged.
* Within an article, and for the product's own elements, an element present in the request replaces the
  stored value *whole*: scalars, structures and wrapped lists alike (``priceGroupList``, ``barcodeList``,
  ``salesPriceList``, ``relationArticleDiscountList``, ``customFieldList``, ``categoryIds``, ...). A present
  but empty wrapper (``<priceGroupList/>``) clears that list. An absent element leaves the stored value
  untouched. Bare repeated elements without a wrapper (the product's ``groupNumbers``) cannot be told
  apart from absent when they have zero occurrences, so zero occurrences leave them untouched and one or
  more replace them.
* ``vatPercentage`` follows ``vatCode`` (the branch VAT table); when only one of ``priceIncl`` /
  ``priceExcl`` is sent the other is computed from it, and a vatCode change without prices keeps
  ``priceIncl`` and recomputes ``priceExcl``. Same for each ``priceGroup`` entry.
* Every article the request mentions gets a new syncMarker (even when nothing differs, as a database
  update does), and so does the product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulators.mplus.faults import client_fault
from simulators.mplus.handlers.common import SERVER_OWNED, inner, listed, merge_present, page_limit, texts
from simulators.mplus.values import excl_from_incl, incl_from_excl, parse_mplus_datetime

if TYPE_CHECKING:
    from simulators.mplus.state import MplusState

ARTICLE_DEFAULTS: dict[str, Any] = {
    "active": True,
    "webshop": False,
    "stockArticle": True,  # [INF] a till keeps stock unless told otherwise
    "vatCode": 2,
    "turnoverGroup": 0,
}


class _Failed(Exception):
    def __init__(self, result: str, message: str) -> None:
        super().__init__(message)
        self.result = result
        self.message = message


# ---------------------------------------------------------------- article preparation (no side effects)
def _settle_prices(
    state: MplusState, article: dict[str, Any], sent: dict[str, Any], vat_changed: bool, failed: str
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
                raise _Failed(failed, f"Price group {number} does not exist")
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


def _assign_sub_ids(state: MplusState, article: dict[str, Any], sent: dict[str, Any]) -> None:
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


def _validate(article: dict[str, Any], failed: str) -> None:
    number = article.get("articleNumber")
    if number is not None and int(number) <= 0:
        raise _Failed(failed, f"Article number {number} is not valid")
    turnover = article.get("turnoverGroup")
    if turnover is not None and not 0 <= int(turnover) <= 999:
        raise _Failed(failed, f"Turnover group {turnover} is out of range 0-999")


def _prepare_new(
    state: MplusState, sent: dict[str, Any], product: dict[str, Any], failed: str
) -> dict[str, Any]:
    article = {k: v for k, v in sent.items() if k not in SERVER_OWNED}
    for key, value in ARTICLE_DEFAULTS.items():
        article.setdefault(key, value)
    if "description" not in article and product.get("description"):
        article["description"] = product["description"]
    _validate(article, failed)
    _settle_prices(state, article, sent, vat_changed=False, failed=failed)
    return article


def _prepare_update(
    state: MplusState, stored: dict[str, Any], sent: dict[str, Any], failed: str
) -> dict[str, Any]:
    article = merge_present(stored, sent)
    _validate(article, failed)
    vat_changed = "vatCode" in sent and sent["vatCode"] != stored.get("vatCode")
    _settle_prices(state, article, sent, vat_changed=vat_changed, failed=failed)
    return article


def _check_groups(state: MplusState, group_numbers: list[int], failed: str) -> None:
    for number in group_numbers:
        group = state.article_groups.get(int(number))
        if group is None or group.get("isDeleted"):
            raise _Failed(failed, f"Article group {number} not found")


# ---------------------------------------------------------------- commit helpers (side effects)
def _store_article(state: MplusState, article: dict[str, Any], product_number: int, is_new: bool) -> int:
    marker = state.next_marker("article")
    now = state.now_mplus()
    if is_new:
        _assign_sub_ids(state, article, article)
        article["createTimestamp"] = now
    article["syncMarker"] = marker
    article["changeTimestamp"] = now
    state.article_map[int(article["articleNumber"])] = article
    state.article_product[int(article["articleNumber"])] = product_number
    return marker


def touch_product(state: MplusState, product_number: int, marker: int | None = None) -> int:
    marker = marker if marker is not None else state.next_marker("article")
    state.products[product_number]["syncMarker"] = marker
    state.product_index.touch(product_number, marker)
    return marker


def _relink_groups(state: MplusState, product_number: int, old: list[int], new: list[int]) -> None:
    from simulators.mplus.handlers.article_groups import touch_group

    for number in set(old) - set(new):
        group = state.article_groups.get(number)
        if group and product_number in group["productNumbers"]:
            group["productNumbers"] = [p for p in group["productNumbers"] if p != product_number]
            touch_group(state, number)
    for number in new:
        group = state.article_groups[number]
        if product_number not in group["productNumbers"]:
            group["productNumbers"] = [*group["productNumbers"], product_number]
            touch_group(state, number)


def _free_article_number(state: MplusState) -> int:
    while True:
        number = state.next_id("articleNumber")
        if number not in state.article_map:
            return number


# ---------------------------------------------------------------- operations
def create_product(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    product = inner(request, "product")
    failed = "CREATE-PRODUCT-RESULT-FAILED"
    try:
        product_number = product.get("productNumber")
        if product_number is not None and int(product_number) in state.products:
            raise _Failed(
                "CREATE-PRODUCT-RESULT-FAILED-PRODUCT-NUMBER-ALREADY-TAKEN",
                f"Product number {product_number} is already taken",
            )
        sent_articles = listed(product.get("articleList"), "article")
        if not sent_articles:
            raise _Failed(failed, "A product needs at least one article")
        seen: set[int] = set()
        for sent in sent_articles:
            number = sent.get("articleNumber")
            if number is not None and (int(number) in state.article_map or int(number) in seen):
                raise _Failed(
                    "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                    f"Article number {number} is already taken",
                )
            if number is not None:
                seen.add(int(number))
        prepared = [_prepare_new(state, sent, product, failed) for sent in sent_articles]
        group_numbers = [int(g) for g in product.get("groupNumbers") or []]
        _check_groups(state, group_numbers, failed)
    except _Failed as exc:
        return {"result": exc.result, "productNumber": 0, "errorMessage": exc.message}

    if product_number is None:
        product_number = state.next_id("productNumber")
        while product_number in state.products:
            product_number = state.next_id("productNumber")
    product_number = int(product_number)
    state.bump_counter_past("productNumber", product_number)
    for article in prepared:
        if article.get("articleNumber") is None:
            article["articleNumber"] = _free_article_number(state)
        state.bump_counter_past("articleNumber", int(article["articleNumber"]))
    record: dict[str, Any] = {
        "productNumber": product_number,
        "description": product.get("description") or prepared[0].get("description", ""),
        "groupNumbers": group_numbers,
        "articleNumbers": [int(a["articleNumber"]) for a in prepared],
        "syncMarker": 0,
    }
    for key in ("extraText", "sortOrderGroupList"):
        if key in product:
            record[key] = product[key]
    state.products[product_number] = record
    marker = 0
    for article in prepared:
        marker = _store_article(state, article, product_number, is_new=True)
    touch_product(state, product_number, marker)
    _relink_groups(state, product_number, [], group_numbers)
    return {
        "result": "CREATE-PRODUCT-RESULT-OK",
        "productNumber": product_number,
        "articleNumbers": record["articleNumbers"],
        "changeTimestamp": state.now_mplus(),
        "syncMarker": marker,
        "errorMessage": "",
    }


def update_product(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    product = inner(request, "product")
    failed = "UPDATE-PRODUCT-RESULT-FAILED"
    sent_articles = listed(product.get("articleList"), "article")
    product_number = product.get("productNumber")
    if product_number is None:
        known = [
            int(a["articleNumber"])
            for a in sent_articles
            if a.get("articleNumber") is not None and int(a["articleNumber"]) in state.article_product
        ]
        product_number = state.article_product[known[0]] if known else None
    if product_number is None or int(product_number) not in state.products:
        return {
            "result": "UPDATE-PRODUCT-RESULT-NOT-FOUND",
            "errorMessage": f"Product {product_number} not found" if product_number else "Product not found",
        }
    product_number = int(product_number)
    stored_product = state.products[product_number]
    existing: list[int] = []
    new: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    try:
        seen: set[int] = set()
        for sent in sent_articles:
            number = sent.get("articleNumber")
            if number is not None:
                number = int(number)
                if number in seen:
                    raise _Failed(
                        "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                        f"Article number {number} appears twice",
                    )
                seen.add(number)
            if number is not None and number in state.article_map:
                if state.article_product[number] != product_number:
                    raise _Failed(
                        "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                        f"Article number {number} belongs to product {state.article_product[number]}",
                    )
                updated.append(_prepare_update(state, state.article_map[number], sent, failed))
                existing.append(number)
            else:
                new.append(_prepare_new(state, sent, {**stored_product, **product}, failed))
        group_numbers = [int(g) for g in product.get("groupNumbers") or []]
        _check_groups(state, group_numbers, failed)
    except _Failed as exc:
        return {"result": exc.result, "errorMessage": exc.message}

    for article in updated:
        _store_article(state, article, product_number, is_new=False)
        _assign_sub_ids(
            state,
            article,
            {k: v for k, v in article.items() if k in ("barcodeList", "relationArticleDiscountList")},
        )
    for article in new:
        if article.get("articleNumber") is None:
            article["articleNumber"] = _free_article_number(state)
        state.bump_counter_past("articleNumber", int(article["articleNumber"]))
        _store_article(state, article, product_number, is_new=True)
        stored_product["articleNumbers"] = [*stored_product["articleNumbers"], int(article["articleNumber"])]
    for key in ("description", "extraText", "sortOrderGroupList"):
        if key in product:
            stored_product[key] = product[key]
    if group_numbers:
        old = stored_product["groupNumbers"]
        stored_product["groupNumbers"] = group_numbers
        _relink_groups(state, product_number, old, group_numbers)
    marker = touch_product(state, product_number)
    return {
        "result": "UPDATE-PRODUCT-RESULT-OK",
        "existingArticleNumbers": existing,
        "newArticleNumbers": [int(a["articleNumber"]) for a in new],
        "changeTimestamp": state.now_mplus(),
        "syncMarker": marker,
        "errorMessage": "",
    }


def edit_article(state: MplusState, article_number: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The back office changes an article (test mutator): same merge rule as updateProduct."""
    stored = state.article_map.get(article_number)
    if stored is None:
        raise KeyError(f"no article {article_number}")
    try:
        article = _prepare_update(state, stored, fields, "UPDATE-PRODUCT-RESULT-FAILED")
    except _Failed as exc:
        raise ValueError(exc.message) from exc
    product_number = state.article_product[article_number]
    marker = _store_article(state, article, product_number, is_new=False)
    _assign_sub_ids(
        state,
        article,
        {k: v for k, v in fields.items() if k in ("barcodeList", "relationArticleDiscountList")},
    )
    touch_product(state, product_number, marker)
    return article


def _product_out(state: MplusState, record: dict[str, Any], articles: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "productNumber": record["productNumber"],
        "syncMarker": record["syncMarker"],
        "description": record.get("description", ""),
    }
    if "extraText" in record:
        out["extraText"] = record["extraText"]
    out["articleList"] = {"article": articles}
    out["groupNumbers"] = list(record["groupNumbers"])
    if "sortOrderGroupList" in record:
        out["sortOrderGroupList"] = record["sortOrderGroupList"]
    return out


def get_products(state: MplusState, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    article_filter = {int(n) for n in req.get("articleNumbers") or []}
    product_filter = {int(n) for n in req.get("productNumbers") or []}
    group_filter = {int(n) for n in req.get("groupNumbers") or []}
    plu_filter = set(texts(req.get("pluNumbers")))
    only_active = bool(req.get("onlyActive"))
    only_webshop = bool(req.get("onlyWebshop"))
    include_all = bool(req.get("includeAllArticlesOfSelectedProducts"))
    marker = req.get("syncMarker")
    limit = page_limit(req.get("syncMarkerLimit")) if marker is not None else None
    since = parse_mplus_datetime(req.get("changedSinceTimestamp")) if marker is None else None

    if plu_filter:
        # [INF] no PLU index: PLU selection is rare; a scan over articles is acceptable here.
        article_filter |= {n for n, a in state.article_map.items() if a.get("pluNumber") in plu_filter}
    selecting_articles = bool(article_filter) or bool(plu_filter)

    if marker is not None:
        candidates = (pn for _, pn in state.product_index.scan(int(marker)))
    elif selecting_articles:
        candidates = iter(
            sorted({state.article_product[n] for n in article_filter if n in state.article_product})
        )
    elif product_filter:
        candidates = iter(sorted(product_filter))
    elif group_filter:
        candidates = iter(
            sorted(
                {p for g in group_filter for p in state.article_groups.get(g, {}).get("productNumbers", [])}
            )
        )
    else:
        candidates = iter(sorted(state.products))

    page: list[dict[str, Any]] = []
    counted = 0
    for pn in candidates:
        record = state.products.get(int(pn))  # type: ignore[arg-type]
        if record is None:
            continue
        if product_filter and record["productNumber"] not in product_filter:
            continue
        if group_filter and not group_filter.intersection(record["groupNumbers"]):
            continue
        numbers = record["articleNumbers"]
        if selecting_articles:
            chosen = [n for n in numbers if n in article_filter]
            if not chosen:
                continue
            if not include_all:
                numbers = chosen
        articles = [state.article_map[n] for n in numbers]
        if only_active:
            articles = [a for a in articles if a.get("active", True)]
        if only_webshop:
            articles = [a for a in articles if a.get("webshop")]
        if since is not None and not any(
            (parse_mplus_datetime(a.get("changeTimestamp")) or since) >= since for a in articles
        ):
            continue
        if not articles:
            continue
        if limit is not None and page and counted + len(articles) > limit:
            break
        page.append(_product_out(state, record, articles))
        counted += len(articles)
        if limit is not None and counted >= limit:
            break
    return {"productList": {"product": page}}
