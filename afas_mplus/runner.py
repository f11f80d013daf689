"""The one flow runner: `sync`, `plan` and `apply` on the command line and the Dagster assets all call it.

A flow runs extract → transform → (per entity) plan → push → refresh. The two safety checks (afas_mplus.push_checks)
are made in `push_entity` itself, so no caller can skip them:
- the plan-size check (`guard`): a plan that would overwrite or remove much of what the target holds is
  refused until it is re-planned smaller or pushed with `force` (journaled);
- the fingerprint: given the fingerprint of the plan a person approved, a plan that drifted is refused.
One flow failing never stops the others (`run_flows`): each flow's outcome is reported.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from afas_mplus import steps
from afas_mplus.errors import PushRefused
from afas_mplus.flow_result import FlowResult
from afas_mplus.flows.base import Entity, Flow
from afas_mplus.push_checks import check_push
from afas_mplus.runtime import Runtime
from reverse_etl import held
from reverse_etl.diff import PlanSummary, build_plan, iter_pending, pending_count
from reverse_etl.push import PushSummary, push
from reverse_etl.recovery import resolve

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]  # (label, advance, total)


class Mode(StrEnum):
    PLAN = "plan"  # extract, transform, plan: nothing is sent
    APPLY = "apply"  # push exactly the plans whose fingerprints are given; refuse any drift
    SYNC = "sync"  # plan and push what the checks allow


# -- plan and push ----------------------------------------------------------------------------------------


def plan_entity(rt: Runtime, entity: Entity, *, record: bool = False) -> PlanSummary:
    """Build the entity's plan table; `record`: journal its changed rows (`journal.changes`: what came in)."""
    spec = entity.spec(rt.settings)
    summary = build_plan(rt.warehouse, spec)
    if record:
        record_changes(rt, entity)
    return summary


def record_changes(rt: Runtime, entity: Entity) -> int:
    """The plan's rows that are not unchanged, field by field, into the activity log."""
    spec = entity.spec(rt.settings)
    return rt.journal.write_changes(rt.run_id, spec.flow, spec.entity, spec.table, spec.fields)


def recover_intents(rt: Runtime, flow: Flow, entity: Entity, writer: Any) -> int:
    """Answer the intents an interrupted earlier push left without one (write-ahead journal), by looking on the
    target. Never stops the push: a lookup that cannot be made leaves the intent for the next run."""
    pending = rt.journal.unanswered(flow.name, entity.name)
    if not pending:
        return 0
    started = datetime.now(UTC)
    try:
        records = rt.portal.call(lambda: resolve(pending, writer, concurrency=rt.settings.mplus.concurrency))
    except Exception:  # noqa: BLE001 - the audit trail waits for the next run; the push itself goes on
        log.warning(
            "could not resolve %d unanswered writes of %s/%s",
            len(pending),
            flow.name,
            entity.name,
            exc_info=True,
        )
        return 0
    for rec in records:
        rec.freeze()
    rt.journal.write_calls(rt.run_id, records)
    counts = {s: sum(r.status == s for r in records) for s in ("confirmed", "not_found", "unknown")}
    rt.journal.write_run(rt.run_id, flow.name, f"recover {entity.name}", "ok", len(records), counts, started)
    return len(records)


def push_entity(
    rt: Runtime,
    flow: Flow,
    entity: Entity,
    *,
    expected_fingerprint: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> PushSummary:
    """Send one entity's plan; refused (`PushRefused`) when blocked or drifted. Re-reads what it changed."""
    spec = entity.spec(rt.settings)
    check_push(rt, entity, expected_fingerprint=expected_fingerprint, force=force)
    total = pending_count(rt.warehouse, spec)
    unanswered = rt.journal.unanswered(flow.name, entity.name)
    if not total and not unanswered:
        return PushSummary()
    writer = held.guard(entity.writer(rt), rt.warehouse, spec)  # refused rows wait (reverse_etl.held)
    if unanswered:
        recover_intents(rt, flow, entity, writer)
    if not total:
        return PushSummary()
    label = f"{flow.name}/{entity.name}"
    if progress:
        progress(label, 0, total)
    started = datetime.now(UTC)
    # Plan rows are streamed in group order and call records journaled in batches: a 100k-article push holds
    # neither all rows nor all records in memory.
    summary = rt.portal.call(
        lambda: push(
            iter_pending(rt.warehouse, spec),
            writer,
            ordered=True,
            concurrency=rt.settings.mplus.concurrency,
            progress=(lambda n: progress(label, n, None)) if progress else None,
            sink=lambda records: rt.journal.write_calls(rt.run_id, records),
            intent_sink=lambda intents: rt.journal.write_intents(rt.run_id, intents),
        )
    )
    rt.journal.write_run(
        rt.run_id,
        flow.name,
        f"push {entity.name}",
        "ok" if not summary.failed else "failed",
        total,
        {"ok": summary.ok, "failed": summary.failed, "calls": summary.write_calls},
        started,
    )
    steps.refresh(rt, flow, entity)
    return summary


def run_flow(
    rt: Runtime,
    flow: Flow,
    mode: Mode = Mode.SYNC,
    *,
    fingerprints: Mapping[str, str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> FlowResult:
    """Run one flow. What stops it (an unreachable API, a setting that does not fit the data) is recorded in the
    result with its cause, with what it did before (extracted, pushed); a refused push is recorded too, and the
    flow's other entities still run."""
    t0 = time.perf_counter()
    result = FlowResult(flow.name, mode=str(mode))
    fingerprints = dict(fingerprints or {})

    def stage(what: str) -> None:
        if progress:
            progress(f"{flow.name}: {what}", 0, None)

    try:
        with rt.warehouse.lock(f"flow {flow.name}", what=f"the {flow.name} flow"):
            _run_flow(rt, flow, mode, result, fingerprints, force, progress, stage)
    except Exception as exc:  # noqa: BLE001 - isolation: the caller's next flow must run whatever this one hit
        log.debug("flow %s failed", flow.name, exc_info=True)
        result.fail(exc)
    finally:
        result.seconds = time.perf_counter() - t0
    return result


def _run_flow(
    rt: Runtime,
    flow: Flow,
    mode: Mode,
    result: FlowResult,
    fingerprints: dict[str, str],
    force: bool,
    progress: Progress | None,
    stage: Callable[[str], None],
) -> None:
    """`run_flow`'s steps, with the flow held against other processes (PostgreSQL: one run of a flow at a time;
    two would plan and push the same changes twice)."""
    stage("extract")
    result.extracted = steps.extract(rt, flow)
    stage("transform")
    steps.transform(rt, flow)
    summaries: dict[str, PlanSummary] = {}
    for entity in flow.entities:
        stage(f"plan {entity.name}")
        summaries[entity.name] = plan_entity(rt, entity)
    if mode is Mode.APPLY:
        # Every entity's plan is checked against what the user approved before anything is sent.
        for name, summary in summaries.items():
            if summary.changes and fingerprints.get(name) != summary.fingerprint:
                result.drifted.append(
                    f"{flow.name}/{name}: the data changed since the plan was shown (fingerprint "
                    f"{summary.fingerprint}, approved {fingerprints.get(name)}). Nothing was sent; run "
                    f"`afas-mplus plan {flow.name}` again."
                )
        if result.drifted:
            for summary in summaries.values():
                result.add_plan(summary)
            return
    for i, entity in enumerate(flow.entities):
        # An earlier entity's push re-read the target: plan again so the next one sees its result.
        summary = summaries[entity.name] if i == 0 or mode is Mode.PLAN else plan_entity(rt, entity)
        if mode is not Mode.PLAN:
            record_changes(rt, entity)
        result.add_plan(summary)
        if mode is Mode.PLAN:
            continue
        if not summary.changes:
            # Nothing to send, but an interrupted earlier push may have left writes without an answer (they
            # landed, so the plan is empty): look them up now, or the journal never learns what happened.
            if rt.journal.unanswered(flow.name, entity.name):
                recover_intents(
                    rt, flow, entity, held.guard(entity.writer(rt), rt.warehouse, entity.spec(rt.settings))
                )
            continue
        try:
            pushed = push_entity(
                rt,
                flow,
                entity,
                force=force,
                progress=progress,
                expected_fingerprint=fingerprints.get(entity.name) if mode is Mode.APPLY else None,
            )
        except PushRefused as refused:
            (result.blocked if refused.kind == "blocked" else result.drifted).append(str(refused))
            result.entities.setdefault(entity.name, {})[refused.kind] = str(refused)
            continue
        result.add_push(pushed, entity.name)


def run_flows(
    rt: Runtime,
    flows: Iterable[Flow],
    mode: Mode = Mode.SYNC,
    *,
    on_result: Callable[[FlowResult], None] | None = None,
    **kw: Any,
) -> list[FlowResult]:
    """Run each flow; one that fails is reported with its cause and the others still run."""
    results = []
    for flow in flows:
        result = run_flow(rt, flow, mode, **kw)
        if on_result:
            on_result(result)
        results.append(result)
    return results
