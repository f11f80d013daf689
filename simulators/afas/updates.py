"""UpdateConnectors: parse and validate the JSON bodies like AFAS, then change the state.

Body: {Root: {"Element": {...} | [...]}}, an Element being {"@Key": v, "Fields": {...}, "Objects": [{Sub:
{"Element": ...}}] | {Sub: {...}, ...}}. Every field is checked against the connector's definition in
connectors/afas/limits.py (generated from AFAS's OpenAPI by connectors/afas/limits_gen.py, the same table
connectors.afas.check validates bodies with before they are sent): an unknown name is a 500 "Onbekend
veld", a text longer than the field's maxLength, a value of the wrong type or one outside the field's
list of values is a 500 naming the field. Values are coerced leniently ("1" for numbers, "true"/"1" for
booleans, "" clears). [INF] the wording of these messages; more decimals than the column keeps are
accepted (AFAS's rounding is not documented). A call is one transaction: every element is validated
before anything is stored.

Enforced (from the notes; [INF] where AFAS's exact rule is unknown): FbSales/-Quotation/DirectInvoice need
an existing DbId that is not blocked (not allowed on PUT), a known Unit (administration) and Warehouse;
article lines (VaIt 2) need an existing, not blocked ItCd, a quantity, and a unit (BiUn) that is the article's unit ("STK", "KG":
a weighed article takes decimal quantities such as 0.375); other lines need ItCd
and QuUn except text lines (VaIt 3). KnSalesRelationOrg/Per need CuId on insert and valid AFAS country
codes (NL, B, D... not ISO BE/DE); a new organisation needs Nm, a new person LaNm. FiEntries needs Year,
Peri (not a closed period: `AfasStore.closed_periods`), JoCo, lines with VaAs/AcNr/EnDa, debtor accounts
(VaAs 2) that exist, and debit = credit.
The OpenAPI `required` lists are reported as `mandatory` in metainfo but not all enforced: AFAS fills
most of them (BcId, PadAdr, AutoNum, CdDa...) itself.
[INF] a matched organisation/person that already is a debtor gives 500 on insert (no second debtor);
PUT answers 201 with the keys, like POST (the OpenAPI documents 201 for both); DELETE is supported for
the three order connectors (not for an invoiced direct invoice).
"""

from __future__ import annotations

from typing import Any

from .errors import AfasError
from .store import AfasStore
from .updateconnectors.bodies import parse_body
from .updateconnectors.entries import entry_plan
from .updateconnectors.orders import LINE_OBJECTS, order_plan, stock_effect
from .updateconnectors.relations import relation_plan


def handle_write(state: AfasStore, method: str, conn: str, sub: str | None, body: Any) -> dict[str, Any]:
    """POST/PUT a body; returns the `results` payload ({conn: keys} or {conn: [keys, ...]} for a batch)."""
    elems = parse_body(conn, body)
    with state.lock:
        if conn in LINE_OBJECTS:
            if sub is not None and sub != LINE_OBJECTS[conn]:
                raise AfasError(f"Onbekend object '{sub}' voor connector '{conn}'.")
            plans = [order_plan(state, conn, e, method, sub is not None) for e in elems]
        elif conn in ("KnSalesRelationOrg", "KnSalesRelationPer"):
            if sub is not None:
                raise AfasError(f"Object '{sub}' wordt door de stand-in niet ondersteund voor '{conn}'.")
            plans = [relation_plan(state, conn, e, method) for e in elems]
        elif conn == "FiEntries":
            if method != "POST" or sub is not None:
                raise AfasError("FiEntries ondersteunt alleen toevoegen (POST).")
            plans = [entry_plan(state, e) for e in elems]
        else:  # pragma: no cover - OBJECTS and the branches above list the same connectors
            raise AfasError(f"Connector '{conn}' wordt niet ondersteund.")
        results = [apply() for apply in plans]
    return {conn: results[0] if len(results) == 1 else results}


def handle_delete(state: AfasStore, conn: str, obj: str, keys: str, values: str) -> None:
    """DELETE /connectors/{conn}/{obj}/@K1,@K2/v1,v2."""
    names = [k.strip().lstrip("@") for k in keys.split(",")]
    vals = values.split(",")
    if len(names) != len(vals):
        raise AfasError("Het aantal sleutelvelden en waarden komt niet overeen.")
    key = dict(zip(names, vals, strict=True))
    with state.lock:
        if conn in LINE_OBJECTS and obj == conn and list(key) == ["OrNu"]:
            order = state.orders.get(key["OrNu"])
            if order is None or order.connector != conn:
                raise AfasError(f"De order '{key['OrNu']}' bestaat niet.")
            if conn == "FbDirectInvoice":
                raise AfasError(
                    f"Factuur '{order.invoice_number}' is al verwerkt en kan niet worden verwijderd."
                )
            stock_effect(state, order, order.lines, sign=-1)
            del state.orders[order.order_number]
            state.touch("orders", order.order_number)
            return
    raise AfasError(f"Verwijderen van '{obj}' via '{conn}' wordt door de stand-in niet ondersteund.")
