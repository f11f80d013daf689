"""Assets generated from the flow definitions: extract → one asset per SQL model → plan → push.

Each flow is its own asset group, so a user can materialize one flow in the UI, and its
schedule selects exactly that group.
"""


from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset_check,
)

from afas_mplus import steps
from afas_mplus.flows import FLOWS, Entity, Flow
from afas_mplus.notify import notify
from dagster_project.resources import SyncRuntime


def _staging_key(flow: Flow, side: str) -> AssetKey:
    return AssetKey(["staging", f"{flow.name}_{side}"])


def _model_key(name: str) -> AssetKey:
    return AssetKey(["transforms", name])


def _plan_key(flow: Flow, entity: Entity) -> AssetKey:
    return AssetKey(["plan", f"{flow.name}_{entity.name}"])


def _push_key(flow: Flow, entity: Entity) -> AssetKey:
    return AssetKey(["push", f"{flow.name}_{entity.name}"])


def _extract_asset(flow: Flow, side: str, resources: tuple[str, ...]) -> AssetsDefinition:
    @asset(key=_staging_key(flow, side), group_name=flow.name, kinds={"dlt", "duckdb"},
           description=f"dlt extract of {side.upper()} into staging: {', '.join(resources)}")
    def _extract(context: AssetExecutionContext, sync: SyncRuntime) -> MaterializeResult:
        rt = sync.runtime
        if side == "afas":
            counts = steps.extract_afas(rt, tuple(r for r in resources if r in flow.afas_to_extract(rt.settings)))
        else:
            counts = steps.extract_mplus(rt, resources)
        return MaterializeResult(metadata={"rows": sum(counts.values()), "tables": MetadataValue.json(counts)})

    return _extract


def _model_assets(flow: Flow) -> list[AssetsDefinition]:
    graph = steps.model_graph(flow)
    out = []
    for model in graph.models:
        deps = [_model_key(d) for d in sorted(model.depends_on)]
        sides = {s.split(".")[-1].split("_")[0] for s in model.sources if s.startswith("staging.")}
        deps += [_staging_key(flow, side) for side in sorted(sides)]

        def make(name: str = model.name, deps: list[AssetKey] = deps, path: str = str(model.path)) -> Any:
            @asset(key=_model_key(name), deps=deps, group_name=flow.name, kinds={"sql", "duckdb"},
                   description=f"SQL model {path}")
            def _model(context: AssetExecutionContext, sync: SyncRuntime) -> MaterializeResult:
                rows = steps.transform(sync.runtime, flow, only=[name])
                return MaterializeResult(metadata={"rows": rows.get(name, 0), "sql": MetadataValue.path(path)})

            return _model

        out.append(make())
    return out


def _plan_asset(flow: Flow, entity: Entity, previous_push: AssetKey | None) -> AssetsDefinition:
    spec_names = _spec_tables(flow, entity)
    deps = [_model_key(n) for n in spec_names] + ([previous_push] if previous_push else [])

    @asset(key=_plan_key(flow, entity), deps=deps, group_name=flow.name, kinds={"duckdb"},
           description=f"Diff of desired against MplusKASSA/AFAS state for {flow.name}/{entity.name}; "
                       f"query plan.{flow.name}_{entity.name} before anything is sent.",
           check_specs=[AssetCheckSpec("plan_size_sane", asset=_plan_key(flow, entity), blocking=True,
                                       description="Blocks the push when the plan would change more than "
                                                   "the configured share of the target")])
    def _plan(context: AssetExecutionContext, sync: SyncRuntime) -> Any:
        rt = sync.runtime
        summary = steps.plan(rt, flow, entity)
        preview = rt.warehouse.query(
            f"select record_key, action, changed_fields, error_message from plan.{flow.name}_{entity.name} "
            f"where action <> 'unchanged' order by action, record_key limit 20")
        reason = steps.guard(rt, entity, summary)
        yield MaterializeResult(metadata={
            **{f"plan_{k}": v for k, v in summary.counts.items()},
            "fingerprint": summary.fingerprint,
            "preview": MetadataValue.md(_markdown(preview)),
        })
        yield AssetCheckResult(check_name="plan_size_sane", passed=reason is None,
                               severity=AssetCheckSeverity.ERROR, metadata={"reason": reason or "ok"})

    return _plan


def _push_asset(flow: Flow, entity: Entity) -> AssetsDefinition:
    @asset(key=_push_key(flow, entity), deps=[_plan_key(flow, entity)], group_name=flow.name,
           description=f"Sends the changes of plan.{flow.name}_{entity.name}; one journal row per call.")
    def _push(context: AssetExecutionContext, sync: SyncRuntime) -> MaterializeResult:
        rt = sync.runtime
        summary = steps.push_entity(rt, flow, entity)
        steps.refresh(rt, flow, entity)
        if summary.failed:
            context.log.error(f"{summary.failed} rows failed: " + "; ".join(summary.errors[:10]))
            result = steps.FlowResult(flow.name, pushed_ok=summary.ok, pushed_failed=summary.failed,
                                      errors=summary.errors)
            notify(rt, result)
        return MaterializeResult(metadata={"pushed_ok": summary.ok, "pushed_failed": summary.failed,
                                           "write_calls": summary.write_calls,
                                           "errors": MetadataValue.md("\n".join(f"- {e}" for e in summary.errors[:50])
                                                                      or "none")})

    return _push


def _spec_tables(flow: Flow, entity: Entity) -> list[str]:
    from afas_mplus.settings import Settings

    spec = entity.spec(Settings())
    return [t.split(".")[-1] for t in (spec.desired, spec.current, spec.errors) if t]


def _markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "nothing to change"
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join("" if r[c] is None else str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def _error_check(flow: Flow) -> Any:
    @multi_asset_check(name=f"{flow.name}_records_valid", specs=[AssetCheckSpec("records_valid", asset=_model_key(f"errors_{flow.name}"),
                                             description="Rows refused by validation (e.g. non-numeric SKU)")])
    def _check(sync: SyncRuntime) -> Any:
        rows = sync.runtime.warehouse.query(
            f"select record_key, field, message from transforms.errors_{flow.name} order by record_key limit 50")
        n = sync.runtime.warehouse.scalar(f"select count(*) from transforms.errors_{flow.name}")
        yield AssetCheckResult(check_name="records_valid", asset_key=_model_key(f"errors_{flow.name}"),
                               passed=not rows, severity=AssetCheckSeverity.WARN,
                               metadata={"error_rows": int(n or 0), "rows": MetadataValue.md(_markdown(rows))})

    return _check


def flow_assets(flow: Flow) -> list[AssetsDefinition]:
    out: list[AssetsDefinition] = []
    if flow.afas_resources:
        out.append(_extract_asset(flow, "afas", flow.afas_resources))
    if flow.mplus_resources:
        out.append(_extract_asset(flow, "mplus", flow.mplus_resources))
    out += _model_assets(flow)
    previous: AssetKey | None = None
    for entity in flow.entities:
        out.append(_plan_asset(flow, entity, previous))
        out.append(_push_asset(flow, entity))
        previous = _push_key(flow, entity)
    return out


def _sku_check() -> Any:
    """MplusKASSA article numbers are digits only: every AFAS SKU that is not is named here."""
    key = _model_key("errors_products")

    @multi_asset_check(name="products_sku_numeric", specs=[AssetCheckSpec(
        "sku_numeric", asset=key, description="Every selected AFAS item code is numeric (MplusKASSA article numbers)")])
    def _check(sync: SyncRuntime) -> Any:
        rows = sync.runtime.warehouse.query(
            "select record_key as sku, message from transforms.errors_products where field = 'article_number' "
            "order by record_key limit 50")
        yield AssetCheckResult(check_name="sku_numeric", asset_key=key, passed=not rows,
                               severity=AssetCheckSeverity.WARN,
                               metadata={"non_numeric": len(rows), "skus": MetadataValue.md(_markdown(rows))})

    return _check


def flow_checks(flow: Flow) -> list[Any]:
    graph = steps.model_graph(flow)
    checks = [_error_check(flow)] if any(m.name == f"errors_{flow.name}" for m in graph.models) else []
    return checks + ([_sku_check()] if flow.name == "products" else [])


ALL_ASSETS = [a for f in FLOWS.values() for a in flow_assets(f)]
ALL_CHECKS = [c for f in FLOWS.values() for c in flow_checks(f)]
