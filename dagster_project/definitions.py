"""The Dagster code location: `afas-mplus ui` (or `dagster dev -m dagster_project.definitions`)."""

from __future__ import annotations

from dagster import Definitions, EnvVar

from dagster_project.assets.checks import ALL_CHECKS
from dagster_project.assets.flows import ALL_ASSETS
from dagster_project.assets.reconciliation import (
    RECONCILIATION_CHECKS,
    reconciliation_job,
    reconciliation_schedule,
)
from dagster_project.deployment import deployment_settings, executor_for
from dagster_project.resources import SyncRuntime
from dagster_project.schedules import APPLY_JOBS, JOBS, PLAN_JOBS, SCHEDULES, journal_retention
from dagster_project.sensors import SENSORS
from dagster_project.shops import shop_definitions

# Several shops (shops_dir): every shop the assets, checks, jobs and schedules below under its own prefix.
shops = shop_definitions(deployment_settings())
defs = Definitions(
    assets=shops.assets if shops else ALL_ASSETS,
    asset_checks=shops.checks if shops else [*ALL_CHECKS, *RECONCILIATION_CHECKS],
    jobs=shops.jobs
    if shops
    else [*JOBS.values(), *PLAN_JOBS.values(), *APPLY_JOBS.values(), journal_retention, reconciliation_job],
    schedules=shops.schedules if shops else [*SCHEDULES, reconciliation_schedule],
    sensors=SENSORS,
    resources={
        "sync": SyncRuntime(
            config_file=EnvVar("AFAS_MPLUS_CONFIG").get_value(), data_dir=EnvVar("DATA_DIR").get_value()
        )
    },
    # DuckDB has one writer per file: steps share the run's process; on PostgreSQL (warehouse_dsn) each step runs
    # in a process of its own, or on Celery workers (dagster_project/deployment.py, deploy/README.md).
    executor=executor_for(deployment_settings()),
)
