"""Immediate notification when a Dagster run fails: which job, which step, what error."""

import httpx
from dagster import RunFailureSensorContext, run_failure_sensor

from afas_mplus.settings import Settings


@run_failure_sensor(name="notify_on_run_failure", description="Posts the failed step and its error to the webhook")
def notify_on_run_failure(context: RunFailureSensorContext) -> None:
    steps = [e for e in context.get_step_failure_events()]
    where = ", ".join(f"{e.step_key}: {e.event_specific_data.error.message.strip()[:300]}"  # type: ignore[union-attr]
                      for e in steps if e.event_specific_data and e.event_specific_data.error) or \
        context.failure_event.message or "unknown error"
    text = f"afas-mplus: Dagster run of {context.dagster_run.job_name} failed — {where}"
    context.log.error(text)
    url = Settings().monitoring.webhook_url
    if url:
        httpx.post(url, json={"text": text}, timeout=10).raise_for_status()
