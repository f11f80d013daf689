"""The GetConnectors the stand-in serves, by id (the definitions are in getconnectors/, one module per entity
family), and the split of a parameter connector's filter into its inputs.

Standard connectors use exactly the field names of AFAS's OpenAPI row schemas (every field; null where the
demo has no value); the custom `Sync_*` ones are those of docs/custom-connectors.md. A connector builds
its rows per *entity* (an article, a stock record, a debtor...); `deps` says which state tables feed it and
maps a changed key of such a table to the entities whose rows change (None = rebuild everything).
Row values are typed (str, int, Decimal, bool, datetime, None); app.py turns them into JSON per page.
[INF] values the demo cannot know: ItemTypeCode/ItemType/Basisartikeltype_code "Art", BarcodeType "EAN13",
Factor 1, BitDecimals 0, Profit_OrgPer.Type "O"/"P", Ordersoort "Verkooporder"/"Offerte"/"Directe factuur".
Profit_Stock_per_Warehouse has no warehouse column: one row per article, In_stock = physical stock summed
over warehouses. Debtor rows take the later ModifiedDate of the debtor and its organisation/person.
"""

from __future__ import annotations

from typing import Any

from .filters import parse_value
from .getconnectors import articles, orders, prices, relations
from .getconnectors.base import GetConnector
from .layout_connectors import layout_connectors


def _all_defs() -> list[GetConnector]:
    standard = [*articles.CONNECTORS, *relations.CONNECTORS, *orders.CONNECTORS, *prices.CONNECTORS]
    # AFAS's own connectors first, then the custom Sync_* ones (the order metainfo lists them in), then a
    # customer's own connectors (docs/mappings/).
    return [*sorted(standard, key=lambda c: c.id.startswith("Sync_")), *layout_connectors()]


GET_CONNECTORS: dict[str, GetConnector] = {c.id: c for c in _all_defs()}
GET_CONNECTORS_CI: dict[str, GetConnector] = {k.casefold(): v for k, v in GET_CONNECTORS.items()}


def find_get_connector(name: str) -> GetConnector | None:
    return GET_CONNECTORS_CI.get(name.casefold())


def dynamic_inputs(conn: GetConnector, raw_groups: list[list[Any]]) -> tuple[dict[str, Any], list[list[Any]]]:
    """Split a parameter connector's filter into its inputs (op 1 on an input field) and real conditions."""
    inputs: dict[str, Any] = {}
    kept: list[list[Any]] = []
    wanted = {n.casefold(): n for n in conn.inputs}
    for group in raw_groups:
        rest = []
        for cond in group:
            name = wanted.get(cond.field.casefold())
            if name is not None and cond.op == 1:
                dtype = conn.types[conn.names.index(name)]
                value = cond.value if dtype == "string" else parse_value(cond.value, dtype, name)
                inputs.setdefault(name, value)
            else:
                rest.append(cond)
        if rest:
            kept.append(rest)
        elif group:
            kept = []  # a group of inputs only matches every row
            break
    return inputs, kept
