"""Push step of the orders flow, first part: the AFAS debtor of each till sale's customer (created, or updated
when the customer's data changed); a debtor whose insert timed out is looked up by e-mail before it is sent again.
See reverse_etl.writers.orders_documents for where the settings go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from connectors.afas.bodies import element
from connectors.afas.errors import AfasError
from connectors.afas.filters import Op, where
from reverse_etl.held import REFUSED
from reverse_etl.journal import CallRecord
from reverse_etl.push import Row
from reverse_etl.writers.orders_afas import AfasWriter, not_sendable, opt

if TYPE_CHECKING:
    from reverse_etl.writers.context import WriterContext


ADDRESS_FIELDS = ("street", "house_number", "house_number_addition", "zipcode", "city", "country")


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


class DebtorWriter(AfasWriter):
    """Creates (KnSalesRelationOrg/Per) or updates the AFAS debtor of a sale's customer."""

    flow = "orders"
    entity = "debtors"

    def __init__(self, rt: WriterContext) -> None:
        self.client = rt.afas
        self.settings: Any = rt.settings.orders  # afas_mplus.settings.OrdersSettings
        self.debtors_connector = rt.settings.afas.connectors.debtors
        self.current = {
            r["record_key"]: r
            for r in rt.warehouse.query(
                "select record_key, debtor_id, bc_co from transforms.current_order_debtors"
            )
        }

    def address(self, row: Row, *, update: bool) -> dict[str, Any]:
        fields = {
            "CoId": row["country"],
            "PbAd": bool(row.get("po_box")),
            "Ad": row["street"],
            "HmNr": _number(row["house_number"]),
            "HmAd": row["house_number_addition"],
            "ZpCd": row["zipcode"],
            "Rs": row["city"],
        }
        # On an update "" clears what AFAS holds: an address without a number must not keep the old one.
        return element({k: ("" if v is None else v) for k, v in fields.items()} if update else opt(fields))

    def body(
        self, row: Row, debtor_id: str | None = None, bc_co: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        company = row["debtor_kind"] == "company"
        update = debtor_id is not None
        changed = set((row.get("changed_fields") or "").split(",")) if update else set(row)
        objects: dict[str, Any] = {}
        if not update or changed & set(ADDRESS_FIELDS):
            objects["KnBasicAddressAdr"] = self.address(row, update=update)
        memo = (
            None if update else row.get("memo")
        )  # a remark is written once: never over what AFAS users added
        if company:
            contact_name = opt({"FiNm": row.get("contact_first_name"), "LaNm": row.get("contact_last_name")})
            if not update and contact_name:
                objects["KnContact"] = element(
                    opt({"EmAd": row["email"]}),
                    {"KnPerson": element({"MatchPer": "7", **contact_name, **opt({"EmAd": row["email"]})})},
                )
            fields = {"MatchOga": "0" if bc_co else "6", "BcCo": bc_co}
            if not update or "company_name" in changed:
                fields["Nm"] = row["company_name"]
            if not update:
                fields.update(EmAd=row["email"], Re=memo)
            party, conn, sub = element(opt(fields), objects or None), "KnSalesRelationOrg", "KnOrganisation"
        else:
            fields = {"MatchPer": "0" if bc_co else "7", "BcCo": bc_co}
            for name, fid in (("first_name", "FiNm"), ("last_name", "LaNm")):
                if not update or name in changed:
                    fields[fid] = row[name] if row[name] is not None or not update else ""
            if update and "last_name" in changed:
                fields["Is"] = (
                    ""  # the last name sent holds the prefix ("de Boer"): AFAS's own prefix is cleared
                )
            if not update:
                fields.update(EmAd=row["email"], Re=memo)
            party = element(
                {k: v for k, v in fields.items() if v is not None and (v != "" or update)}, objects or None
            )
            conn, sub = "KnSalesRelationPer", "KnPerson"
        debtor: dict[str, Any] = {}
        if not update or "vat_number" in changed:
            debtor["VaId"] = row.get("vat_number") or ("" if update else None)
        if not update:
            debtor.update(
                CuId=self.settings.currency,
                PaCd=self.settings.payment_condition,
                ColA=self.settings.debtor_collective_account,
            )
        debtor = {k: v for k, v in debtor.items() if v is not None}
        return conn, element(debtor, {sub: party}, key={"DbId": debtor_id} if debtor_id else None)

    async def write(self, group_key: str, rows: Sequence[Row]) -> list[CallRecord]:
        row = rows[0]
        action = str(row["action"])
        current = self.current.get(group_key) or {}
        debtor_id = current.get("debtor_id") if action != "create" else None
        conn, body = self.body(row, debtor_id, current.get("bc_co") if debtor_id else None)
        method = "PUT" if debtor_id else "POST"
        what = f"debtor for {group_key}"
        refusal = not_sendable(conn, {conn: body}, method, what)
        if refusal:
            return self.not_sent(
                group_key, [group_key], action, refusal, request={conn: body}, status=REFUSED, operation="?"
            )

        async def call() -> Any:
            return await (self.client.update(conn, body) if debtor_id else self.client.insert(conn, body))

        return await self.send(
            group_key, [group_key], action, f"{method} {conn}", {conn: body}, call, what=what
        )

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        """Read-back after a lost answer: does AFAS hold a debtor with this e-mail (the group key)?"""
        return bool(await self.find_by_email(group_key))

    async def find_by_email(self, email: str) -> str | None:
        try:
            rows = await self.client.get_page(
                self.debtors_connector,
                skip=0,
                take=5,
                filters=where("Email", Op.EQ, email),
                order_by=["DebtorId"],
            )
        except AfasError:
            return None
        return str(rows[0]["DebtorId"]) if rows else None
