"""The code location with several shops (shops_dir): every shop its own asset groups, checks, jobs and schedules.

Each shop's assets are the single-shop assets under its key prefix (`north/staging/products_afas`), in groups
`north__products`, ...; its jobs (`north__products_sync`) carry the tag `afas_mplus/shop` and a flow tag of
their own (`north/products`), so deploy/dagster.yaml runs one shop's flow while another shop's runs, and a
shop whose run fails blocks nobody. A step calling AFAS is in the pool of the shop's AFAS environment: shops
on one AFAS environment share its 8 calls. The run's resource opens the shop's settings (SyncRuntime).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dagster import AssetsDefinition, DefaultScheduleStatus, ScheduleDefinition

from afas_mplus.flows import FLOWS
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_names, shop_settings
from dagster_project.assets.checks import flow_checks
from dagster_project.assets.flows import flow_assets
from dagster_project.assets.reconciliation import reconciliation_parts
from dagster_project.deployment import building_with, current_settings
from dagster_project.keys import SHOP_TAG, for_shop, scoped
from dagster_project.schedules import (
    _sync_schedule,
    flow_jobs,
    flow_schedules,
    journal_retention,
    schedule_status,
)


@dataclass
class ShopDefinitions:
    assets: list[AssetsDefinition] = field(default_factory=list)
    checks: list[Any] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    schedules: list[ScheduleDefinition] = field(default_factory=list)


def shop_definitions(settings: Settings) -> ShopDefinitions | None:
    """Every configured shop's definitions; None without shops (the single-shop code location)."""
    names = shop_names(settings) if settings.shops_dir is not None else []
    if not names:
        return None
    out = ShopDefinitions()
    for shop in names:
        with for_shop(shop), building_with(shop_settings(settings, shop)):
            _add_shop(out, shop)
    return out


def _add_shop(out: ShopDefinitions, shop: str) -> None:
    status = _status_of_shop()
    out.assets += [a for f in FLOWS.values() for a in flow_assets(f)]
    out.checks += [c for f in FLOWS.values() for c in flow_checks(f)]
    check, job, schedule = reconciliation_parts()
    out.checks.append(check)
    jobs, plan_jobs, apply_jobs = flow_jobs()
    retention = journal_retention.graph.to_job(
        name=scoped("journal_retention"), tags={SHOP_TAG: shop}, description=journal_retention.description
    )
    out.jobs += [*jobs.values(), *plan_jobs.values(), *apply_jobs.values(), job, retention]
    out.schedules += [
        *flow_schedules(jobs, status),
        schedule,
        _sync_schedule("journal_retention", "30 3 * * *", retention, status),
    ]


def _status_of_shop() -> DefaultScheduleStatus:
    try:
        return schedule_status(current_settings())
    except Exception:  # noqa: BLE001 - a broken shop file must not stop the code location from loading
        return DefaultScheduleStatus.STOPPED
