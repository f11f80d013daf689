"""Relations (customers): paged by sync marker, found by key, created and updated."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from ..models import Batch, CreateRelationResult, Relation, RelationsPage
from .calls import MplusCalls, marker_after


class RelationCalls(MplusCalls):
    """Relations (customers)."""

    async def get_relations(
        self, sync_marker: int | None = None, limit: int = 1000, relation_numbers: Sequence[int] | None = None
    ) -> RelationsPage:
        """One page of relations changed at/after ``sync_marker`` (inclusive); the server caps a page at 1000."""
        request: dict[str, Any] = {"relationNumbers": list(relation_numbers or ())}
        if sync_marker is not None:
            request["syncMarker"] = sync_marker
            request["syncMarkerLimit"] = limit
        relations = await self._records("getRelations", request, Relation)
        markers = [r.sync_marker for r in relations if r.sync_marker]
        return RelationsPage(
            relations=relations, next_marker=marker_after(markers, relations.errors), errors=relations.errors
        )

    async def iter_relations(self, from_marker: int = 0, limit: int = 1000) -> AsyncIterator[Batch[Relation]]:
        marker = from_marker
        while True:
            page = await self.get_relations(marker, limit)
            if not page.relations and not page.errors:
                return
            yield Batch(page.relations, page.errors)
            # The server returns at most 1000 whatever the limit, so "short" is judged against that too.
            if len(page.relations) + len(page.errors) < min(limit, 1000):
                return
            marker = self._advance("getRelations", marker, page.next_marker)

    async def find_relation(
        self,
        *,
        email: str | None = None,
        ext_relation_id: str | None = None,
        exact: bool = True,
        **fields: Any,
    ) -> Relation | None:
        """The relation matching the given fields, or None. ``exact`` (findRelationV2 exactMatch) defaults
        to True: the plain search is a partial, case-insensitive match, unsafe for keys like email."""
        probe = Relation(email=email, ext_relation_id=ext_relation_id, **fields)
        if not probe.to_soap():
            raise ValueError("find_relation needs at least one field to search on")
        response = await self.call("findRelationV2", {"relation": probe.to_soap(), "exactMatch": exact})
        if response.get("result") == "FIND-RELATION-RESULT-NOT-FOUND" or response.get("relation") is None:
            return None
        self._check("findRelationV2", response, "FIND-RELATION-RESULT-OK", email or ext_relation_id)
        return Relation.from_soap(response["relation"])

    async def create_relation(self, relation: Relation) -> CreateRelationResult:
        response = await self.call("createRelation", {"relation": relation.to_soap()})
        key = relation.ext_relation_id or relation.email or relation.name
        self._check("createRelation", response, "CREATE-RELATION-RESULT-OK", key)
        return CreateRelationResult(
            relation_number=response["relationNumber"], sync_marker=response.get("syncMarker")
        )

    async def update_relation(self, relation: Relation) -> int | None:
        """Returns the new syncMarker when the server reports one."""
        if relation.relation_number is None:
            raise ValueError("update_relation needs relation.relation_number")
        response = await self.call("updateRelation", {"relation": relation.to_soap()})
        self._check("updateRelation", response, "UPDATE-RELATION-RESULT-OK", relation.relation_number)
        return response.get("syncMarker")
