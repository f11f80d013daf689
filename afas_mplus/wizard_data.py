"""What `afas-mplus init` proposes from: what both systems hold that the mappings refer to (read live), and the
proposal for each mapping made from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings
from connectors.afas.errors import AfasError
from connectors.afas.filters import Op, where

NONE = "-"  # the answer for "not mapped": an empty answer takes the proposal
# Dutch AFAS VAT groups and their rate: a fresh MplusKASSA's codes are matched on the percentage.
DUTCH_VAT_RATES = {"HOOG": 21, "LAAG": 9, "GEEN": 0}


@dataclass
class LiveData:
    """What the two systems hold that the mappings refer to."""

    warehouses: dict[str, str]  # AFAS warehouse code -> description
    branches: dict[int, str]  # MplusKASSA branch number -> name
    vat_rates: dict[int, int]  # MplusKASSA VAT code -> percentage
    price_groups: dict[int, str]  # MplusKASSA price group number -> description
    price_lists: dict[str, str]  # AFAS price list -> description ("" when only seen on a debtor)
    vat_groups: list[str]  # AFAS VAT groups used by articles
    notes: list[str] = field(default_factory=list)  # what could not be read, and so was not asked from data


# --- reading live data ---------------------------------------------------------------------------------


def read_live_data(rt: Runtime, settings: Settings) -> LiveData:
    conns, notes = settings.afas.connectors, []
    wh_col = _column(settings, conns.warehouses, "Warehouse")
    desc_col = _column(settings, conns.warehouses, "Description")
    warehouses = {
        str(r[wh_col]): str(r.get(desc_col) or "")
        for r in rt.portal.call(lambda: rt.afas.get_all(conns.warehouses, order_by=[wh_col]))
        if r.get(wh_col) is not None
    }
    branches = {b.branch_number: b.branch_name or "" for b in rt.portal.call(rt.mplus.get_branches)}
    vat_rates = {v.vat_code: v.vat_percentage for v in rt.portal.call(rt.mplus.get_vat_groups)}
    price_groups = {
        g.price_group_number: g.description or "" for g in rt.portal.call(rt.mplus.get_price_groups)
    }

    price_lists: dict[str, str] = {}
    rows = _distinct(rt, settings, conns.price_list_rows, "PriceList", notes)
    desc = _column(settings, conns.price_list_rows, "PriceListDescription")
    price_lists.update({value: str(row.get(desc) or "") for value, row in rows.items()})
    for value in _distinct(rt, settings, conns.debtors, "PriceList", notes):
        price_lists.setdefault(value, "")
    vat_groups = list(_distinct(rt, settings, conns.articles, "VATGroup", notes))
    return LiveData(
        warehouses, branches, vat_rates, price_groups, dict(sorted(price_lists.items())), vat_groups, notes
    )


def _distinct(
    rt: Runtime, settings: Settings, connector: str, ours: str, notes: list[str], cap: int = 500
) -> dict[str, dict[str, Any]]:
    """The distinct values of a column, each with its first row: one page of one row per value
    (`field > last`, ordered), as AFAS cannot select distinct and a price-row connector holds 100k rows."""
    column = _column(settings, connector, ours)
    found: dict[str, dict[str, Any]] = {}
    last: str | None = None
    try:
        while len(found) < cap:
            filters = where(column, Op.NOT_EMPTY) if last is None else where(column, Op.GT, last)
            page = rt.portal.call(
                lambda f=filters: rt.afas.get_page(connector, skip=0, take=1, filters=f, order_by=[column])
            )
            value = str(page[0].get(column) or "") if page else ""
            if not value or value in found:
                break
            found[value] = page[0]
            last = value
    except (AfasError, ValueError) as exc:
        notes.append(
            f"could not read {ours} from {connector} ({str(exc).splitlines()[0][:120]}); only the "
            f"configured values are asked"
        )
    return found


def _column(settings: Settings, connector: str, ours: str) -> str:
    return settings.afas.connectors.columns.get(connector, {}).get(ours, ours)


# --- proposals -----------------------------------------------------------------------------------------


def propose_branch(
    warehouse: str, description: str, configured: dict[str, int], branches: dict[int, str]
) -> str:
    """The configured branch if it exists; else the branch sharing a name word (`Winkel Haarlem` ->
    `Haarlem Grote Markt`); else the only branch; else none. Never by position: the third warehouse is
    not the third branch (that proposal moved warehouse 02 from the default branch 1 to branch 2)."""
    if warehouse in configured and (configured[warehouse] in branches or not branches):
        return str(configured[warehouse])
    matches = [n for n, name in branches.items() if _words(description) & _words(name)]
    if len(matches) == 1:
        return str(matches[0])
    return str(next(iter(branches))) if len(branches) == 1 else NONE


def propose_vat_code(group: str, configured: dict[str, int], rates: dict[int, int]) -> str:
    if group in configured and (configured[group] in rates or not rates):
        return str(configured[group])
    pct = DUTCH_VAT_RATES.get(group.upper())
    matches = [code for code, rate in rates.items() if rate == pct]
    return str(matches[0]) if len(matches) == 1 else ""


def propose_price_group(
    price_list: str, description: str, configured: dict[str, int], groups: dict[int, str]
) -> str:
    if price_list in configured and (configured[price_list] in groups or not groups):
        return str(configured[price_list])
    matches = [n for n, name in groups.items() if _words(description) & _words(name or "")]
    return str(matches[0]) if len(matches) == 1 else NONE


def _words(text: str) -> set[str]:
    # Words of four letters or more: "de", "van", "(niet" carry no meaning for a match.
    return {w for w in re.findall(r"[^\W\d_]{4,}", text.casefold())}
