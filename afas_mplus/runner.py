"""The one flow runner: `sync`, `plan` and `apply` on the command line and the Dagster assets all call it.

A flow runs extract → transform → (per entity) plan → push → refresh. The two safety checks live in
`push_entity` itself, so no caller can skip them:
- the plan-size check (`guard`): a plan that would overwrite or remove much of what the target holds is
  refused until it is re-planned smaller or pushed with `force` (journaled);
- the fingerprint: given the fingerprint of the plan a person approved, a plan that drifted is refused.
One flow failing never stops the others (`run_flows`): each flow's outcome is reported.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from afas_mplus import steps
from afas_mplus.errors import ConfigError, ExitCode, PushRefused, UserError
from afas_mplus.flows import Entity, Flow
from afas_mplus.runtime import Runtime
from afas_mplus.settings import GuardSettings
from reverse_etl import held
from reverse_etl.diff import PlanSummary, build_plan, iter_pending, pending_count, summarize
from reverse_etl.push import PushSummary, push
from staging.base import WarehouseBusyError

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]  # (label, advance, total)


class Mode(StrEnum):
    PLAN = "plan"  # extract, transform, plan: nothing is sent
    APPLY = "apply"  # push exactly the plans whose fingerprints are given; refuse any drift
    SYNC = "sync"  # plan and push what the checks allow


@dataclass
class FlowResult:
    flow: str
    status: str = "ok"  # ok | failed (the flow stopped: `error` says why)
    extracted: dict[str, int] = field(default_factory=dict)
    plan: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("create", "update", "deactivate", "unchanged", "error", "held"), 0
        )
    )
    fingerprints: dict[str, str] = field(default_factory=dict)
    pushed_ok: int = 0
    pushed_failed: int = 0
    write_calls: int = 0
    blocked: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error: str | None = None  # why the flow stopped
    error_exit: ExitCode | None = None
    seconds: float = 0.0
    # Per entity: its plan counts and what its push did (the Dagster report and the alerts read them).
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    mode: str = "sync"  # plan | apply | sync

    def add_plan(self, summary: PlanSummary) -> None:
        for k, v in summary.counts.items():
            self.plan[k] = self.plan.get(k, 0) + v
        self.fingerprints[summary.entity] = summary.fingerprint
        self.entities.setdefault(summary.entity, {}).update(
            plan=dict(summary.counts), fingerprint=summary.fingerprint
        )

    def add_push(self, summary: PushSummary, entity: str | None = None) -> None:
        self.pushed_ok += summary.ok
        self.pushed_failed += summary.failed
        self.write_calls += summary.write_calls
        self.errors.extend(summary.errors)
        if entity is not None:
            self.entities.setdefault(entity, {}).update(
                pushed_ok=summary.ok,
                pushed_failed=summary.failed,
                write_calls=summary.write_calls,
                errors=summary.errors[:50],
            )

    def fail(self, exc: BaseException) -> None:
        self.status = "failed"
        self.error = one_line(exc)
        self.error_exit = exc.exit_code if isinstance(exc, UserError) else cause_exit(exc)

    def as_json(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "status": self.status,
            "extracted": self.extracted,
            "plan": self.plan,
            "fingerprints": self.fingerprints,
            "pushed_ok": self.pushed_ok,
            "pushed_failed": self.pushed_failed,
            "write_calls": self.write_calls,
            "blocked": self.blocked,
            "drifted": self.drifted,
            "errors": self.errors[:50],
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what caused it, outermost first; each once (a chain can loop back on itself)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


def one_line(exc: BaseException) -> str:
    """An exception as the one line a user reads: the API error inside a dlt wrapper, never a traceback."""
    from connectors.afas.errors import AfasError
    from connectors.mplus.errors import MplusError

    found = next(
        (c for c in causes(exc) if isinstance(c, AfasError | MplusError | UserError | WarehouseBusyError)),
        exc,
    )
    text = str(found).strip().splitlines()[0] if str(found).strip() else ""
    if isinstance(found, UserError | WarehouseBusyError):
        return text
    return f"{type(found).__name__}: {text}" if text else type(found).__name__


def cause_exit(exc: BaseException) -> ExitCode:
    """Refused credentials, an unreachable endpoint or a missing connector are the environment's problem."""
    from connectors.afas.errors import (
        AfasAuthError,
        AfasForbiddenError,
        AfasNotFoundError,
        AfasTransportError,
    )
    from connectors.mplus.errors import MplusAuthError, MplusTransportError

    environment = (
        AfasAuthError,
        AfasForbiddenError,
        AfasNotFoundError,
        AfasTransportError,
        MplusAuthError,
        MplusTransportError,
        ConfigError,
        WarehouseBusyError,
    )
    return ExitCode.CONFIG if any(isinstance(c, environment) for c in causes(exc)) else ExitCode.WRITES_FAILED


# -- the plan-size check -----------------------------------------------------------------------------------


def destructive_counts(rt: Runtime, entity: Entity) -> dict[str, int]:
    """Changes to what the target holds: deactivations, deletes, and updates that overwrite a value it has. An
    update filling an empty field (null, '', 0: a relation's first price group or discount) overwrites nothing."""
    spec = entity.spec(rt.settings)
    # trim(x, '0.') is '' for '', '0', '0.00': the target's "nothing set"
    overwrites = (
        " or ".join(
            f"(strpos(',' || changed_fields || ',', ',{f},') > 0 and trim(cast({f}__current as varchar), '0.') <> '')"
            for f in spec.compared_on_update
        )
        or "false"
    )
    row = rt.warehouse.query(
        f"select count(*) filter (where action = 'update' and ({overwrites})) as update, "
        f"count(*) filter (where action = 'deactivate') as deactivate, "
        f"count(*) filter (where action = 'delete') as delete from {spec.table}"
    )[0]
    return {k: int(v or 0) for k, v in row.items()}


def guard_reason(
    entity: Entity,
    summary: PlanSummary,
    destructive: Mapping[str, int],
    target_rows: int,
    settings: GuardSettings,
) -> str | None:
    """Why a push of this plan must wait for a person, or None. `destructive`: `destructive_counts`."""
    if not entity.guarded:
        return None
    n = sum(destructive.values())
    if n <= settings.min_changes:
        return None
    share = n / max(target_rows, 1)
    if share <= settings.max_change_share:
        return None
    needed = min(1.0, math.ceil(share * 100) / 100)
    parts = ", ".join(f"{v} {k}s" for k, v in destructive.items() if v)
    return (
        f"{summary.flow}/{summary.entity}: the plan would overwrite or remove {n} of the {target_rows} records "
        f"the target holds ({share:.0%}: {parts}), more than guard.max_change_share "
        f"({settings.max_change_share:.0%}). Read it with `afas-mplus plan {summary.flow}`; to allow it, set "
        f"guard.max_change_share to {needed:g} (GUARD_MAX_CHANGE_SHARE={needed:g}) or push this plan once "
        f"with `afas-mplus apply {summary.flow} --force`."
    )


def target_rows(rt: Runtime, entity: Entity) -> int:
    return int(rt.warehouse.scalar(f"select count(*) from {entity.spec(rt.settings).current}") or 0)


def blocked_reason(rt: Runtime, entity: Entity, summary: PlanSummary) -> str | None:
    """The plan-size check of the plan table as it stands."""
    if not entity.guarded or not summary.changes:
        return None
    return guard_reason(
        entity, summary, destructive_counts(rt, entity), target_rows(rt, entity), rt.settings.guard
    )


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
    from reverse_etl.recovery import resolve

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


def check_push(
    rt: Runtime, entity: Entity, *, expected_fingerprint: str | None = None, force: bool = False
) -> PlanSummary:
    """The plan table as it stands, if it may be pushed; `PushRefused` if not. Read from the table, not
    from whoever planned it: a push-only run (Dagster) is checked exactly like a sync."""
    spec = entity.spec(rt.settings)
    summary = summarize(rt.warehouse, spec)
    label = f"{spec.flow}/{spec.entity}"
    if expected_fingerprint is not None and expected_fingerprint != summary.fingerprint:
        raise PushRefused(
            "drifted",
            f"{label}: the data changed since the plan was shown (fingerprint "
            f"{summary.fingerprint}, approved {expected_fingerprint}). Nothing was "
            f"sent; read the plan again (`afas-mplus plan {spec.flow}`) and approve that.",
        )
    reason = blocked_reason(rt, entity, summary)
    if reason and not force:
        raise PushRefused("blocked", reason)
    if reason:
        rt.journal.write_run(
            rt.run_id,
            spec.flow,
            f"force {spec.entity}",
            "forced",
            summary.changes,
            {"reason": reason, "fingerprint": summary.fingerprint},
            datetime.now(UTC),
        )
    return summary


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


def exit_code(results: Iterable[FlowResult]) -> ExitCode:
    """The most serious outcome wins: environment, then a refused push, then failed writes."""
    results = list(results)
    if any(r.error_exit is ExitCode.CONFIG for r in results):
        return ExitCode.CONFIG
    if any(r.blocked or r.drifted for r in results):
        return ExitCode.BLOCKED
    # Refused rows are reported (summary, --json, notification) but are the data's problem, not the run's.
    if any(r.pushed_failed or r.status == "failed" for r in results):
        return ExitCode.WRITES_FAILED
    return ExitCode.OK
