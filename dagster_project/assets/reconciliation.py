"""Daily reconciliation of the orders flow: what the till sold against what AFAS holds, per day.

The till side is the sync's own view of the paid sales (orders and invoices, one per sale: an order's invoice
is the same sale), from the orders flow's last run (`transforms.int_orders`). The AFAS side is read live, so a
document someone removed from AFAS since is missed at once: sales orders, quotations and direct invoices from
Profit_Salesorders (by CustomerReference, the till's key; InvoiceTotal incl. VAT), financial entries from
Profit_Transactions (the orders journal, by entry number, the debited total).

Per day both sides give a count and a total incl. VAT. The check fails when a sale that should be in AFAS is
not (missing), is there twice, or its AFAS total differs from the till's by more than rounding (a cent per
line: AFAS recomputes VAT from prices excl. VAT). Sales that wait on purpose are listed but do not fail it: an
error row (e.g. an article AFAS lacks) or a held row (AFAS refused it) is already reported where it is fixed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetSelection,
    MetadataValue,
    ScheduleDefinition,
    asset_check,
    define_asset_job,
)

from afas_mplus.flows import FLOWS
from connectors.afas.filters import Op, where
from dagster_project.assets.flows import push_key
from dagster_project.keys import SHOP_TAG, current_shop, scoped
from dagster_project.resources import SyncRuntime
from reverse_etl.plan_view import markdown_table

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime

CENT = Decimal("0.01")
ORDERS = FLOWS["orders"]
SALES = next(e for e in ORDERS.entities if e.name == "sales_orders")


@dataclass
class Day:
    day: date
    till_count: int = 0
    till_total: Decimal = Decimal(0)
    afas_count: int = 0
    afas_total: Decimal = Decimal(0)

    def row(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "till": self.till_count,
            "till total": self.till_total,
            "AFAS": self.afas_count,
            "AFAS total": self.afas_total,
        }


@dataclass
class Reconciliation:
    days: list[Day] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)  # should be in AFAS, is not
    differing: list[dict[str, Any]] = field(default_factory=list)  # in AFAS with another total, or twice
    waiting: list[dict[str, Any]] = field(default_factory=list)  # not in AFAS on purpose: error or held row

    @property
    def ok(self) -> bool:
        return not self.missing and not self.differing

    def summary(self) -> str:
        if self.ok:
            return f"{sum(d.till_count for d in self.days)} sales over {len(self.days)} day(s) match AFAS" + (
                f"; {len(self.waiting)} wait on an error or held row" if self.waiting else ""
            )
        parts = []
        if self.missing:
            parts.append(
                "missing in AFAS: "
                + ", ".join(f"{m['key']} ({m['day']}, {m['total']})" for m in self.missing[:20])
            )
        if self.differing:
            parts.append(
                "differing: "
                + ", ".join(
                    f"{d['key']} ({d['day']}: till {d['till_total']}, AFAS "
                    f"{d['afas_total']}{', ' + d['why'] if d.get('why') else ''})"
                    for d in self.differing[:20]
                )
            )
        return "; ".join(parts)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def till_sales(rt: Runtime, since: date | None) -> list[dict[str, Any]]:
    """The sales the sync should have sent (or holds back on purpose), from its last orders run."""
    if not rt.warehouse.table_exists("transforms", "int_orders"):
        return []
    held = (
        "exists (select 1 from journal.held h where h.flow = 'orders' and h.entity = 'sales_orders' and "
        "h.record_key = o.order_key)"
        if rt.warehouse.table_exists("journal", "held")
        else "false"
    )
    return rt.warehouse.query(
        f"select o.order_key as key, o.source, o.document_type, o.document_number, o.financial_date as day, "
        f"o.total_incl as total, (select count(*) from transforms.stg_mplus_document_lines l "
        f"where l.order_key = o.order_key) as lines, "
        f"(select min(e.message) from transforms.errors_orders e where e.record_key = o.order_key) as error, "
        f"{held} as held "
        f"from transforms.int_orders o where o.wanted and o.financial_date >= ? order by o.financial_date, o.order_key",
        [since or date(1900, 1, 1)],
    )


def afas_documents(
    rt: Runtime, since: date | None, numbers: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """key -> the AFAS documents of that sale: {kind, day, total}. `numbers`: entry number -> key."""
    conns = rt.settings.afas.connectors
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    orders_filter = where("OrderDate", Op.GE, since) if since else None
    rows = rt.portal.call(
        lambda: rt.afas.get_all(conns.sales_orders, order_by=["OrderNumber"], filters=orders_filter)
    )
    for r in rows:
        if r.get("CustomerReference"):
            out[str(r["CustomerReference"])].append(
                {
                    "kind": r.get("Ordersoort") or "order",
                    "number": r.get("OrderNumber"),
                    "day": _day(r.get("OrderDate")),
                    "total": _money(r.get("InvoiceTotal")),
                }
            )
    if numbers:
        entries_filter = where("JournalId", Op.EQ, rt.settings.orders.journal)
        if since:
            entries_filter = entries_filter & where("EntryDate", Op.GE, since)
        lines = rt.portal.call(
            lambda: rt.afas.get_all(conns.transactions, order_by=["EntryNo", "SeqNo"], filters=entries_filter)
        )
        entries: dict[tuple[Any, Any], dict[str, Any]] = {}
        for r in lines:
            key = numbers.get(str(r.get("VoucherNo") or ""))
            if key is None:
                continue
            entry = entries.setdefault(
                (r.get("UnitId"), r.get("EntryNo")),
                {
                    "kind": "FiEntries",
                    "number": r.get("EntryNo"),
                    "day": _day(r.get("EntryDate")),
                    "total": Decimal(0),
                    "key": key,
                },
            )
            entry["total"] += _money(r.get("AmtDebit"))  # balanced: the debited total is the sale's
        for entry in entries.values():
            out[entry.pop("key")].append(entry)
    return out


def reconcile(rt: Runtime, today: date | None = None) -> Reconciliation:
    days_back = rt.settings.orders.reconcile_days
    today = today or datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    since = today - timedelta(days=days_back - 1) if days_back else None
    sales = till_sales(rt, since)
    numbers = {str(s["document_number"]): str(s["key"]) for s in sales}
    afas = afas_documents(rt, since, numbers)
    result = Reconciliation()
    by_day: dict[date, Day] = {}
    for s in sales:
        key, day, total = str(s["key"]), _day(s["day"]), _money(s["total"])
        if day is None:
            continue
        found = afas.get(key, [])
        waiting = s["error"] or ("held: AFAS refused it" if s["held"] else None)
        if not found and waiting:
            result.waiting.append({"key": key, "day": day, "total": total, "why": waiting})
            continue
        d = by_day.setdefault(day, Day(day))
        d.till_count += 1
        d.till_total += total
        d.afas_count += len(found)
        d.afas_total += sum((f["total"] for f in found), Decimal(0))
        if not found:
            result.missing.append(
                {
                    "key": key,
                    "day": day,
                    "total": total,
                    "source": s["source"],
                    "document_type": s["document_type"],
                }
            )
            continue
        tolerance = CENT * max(int(s["lines"] or 0), 1)
        afas_total = sum((f["total"] for f in found), Decimal(0))
        if len(found) > 1:
            result.differing.append(
                {
                    "key": key,
                    "day": day,
                    "till_total": total,
                    "afas_total": afas_total,
                    "why": f"{len(found)} documents in AFAS: "
                    + ", ".join(f"{f['kind']} {f['number']}" for f in found),
                }
            )
        elif abs(abs(total) - abs(afas_total)) > tolerance:
            result.differing.append(
                {
                    "key": key,
                    "day": day,
                    "till_total": total,
                    "afas_total": afas_total,
                    "why": f"{found[0]['kind']} {found[0]['number']}",
                }
            )
    result.days = [by_day[d] for d in sorted(by_day)]
    return result


def reconciliation_parts() -> tuple[Any, Any, ScheduleDefinition]:
    """The check, its job and its daily schedule (of the shop `keys.for_shop` names, if any)."""

    @asset_check(
        asset=push_key(ORDERS, SALES),
        name="orders_reconciled",
        description="Per day, the till's paid orders and invoices (count, total incl. VAT) against the "
        "AFAS documents the sync created; a mismatch names the missing or differing documents",
    )
    def orders_reconciled(sync: SyncRuntime) -> AssetCheckResult:
        result = reconcile(sync.runtime)
        return AssetCheckResult(
            passed=result.ok,
            severity=AssetCheckSeverity.ERROR,
            description=result.summary(),
            metadata={
                "days": MetadataValue.md(markdown_table([d.row() for d in result.days])),
                "missing": MetadataValue.md(markdown_table(result.missing) if result.missing else "none"),
                "differing": MetadataValue.md(
                    markdown_table(result.differing) if result.differing else "none"
                ),
                "waiting": MetadataValue.md(markdown_table(result.waiting) if result.waiting else "none"),
                "mismatches": len(result.missing) + len(result.differing),
            },
        )

    # Once a day on its own as well (it also runs with every orders sync, after the push).
    job = define_asset_job(
        scoped("orders_reconciliation"),
        selection=AssetSelection.checks(orders_reconciled),
        tags={SHOP_TAG: current_shop()} if current_shop() else None,  # type: ignore[dict-item]
        description="The orders reconciliation check alone: till against AFAS per day",
    )
    schedule = ScheduleDefinition(
        job=job,
        cron_schedule="15 6 * * *",
        execution_timezone="Europe/Amsterdam",
        name=scoped("orders_reconciliation_schedule"),
    )
    return orders_reconciled, job, schedule


orders_reconciled, reconciliation_job, reconciliation_schedule = reconciliation_parts()
RECONCILIATION_CHECKS = [orders_reconciled]
