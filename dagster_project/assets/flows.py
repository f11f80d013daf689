"""Assets generated from the flow definitions: extract → the flow's SQL models → plan → push.

Each flow is its own asset group. The plan and push assets call the same runner as the CLI
(`afas_mplus.runner`), so the plan-size check and the fingerprint check hold for a push materialized on its
own: a blocked or drifted plan fails the push asset and nothing is sent.
"""

import functools
from collections.abc import Iterator
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    Config,
    Failure,
    MaterializeResult,
    asset,
    multi_asset,
)
from pydantic import Field

from afas_mplus import flow_models, runner, steps
from afas_mplus.errors import PushRefused
from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import Entity, Flow
from afas_mplus.push_checks import blocked_reason
from afas_mplus.settings import Settings
from dagster_project import observations as obs
from dagster_project.deployment import afas_pool, current_settings
from dagster_project.keys import model_key, plan_key, push_key, scoped, staging_key
from dagster_project.resources import SyncRuntime
from staging.base import WarehouseBusyError

__all__ = ["ALL_ASSETS", "MODE_TAG", "model_key", "plan_key", "push_key", "staging_key"]

MODE_TAG = "afas_mplus/mode"  # "apply" on the approve-and-push jobs: a push there needs its fingerprint


def _calls_afas(flow: Flow, entity: Entity) -> bool:
    """A push that writes to AFAS, or re-reads it afterwards."""
    return flow.direction.endswith("->afas") or any(r.startswith("afas_") for r in entity.refresh_after_push)


def _extract_asset(flow: Flow, side: str, resources: tuple[str, ...]) -> AssetsDefinition:
    # Steps calling one AFAS environment share its pool: one at a time, each within afas.concurrency calls.
    @asset(
        key=staging_key(flow, side),
        group_name=scoped(flow.name),
        kinds={"dlt", "duckdb"},
        pool=afas_pool(current_settings()) if side == "afas" else None,
        description=f"dlt extract of {side.upper()} into staging: {', '.join(resources)}",
    )
    def _extract(context: AssetExecutionContext, sync: SyncRuntime) -> MaterializeResult:
        rt = sync.runtime
        if side == "afas":
            # the flow's AFAS resources after the user's data mappings (steps.afas_resources)
            counts = steps.extract_afas(rt, steps.afas_resources(rt, flow), flow.name)
        else:
            counts = steps.extract_mplus(rt, resources, flow.name)
        # Table sizes as well as this run's increment: Dagster plots both over time.
        meta = obs.extract_metadata(rt, resources, counts)
        return MaterializeResult(metadata={"rows": sum(counts.values()), **obs.to_dagster(meta)})

    return _extract


@functools.cache
def model_graph(flow_name: str) -> Any:
    """A flow's SQL model graph, parsed once per process (every shop's assets and checks share it)."""
    return flow_models.model_graph(FLOWS[flow_name])


def _models_asset(flow: Flow) -> AssetsDefinition:
    """All SQL models of a flow as one multi-asset that can be subset: one graph parse, one run of the
    selected models in dependency order (the way dbt's assets run a model selection)."""
    graph = model_graph(flow.name)
    specs = []
    for model in graph.models:
        deps: list[AssetKey] = [model_key(d, flow) for d in sorted(model.depends_on)]
        sides = {s.split(".")[-1].split("_")[0] for s in model.sources if s.startswith("staging.")}
        deps += [staging_key(flow, side) for side in sorted(sides)]
        specs.append(
            AssetSpec(
                model_key(model.name, flow),
                deps=deps,
                group_name=scoped(flow.name),
                kinds={"sql", "duckdb"},
                description=f"SQL model {model.path.relative_to(model.path.parents[2])}",
                skippable=True,
            )
        )

    @multi_asset(name=scoped(f"{flow.name}_models"), specs=specs, can_subset=True)
    def _models(context: AssetExecutionContext, sync: SyncRuntime) -> Iterator[MaterializeResult]:
        names = {model_key(m.name, flow): m.name for m in graph.models}
        selected = {names[k] for k in context.selected_asset_keys if k in names}
        rows = steps.transform(sync.runtime, flow, only=[m.name for m in graph.models if m.name in selected])
        for name, n in rows.items():
            yield MaterializeResult(asset_key=model_key(name, flow), metadata={"rows": n})

    return _models


def _plan_asset(flow: Flow, entity: Entity, previous_push: AssetKey | None) -> AssetsDefinition:
    deps = [model_key(n) for n in _spec_tables(entity)] + ([previous_push] if previous_push else [])
    key = plan_key(flow, entity)

    @asset(
        key=key,
        deps=deps,
        group_name=scoped(flow.name),
        kinds={"duckdb"},
        description=f"What a push of {flow.name}/{entity.name} would send (plan.{flow.name}_{entity.name}: "
        f"every field before and after). Nothing is sent here.",
        check_specs=[
            AssetCheckSpec(
                "plan_size_sane",
                asset=key,
                description="The push is refused while the plan would overwrite or "
                "remove more than guard.max_change_share of the target",
            )
        ],
    )
    def _plan(context: AssetExecutionContext, sync: SyncRuntime) -> Any:
        rt = sync.runtime
        summary = runner.plan_entity(rt, entity, record=True)
        reason = blocked_reason(rt, entity, summary)
        yield MaterializeResult(metadata=obs.to_dagster(obs.plan_metadata(rt, flow, entity, summary, reason)))
        check = obs.plan_size_check(flow, entity, reason, obs.changed_examples(rt, entity) if reason else ())
        yield AssetCheckResult(
            check_name=check.name,
            passed=check.passed,
            severity=check.severity,
            metadata=obs.to_dagster(check.metadata),
        )

    return _plan


class PushConfig(Config):
    fingerprint: str | None = Field(
        None,
        description="The fingerprint of the plan you approved (the plan asset's metadata). Required in the "
        "<flow>_apply job; a plan that drifted from it is refused.",
    )
    force: bool = Field(False, description="Push although the plan-size check blocks the plan (journaled).")


def _push_asset(flow: Flow, entity: Entity) -> AssetsDefinition:
    key = push_key(flow, entity)

    @asset(
        key=key,
        deps=[plan_key(flow, entity)],
        group_name=scoped(flow.name),
        pool=afas_pool(current_settings()) if _calls_afas(flow, entity) else None,
        description=f"Sends the changes of plan.{flow.name}_{entity.name}; one journal row per call. Refused "
        f"(nothing sent) when the plan is blocked or drifted from the approved fingerprint. "
        f"Each record's history: `afas-mplus log --record KEY`.",
        check_specs=[
            AssetCheckSpec(
                "writes_succeeded",
                asset=key,
                description="Every write of the push was confirmed by the target",
            )
        ],
    )
    def _push(context: AssetExecutionContext, sync: SyncRuntime, config: PushConfig) -> Any:
        rt = sync.runtime
        if context.run.tags.get(MODE_TAG) == "apply" and not config.fingerprint:
            raise Failure(
                description=f"{flow.name}/{entity.name}: the {flow.name}_apply job pushes only an "
                f"approved plan: give its fingerprint (the plan asset's metadata) in the "
                f"launch config. Nothing was sent."
            )
        try:
            # On PostgreSQL a CLI run of this flow may be pushing now: never two pushes of one plan at once.
            with rt.warehouse.lock(f"flow {flow.name}", what=f"the {flow.name} flow"):
                summary = runner.push_entity(
                    rt, flow, entity, expected_fingerprint=config.fingerprint or None, force=config.force
                )
        except WarehouseBusyError as busy:
            raise Failure(description=f"{busy} Nothing was sent.", allow_retries=True) from None
        except PushRefused as refused:
            raise Failure(
                description=str(refused), metadata={"refused": refused.kind}, allow_retries=False
            ) from None
        if summary.failed:
            # The writes_succeeded check fails: the alert sensor tells someone (e-mail, webhook).
            context.log.error(f"{summary.failed} rows failed: " + "; ".join(summary.errors[:10]))
        meta = obs.push_metadata(
            flow,
            entity,
            summary.ok,
            summary.failed,
            summary.write_calls,
            summary.errors,
            obs.run_activity(rt, flow, entity),
        )
        yield MaterializeResult(metadata=obs.to_dagster(meta))
        check = obs.writes_check(flow, entity, summary.failed, summary.errors, obs.held_of(rt, flow, entity))
        yield AssetCheckResult(
            check_name=check.name,
            passed=check.passed,
            severity=check.severity,
            metadata=obs.to_dagster(check.metadata),
        )

    return _push


def _spec_tables(entity: Entity) -> list[str]:
    # The tables' names do not depend on the settings: defaults, without reading the user's file at import.
    spec = entity.spec(Settings.model_construct())
    return [t.split(".")[-1] for t in (spec.desired, spec.current, spec.errors) if t]


def flow_assets(flow: Flow) -> list[AssetsDefinition]:
    out: list[AssetsDefinition] = []
    if flow.afas_resources:
        out.append(_extract_asset(flow, "afas", flow.afas_resources))
    if flow.mplus_resources:
        out.append(_extract_asset(flow, "mplus", flow.mplus_resources))
    out.append(_models_asset(flow))
    previous: AssetKey | None = None
    for entity in flow.entities:
        out.append(_plan_asset(flow, entity, previous))
        out.append(_push_asset(flow, entity))
        previous = push_key(flow, entity)
    return out


ALL_ASSETS = [a for f in FLOWS.values() for a in flow_assets(f)]
