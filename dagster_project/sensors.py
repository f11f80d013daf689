"""Alerts from Dagster: a failed run, and any failed asset check (plan size, error rows, writes, reconciliation,
whatever check a flow gains), told once by e-mail and webhook until resolved, then one "resolved" message.

The same alert state and notifier as CLI runs (`afas_mplus.alerts`): a check result a CLI run reported to this
instance is told once, by whichever saw it first. A check tells its problem through two metadata entries any
check may set: `alert_title` (one line) and `alert` (the records, field and fix, one per line).
"""

from __future__ import annotations

import json
from typing import Any

from dagster import (
    AssetCheckKey,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
    sensor,
)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from afas_mplus.alerts import Alert, Alerts, check_key
from afas_mplus.settings import Settings
from dagster_project.observations import ERROR_ROW_CHECKS
from dagster_project.resources import settings_from_env

WHERE = "afas-mplus (Dagster)"


def _settings() -> Settings:
    return settings_from_env()


def _alerts() -> Alerts:
    return Alerts(_settings())


def _default_status() -> DefaultSensorStatus:
    """Running wherever someone is there to be told (a webhook or e-mail configured)."""
    try:
        m = _settings().monitoring
    except Exception:  # noqa: BLE001 - a broken config must not stop the code location from loading
        return DefaultSensorStatus.STOPPED
    return (
        DefaultSensorStatus.RUNNING
        if m.webhook_url or (m.smtp_host and m.email_to)
        else DefaultSensorStatus.STOPPED
    )


def run_failure_alert(job: str, steps: list[str], message: str | None) -> Alert:
    return Alert(f"run:{job}", f"Dagster run of {job} failed", steps or [message or "unknown error"])


def _root_cause(context: RunFailureSensorContext) -> str | None:
    """The innermost error of the run's failure (a resource that could not start: our one-line message)."""
    error = getattr(context.failure_event.event_specific_data, "error", None)
    found = None
    while error is not None:
        found = error.message.strip().splitlines()[0] if error.message.strip() else found
        error = error.cause
    return found


@run_failure_sensor(
    name="notify_on_run_failure",
    default_status=_default_status(),
    description="E-mail and webhook: the failed job, the failed step and its error (once)",
)
def notify_on_run_failure(context: RunFailureSensorContext) -> None:
    steps = [
        f"{e.step_key}: {e.event_specific_data.error.message.strip()[:500]}"  # type: ignore[union-attr]
        for e in context.get_step_failure_events()
        if e.event_specific_data and e.event_specific_data.error
    ]  # type: ignore[union-attr]
    job = context.dagster_run.job_name
    alert = run_failure_alert(job, steps, _root_cause(context) or context.failure_event.message)
    context.log.error(f"{alert.title}: {'; '.join(alert.lines)}")
    _alerts().observe({alert.key: alert}, where=WHERE)


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    name="resolve_run_failure",
    default_status=_default_status(),
    description="One 'resolved' message when a job that failed succeeds again",
)
def resolve_run_failure(context: RunStatusSensorContext) -> None:
    _alerts().observe({f"run:{context.dagster_run.job_name}": None}, where=WHERE)


def check_alert(check: AssetCheckKey, metadata: dict[str, Any], description: str | None) -> Alert:
    """The alert of a failed check: its own `alert_title`/`alert` metadata, else its text metadata."""
    key = check_key(check.asset_key.to_user_string(), check.name)
    text = {k: getattr(v, "value", v) for k, v in metadata.items()}
    title = str(text.get("alert_title") or f"{check.asset_key.to_user_string()}: check {check.name} failed")
    if text.get("alert"):
        lines = str(text["alert"]).splitlines()
    else:
        lines = [
            f"{k}: {v}" for k, v in text.items() if isinstance(v, str | int | float) and k != "alert_title"
        ]
        lines = lines or [description or "see the check in the Dagster UI"]
    return Alert(key, title, lines)


@sensor(
    name="notify_on_check_failure",
    minimum_interval_seconds=30,
    default_status=_default_status(),
    description="E-mail and webhook when any asset check fails (once), and when it passes again",
)
def notify_on_check_failure(context: SensorEvaluationContext) -> Any:
    seen_ids: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    repo = context.repository_def
    assert repo is not None
    keys = list(repo.asset_graph.asset_check_keys)
    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    notify_refused = _settings().monitoring.notify_on_refused_rows
    observed: dict[str, Alert | None] = {}
    for check, record in latest.items():
        done = (AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED)
        if record is None or record.status not in done or seen_ids.get(check.to_user_string()) == record.id:
            continue
        seen_ids[check.to_user_string()] = record.id
        if check.name in ERROR_ROW_CHECKS and not notify_refused:
            continue
        evaluation = (
            record.event.dagster_event.event_specific_data
            if record.event and record.event.dagster_event
            else None
        )
        passed = record.status is AssetCheckExecutionRecordStatus.SUCCEEDED
        key = check_key(check.asset_key.to_user_string(), check.name)
        spec = repo.asset_graph.get_check_spec(check) if hasattr(repo.asset_graph, "get_check_spec") else None
        observed[key] = (
            None
            if passed
            else check_alert(
                check, dict(getattr(evaluation, "metadata", {}) or {}), getattr(spec, "description", None)
            )
        )
    context.update_cursor(json.dumps(seen_ids, sort_keys=True))
    if not observed:
        return SkipReason("no new check results")
    sent = _alerts().observe(observed, where=WHERE)
    return SkipReason(
        f"told: {len(sent.raised)} problem(s), {len(sent.resolved)} resolved"
        if sent.text
        else "no new problems, none resolved"
    )


SENSORS = [notify_on_run_failure, resolve_run_failure, notify_on_check_failure]
