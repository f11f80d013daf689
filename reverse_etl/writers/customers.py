"""Push step of the customers flow: AFAS debtors as MplusKASSA relations.

A company debtor becomes a relation with `companyName` and its contact person in `contactList`;
a person debtor a relation without. The AFAS debtor id goes into `extRelationId`. A create that
timed out is looked up (by extRelationId) before anything is sent again: no duplicate relation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from connectors.mplus.errors import MplusError, MplusTransportError
from connectors.mplus.models import Relation
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


def relation_from_row(row: Row, relation_number: int | None) -> Relation:
    company = row.get("company_name")
    contacts = [Relation(name=row["contact"])] if company and row.get("contact") else None
    return Relation(
        relation_number=relation_number, ext_relation_id=str(row["ext_relation_id"]), name=row["name"],
        company_name=company, contact=row.get("contact") if company else None, address=row.get("address"),
        zipcode=row.get("zipcode"), city=row.get("city"), country=row.get("country"), email=row.get("email"),
        vat_number=row.get("vat_number"), commerce_number=row.get("commerce_number"),
        payment_within_days=row.get("payment_within_days"), default_vat_method=row.get("vat_method"),
        active=bool(row.get("active", True)),
        contacts=contacts)


class RelationWriter:
    flow = "customers"
    entity = "relations"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        self.numbers = {r["record_key"]: int(r["relation_number"]) for r in rt.warehouse.query(
            "select record_key, relation_number from transforms.current_relations")}

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        action = str(row["action"])
        number = self.numbers.get(group_key)
        started = time.perf_counter()
        relation = relation_from_row(row, None if action == "create" else number)
        request = relation.to_soap()
        op = "createRelation" if action == "create" else "updateRelation"
        response: Any = None
        try:
            if action == "create":
                response = (await self.client.create_relation(relation)).model_dump(mode="json")
            else:
                response = {"syncMarker": await self.client.update_relation(relation)}
            status, error = "ok", None
        except MplusTransportError as exc:
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            if action == "create" and exc.may_have_reached_server:
                found = await self._find(group_key)
                if found is not None:
                    status, error, response = "confirmed", None, {"relationNumber": found}
        except MplusError as exc:
            status, error = "failed", f"debtor {group_key}: {exc} — correct the debtor in AFAS; the next run retries"
        return [CallRecord(self.flow, self.entity, group_key, [group_key], action, op, request, response, status,
                           error, duration_ms=(time.perf_counter() - started) * 1000)]

    async def _find(self, ext_id: str) -> int | None:
        try:
            found = await self.client.find_relation(ext_relation_id=ext_id)
        except MplusError:
            return None
        return found.relation_number if found else None
