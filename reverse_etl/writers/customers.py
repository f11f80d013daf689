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
from reverse_etl.writers.wording import failure_text

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


# Text fields a plan may empty (a debtor anonymised): sent as "" to clear them, as MplusKASSA leaves an absent
# field as it is.
CLEARABLE = ("company_name", "contact", "email", "vat_number", "commerce_number")


def relation_from_row(row: Row, relation_number: int | None) -> Relation:
    changed = set((row.get("changed_fields") or "").split(","))
    cleared = {f for f in CLEARABLE if f in changed and row.get(f) is None and row.get("action") != "create"}

    def text(name: str) -> str | None:
        return "" if name in cleared else row.get(name)

    company = row.get("company_name")
    contacts = [Relation(name=row["contact"])] if company and row.get("contact") else \
        ([] if "contact" in cleared else None)
    return Relation(
        relation_number=relation_number, ext_relation_id=str(row["ext_relation_id"]), name=row["name"],
        company_name=text("company_name"), contact=row.get("contact") if company else text("contact"),
        address=row.get("address"), zipcode=row.get("zipcode"), city=row.get("city"), country=row.get("country"),
        email=text("email"), vat_number=text("vat_number"), commerce_number=text("commerce_number"),
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
            status, error = "failed", failure_text(exc, f"debtor {group_key}", "see the message; the next run retries")
            if action == "create" and exc.may_have_reached_server:
                found = await self._find(group_key)
                if found is not None:
                    status, error, response = "confirmed", None, {"relationNumber": found}
        except MplusError as exc:
            status, error = "failed", failure_text(exc, f"debtor {group_key}", "correct the debtor in AFAS; the next "
                                                   "run retries")
        return [CallRecord(self.flow, self.entity, group_key, [group_key], action, op, request, response, status,
                           error, duration_ms=(time.perf_counter() - started) * 1000)]

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Write-ahead recovery: does MplusKASSA hold a relation with this extRelationId? None: could not look."""
        try:
            return await self.client.find_relation(ext_relation_id=group_key) is not None
        except MplusError:
            return None

    async def _find(self, ext_id: str) -> int | None:
        try:
            found = await self.client.find_relation(ext_relation_id=ext_id)
        except MplusError:
            return None
        return found.relation_number if found else None
