"""Article groups (the category tree): getArticleGroups, getArticleGroupChanges, newArticleGroup,
updateArticleGroup, addProductsToArticleGroup.

Groups have their own sequence (``articleGroupSyncMarker``). A group changes when its name, text, sort
order, parent or product links change. ``parentGroupNumber`` 0 means a top-level group [INF]. Deleted
groups come back with ``isDeleted`` in sync mode [DOC]; the stand-in has no deleteArticleGroup (it is not
an operation this product uses), so that only happens if the state is edited directly.
"""

from __future__ import annotations

from typing import Any

from simulators.mplus.handlers.common import inner, listed, page_limit
from simulators.mplus.handlers.product_groups import touch_group, touch_product
from simulators.mplus.store import MplusStore


def _children(state: MplusStore, parent: int) -> list[dict[str, Any]]:
    kids = [
        g
        for g in state.article_groups.values()
        if g["parentGroupNumber"] == parent and not g.get("isDeleted")
    ]
    return sorted(kids, key=lambda g: (g.get("sortOrder", 0), g["groupNumber"]))


def _article_numbers(state: MplusStore, group: dict[str, Any]) -> list[int]:
    return [a for p in group["productNumbers"] for a in state.products.get(p, {}).get("articleNumbers", [])]


def _tree(state: MplusStore, group: dict[str, Any], with_articles: bool, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {
        "groupNumber": group["groupNumber"],
        "syncMarker": group["syncMarker"],
        "name": group["name"],
        "text": group.get("text", ""),
        # Nested groups only in tree mode; depth guard against a corrupted (cyclic) tree.
        "subGroupList": {
            "articleGroups": [
                _tree(state, g, with_articles, depth + 1) for g in _children(state, group["groupNumber"])
            ]
            if depth < 32
            else []
        },
        "sortOrder": group.get("sortOrder", 0),
        "productNumbers": {"number": list(group["productNumbers"])},
    }
    if with_articles:
        out["articleNumbers"] = {"number": _article_numbers(state, group)}
    if group.get("isDeleted"):
        out["isDeleted"] = True
    return out


def get_article_groups(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    with_articles = bool(req.get("retrieveArticleNumbers"))
    numbers = [int(n) for n in req.get("groupNumbers") or []]
    marker = req.get("syncMarker")
    if marker is not None:
        # Sync mode: a flat list of changed groups (deleted ones included), each without its subtree.
        limit = page_limit(req.get("syncMarkerLimit"))
        groups = []
        for _, number in state.group_index.scan(int(marker)):
            group = state.article_groups[number]  # type: ignore[index]
            if numbers and group["groupNumber"] not in numbers:
                continue
            out = _tree(state, group, with_articles, depth=32)
            groups.append(out)
            if limit is not None and len(groups) >= limit:
                break
    elif numbers:
        groups = [
            _tree(state, state.article_groups[n], with_articles)
            for n in numbers
            if n in state.article_groups and not state.article_groups[n].get("isDeleted")
        ]
    else:
        groups = [_tree(state, g, with_articles) for g in _children(state, 0)]
    return {"articleGroupList": {"articleGroups": groups}}


def get_article_group_changes(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    numbers = {int(n) for n in req.get("groupNumbers") or []}
    limit = page_limit(req.get("syncMarkerLimit"))
    out = []
    for _, number in state.group_index.scan(int(req.get("syncMarker") or 0)):
        group = state.article_groups[number]  # type: ignore[index]
        if numbers and group["groupNumber"] not in numbers:
            continue
        change: dict[str, Any] = {
            "groupNumber": group["groupNumber"],
            "parentGroupNumber": group["parentGroupNumber"],
            "syncMarker": group["syncMarker"],
            "name": group["name"],
            "text": group.get("text", ""),
            "subGroupNumbers": {"number": [g["groupNumber"] for g in _children(state, group["groupNumber"])]},
            "sortOrder": group.get("sortOrder", 0),
            "productNumbers": {"number": list(group["productNumbers"])},
        }
        if group.get("isDeleted"):
            change["isDeleted"] = True
        out.append(change)
        if limit is not None and len(out) >= limit:
            break
    return {"changedArticleGroupList": {"changedArticleGroups": out}}


def _parent_ok(state: MplusStore, parent: int) -> bool:
    return parent == 0 or (
        parent in state.article_groups and not state.article_groups[parent].get("isDeleted")
    )


def new_article_group(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    parent = int(req.get("parentGroupNumber") or 0)
    if not _parent_ok(state, parent):
        return {"result": "NEW-ARTICLE-GROUP-RESULT-PARENT-NOTFOUND", "groupNumber": 0}
    if not (req.get("name") or "").strip():
        return {"result": "NEW-ARTICLE-GROUP-RESULT-FAILED", "groupNumber": 0}
    number = state.next_id("groupNumber")
    while number in state.article_groups:
        number = state.next_id("groupNumber")
    group: dict[str, Any] = {
        "groupNumber": number,
        "parentGroupNumber": parent,
        "name": req["name"],
        "text": req.get("text") or "",
        "sortOrder": int(req.get("sortOrder") or 0),
        "productNumbers": [],
        "syncMarker": 0,
    }
    if req.get("imageId") is not None:
        group["imageId"] = req["imageId"]
    state.article_groups[number] = group
    touch_group(state, number)
    return {"result": "NEW-ARTICLE-GROUP-RESULT-OK", "groupNumber": number}


def _is_descendant(state: MplusStore, candidate: int, ancestor: int) -> bool:
    seen = set()
    while candidate and candidate not in seen:
        if candidate == ancestor:
            return True
        seen.add(candidate)
        candidate = state.article_groups.get(candidate, {}).get("parentGroupNumber", 0)
    return False


def update_article_group(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    number = int(req.get("groupNumber") or 0)
    group = state.article_groups.get(number)
    if group is None or group.get("isDeleted"):
        return {"result": "SAVE-ARTICLE-GROUP-RESULT-NOT-FOUND"}
    if "parentGroupNumber" in req:
        parent = int(req["parentGroupNumber"])
        if not _parent_ok(state, parent) or _is_descendant(state, parent, number):
            return {"result": "SAVE-ARTICLE-GROUP-RESULT-FAILED"}
        group["parentGroupNumber"] = parent
    for key in ("name", "text", "sortOrder", "imageId"):
        if key in req:
            group[key] = req[key]
    touch_group(state, number)
    return {"result": "SAVE-ARTICLE-GROUP-RESULT-OK"}


def add_products_to_article_group(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    number = int(req.get("groupNumber") or 0)
    group = state.article_groups.get(number)
    if group is None or group.get("isDeleted"):
        return {"result": "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-NOT-FOUND"}
    products = [int(p) for p in listed(req.get("productNumbers"), "number")]
    if any(p not in state.products for p in products):
        return {"result": "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-FAILED"}
    links = [p for p in group["productNumbers"] if p not in products]
    position = int(req.get("position") or 0)  # 0/absent appends, > 0 inserts at that (1-based) position
    at = len(links) if position <= 0 else min(position - 1, len(links))
    group["productNumbers"] = links[:at] + products + links[at:]
    touch_group(state, number)
    # The link is part of the product too (its groupNumbers), so a product sync sees it.
    for p in products:
        record = state.products[p]
        if number not in record["groupNumbers"]:
            record["groupNumbers"] = [*record["groupNumbers"], number]
            touch_product(state, p)
    return {"result": "ADD-PRODUCTS-TO-ARTICLE-GROUP-RESULT-OK"}
