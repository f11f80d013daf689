"""The setup wizard (`afas-mplus init`): a few questions, answered from what both systems hold.

It connects first (the stand-ins when no endpoints are given), then proposes mappings from live
data: AFAS warehouses to MplusKASSA branches, AFAS VAT groups to MplusKASSA VAT codes, price
lists to price groups. It writes `afas-mplus.yaml` without secrets (those belong in the
environment: AFAS_TOKEN, MPLUS_IDENT, MPLUS_SECRET) and finishes with the prerequisites check.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings

Ask = Callable[[str, str], str]  # (question, default) -> answer


def prompt(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def _choose(ask: Ask, question: str, options: list[str], default: str) -> str:
    while True:
        answer = ask(f"{question} ({' / '.join(options)})", default)
        if answer in options:
            return answer
        print(f"  please answer one of: {', '.join(options)}")


def run_wizard(settings: Settings, target: Path, ask: Ask = prompt) -> dict[str, Any]:
    config: dict[str, Any] = {}
    print("AFAS Profit ↔ MplusKASSA setup. Leave the endpoints empty to try everything on the built-in stand-ins.")
    afas_url = ask("AFAS REST base URL (https://<env>.rest.afas.online/ProfitRestServices)", "")
    mplus_url = ask("MplusKASSA API URL (https://api.mpluskassa.nl:<port>)", "")
    if afas_url:
        config["afas"] = {"base_url": afas_url}
    if mplus_url:
        config["mplus"] = {"base_url": mplus_url}
    live = settings.model_copy(update={
        "afas": settings.afas.model_copy(update={"base_url": afas_url or settings.afas.base_url}),
        "mplus": settings.mplus.model_copy(update={"base_url": mplus_url or settings.mplus.base_url})})

    with Runtime.open(live) as rt:
        warehouses = [str(r["Warehouse"]) for r in rt.portal.call(
            lambda: rt.afas.get_all(live.afas.connectors.warehouses, order_by=["Warehouse"]))]
        branches = rt.portal.call(rt.mplus.get_branches)
        vat_groups = rt.portal.call(rt.mplus.get_vat_groups)
        price_groups = rt.portal.call(rt.mplus.get_price_groups)

    branch_numbers = [str(b.branch_number) for b in branches]
    print("MplusKASSA branches: " + ", ".join(f"{b.branch_number} {b.branch_name or ''}".strip() for b in branches))
    mapping: dict[str, int] = {}
    for i, wh in enumerate(warehouses):
        default = branch_numbers[min(i, len(branch_numbers) - 1)] if branch_numbers else "1"
        answer = ask(f"Branch for AFAS warehouse {wh} (empty = not synced)", default)
        if answer:
            mapping[wh] = int(answer)
    calculation = _choose(ask, "Stock calculation",
                          ["available_minus_reserved", "physical", "available", "economic"],
                          settings.stock.calculation)
    config["stock"] = {"warehouse_branches": mapping, "calculation": calculation}

    codes = sorted({v.vat_code for v in vat_groups})
    vat_codes = {}
    for group, default in sorted(settings.products.vat_codes.items()):
        vat_codes[group] = int(ask(f"MplusKASSA VAT code for AFAS VAT group {group} (known: {codes})", str(default)))
    config["products"] = {"vat_codes": vat_codes,
                          "article_filter": ask("Which AFAS articles go to the till? (SQL over a.*)",
                                                settings.products.article_filter)}

    groups = sorted(g.price_group_number for g in price_groups)
    price_lists: dict[str, int] = {}
    for pl, default in sorted(settings.prices.price_list_groups.items()):
        answer = ask(f"MplusKASSA price group for AFAS price list {pl} (known: {groups}; empty = none)",
                     str(default))
        if answer:
            price_lists[pl] = int(answer)
    config["prices"] = {"price_list_groups": price_lists}

    config["orders"] = {
        "document_type": _choose(ask, "Orders go to AFAS as",
                                 ["FbSales", "FbSalesQuotation", "FbDirectInvoice", "FiEntries"],
                                 settings.orders.document_type),
        "status_filter": ask("Which orders are sent? (SQL over o.*)", settings.orders.status_filter),
        "default_debtor": ask("AFAS debtor for orders without a customer", settings.orders.default_debtor or ""),
    }
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    print(f"Wrote {target}. Put the secrets in the environment, never in this file:")
    print("  export AFAS_TOKEN=...  MPLUS_IDENT=...  MPLUS_SECRET=...")
    print("Then run `afas-mplus check`, and `afas-mplus plan products` to see what a first sync would send.")
    return config
