"""Push step of the customers flow: AFAS debtors as MplusKASSA relations.

A company debtor becomes a relation with `companyName` and its contact person in `contactList`;
a person debtor a relation without. The AFAS debtor id goes into `extRelationId`. A create that
timed out is looked up (by extRelationId) before anything is sent again: no duplicate relation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from connectors.mplus.errors import MplusError
from connectors.mplus.models import Relation
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.base import WriterBase

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
    contacts = (
        [Relation(name=row["contact"])]
        if company and row.get("contact")
        else ([] if "contact" in cleared else None)
    )
    return Relation(
        relation_number=relation_number,
        ext_relation_id=str(row["ext_relation_id"]),
        name=row["name"],
        company_name=text("company_name"),
        contact=row.get("contact") if company else text("contact"),
        address=row.get("address"),
        zipcode=row.get("zipcode"),
        city=row.get("city"),
        country=row.get("country"),
        email=text("email"),
        vat_number=text("vat_number"),
        commerce_number=text("commerce_number"),
        payment_within_days=row.get("payment_within_days"),
        default_vat_method=row.get("vat_method"),
        active=bool(row.get("active", True)),
        contacts=contacts,
    )


class RelationWriter(WriterBase):
    flow = "customers"
    entity = "relations"
    fix = "correct the debtor in AFAS; the next run sends it again"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.mplus
        self.numbers = {
            r["record_key"]: int(r["relation_number"])
            for r in rt.warehouse.query(
                "select record_key, relation_number from transforms.current_relations"
            )
        }

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        action = str(row["action"])
        relation = relation_from_row(row, None if action == "create" else self.numbers.get(group_key))

        async def call() -> Any:
            if action == "create":
                return (await self.client.create_relation(relation)).model_dump(mode="json")
            return {"syncMarker": await self.client.update_relation(relation)}

        return await self.send(
            group_key,
            [group_key],
            action,
            "createRelation" if action == "create" else "updateRelation",
            relation.to_soap(),
            call,
            what=f"debtor {group_key}",
        )

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Does MplusKASSA hold a relation with this extRelationId (the debtor id)? None: could not look."""
        try:
            return await self.client.find_relation(ext_relation_id=group_key) is not None
        except MplusError:
            return None
