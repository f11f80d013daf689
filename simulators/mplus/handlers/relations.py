"""Relations (customers): getRelations, getRelation, findRelation, findRelationV2, createRelation,
updateRelation.

Relations have their own sequence (``relationSyncMarker``). getRelations in syncMarker mode returns at
most 1000 relations per call [DOC], in syncMarker order. A company is a relation with ``companyName`` (no
isCompany flag) [DOC]. updateRelation follows the same rule as updateProduct: an element present in the
request replaces the stored value whole (``contactList``, ``relationArticleDiscountList``, ... included),
an absent one is left untouched. So a ``relationArticleDiscountList`` sent with updateRelation is the
relation's whole list afterwards (entries it does not mention are gone; an empty list clears it), and
``priceGroupNumber`` 0 means "no price group" [INF: how MplusKASSA clears a relation's price group is not
documented; 0 is its usual "none" number].

findRelation matches case-insensitively and partially (substring) on every text element the request
gives, and on equality for numbers and booleans [DOC: "partial, case-insensitive"]; findRelationV2 with
``exactMatch`` compares whole values, still case-insensitively [INF]. The first match in relationNumber
order is returned. An exact e-mail search uses the e-mail index; other searches scan.
"""

from __future__ import annotations

from typing import Any

from simulators.mplus.handlers.common import SERVER_OWNED, inner, merge_present, page_limit
from simulators.mplus.store import MplusStore

GET_RELATIONS_MAX = 1000


def _touch(state: MplusStore, number: int) -> int:
    marker = state.next_marker("relation")
    relation = state.relations[number]
    relation["syncMarker"] = marker
    relation["changeTimestamp"] = state.now_mplus()
    state.relation_index.touch(number, marker)
    return marker


def insert_relation(state: MplusStore, fields: dict[str, Any], number: int | None = None) -> int:
    """Store a new relation (API or till); returns its relationNumber."""
    if number is None:
        number = state.next_id("relationNumber")
        while number in state.relations:
            number = state.next_id("relationNumber")
    state.bump_counter_past("relationNumber", number)
    relation = {k: v for k, v in fields.items() if k not in SERVER_OWNED and v is not None}
    relation["relationNumber"] = number
    relation.setdefault("active", True)
    relation["createTimestamp"] = state.now_mplus()
    state.relations[number] = relation
    state.index_relation_email(number, None, relation.get("email"))
    _touch(state, number)
    return number


def apply_relation_update(state: MplusStore, number: int, fields: dict[str, Any]) -> dict[str, Any]:
    stored = state.relations[number]
    relation = merge_present(stored, {k: v for k, v in fields.items() if k != "relationNumber"})
    state.index_relation_email(number, stored.get("email"), relation.get("email"))
    state.relations[number] = relation
    _touch(state, number)
    return relation


def create_relation(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    relation = inner(request, "relation")
    number = relation.get("relationNumber")
    if number is not None and int(number) in state.relations:
        return {
            "result": "CREATE-RELATION-RESULT-FAILED-RELATION-NUMBER-ALREADY-TAKEN",
            "relationNumber": 0,
            "errorMessage": f"Relation number {number} is already taken",
        }
    if number is not None and int(number) <= 0:
        return {
            "result": "CREATE-RELATION-RESULT-FAILED",
            "relationNumber": 0,
            "errorMessage": f"Relation number {number} is not valid",
        }
    if int(relation.get("priceGroupNumber") or 0) not in state.price_groups.keys() | {0}:
        return {
            "result": "CREATE-RELATION-RESULT-FAILED",
            "relationNumber": 0,
            "errorMessage": f"Price group {relation['priceGroupNumber']} does not exist",
        }
    new_number = insert_relation(state, relation, int(number) if number is not None else None)
    stored = state.relations[new_number]
    return {
        "result": "CREATE-RELATION-RESULT-OK",
        "relationNumber": new_number,
        "changeTimestamp": stored["changeTimestamp"],
        "syncMarker": stored["syncMarker"],
        "errorMessage": "",
    }


def update_relation(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    relation = inner(request, "relation")
    number = relation.get("relationNumber")
    if number is None or int(number) not in state.relations:
        return {"result": "UPDATE-RELATION-RESULT-NOT-FOUND", "errorMessage": f"Relation {number} not found"}
    if int(relation.get("priceGroupNumber") or 0) not in state.price_groups.keys() | {0}:
        return {
            "result": "UPDATE-RELATION-RESULT-FAILED",
            "errorMessage": f"Price group {relation['priceGroupNumber']} does not exist",
        }
    stored = apply_relation_update(state, int(number), relation)
    return {
        "result": "UPDATE-RELATION-RESULT-OK",
        "errorMessage": "",
        "changeTimestamp": stored["changeTimestamp"],
        "syncMarker": stored["syncMarker"],
    }


def get_relations(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    numbers = [int(n) for n in req.get("relationNumbers") or []]
    category = req.get("categoryId")
    marker = req.get("syncMarker")
    out: list[dict[str, Any]] = []
    if marker is not None:
        limit = page_limit(req.get("syncMarkerLimit"), cap=GET_RELATIONS_MAX)
        wanted = set(numbers)
        for _, number in state.relation_index.scan(int(marker)):
            relation = state.relations[number]  # type: ignore[index]
            if wanted and relation["relationNumber"] not in wanted:
                continue
            if category is not None and relation.get("categoryId") != category:
                continue
            out.append(relation)
            if limit is not None and len(out) >= limit:
                break
    else:
        chosen = numbers or sorted(state.relations)
        out = [
            state.relations[n]
            for n in chosen
            if n in state.relations and (category is None or state.relations[n].get("categoryId") == category)
        ]
    return {"relationList": {"relation": out}}


def get_relation(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    relation = state.relations.get(int((request or {}).get("relationNumber", 0)))
    if relation is None:
        # The XSD makes <relation> required even when not found: an empty one.
        return {"result": "GET-RELATION-RESULT-NOT-FOUND", "relation": {}}
    return {"result": "GET-RELATION-RESULT-OK", "relation": relation}


def _criteria(relation: dict[str, Any]) -> dict[str, Any]:
    """The elements a search gives: non-empty scalars, server-owned ones excluded."""
    return {
        k: v
        for k, v in relation.items()
        if k not in SERVER_OWNED and not isinstance(v, dict | list) and v is not None and v != ""
    }


def _matches(relation: dict[str, Any], criteria: dict[str, Any], exact: bool) -> bool:
    for key, wanted in criteria.items():
        have = relation.get(key)
        if have is None:
            return False
        if isinstance(wanted, str):
            a, b = wanted.strip().lower(), str(have).strip().lower()
            if (a != b) if exact else (a not in b):
                return False
        elif have != wanted:
            return False
    return True


def find(state: MplusStore, relation: dict[str, Any], exact: bool) -> dict[str, Any] | None:
    criteria = _criteria(relation)
    if not criteria:
        return None
    if "relationNumber" in criteria:
        candidates = [int(criteria["relationNumber"])]
    elif exact and isinstance(criteria.get("email"), str):
        candidates = sorted(state.relation_by_email.get(criteria["email"].strip().lower(), ()))
    else:
        candidates = sorted(state.relations)
    for number in candidates:
        stored = state.relations.get(number)
        if stored is not None and _matches(stored, criteria, exact):
            return stored
    return None


def find_relation(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    found = find(state, inner(request, "relation"), exact=False)
    if found is None:
        return {"result": "FIND-RELATION-RESULT-NOT-FOUND"}
    return {"result": "FIND-RELATION-RESULT-OK", "relation": found}


def find_relation_v2(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    found = find(state, req.get("relation") or {}, exact=bool(req.get("exactMatch")))
    if found is None:
        return {"result": "FIND-RELATION-RESULT-NOT-FOUND"}
    return {"result": "FIND-RELATION-RESULT-OK", "relation": found}
