"""FiEntries: financial entries (journal lines that balance, in an open period)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import AfasError
from ..model import FiEntry
from ..records import to_json
from ..store import AfasStore
from .bodies import Apply, Elem, not_found, required

# ---------------------------------------------------------------- financial entries


def entry_plan(state: AfasStore, e: Elem) -> Apply:
    required(e, "Year", "Peri", "JoCo")
    if (e.get("Year"), e.get("Peri")) in state.closed_periods:  # [INF] AFAS's wording
        raise AfasError(
            f"Periode {e.get('Peri')} van boekjaar {e.get('Year')} is afgesloten: er kan niet meer in "
            "worden geboekt."
        )
    unit = e.get("UnId", 1)
    if unit not in state.administrations:
        raise not_found(e, "UnId", unit)
    lines = e.kids("FiEntries")
    if not lines:
        raise AfasError("Een financiële mutatie heeft ten minste één boekingsregel (FiEntries) nodig.")
    debit = credit = Decimal(0)
    for le in lines:
        required(le, "VaAs", "AcNr", "EnDa")
        if le.get("VaAs") == "2" and str(le.get("AcNr")) not in state.debtors:
            raise not_found(le, "AcNr", le.get("AcNr"))
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
