"""One job and one schedule per flow (Europe/Amsterdam), selecting the flow's asset group."""


from dagster import AssetSelection, OpExecutionContext, ScheduleDefinition, define_asset_job, job, op

from afas_mplus.flows import FLOWS
from dagster_project.resources import SyncRuntime

JOBS = {name: define_asset_job(f"{name}_sync", selection=AssetSelection.groups(name),
                               description=f"Full {name} flow: extract, SQL models, plan, push")
        for name in FLOWS}

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
