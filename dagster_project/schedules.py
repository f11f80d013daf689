"""One job and one schedule per flow (Europe/Amsterdam), selecting the flow's asset group."""

from __future__ import annotations

from dagster import AssetSelection, ScheduleDefinition, define_asset_job

from afas_mplus.flows import FLOWS

JOBS = {name: define_asset_job(f"{name}_sync", selection=AssetSelection.groups(name),
                               description=f"Full {name} flow: extract, SQL models, plan, push")
        for name in FLOWS}

SCHEDULES = [ScheduleDefinition(job=JOBS[name], cron_schedule=flow.schedule,
                                execution_timezone="Europe/Amsterdam", name=f"{name}_schedule")
             for name, flow in FLOWS.items()]
