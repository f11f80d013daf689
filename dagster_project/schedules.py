"""Per flow: a sync job (scheduled, Europe/Amsterdam), a plan-only job and an approve-and-push job.

- `<flow>_sync`: extract, models, plan, push: what the schedule runs; the plan-size check still refuses a
  destructive push.
- `<flow>_plan`: extract, models, plan; nothing is sent. Read the plan assets' previews and fingerprints.
- `<flow>_apply`: the whole flow again, with the approved fingerprints in the launch config: a push whose plan
  drifted from what was approved is refused.
"""

from dagster import AssetSelection, OpExecutionContext, ScheduleDefinition, define_asset_job, job, op

from afas_mplus.flows import FLOWS
from dagster_project.assets.flows import MODE_TAG, push_key
from dagster_project.resources import SyncRuntime


def _pushes(name: str) -> AssetSelection:
    return AssetSelection.assets(*(push_key(FLOWS[name], e) for e in FLOWS[name].entities))


JOBS = {name: define_asset_job(f"{name}_sync", selection=AssetSelection.groups(name),
                               description=f"Full {name} flow: extract, SQL models, plan, push")
        for name in FLOWS}
PLAN_JOBS = {name: define_asset_job(f"{name}_plan", selection=AssetSelection.groups(name) - _pushes(name),
                                    description=f"{name}: extract, SQL models and plan; nothing is sent")
             for name in FLOWS}
APPLY_JOBS = {name: define_asset_job(
    f"{name}_apply", selection=AssetSelection.groups(name), tags={MODE_TAG: "apply"},
    description=f"{name}: re-plan and push exactly the approved plan (its fingerprint in the launch config); "
                f"refused when the data drifted") for name in FLOWS}

SCHEDULES = [ScheduleDefinition(job=JOBS[name], cron_schedule=flow.schedule,
                                execution_timezone="Europe/Amsterdam", name=f"{name}_schedule")
             for name, flow in FLOWS.items()]


@op(description="GDPR: deletes journal rows older than journal.retention_days")
def purge_journal(context: OpExecutionContext, sync: SyncRuntime) -> int:
    rt = sync.runtime
    removed = rt.journal.purge(rt.settings.journal.retention_days)
    context.log.info(f"purged {removed} journal rows older than {rt.settings.journal.retention_days} days")
    return removed


@job(description="Log retention: purge the activity log on a schedule")
def journal_retention() -> None:
    purge_journal()


SCHEDULES.append(ScheduleDefinition(job=journal_retention, cron_schedule="30 3 * * *",
                                    execution_timezone="Europe/Amsterdam", name="journal_retention_schedule"))
