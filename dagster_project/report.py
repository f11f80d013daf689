"""CLI runs in Dagster: a flow run by `afas-mplus sync` (cron, a terminal) records its materializations and check
results in the Dagster instance `afas-mplus ui` serves (`Settings.dagster_home`), as runless asset events, so the
UI shows the truth whoever ran the sync: what was extracted (table sizes), the models, the plans and pushes with
the same metadata the assets give, and the check results (which the alert sensor also sees).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from dagster import AssetCheckEvaluation, AssetMaterialization, DagsterInstance
from dagster._core.instance.ref import InstanceRef

from afas_mplus import flow_models
from afas_mplus.flow_result import FlowResult
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings
from dagster_project import observations as obs
from dagster_project.keys import for_shop, model_key, plan_key, push_key, staging_key
from reverse_etl.diff import summarize

log = logging.getLogger(__name__)
SOURCE = "afas-mplus CLI"


def open_instance(settings: Settings) -> DagsterInstance:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    return DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))


def flow_events(rt: Runtime, result: FlowResult) -> Iterator[AssetMaterialization | AssetCheckEvaluation]:
    """The asset events of one flow's run, as its Dagster assets would have recorded them."""
    flow = FLOWS[result.flow]
    tag = {"source": SOURCE, "afas_mplus_run_id": rt.run_id}
    if result.extracted:
        for side, resources in (("afas", flow.afas_to_extract(rt.settings)), ("mplus", flow.mplus_resources)):
            if resources:
                loaded = {
                    k: v
                    for k, v in result.extracted.items()
                    if any(k == r or k.startswith(f"{r}__") for r in resources)
                }
                meta = obs.extract_metadata(rt, resources, loaded)
                yield AssetMaterialization(
                    staging_key(flow, side), description=SOURCE, metadata={**tag, **obs.to_dagster(meta)}
                )
    if not result.entities:  # stopped before its models ran
        return
    for model in flow_models.model_graph(flow).models:
        rows = obs.table_rows(rt, "transforms", [model.name])
        if model.name in rows:
            yield AssetMaterialization(
                model_key(model.name, flow), description=SOURCE, metadata={**tag, "rows": rows[model.name]}
            )
    for check in obs.data_checks(rt, flow):
        yield _evaluation(check, tag)
    for entity in flow.entities:
        info = result.entities.get(entity.name)
        if info is None:
            continue
        summary = summarize(rt.warehouse, entity.spec(rt.settings))
        reason = info.get("blocked")
        yield AssetMaterialization(
            plan_key(flow, entity),
            description=SOURCE,
            metadata={**tag, **obs.to_dagster(obs.plan_metadata(rt, flow, entity, summary, reason))},
        )
        yield _evaluation(
            obs.plan_size_check(flow, entity, reason, obs.changed_examples(rt, entity) if reason else ()), tag
        )
        if result.mode == "plan" or reason or info.get("drifted"):
            continue
        failed, errors = int(info.get("pushed_failed", 0)), info.get("errors", [])
        meta = obs.push_metadata(
            flow,
            entity,
            int(info.get("pushed_ok", 0)),
            failed,
            int(info.get("write_calls", 0)),
            errors,
            obs.run_activity(rt, flow, entity),
        )
        yield AssetMaterialization(
            push_key(flow, entity), description=SOURCE, metadata={**tag, **obs.to_dagster(meta)}
        )
        yield _evaluation(obs.writes_check(flow, entity, failed, errors, obs.held_of(rt, flow, entity)), tag)


def _evaluation(check: obs.CheckObservation, tag: dict[str, Any]) -> AssetCheckEvaluation:
    return AssetCheckEvaluation(
        asset_key=check.asset,
        check_name=check.name,
        passed=check.passed,
        severity=check.severity,
        description=SOURCE,
        metadata={**tag, **obs.to_dagster(check.metadata)},
    )


def report(rt: Runtime, result: FlowResult, instance: DagsterInstance | None = None) -> int:
    """Record the run's events; returns how many. Never raises: the sync's outcome does not depend on it."""
    owned = instance is None
    try:
        instance = instance or open_instance(rt.settings)
        n = 0
        with for_shop(rt.settings.shop):  # a shop's run: its assets (north/staging/...)
            for event in flow_events(rt, result):
                instance.report_runless_asset_event(event)
                n += 1
        return n
    except Exception:  # noqa: BLE001 - a full disk or a locked instance must not fail a sync that worked
        log.warning(
            "could not record the %s run in Dagster (%s)",
            result.flow,
            rt.settings.dagster_home,
            exc_info=True,
        )
        return 0
    finally:
        if owned and instance is not None:
            instance.dispose()
