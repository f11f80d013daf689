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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from connectors.afas.field_limits import ObjectLimits, connector_limits

from .countries import AFAS_COUNTRIES
from .errors import ERR_VALIDATION, AfasError
from .model import CURRENCIES, Debtor, FiEntry, OrderLine, OrgPer, SalesOrder
from .pricing import net_price, price_index
from .records import as_datetime, to_json
from .store import AfasStore

UPDATE_DESCRIPTIONS: dict[str, str] = {
    "KnSalesRelationOrg": "Organisatie als debiteur",
    "KnSalesRelationPer": "Persoon als debiteur",
    "FbSales": "Verkooporder",
    "FbSalesQuotation": "Verkoopofferte",
    "FbDirectInvoice": "Directe verkoopfactuur",
    "FiEntries": "Financiële mutaties",
}
PRIMARY_KEYS: dict[str, frozenset[str]] = {
    "FbSales": frozenset({"OrNu"}),
    "FbSalesQuotation": frozenset({"OrNu"}),
    "FbDirectInvoice": frozenset({"OrNu"}),
    "KnSalesRelationOrg": frozenset({"DbId"}),
    "KnSalesRelationPer": frozenset({"DbId"}),
    "KnOrganisation": frozenset({"BcCo"}),
    "KnPerson": frozenset({"BcCo"}),
    "FiEntryPar": frozenset({"Year"}),
    "FiEntries": frozenset({"EnNo"}),
    "FbSalesLines": frozenset({"GuLi"}),
    "FbSalesQuotationLines": frozenset({"GuLi"}),
    "FbDirectInvoiceLines": frozenset({"GuLi"}),
}
LINE_OBJECTS = {
    "FbSales": "FbSalesLines",
    "FbSalesQuotation": "FbSalesQuotationLines",
    "FbDirectInvoice": "FbDirectInvoiceLines",
}
ITEM_TYPES = frozenset({"1", "10", "11", "14", "2", "3", "4", "5", "6", "7", "8"})


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class UField:
    id: str
    data_type: str
    length: int
    mandatory: bool
    label: str
    values: tuple[tuple[str, str], ...] | None


@dataclass
class ObjectDef:
    name: str
    fields: dict[str, UField]
    children: dict[str, ObjectDef]


def _object(obj: ObjectLimits) -> ObjectDef:
    # mandatory as metainfo reports it: the POST schema's required list (the PUT one where there is no POST)
    required = set(obj.required.get("POST", obj.required.get("PUT", ())))
    fields = {
        f.id: UField(f.id, f.data_type, f.max_length or 0, f.id in required, f.label, f.values)
        for f in obj.fields.values()
    }
    return ObjectDef(obj.name, fields, {name: _object(child) for name, child in obj.children.items()})


# The UpdateConnectors the stand-in serves, defined by the table generated from AFAS's OpenAPI.
SERVED = (
    "KnSalesRelationOrg",
    "KnSalesRelationPer",
    "FbSales",
    "FbSalesQuotation",
    "FbDirectInvoice",
    "FiEntries",
)
OBJECTS: dict[str, ObjectDef] = {conn: _object(connector_limits(conn)) for conn in SERVED}
OBJECTS_CI: dict[str, str] = {k.casefold(): k for k in OBJECTS}


def find_update_connector(name: str) -> str | None:
    return OBJECTS_CI.get(name.casefold())


def metainfo_update(conn: str) -> dict[str, Any]:
    root = OBJECTS[conn]
    return {
        "name": conn,
        "description": UPDATE_DESCRIPTIONS.get(conn, conn),
        "fields": _meta_fields(root),
        "objects": [_meta_object(c) for c in root.children.values()],
    }


def _meta_object(obj: ObjectDef) -> dict[str, Any]:
    return {
        "name": obj.name,
        "description": obj.name,
        "fields": _meta_fields(obj),
        "objects": [_meta_object(c) for c in obj.children.values()],
    }


def _meta_fields(obj: ObjectDef) -> list[dict[str, Any]]:
    keys = PRIMARY_KEYS.get(obj.name, frozenset())
    control = {"string": 1, "int": 5, "decimal": 6, "date": 4, "boolean": 3, "blob": 2}
    return [
        {
            "fieldId": f.id,
            "primaryKey": f.id in keys,
            "dataType": f.data_type,
            "label": f.label,
            "mandatory": f.mandatory,
            "length": f.length,
            "controlType": control.get(f.data_type, 1),
            "decimals": 2 if f.data_type == "decimal" else 0,
            "decimalFieldId": "",
            "notzero": False,
            "values": [{"id": v, "description": d} for v, d in f.values] if f.values else None,
        }
        for f in obj.fields.values()
    ]


# ---------------------------------------------------------------- parsing


@dataclass
class Elem:
    obj: ObjectDef
    attrs: dict[str, Any]  # "@DbId": "1" -> {"DbId": "1"}, coerced like the field of that name
    fields: dict[str, Any]  # coerced values; None = cleared
    raw: dict[str, Any]  # Fields as sent (JSON form), to keep
    children: dict[str, list[Elem]] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.attrs and self.attrs[name] is not None:
            return self.attrs[name]
        value = self.fields.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        return name in self.fields or name in self.attrs

    def kids(self, name: str) -> list[Elem]:
        return self.children.get(name, [])


def parse_body(conn: str, body: Any) -> list[Elem]:
    root = OBJECTS[conn]
    if not isinstance(body, dict) or not body:
        raise AfasError("Er zijn geen gegevens ontvangen.")
    if len(body) != 1 or next(iter(body)) != root.name:
        name = next((k for k in body if k != root.name), next(iter(body)))
        raise AfasError(f"Onbekend object '{name}' voor connector '{conn}' (verwacht '{root.name}').")
    return _elements(root, body[root.name])


def _elements(obj: ObjectDef, node: Any) -> list[Elem]:
    if not isinstance(node, dict) or "Element" not in node:
        raise AfasError(f"Object '{obj.name}' heeft geen Element.")
    element = node["Element"]
    items = element if isinstance(element, list) else [element]
    return [_element(obj, item) for item in items]


def _element(obj: ObjectDef, item: Any) -> Elem:
    if not isinstance(item, dict):
        raise AfasError(f"Ongeldig Element in object '{obj.name}'.")
    attrs: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    raw = item.get("Fields") or {}
    if not isinstance(raw, dict):
        raise AfasError(f"Ongeldige Fields in object '{obj.name}'.")
    for key, value in item.items():
        if key.startswith("@"):
            name = key[1:]
            fd = obj.fields.get(name)
            if fd is None:
                raise AfasError(f"Onbekend veld '{name}' in object '{obj.name}'.")
            attrs[name] = _coerce(fd, value, obj.name)
    for name, value in raw.items():
        fd = obj.fields.get(name)
        if fd is None:
            raise AfasError(f"Onbekend veld '{name}' in object '{obj.name}'.")
        fields[name] = _coerce(fd, value, obj.name)
    elem = Elem(obj, attrs, fields, dict(raw))
    objects = item.get("Objects")
    if objects:
        parts = objects if isinstance(objects, list) else [objects]
        for part in parts:
            if not isinstance(part, dict):
                raise AfasError(f"Ongeldige Objects in object '{obj.name}'.")
            for child_name, child_node in part.items():
                child = obj.children.get(child_name)
                if child is None:
                    raise AfasError(f"Onbekend object '{child_name}' in object '{obj.name}'.")
                elem.children.setdefault(child_name, []).extend(_elements(child, child_node))
    return elem


def _coerce(fd: UField, value: Any, obj: str) -> Any:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None  # "" clears a field
    dt = fd.data_type
    try:
        if dt == "int":
            if isinstance(value, bool):
                raise ValueError(value)
            number = Decimal(str(value).strip())
            if number != number.to_integral_value():
                raise ValueError(value)
            return int(number)
        if dt == "decimal":
            if isinstance(value, bool):
                raise ValueError(value)
            return (
                Decimal(repr(value))
                if isinstance(value, float)
                else Decimal(str(value).strip().replace(",", "."))
            )
        if dt == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "1", "-1"):
                return True
            if text in ("false", "0"):
                return False
            raise ValueError(value)
        if dt == "date":
            if not isinstance(value, str):
                raise ValueError(value)
            return as_datetime(value)
        if isinstance(value, dict | list):
            raise ValueError(value)
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    except (ValueError, InvalidOperation, TypeError) as exc:
        raise AfasError(
            f"De waarde '{value}' is ongeldig voor veld '{fd.label}' ({fd.id}) in object '{obj}'."
        ) from exc
    if fd.length and dt == "string" and len(text) > fd.length:
        raise AfasError(f"De waarde van veld '{fd.label}' ({fd.id}) is te lang: maximaal {fd.length} tekens.")
    if fd.values and text not in {v for v, _ in fd.values}:
        raise AfasError(f"De ingevulde waarde bij '{fd.label}' ({fd.id}) is ongeldig: '{text}'.")
    return text


def _required(elem: Elem, *names: str) -> None:
    for name in names:
        if elem.get(name) is None:
            fd = elem.obj.fields[name]
            raise AfasError(f"Veld '{fd.label}' ({name}) is verplicht in object '{elem.obj.name}'.")


def _not_found(elem: Elem, name: str, value: Any) -> AfasError:
    fd = elem.obj.fields.get(name)
    label = fd.label if fd else name
    return AfasError(f"De ingevulde waarde bij '{label}' ({name}) bestaat niet: '{value}'.", ERR_VALIDATION)


# ---------------------------------------------------------------- dispatch

Apply = Callable[[], dict[str, Any]]


def handle_write(state: AfasStore, method: str, conn: str, sub: str | None, body: Any) -> dict[str, Any]:
    """POST/PUT a body; returns the `results` payload ({conn: keys} or {conn: [keys, ...]} for a batch)."""
    elems = parse_body(conn, body)
    with state.lock:
        if conn in LINE_OBJECTS:
            if sub is not None and sub != LINE_OBJECTS[conn]:
                raise AfasError(f"Onbekend object '{sub}' voor connector '{conn}'.")
            plans = [_order_plan(state, conn, e, method, sub is not None) for e in elems]
        elif conn in ("KnSalesRelationOrg", "KnSalesRelationPer"):
            if sub is not None:
                raise AfasError(f"Object '{sub}' wordt door de stand-in niet ondersteund voor '{conn}'.")
            plans = [_relation_plan(state, conn, e, method) for e in elems]
        elif conn == "FiEntries":
            if method != "POST" or sub is not None:
                raise AfasError("FiEntries ondersteunt alleen toevoegen (POST).")
            plans = [_entry_plan(state, e) for e in elems]
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
            _stock_effect(state, order, order.lines, sign=-1)
            del state.orders[order.order_number]
            state.touch("orders", order.order_number)
            return
    raise AfasError(f"Verwijderen van '{obj}' via '{conn}' wordt door de stand-in niet ondersteund.")


# ---------------------------------------------------------------- sales orders, quotations, direct invoices


def _order_plan(state: AfasStore, conn: str, e: Elem, method: str, sub_post: bool) -> Apply:
    if method == "POST" and not sub_post:
        return _new_order_plan(state, conn, e)
    # PUT, or POST /connectors/{conn}/{lines}: update the header, insert/update lines
    _required(e, "OrNu")
    number = str(e.get("OrNu"))
    order = state.orders.get(number)
    if order is None or order.connector != conn:
        raise AfasError(f"De order '{number}' bestaat niet.")
    # DbId may not be sent on a PUT; the sub-object POST (whose OpenAPI schema requires DbId) may repeat it
    if e.has("DbId") and (not sub_post or str(e.get("DbId")) != order.debtor_id):
        raise AfasError(
            "Het veld 'Verkooprelatie' (DbId) mag bij het wijzigen van een order niet worden meegegeven."
        )
    _check_header(state, e)
    debtor = state.debtors[order.debtor_id]
    by_guid = {line.guid.casefold(): line for line in order.lines}
    updates: list[tuple[OrderLine, Elem]] = []
    new_lines: list[OrderLine] = []
    warehouse = e.get("War") or order.warehouse
    for le in e.kids(LINE_OBJECTS[conn]):
        guid = le.get("GuLi")
        existing = by_guid.get(str(guid).casefold()) if guid and not sub_post else None
        if existing is not None:
            _check_line_update(state, le, existing)
            updates.append((existing, le))
        else:
            new_lines.append(_new_line(state, le, debtor, warehouse, order.order_date, order.vat_included))

    def apply() -> dict[str, Any]:
        now = state.now()
        _set_header(order, e)
        for line, le in updates:
            _stock_effect(state, order, [line], sign=-1)  # release the old quantity, book the new one
            _update_line(state, line, le, now)
            _stock_effect(state, order, [line], sign=1)
        seq = max((line.seq_no for line in order.lines), default=0)
        for line in new_lines:
            seq += 1
            line.seq_no, line.created, line.modified = seq, now, now
            order.lines.append(line)
        _stock_effect(state, order, new_lines, sign=1)
        order.modified = now
        state.touch("orders", order.order_number)
        return _order_keys(order)

    return apply


def _check_header(state: AfasStore, e: Elem) -> None:
    unit = e.get("Unit")
    if unit is not None and unit not in state.administrations:
        raise _not_found(e, "Unit", unit)
    war = e.get("War")
    if war is not None and war not in state.warehouses:
        raise _not_found(e, "War", war)
    currency = e.get("CuId")
    if currency is not None and currency not in CURRENCIES:
        raise _not_found(e, "CuId", currency)


def _new_order_plan(state: AfasStore, conn: str, e: Elem) -> Apply:
    _required(e, "DbId")
    debtor_id = str(e.get("DbId"))
    debtor = state.debtors.get(debtor_id)
    if debtor is None:
        raise _not_found(e, "DbId", debtor_id)
    if debtor.blocked:  # [INF] AFAS's wording; a blocked sales relation takes no new documents
        raise AfasError(
            f"De verkooprelatie '{debtor_id}' is geblokkeerd: er kunnen geen orders of facturen voor "
            "worden ingevoerd."
        )
    _check_header(state, e)
    number = e.get("OrNu")
    if number is not None and number in state.orders:
        raise AfasError(f"Het ordernummer '{number}' bestaat al.")
    order_date = e.get("OrDa") or state.today()
    warehouse = e.get("War") or "01"
    vat_included = bool(e.get("InVa", False))
    lines = [
        _new_line(state, le, debtor, warehouse, order_date, vat_included) for le in e.kids(LINE_OBJECTS[conn])
    ]

    def apply() -> dict[str, Any]:
        now = state.now()
        ornu = str(number) if number is not None else _next_order_number(state, conn)
        order = SalesOrder(
            order_number=ornu,
            connector=conn,
            debtor_id=debtor_id,
            order_date=order_date,
            reference=e.get("RfCs"),
            currency=e.get("CuId") or debtor.currency,
            unit=e.get("Unit") or 1,
            warehouse=warehouse,
            vat_included=vat_included,
            status="Open",
            fields=to_json(e.raw),
            created=now,
            modified=now,
        )
        if conn == "FbDirectInvoice":
            order.status = "Gefactureerd"
            order.invoice_number = str(state.next_number("invoice"))
        for seq, line in enumerate(lines, 1):
            line.seq_no, line.created, line.modified = seq, now, now
        order.lines = lines
        state.orders[ornu] = order
        _stock_effect(state, order, lines, sign=1)
        state.touch("orders", ornu)
        return _order_keys(order)

    return apply


def _next_order_number(state: AfasStore, conn: str) -> str:
    while True:
        number = str(state.next_number(conn))
        if number not in state.orders:
            return number


def _order_keys(order: SalesOrder) -> dict[str, Any]:
    keys: dict[str, Any] = {"OrNu": order.order_number}
    if order.connector == "FbDirectInvoice":
        keys["Liln"] = order.invoice_number
    return keys


def _set_header(order: SalesOrder, e: Elem) -> None:
    if "RfCs" in e.fields:
        order.reference = e.fields["RfCs"]
    if e.get("OrDa") is not None:
        order.order_date = e.get("OrDa")
    if e.get("War") is not None:
        order.warehouse = e.get("War")
    if e.get("CuId") is not None:
        order.currency = e.get("CuId")
    if e.get("InVa") is not None:
        order.vat_included = bool(e.get("InVa"))
    order.fields.update(to_json(e.raw))


def _new_line(
    state: AfasStore, le: Elem, debtor: Debtor, warehouse: str, at: datetime, vat_included: bool
) -> OrderLine:
    _required(le, "VaIt")
    item_type = str(le.get("VaIt"))
    if item_type not in ITEM_TYPES:
        raise _not_found(le, "VaIt", item_type)
    code = le.get("ItCd")
    if item_type != "3":
        _required(le, "ItCd", "QuUn")
    quantity = le.get("QuUn", Decimal(1) if item_type == "3" else None)
    war = le.get("War") or warehouse
    if war not in state.warehouses:
        raise _not_found(le, "War", war)
    unit = le.get("BiUn")
    description = le.get("Ds")
    vat = Decimal(0) if item_type == "3" else Decimal(21)
    price = le.get("Upri")
    if item_type == "2":
        article = state.articles.get(code)
        if article is None:
            raise _not_found(le, "ItCd", code)
        if article.blocked:
            raise AfasError(f"Artikel '{code}' is geblokkeerd en kan niet worden verkocht.")
        if unit is not None and unit.casefold() != article.unit.casefold():
            raise AfasError(f"Eenheid '{unit}' (BiUn) bestaat niet voor artikel '{code}'.")
        unit = article.unit
        description = description or article.description
        vat = state.vat_pct(code)
        if price is None:
            _, price = net_price(
                state, price_index(state), article, debtor.price_list, debtor.debtor_id, quantity, at
            )
            if vat_included:
                price = (price * (1 + vat / 100)).quantize(Decimal("0.01"))
    return OrderLine(
        seq_no=0,
        guid=str(le.get("GuLi") or state.new_guid()),
        item_type=item_type,
        item_code=code,
        description=description,
        unit=unit,
        quantity=quantity,
        price=price if price is not None else Decimal(0),
        discount_pct=le.get("PRDc", Decimal(0)),
        warehouse=war,
        vat_pct=vat,
        fields=to_json(le.raw),
    )


def _check_line_update(state: AfasStore, le: Elem, line: OrderLine) -> None:
    if le.has("ItCd") and le.get("ItCd") != line.item_code:
        raise AfasError("Het itemcode van een bestaande orderregel kan niet worden gewijzigd.")
    war = le.get("War")
    if war is not None and war not in state.warehouses:
        raise _not_found(le, "War", war)


def _update_line(state: AfasStore, line: OrderLine, le: Elem, now: datetime) -> None:
    mapping = {
        "QuUn": "quantity",
        "Upri": "price",
        "Ds": "description",
        "PRDc": "discount_pct",
        "War": "warehouse",
    }
    for fid, attr in mapping.items():
        if fid in le.fields:
            value = le.fields[fid]
            if value is None and attr in ("quantity", "price", "discount_pct"):
                value = Decimal(0)
            setattr(line, attr, value)
    line.fields.update(to_json(le.raw))
    line.modified = now


def _stock_effect(state: AfasStore, order: SalesOrder, lines: list[OrderLine], sign: int) -> None:
    """Orders reserve stock; direct invoices deliver it at once (physical stock goes down)."""
    if not state.order_stock_effects or order.connector == "FbSalesQuotation":
        return
    for line in lines:
        article = state.articles.get(line.item_code or "")
        if line.item_type != "2" or article is None or not article.stock_tracked or not line.quantity:
            continue
        qty = line.quantity * sign
        war = line.warehouse or order.warehouse or "01"
        if order.connector == "FbDirectInvoice":
            state.adjust_stock(article.item_code, war, physical=-qty)
        else:
            state.adjust_stock(article.item_code, war, reserved=qty)


# ---------------------------------------------------------------- sales relations (debtors)

_ORG_FIELDS = {
    "Nm": "name",
    "CcNr": "coc_number",
    "FiNr": "fiscal_number",
    "EmAd": "email",
    "TeNr": "phone",
    "MbNr": "mobile",
    "HoPa": "homepage",
    "SeNm": "search_name",
    "Re": "note",
}
_PER_FIELDS = {
    "FiNm": "first_name",
    "In": "initials",
    "Is": "prefix",
    "LaNm": "last_name",
    "ViGe": "gender",
    "DaBi": "birth_date",
    "SoSe": "bsn",
    "EmAd": "email",
    "TeNr": "phone",
    "MbNr": "mobile",
    "HoPa": "homepage",
    "SeNm": "search_name",
    "Re": "note",
}
_DEBTOR_FIELDS = {
    "PaCd": "payment_condition",
    "PrLs": "price_list",
    "Bl": "blocked",
    "VaId": "vat_number",
    "VaDu": "vat_duty",
    "ColA": "collect_account",
    "CuId": "currency",
    "Krli": "credit_limit",
    "Iban": "iban",
    "AuPa": "auto_payment",
}


def _relation_plan(state: AfasStore, conn: str, e: Elem, method: str) -> Apply:
    org = conn == "KnSalesRelationOrg"
    kind = "O" if org else "P"
    child_name = "KnOrganisation" if org else "KnPerson"
    kids = e.kids(child_name)
    if len(kids) > 1:
        raise AfasError(f"Object '{child_name}' mag maar één keer voorkomen.")
    child = kids[0] if kids else None
    debtor_id = e.get("DbId")
    debtor_id = None if debtor_id is None else str(debtor_id)
    _check_debtor_fields(state, e)
    changes = _address_changes(child) if child is not None else {}
    contact = _contact_changes(child) if child is not None and org else {}

    if method == "PUT":
        if debtor_id is None:
            raise AfasError(f"Veld 'Debiteur' (DbId) is verplicht bij het wijzigen via '{conn}'.")
        debtor = state.debtors.get(debtor_id)
        if debtor is None or debtor.kind != kind:
            raise AfasError(f"De verkooprelatie '{debtor_id}' bestaat niet.")
        op = state.orgpers[debtor.bc_co]
        if child is not None and child.get("BcCo") not in (None, op.bc_co):
            raise AfasError(f"Nummer '{child.get('BcCo')}' hoort niet bij verkooprelatie '{debtor_id}'.")

        def apply_put() -> dict[str, Any]:
            now = state.now()
            if child is not None:
                _set_orgper(op, child, org, changes, contact, now)
                state.touch_orgper(op.bc_co)
            _set_debtor(debtor, e, now)
            state.put_debtor(debtor)
            return {"DbId": debtor.debtor_id, "BcCo": debtor.bc_co}

        return apply_put

    # POST: a new debtor for a matched or new organisation/person
    _required(e, "CuId")
    if debtor_id is not None and debtor_id in state.debtors:
        raise AfasError(f"De verkooprelatie '{debtor_id}' bestaat al.")
    if child is None:
        raise AfasError(f"Het object '{child_name}' ontbreekt in '{conn}'.")
    matched = _match_org(state, child) if org else _match_person(state, child)
    if matched is not None:
        taken = state.debtors_by_bc.get(matched.bc_co)
        if taken:
            raise AfasError(
                f"{'Organisatie' if org else 'Persoon'} '{matched.bc_co}' is al verkooprelatie "
                f"'{sorted(taken)[0]}'."
            )
    else:
        _required(child, "Nm" if org else "LaNm")
        wanted = child.get("BcCo")
        if wanted is not None and not child.get("AutoNum", False) and str(wanted) in state.orgpers:
            raise AfasError(f"Nummer '{wanted}' (BcCo) bestaat al.")

    def apply_post() -> dict[str, Any]:
        now = state.now()
        op = matched
        if op is None:
            wanted = child.get("BcCo")
            bc = str(wanted) if wanted is not None and not child.get("AutoNum", False) else state.next_bc_co()
            op = OrgPer(bc_co=bc, kind=kind, created=now, modified=now)
        _set_orgper(op, child, org, changes, contact, now)
        state.put_orgper(op)
        debtor = Debtor(
            debtor_id=debtor_id or state.next_debtor_id(),
            bc_co=op.bc_co,
            kind=kind,
            customer_group="ZAKELIJK" if org else "PARTICULIER",
            created=now,
            modified=now,
        )
        _set_debtor(debtor, e, now)
        state.put_debtor(debtor)
        return {"DbId": debtor.debtor_id, "BcCo": op.bc_co}

    return apply_post


def _check_debtor_fields(state: AfasStore, e: Elem) -> None:
    currency = e.get("CuId")
    if currency is not None and currency not in CURRENCIES:
        raise _not_found(e, "CuId", currency)
    price_list = e.get("PrLs")
    if price_list is not None and price_list not in state.price_lists:
        raise _not_found(e, "PrLs", price_list)
    country = e.get("CoId")
    if country is not None and country not in AFAS_COUNTRIES:
        raise _not_found(e, "CoId", country)


def _address_changes(child: Elem) -> dict[str, Any]:
    """Visiting address (KnBasicAddressAdr) fields and the postal address, validated."""
    out: dict[str, Any] = {}
    for name in ("KnBasicAddressAdr", "KnBasicAddressPad"):
        for adr in child.kids(name):
            _required(adr, "CoId")
            country = str(adr.get("CoId")).upper()
            if country not in AFAS_COUNTRIES:
                raise AfasError(
                    f"De ingevulde waarde bij 'Land' (CoId) bestaat niet: '{adr.get('CoId')}' "
                    "(AFAS-landcode verwacht, bijv. NL, B, D)."
                )
            if name == "KnBasicAddressAdr":
                values = {
                    "country": country,
                    "street": adr.fields.get("Ad"),
                    "zipcode": adr.fields.get("ZpCd"),
                    "city": adr.fields.get("Rs"),
                    "house_addition": adr.fields.get("HmAd"),
                }
                number = adr.fields.get("HmNr")
                values["house_number"] = None if number is None else str(number)
                values["po_box"] = adr.fields.get("PbAd")
                out.update({k: v for k, v in values.items() if k == "country" or _sent(adr, k)})
            else:
                out["postal_address"] = to_json(adr.raw)
    return out


def _sent(adr: Elem, attr: str) -> bool:
    fid = {
        "street": "Ad",
        "zipcode": "ZpCd",
        "city": "Rs",
        "house_addition": "HmAd",
        "house_number": "HmNr",
        "po_box": "PbAd",
    }[attr]
    return fid in adr.fields


def _contact_changes(child: Elem) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for contact in child.kids("KnContact"):
        if contact.get("EmAd") is not None:
            out["contact_email"] = contact.get("EmAd")
        for person in contact.kids("KnPerson"):
            out["contact_first_name"] = person.get("FiNm") or person.get("In")
            out["contact_prefix"] = person.get("Is")
            out["contact_last_name"] = person.get("LaNm")
            if person.get("EmAd") is not None:
                out.setdefault("contact_email", person.get("EmAd"))
    return out


def _set_orgper(
    op: OrgPer, child: Elem, org: bool, changes: dict[str, Any], contact: dict[str, Any], now: datetime
) -> None:
    for fid, attr in (_ORG_FIELDS if org else _PER_FIELDS).items():
        if fid in child.fields:
            setattr(op, attr, child.fields[fid])
    if not org and op.initials is None and op.first_name:
        op.initials = op.first_name[:1] + "."
    for attr, value in {**changes, **contact}.items():
        setattr(op, attr, value)
    if op.search_name is None:
        op.search_name = (op.display_name() or "").upper()[:10] or None
    op.modified = now


def _set_debtor(debtor: Debtor, e: Elem, now: datetime) -> None:
    for fid, attr in _DEBTOR_FIELDS.items():
        if fid in e.fields:
            value = e.fields[fid]
            if attr in ("blocked", "auto_payment"):
                value = bool(value)
            setattr(debtor, attr, value)
    debtor.extra.update({k: v for k, v in to_json(e.raw).items() if k not in _DEBTOR_FIELDS})
    debtor.modified = now


def _norm(text: Any) -> str:
    return re.sub(r"[\s.]", "", str(text or "")).casefold()


def _match_org(state: AfasStore, child: Elem) -> OrgPer | None:
    """MatchOga: 0 BcCo, 1 KvK (CcNr), 2 fiscal number (FiNr), 3 name, 4/5 address, 6 always new."""
    mode = str(child.get("MatchOga", "0"))
    orgs = [op for op in state.orgpers.values() if op.kind == "O"]
    if mode in ("0", "9"):
        bc = child.get("BcCo")
        op = state.orgpers.get(str(bc)) if bc is not None else None
        return op if op is not None and op.kind == "O" else None
    if mode == "1" and child.get("CcNr"):
        return next((o for o in orgs if _norm(o.coc_number) == _norm(child.get("CcNr"))), None)
    if mode == "2" and child.get("FiNr"):
        return next((o for o in orgs if _norm(o.fiscal_number) == _norm(child.get("FiNr"))), None)
    if mode == "3" and child.get("Nm"):
        return next((o for o in orgs if _norm(o.name) == _norm(child.get("Nm"))), None)
    if mode in ("4", "5"):
        adr = next(iter(child.kids("KnBasicAddressAdr" if mode == "4" else "KnBasicAddressPad")), None)
        if adr is not None and adr.get("ZpCd") and adr.get("HmNr") is not None:
            return next(
                (
                    o
                    for o in orgs
                    if _norm(o.zipcode) == _norm(adr.get("ZpCd"))
                    and _norm(o.house_number) == _norm(adr.get("HmNr"))
                ),
                None,
            )
    return None


def _match_person(state: AfasStore, child: Elem) -> OrgPer | None:
    """MatchPer: 0 BcCo, 1 BSN, 2 name (last name, prefix, initials), 3 + e-mail, 4 + mobile, 5 + phone,
    6 + birth date, 7 always new."""
    mode = str(child.get("MatchPer", "0"))
    if mode == "0":
        bc = child.get("BcCo")
        op = state.orgpers.get(str(bc)) if bc is not None else None
        return op if op is not None and op.kind == "P" else None
    persons = [op for op in state.orgpers.values() if op.kind == "P"]
    if mode == "1":
        bsn = child.get("SoSe")
        return next((p for p in persons if bsn and _norm(p.bsn) == _norm(bsn)), None)
    if mode not in ("2", "3", "4", "5", "6"):
        return None
    initials = child.get("In") or (child.get("FiNm") or "")[:1]
    extra = {
        "3": ("EmAd", "email"),
        "4": ("MbNr", "mobile"),
        "5": ("TeNr", "phone"),
        "6": ("DaBi", "birth_date"),
    }.get(mode)
    for p in persons:
        p_initials = p.initials or (p.first_name or "")[:1]
        if (
            _norm(p.last_name) != _norm(child.get("LaNm"))
            or _norm(p.prefix) != _norm(child.get("Is"))
            or _norm(p_initials) != _norm(initials)
        ):
            continue
        if extra is not None:
            wanted = child.get(extra[0])
            have = getattr(p, extra[1])
            if wanted is None or (have != wanted and _norm(have) != _norm(wanted)):
                continue
        return p
    return None


# ---------------------------------------------------------------- financial entries


def _entry_plan(state: AfasStore, e: Elem) -> Apply:
    _required(e, "Year", "Peri", "JoCo")
    if (e.get("Year"), e.get("Peri")) in state.closed_periods:  # [INF] AFAS's wording
        raise AfasError(
            f"Periode {e.get('Peri')} van boekjaar {e.get('Year')} is afgesloten: er kan niet meer in "
            "worden geboekt."
        )
    unit = e.get("UnId", 1)
    if unit not in state.administrations:
        raise _not_found(e, "UnId", unit)
    lines = e.kids("FiEntries")
    if not lines:
        raise AfasError("Een financiële mutatie heeft ten minste één boekingsregel (FiEntries) nodig.")
    debit = credit = Decimal(0)
    for le in lines:
        _required(le, "VaAs", "AcNr", "EnDa")
        if le.get("VaAs") == "2" and str(le.get("AcNr")) not in state.debtors:
            raise _not_found(le, "AcNr", le.get("AcNr"))
        debit += le.get("AmDe", Decimal(0))
        credit += le.get("AmCr", Decimal(0))
    if debit != credit:
        raise AfasError(f"De boeking is niet in balans: debet {debit:.2f}, credit {credit:.2f}.")

    def apply() -> dict[str, Any]:
        number = state.next_number("entry")
        state.fi_entries[number] = FiEntry(
            entry_no=number,
            year=e.get("Year"),
            period=e.get("Peri"),
            unit=unit,
            journal=str(e.get("JoCo")),
            lines=[to_json(le.raw) for le in lines],
            created=state.now(),
        )
        state.touch("fi_entries", number)
        invoice = next((str(le.get("InId")) for le in lines if le.get("InId") is not None), "")
        return {"EnNo": str(number), "UnId": str(unit), "InID": invoice}

    return apply
