"""Per flow: a sync job (scheduled, Europe/Amsterdam), a plan-only job and an approve-and-push job.

- `<flow>_sync`: extract, models, plan, push: what the schedule runs; the plan-size check still refuses a
  destructive push.
- `<flow>_plan`: extract, models, plan; nothing is sent. Read the plan assets' previews and fingerprints.
- `<flow>_apply`: the whole flow again, with the approved fingerprints in the launch config: a push whose plan
  drifted from what was approved is refused.

Schedules start running where real endpoints are configured and stay off on the demo (`schedules.running`
overrides); the daemon (`afas-mplus ui` runs it) ticks them. A tick that finds the warehouse held by another
process (a CLI sync) is skipped with the holder named; a run that meets a busy warehouse anyway waits for it
(`schedules.wait_for_warehouse_s`).
"""

import json
import os
from pathlib import Path
from typing import Any

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    OpExecutionContext,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    define_asset_job,
    job,
    op,
    schedule,
)

from afas_mplus.flows import FLOWS
from afas_mplus.retention import purge_everything
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_settings
from dagster_project.assets.flows import MODE_TAG, push_key
from dagster_project.deployment import current_settings, run_tags
from dagster_project.keys import current_shop, scoped
from dagster_project.resources import SyncRuntime, settings_from_env


def _tags(name: str) -> dict[str, str]:
    """Run tags deploy/dagster.yaml limits: one run of a flow at a time, runs per AFAS environment."""
    return run_tags(current_settings(), name)


def _pushes(name: str) -> AssetSelection:
    return AssetSelection.assets(*(push_key(FLOWS[name], e) for e in FLOWS[name].entities))


def flow_jobs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The sync, plan and apply job of every flow (of the shop `keys.for_shop` names, if any)."""
    jobs = {
        name: define_asset_job(
            scoped(f"{name}_sync"),
            selection=AssetSelection.groups(scoped(name)),
            tags=_tags(name),
            description=f"Full {name} flow: extract, SQL models, plan, push",
        )
        for name in FLOWS
    }
    plan_jobs = {
        name: define_asset_job(
            scoped(f"{name}_plan"),
            selection=AssetSelection.groups(scoped(name)) - _pushes(name),
            tags=_tags(name),
            description=f"{name}: extract, SQL models and plan; nothing is sent",
        )
        for name in FLOWS
    }
    apply_jobs = {
        name: define_asset_job(
            scoped(f"{name}_apply"),
            selection=AssetSelection.groups(scoped(name)),
            tags={**_tags(name), MODE_TAG: "apply"},
            description=f"{name}: re-plan and push exactly the approved plan (its fingerprint in the launch config); "
            f"refused when the data drifted",
        )
        for name in FLOWS
    }
    return jobs, plan_jobs, apply_jobs


JOBS, PLAN_JOBS, APPLY_JOBS = flow_jobs()


def schedule_status(settings: Settings) -> DefaultScheduleStatus:
    """On where real endpoints are configured, off on the demo; `schedules.running` decides when set."""
    running = settings.schedules.running
    if running is None:
        running = not settings.uses_embedded_simulators
    return DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED


def _status() -> DefaultScheduleStatus:
    try:
        return schedule_status(settings_from_env())
    except Exception:  # noqa: BLE001 - a broken config must not stop the code location from loading
        return DefaultScheduleStatus.STOPPED


def warehouse_holder(path: Path) -> str | None:
    """Who holds the warehouse now (its owner file, if that process is alive), else None."""
    owner = path.with_name(path.name + ".owner.json")
    try:
        info = json.loads(owner.read_text(encoding="utf-8"))
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a process that died without closing the file (killed): the file is free
    except PermissionError:
        pass  # alive, another user's
    return f"PID {pid} ({info.get('holder', 'afas-mplus')}, since {info.get('since', '?')} UTC)"


def _sync_schedule(name: str, cron: str, target: Any, status: DefaultScheduleStatus) -> ScheduleDefinition:
    shop = current_shop()

    @schedule(
        job=target,
        cron_schedule=cron,
        execution_timezone="Europe/Amsterdam",
        name=scoped(f"{name}_schedule"),
        default_status=status,
        description=f"Runs {target.name}; skipped while another sync holds the "
        f"warehouse (the next tick runs)",
    )
    def _tick(context: ScheduleEvaluationContext) -> Any:
        try:
            settings = settings_from_env()
            holder = warehouse_holder((shop_settings(settings, shop) if shop else settings).staging_path)
        except Exception:  # noqa: BLE001 - a config problem is for the run to report, with its fix
            holder = None
        if holder:
            return SkipReason(
                f"{target.name} skipped: the warehouse is in use by {holder}; the next tick runs it"
            )
        return RunRequest()

    return _tick


def flow_schedules(jobs: dict[str, Any], status: DefaultScheduleStatus) -> list[ScheduleDefinition]:
    """Every flow's sync schedule: its default cron, or the one schedules.cron gives."""
    crons = current_settings().schedules.cron
    return [
        _sync_schedule(name, crons.get(name, flow.schedule), jobs[name], status)
        for name, flow in FLOWS.items()
    ]


_STATUS = _status()
SCHEDULES: list[ScheduleDefinition] = flow_schedules(JOBS, _STATUS)


@op(
    description="GDPR: deletes journal rows, Dagster runs, event and compute logs older than "
    "journal.retention_days, dlt's finished load packages; compacts the warehouse"
)
def purge_journal(context: OpExecutionContext, sync: SyncRuntime) -> int:
    rt = sync.runtime
    days = rt.settings.journal.retention_days
    report = purge_everything(rt.settings, rt.warehouse, days=days)
    context.log.info(report.summary(days))
    return report.journal_rows


@job(description="Log retention: purge the activity log on a schedule")
def journal_retention() -> None:
    purge_journal()


SCHEDULES.append(_sync_schedule("journal_retention", "30 3 * * *", journal_retention, _STATUS))
