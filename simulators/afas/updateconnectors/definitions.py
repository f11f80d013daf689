"""The UpdateConnectors the stand-in serves and their fields, from the table generated from AFAS's OpenAPI
(connectors/afas/field_limits.py), and their metainfo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.afas.field_limits import ObjectLimits, connector_limits

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
