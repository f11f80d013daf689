"""The steps every flow goes through, in the one direction data flows:
extract (dlt → staging) → transform (SQL models) → plan (diff) → push (writers) → journal.

The CLI and the Dagster assets call these same functions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from afas_mplus.flows import Entity, Flow
from afas_mplus.runtime import Runtime
from pipelines.afas import AfasExtract, AfasResourceError
from pipelines.load import RunRecord, Staging
from pipelines.mplus.extract import extract_mplus as run_mplus_extract
from reverse_etl.diff import PlanSummary, build_plan, iter_pending, pending_count
from reverse_etl.push import PushSummary, push

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]  # (label, advance, total)


@dataclass
class FlowResult:
    flow: str
    extracted: dict[str, int] = field(default_factory=dict)
    plan: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("create", "update", "deactivate", "unchanged", "error"), 0))
    pushed_ok: int = 0
    pushed_failed: int = 0
    write_calls: int = 0
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add_plan(self, summary: PlanSummary) -> None:
        for k, v in summary.counts.items():
            self.plan[k] = self.plan.get(k, 0) + v

    def add_push(self, summary: PushSummary) -> None:
        self.pushed_ok += summary.ok
        self.pushed_failed += summary.failed
        self.write_calls += summary.write_calls
        self.errors.extend(summary.errors)

    def as_json(self) -> dict[str, Any]:
        return {"flow": self.flow, "extracted": self.extracted, "plan": self.plan, "pushed_ok": self.pushed_ok,
                "pushed_failed": self.pushed_failed, "write_calls": self.write_calls, "blocked": self.blocked,
                "errors": self.errors[:50], "seconds": round(self.seconds, 3)}


# -- extract (pipelines/ does the work; these adapt the Runtime to its plain values) -------------------------

def _staging(rt: Runtime) -> Staging:
    def journal(record: RunRecord) -> None:
        rt.journal.write_run(rt.run_id, record.source, record.step, record.status, record.rows, record.details,
                             record.started_at)

    return Staging(rt.warehouse, rt.settings.data_dir, journal)


def extract_afas(rt: Runtime, resources: tuple[str, ...]) -> dict[str, int]:
    conns = rt.settings.afas.connectors
    extract = AfasExtract(rt.afas, rt.portal, _staging(rt), conns.model_dump(exclude={"columns"}), conns.columns,
                          rt.settings.afas.overlap_minutes)
    try:
        return extract.run(resources)
    except AfasResourceError as exc:  # a declaration or connector that cannot work: one line with the fix
        raise SystemExit(str(exc)) from exc


def extract_mplus(rt: Runtime, resources: tuple[str, ...]) -> dict[str, int]:
    return run_mplus_extract(rt.mplus, rt.portal, _staging(rt), resources,
                             sync_marker_limit=rt.settings.mplus.sync_marker_limit,
                             stock_branches=rt.settings.stock.warehouse_branches.values())


def extract(rt: Runtime, flow: Flow) -> dict[str, int]:
    counts = extract_afas(rt, flow.afas_to_extract(rt.settings))
    counts.update(extract_mplus(rt, flow.mplus_resources))
    return counts


# -- transform -----------------------------------------------------------------------------------------------

def load_settings_tables(rt: Runtime, flow: Flow) -> None:
    for name, (columns, rows) in flow.settings_tables(rt.settings).items():
        rt.warehouse.replace_table("settings", name, columns, rows)


def model_graph(flow: Flow) -> Any:
    from transforms.graph import ModelGraph

    return ModelGraph.load(*flow.folders)


def transform(rt: Runtime, flow: Flow, only: list[str] | None = None) -> dict[str, int]:
    from transforms.runner import run_models

    load_settings_tables(rt, flow)
    graph = model_graph(flow)
    with rt.warehouse._lock:  # noqa: SLF001 - one writer on the shared DuckDB connection
        results = run_models(rt.warehouse.cursor(), graph, dialect=rt.warehouse.dialect,
                             params=flow.params(rt.settings), only=only)
    return {r.name: r.rows for r in results}


def models_reading(flow: Flow, tables: tuple[str, ...]) -> list[str]:
    """Models downstream of the given staging tables: what to re-run after a refresh."""
    graph = model_graph(flow)
    names: set[str] = set()
    for m in graph.models:
        if any(src.split(".")[-1] in tables for src in m.sources):
            names.add(m.name)
            names.update(graph.downstream(m.name, transitive=True))
    return [m.name for m in graph.models if m.name in names]


# -- plan and push -------------------------------------------------------------------------------------------

def plan(rt: Runtime, flow: Flow, entity: Entity) -> PlanSummary:
    return build_plan(rt.warehouse, entity.spec(rt.settings))


def guard(rt: Runtime, entity: Entity, summary: PlanSummary) -> str | None:
    """The plan-size check: a reason to block the push, or None."""
    if not entity.guard_total:
        return None
    spec = entity.spec(rt.settings)
    current = int(rt.warehouse.scalar(f"select count(*) from {spec.current}") or 0)
    if current == 0 and rt.settings.products.first_sync_allows_all:
        return None
    total = max(current, 1)
    share = summary.changes / total
    limit = rt.settings.products.max_change_share
    if share > limit:
        return (f"{flow_entity(spec.flow, spec.entity)}: the plan would change {summary.changes} of {total} rows "
                f"({share:.0%}), more than the allowed {limit:.0%}. Inspect `afas-mplus plan {spec.flow}` and "
                f"raise products.max_change_share if this is intended.")
    return None


def flow_entity(flow: str, entity: str) -> str:
    return f"{flow}/{entity}"


def push_entity(rt: Runtime, flow: Flow, entity: Entity, progress: Progress | None = None) -> PushSummary:
    spec = entity.spec(rt.settings)
    total = pending_count(rt.warehouse, spec)
    if not total:
        return PushSummary()
    writer = entity.writer(rt)
    label = flow_entity(flow.name, entity.name)
    if progress:
        progress(label, 0, total)
    started = datetime.now(UTC)
    # The plan rows are streamed in group order and the call records journaled in batches: a 100k-article
    # push holds neither all rows nor all records in memory.
    summary = rt.portal.call(lambda: push(iter_pending(rt.warehouse, spec), writer, ordered=True,
                                          concurrency=rt.settings.mplus.concurrency,
                                          progress=(lambda n: progress(label, n, None)) if progress else None,
                                          sink=lambda records: rt.journal.write_calls(rt.run_id, records)))
    rt.journal.write_run(rt.run_id, flow.name, f"push {entity.name}", "ok" if not summary.failed else "failed",
                         total, {"ok": summary.ok, "failed": summary.failed, "calls": summary.write_calls},
                         started)
    return summary


def refresh(rt: Runtime, flow: Flow, entity: Entity) -> None:
    """Re-read what a push changed on the target and re-run the models that read it."""
    if not entity.refresh_after_push:
        return
    extract_afas(rt, tuple(r for r in entity.refresh_after_push if r.startswith("afas_")))
    extract_mplus(rt, tuple(r for r in entity.refresh_after_push if r.startswith("mplus_")))
    transform(rt, flow, only=models_reading(flow, entity.refresh_after_push))


def sync(rt: Runtime, flow: Flow, *, dry_run: bool = False, progress: Progress | None = None) -> FlowResult:
    t0 = time.perf_counter()
    result = FlowResult(flow.name)

    def stage(what: str) -> None:
        if progress:
            progress(f"{flow.name}: {what}", 0, None)

    stage("extract")
    result.extracted = extract(rt, flow)
    stage("transform")
    transform(rt, flow)
    for entity in flow.entities:
        stage(f"plan {entity.name}")
        summary = plan(rt, flow, entity)
        result.add_plan(summary)
        if dry_run or summary.changes == 0:
            continue
        reason = guard(rt, entity, summary)
        if reason:
            result.blocked.append(reason)
            continue
        result.add_push(push_entity(rt, flow, entity, progress))
        refresh(rt, flow, entity)
    result.seconds = time.perf_counter() - t0
    return result
