"""Till texts made to fit AFAS, computed in Python before the orders models run (the SQL joins the results).

The orders models must run on DuckDB and PostgreSQL alike, and two rules are Python, tested on their own:
splitting a one-line address (`connectors.afas.address.parse_address`) and cutting a text at a word boundary
to an AFAS field's length (`connectors.afas.text_fit.fit_text`; lengths from AFAS's OpenAPI, generated into
`connectors.afas.limits`). So before the models run, every distinct till value they may use is worked out once
and kept in two tables beside the MplusKASSA staging tables:

- `staging.mplus_order_addresses` (address, country) -> street, house_number, addition, po_box, flagged, reason;
- `staging.mplus_order_texts` (kind, value) -> first_name / last_name (a person's name split in two),
  fitted (the value cut to its field), cut (True when something was cut off: the full value goes to a remark).

Both only grow by the values not seen before: a run with no new customers or lines parses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from connectors.afas.address import parse_address
from connectors.afas.field_limits import field_limit
from connectors.afas.text_fit import fit_text

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime
    from staging.warehouse import Warehouse

ADDRESSES = "staging.mplus_order_addresses"
TEXTS = "staging.mplus_order_texts"
ADDRESS_COLUMNS = {
    "address": "varchar",
    "country": "varchar",
    "street": "varchar",
    "house_number": "varchar",
    "addition": "varchar",
    "po_box": "boolean",
    "flagged": "boolean",
    "reason": "varchar",
}
TEXT_COLUMNS = {
    "kind": "varchar",
    "value": "varchar",
    "first_name": "varchar",
    "last_name": "varchar",
    "fitted": "varchar",
    "cut": "boolean",
}

# The AFAS field each kind of text goes to (its length from the OpenAPI).
FIRST_NAME_MAX = field_limit("KnSalesRelationPer", "KnPerson", "FiNm").max_length or 50
LAST_NAME_MAX = field_limit("KnSalesRelationPer", "KnPerson", "LaNm").max_length or 80
LIMITS = {
    "company": field_limit("KnSalesRelationOrg", "KnOrganisation", "Nm").max_length or 255,
    "city": field_limit("KnSalesRelationOrg", "KnOrganisation/KnBasicAddressAdr", "Rs").max_length or 50,
    "line": field_limit("FbSales", "FbSalesLines", "Ds").max_length or 255,
}

# (staging table, address column, country column): the one-line addresses an order's customer may have.
ADDRESS_SOURCES = (
    ("mplus_relations", "address", "country"),
    ("mplus_orders", "invoice_address", "invoice_country"),
    ("mplus_invoices", "invoice_address", "invoice_country"),
)
# kind -> (staging table, column) holding such values.
TEXT_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (
        ("mplus_relations", "contact"),
        ("mplus_relations", "name"),
        ("mplus_orders", "invoice_name"),
        ("mplus_invoices", "invoice_name"),
    ),
    "company": (
        ("mplus_relations", "company_name"),
        ("mplus_orders", "invoice_company_name"),
        ("mplus_invoices", "invoice_company_name"),
    ),
    "city": (
        ("mplus_relations", "city"),
        ("mplus_orders", "invoice_city"),
        ("mplus_invoices", "invoice_city"),
    ),
    "line": (("mplus_orders__lines", "text"), ("mplus_invoices__lines", "text")),
}


def prepare(rt: Runtime) -> None:
    """The orders flow's step before its models: parse and fit the till values not seen before."""
    prepare_tables(rt.warehouse)


def prepare_tables(wh: Warehouse) -> dict[str, int]:
    """Add the new addresses and texts; returns how many of each were worked out."""
    for table, columns in ((ADDRESSES, ADDRESS_COLUMNS), (TEXTS, TEXT_COLUMNS)):
        cols = ", ".join(f"{c} {t}" for c, t in columns.items())
        wh.execute(f"create table if not exists {table} ({cols})")
    # table_exists, not information_schema by name: the warehouse knows its schemas' physical names (a prefix)
    present = {
        t
        for t in {src[0] for src in ADDRESS_SOURCES} | {t for srcs in TEXT_SOURCES.values() for t, _ in srcs}
        if wh.table_exists("staging", t)
    }
    addresses = [
        f"select distinct {a} as address, upper(coalesce(nullif(trim({c}), ''), 'NL')) as country "
        f"from staging.{t} where nullif(trim({a}), '') is not null"
        for t, a, c in ADDRESS_SOURCES
        if t in present and _has(wh, t, a, c)
    ]
    new_addresses: list[dict[str, Any]] = []
    if addresses:
        new_addresses = wh.query(
            f"select distinct s.address, s.country from ({' union '.join(addresses)}) as s "
            f"where not exists (select 1 from {ADDRESSES} as a where a.address = s.address and a.country = s.country)"
        )
        wh.append_rows(
            ADDRESSES, ADDRESS_COLUMNS, (address_row(r["address"], r["country"]) for r in new_addresses)
        )
    texts = [
        f"select distinct '{kind}' as kind, {col} as value from staging.{t} where {col} is not null"
        for kind, sources in TEXT_SOURCES.items()
        for t, col in sources
        if t in present and _has(wh, t, col)
    ]
    new_texts: list[dict[str, Any]] = []
    if texts:
        new_texts = wh.query(
            f"select distinct s.kind, s.value from ({' union '.join(texts)}) as s "
            f"where not exists (select 1 from {TEXTS} as x where x.kind = s.kind and x.value = s.value)"
        )
        wh.append_rows(TEXTS, TEXT_COLUMNS, text_rows(new_texts))
    return {"addresses": len(new_addresses), "texts": len(new_texts)}


def _has(wh: Warehouse, table: str, *columns: str) -> bool:
    return set(columns) <= set(wh.columns("staging", table))


def address_row(address: str, country: str) -> tuple[Any, ...]:
    parsed = parse_address(address, country)
    number = None if parsed.house_number is None else str(parsed.house_number)
    return (
        address,
        country,
        parsed.street or None,
        number,
        parsed.addition,
        parsed.po_box,
        parsed.flagged,
        parsed.reason,
    )


def split_person(name: str) -> tuple[str | None, str | None]:
    """ "Jan de Vries" -> ("Jan", "de Vries"); one word is a last name (AFAS requires LaNm, not FiNm)."""
    words = " ".join(name.split())
    if " " not in words:
        return None, words or None
    first, last = words.split(" ", 1)
    return first, last


def text_rows(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for r in rows:
        kind, value = r["kind"], r["value"]
        if kind == "person":
            first, last = split_person(value)
            first_fit, first_cut = fit_text(first, FIRST_NAME_MAX) if first else (None, None)
            last_fit, last_cut = fit_text(last, LAST_NAME_MAX) if last else (None, None)
            yield (kind, value, first_fit, last_fit, None, bool(first_cut or last_cut))
        else:
            fitted, full = fit_text(" ".join(value.split()), LIMITS[kind])
            yield (kind, value, None, None, fitted or None, full is not None)
