"""The steps every flow goes through, in the one direction data flows:
extract (dlt → staging) → transform (SQL models) → plan (diff) → push (writers) → journal.

The CLI and the Dagster assets call these same functions.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dlt

from afas_mplus.flows import Entity, Flow
from afas_mplus.runtime import Runtime
from reverse_etl.diff import PlanSummary, build_plan, iter_pending, pending_count
from reverse_etl.push import PushSummary, push

log = logging.getLogger(__name__)
# dlt warns when it adds its bookkeeping columns to a table we pre-created empty: expected, not news.
os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
# GDPR: dlt would keep every loaded package (rows with names and e-mail addresses) on disk; the staging
# tables are the record of what came in, so the package files are deleted once loaded.
os.environ.setdefault("LOAD__DELETE_COMPLETED_JOBS", "true")
# The load files live a few seconds on local disk: gzip cost ~13 % of reading 10k products back, for nothing.
os.environ.setdefault("DATA_WRITER__DISABLE_COMPRESSION", "true")
# Arrow pages get dlt's row bookkeeping too, as rows did: every staging table keeps `_dlt_load_id` (which load
# brought the row) and `_dlt_id`, and tables created by earlier versions (NOT NULL on both) keep loading.
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID", "true")

Progress = Callable[[str, int, int | None], None]  # (label, advance, total)

AFAS_TYPES = {"string": "text", "int": "bigint", "decimal": "decimal", "date": "timestamp", "boolean": "bool",
              "blob": "text"}


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


# -- extract -------------------------------------------------------------------------------------------------

def _pipeline(rt: Runtime, name: str) -> dlt.Pipeline:
    return dlt.pipeline(pipeline_name=name, destination=rt.warehouse.dlt_destination(), dataset_name="staging",
                        pipelines_dir=str(rt.settings.data_dir / "dlt"))


def _afas_hints(rt: Runtime, connector: str, date_columns: tuple[str, ...] = ()) -> dict[str, Any]:
    """Column types from AFAS metainfo, so a column that is empty today still gets its table column."""
    meta = rt.portal.call(rt.afas.metainfo_get, connector)
    renames = {theirs: ours for ours, theirs in rt.settings.afas.connectors.columns.get(connector, {}).items()}
    hints: dict[str, Any] = {}
    for f in meta.get("fields", []):
        name = renames.get(f["id"], f["id"])
        dtype = AFAS_TYPES.get(f.get("dataType", "string"), "text")
        if name in date_columns:
            dtype = "date"
        col: dict[str, Any] = {"data_type": dtype, "nullable": True}
        if dtype == "decimal":
            col.update(precision=18, scale=max(int(f.get("decimals") or 0), 4))
        if dtype == "timestamp":
            col["timezone"] = True
        hints[name] = col
    return hints


def extract_afas(rt: Runtime, resources: tuple[str, ...]) -> dict[str, int]:
    from pipelines.afas import KEY_SWEEPS, RESOURCE_CONNECTORS, afas_source
    from pipelines.afas.helpers import AfasReader

    if not resources:
        return {}
    conns = rt.settings.afas.connectors
    reader = AfasReader(rt.afas, rt.portal, conns.columns)
    source = afas_source(reader, conns, rt.settings.afas.overlap_minutes).with_resources(*resources)
    for name in resources:
        connector_attr, date_cols = RESOURCE_CONNECTORS[name]
        connector = getattr(conns, connector_attr)
        hints = _afas_hints(rt, connector, date_cols)
        reader.hints[connector] = hints
        source.resources[name].apply_hints(columns=hints)
    counts = _run(rt, "afas", source)
    _sweep(rt, reader, tuple(r for r in resources if r in KEY_SWEEPS))
    return counts


def _sweep(rt: Runtime, reader: Any, resources: tuple[str, ...]) -> None:
    """Incremental reads never see deletions: drop staged rows whose key AFAS no longer has."""
    from pipelines.afas import sweep_removed

    for name in resources:
        started = datetime.now(UTC)
        removed = sweep_removed(reader, rt.settings.afas.connectors, rt.warehouse, name)
        rt.journal.write_run(rt.run_id, "afas", f"sweep {name}", "ok", removed, {"removed": removed}, started)


def extract_mplus(rt: Runtime, resources: tuple[str, ...]) -> dict[str, int]:
    from pipelines.mplus import CHILD_TABLES, COMPANIONS, mplus_source
    from pipelines.mplus.helpers import MplusReader

    if not resources:
        return {}
    reader = MplusReader(rt.mplus, rt.portal, rt.settings.mplus.sync_marker_limit)
    branches = sorted(set(rt.settings.stock.warehouse_branches.values()))
    wanted = [*resources, *(c for r in resources for c in COMPANIONS.get(r, ()))]
    source = mplus_source(reader, branches).with_resources(*dict.fromkeys(wanted))
    return _run(rt, "mplus", source, CHILD_TABLES)


_DLT_TYPES = {"text": "varchar", "bigint": "bigint", "bool": "boolean", "timestamp": "timestamptz", "date": "date",
              "double": "double", "json": "json", "time": "time", "binary": "blob", "wei": "decimal(38, 0)"}


def _ensure_tables(rt: Runtime, pipeline: dlt.Pipeline, source: Any,
                   child_tables: dict[str, dict[str, Any]] | None = None) -> None:
    """Every declared table and column exists after an extract, even when the API had nothing to say:
    a resource that yielded nothing still gets its table, and a column added in a newer version of
    this project is added to an existing table (its old rows read NULL until the API sends it)."""
    wanted: dict[str, dict[str, Any]] = {}
    for name, resource in source.selected_resources.items():
        wanted[name] = resource.compute_table_schema().get("columns", {})
        wanted.update((child_tables or {}).get(name, {}))
    naming = pipeline.default_schema.naming
    for name, columns in wanted.items():
        typed = {naming.normalize_identifier(col): _sql_type(spec) for col, spec in columns.items()
                 if spec.get("data_type")}
        if not typed:
            continue
        if not rt.warehouse.table_exists("staging", name):
            cols = ", ".join(f"{c} {t}" for c, t in typed.items())
            rt.warehouse.execute(f"create table if not exists staging.{name} ({cols})")
            continue
        present = set(rt.warehouse.columns("staging", name))
        for col, sql_type in typed.items():
            if col not in present:
                rt.warehouse.execute(f"alter table staging.{name} add column {col} {sql_type}")


def _sql_type(spec: dict[str, Any]) -> str:
    if spec["data_type"] == "decimal":
        return f"decimal({spec.get('precision', 38)}, {spec.get('scale', 9)})"
    return _DLT_TYPES.get(spec["data_type"], "varchar")


def _run(rt: Runtime, name: str, source: Any, child_tables: dict[str, dict[str, Any]] | None = None
         ) -> dict[str, int]:
    started = datetime.now(UTC)
    pipeline = _pipeline(rt, name)
    # Arrow pages load as parquet; the few row resources (orders, groups, stock) as dlt's insert_values files
    # (statements capped by Warehouse.dlt_destination's max_query_length). Not jsonl: dlt leaves null fields out
    # of jsonl rows and DuckDB's JSON reader then rejects keys it did not guess from the first rows.
    pipeline.run(source)
    _ensure_tables(rt, pipeline, source, child_tables)
    counts = dict(pipeline.last_trace.last_normalize_info.row_counts) if pipeline.last_trace else {}
    counts = {k: v for k, v in counts.items() if not k.startswith("_dlt")}
    rt.journal.write_run(rt.run_id, name, "extract", "ok", sum(counts.values()), counts, started)
    return counts


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
