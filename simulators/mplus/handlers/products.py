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

from typing import Any

from simulators.mplus.handlers.articles import (
    ArticleRejected,
    assign_sub_ids,
    check_groups,
    free_article_number,
    prepare_new,
    prepare_update,
    store_article,
)
from simulators.mplus.handlers.common import inner, listed, page_limit, texts
from simulators.mplus.handlers.product_groups import relink_groups, touch_product
from simulators.mplus.store import MplusStore
from simulators.mplus.values import parse_mplus_datetime


# ---------------------------------------------------------------- operations
def create_product(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    product = inner(request, "product")
    failed = "CREATE-PRODUCT-RESULT-FAILED"
    try:
        product_number = product.get("productNumber")
        if product_number is not None and int(product_number) in state.products:
            raise ArticleRejected(
                "CREATE-PRODUCT-RESULT-FAILED-PRODUCT-NUMBER-ALREADY-TAKEN",
                f"Product number {product_number} is already taken",
            )
        sent_articles = listed(product.get("articleList"), "article")
        if not sent_articles:
            raise ArticleRejected(failed, "A product needs at least one article")
        seen: set[int] = set()
        for sent in sent_articles:
            number = sent.get("articleNumber")
            if number is not None and (int(number) in state.article_map or int(number) in seen):
                raise ArticleRejected(
                    "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                    f"Article number {number} is already taken",
                )
            if number is not None:
                seen.add(int(number))
        prepared = [prepare_new(state, sent, product, failed) for sent in sent_articles]
        group_numbers = [int(g) for g in product.get("groupNumbers") or []]
        check_groups(state, group_numbers, failed)
    except ArticleRejected as exc:
        return {"result": exc.result, "productNumber": 0, "errorMessage": exc.message}

    if product_number is None:
        product_number = state.next_id("productNumber")
        while product_number in state.products:
            product_number = state.next_id("productNumber")
    product_number = int(product_number)
    state.bump_counter_past("productNumber", product_number)
    for article in prepared:
        if article.get("articleNumber") is None:
            article["articleNumber"] = free_article_number(state)
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
        marker = store_article(state, article, product_number, is_new=True)
    touch_product(state, product_number, marker)
    relink_groups(state, product_number, [], group_numbers)
    return {
        "result": "CREATE-PRODUCT-RESULT-OK",
        "productNumber": product_number,
        "articleNumbers": record["articleNumbers"],
        "changeTimestamp": state.now_mplus(),
        "syncMarker": marker,
        "errorMessage": "",
    }


def update_product(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
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
                    raise ArticleRejected(
                        "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                        f"Article number {number} appears twice",
                    )
                seen.add(number)
            if number is not None and number in state.article_map:
                if state.article_product[number] != product_number:
                    raise ArticleRejected(
                        "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN",
                        f"Article number {number} belongs to product {state.article_product[number]}",
                    )
                updated.append(prepare_update(state, state.article_map[number], sent, failed))
                existing.append(number)
            else:
                new.append(prepare_new(state, sent, {**stored_product, **product}, failed))
        group_numbers = [int(g) for g in product.get("groupNumbers") or []]
        check_groups(state, group_numbers, failed)
    except ArticleRejected as exc:
        return {"result": exc.result, "errorMessage": exc.message}

    for article in updated:
        store_article(state, article, product_number, is_new=False)
        assign_sub_ids(
            state,
            article,
            {k: v for k, v in article.items() if k in ("barcodeList", "relationArticleDiscountList")},
        )
    for article in new:
        if article.get("articleNumber") is None:
            article["articleNumber"] = free_article_number(state)
        state.bump_counter_past("articleNumber", int(article["articleNumber"]))
        store_article(state, article, product_number, is_new=True)
        stored_product["articleNumbers"] = [*stored_product["articleNumbers"], int(article["articleNumber"])]
    for key in ("description", "extraText", "sortOrderGroupList"):
        if key in product:
            stored_product[key] = product[key]
    if group_numbers:
        old = stored_product["groupNumbers"]
        stored_product["groupNumbers"] = group_numbers
        relink_groups(state, product_number, old, group_numbers)
    marker = touch_product(state, product_number)
    return {
        "result": "UPDATE-PRODUCT-RESULT-OK",
        "existingArticleNumbers": existing,
        "newArticleNumbers": [int(a["articleNumber"]) for a in new],
        "changeTimestamp": state.now_mplus(),
        "syncMarker": marker,
        "errorMessage": "",
    }


def edit_article(state: MplusStore, article_number: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The back office changes an article (test mutator): same merge rule as updateProduct."""
    stored = state.article_map.get(article_number)
    if stored is None:
        raise KeyError(f"no article {article_number}")
    try:
        article = prepare_update(state, stored, fields, "UPDATE-PRODUCT-RESULT-FAILED")
    except ArticleRejected as exc:
        raise ValueError(exc.message) from exc
    product_number = state.article_product[article_number]
    marker = store_article(state, article, product_number, is_new=False)
    assign_sub_ids(
        state,
        article,
        {k: v for k, v in fields.items() if k in ("barcodeList", "relationArticleDiscountList")},
    )
    touch_product(state, product_number, marker)
    return article


def _product_out(state: MplusStore, record: dict[str, Any], articles: list[dict[str, Any]]) -> dict[str, Any]:
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


def get_products(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
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
