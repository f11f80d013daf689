"""Monitoring of command-line runs (the entry layer, like Dagster's code location): tell someone at once when a flow has a problem, naming the flow, the records, the
field and the fix, and once more when it is resolved (`afas_mplus.alerts`: e-mail and webhook).

The problems are Dagster's checks, computed the same way (`dagster_project.observations`) and keyed the same
way, so a problem the daemon's sensor also sees (a CLI run reports its check results to Dagster) is told once:
the plan-size check (a blocked push), writes that failed, rows refused by validation; and a flow that stopped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from afas_mplus.alerts import Alert, Alerts
from afas_mplus.flows import FLOWS
from dagster_project import observations as obs
from dagster_project.keys import for_shop
from dagster_project.report import report

if TYPE_CHECKING:
    from afas_mplus.flow_result import FlowResult
    from afas_mplus.runtime import Runtime

log = logging.getLogger(__name__)


def observed(rt: Runtime, result: FlowResult) -> dict[str, Alert | None]:
    """Every problem this flow's run looked at: its alert when it is a problem now, None when it is fine."""
    flow = FLOWS[result.flow]
    seen: dict[str, Alert | None] = {f"flow:{flow.name}": None}
    if result.status == "failed":
        seen[f"flow:{flow.name}"] = Alert(
            f"flow:{flow.name}",
            f"{flow.name}: the flow stopped",
            [
                result.error or "unknown error",
                "the other flows ran; `afas-mplus check` verifies the prerequisites",
            ],
        )
    checks = []
    for entity in flow.entities:
        info = result.entities.get(entity.name)
        if info is None:  # not planned: the flow stopped before
            continue
        blocked = info.get("blocked")
        checks.append(
            obs.plan_size_check(flow, entity, blocked, obs.changed_examples(rt, entity) if blocked else ())
        )
        if result.mode != "plan" and not info.get("blocked") and not info.get("drifted"):
            checks.append(
                obs.writes_check(
                    flow,
                    entity,
                    int(info.get("pushed_failed", 0)),
                    info.get("errors", []),
                    obs.held_of(rt, flow, entity),
                )
            )
    if result.entities and rt.settings.monitoring.notify_on_refused_rows:
        checks += obs.data_checks(rt, flow)
    seen.update((c.key, c.alert) for c in checks)
    return seen


def notify(rt: Runtime, result: FlowResult) -> str | None:
    """Alert new problems of this flow's run and resolve the ones gone; the text sent, or None. Never raises."""
    try:
        with for_shop(rt.settings.shop):  # a shop's problems are named by its assets (north/push/...)
            seen = observed(rt, result)
        sent = Alerts(rt.settings).observe(seen, where=f"afas-mplus {result.flow}")
    except Exception:  # noqa: BLE001 - monitoring must never break the sync itself
        log.exception("could not work out the alerts of %s", result.flow)
        return None
    return sent.text


def monitor(rt: Runtime, result: FlowResult) -> str | None:
    """After each flow of a CLI run: its events into Dagster (the UI shows CLI runs too), then the alerts."""
    if rt.settings.monitoring.report_to_dagster:
        report(rt, result)
    return notify(rt, result)
