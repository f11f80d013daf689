"""The data steps of a flow: extract (dlt → staging) and transform (SQL models); plan and push, with their
safety checks, are `afas_mplus.runner`'s.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

import dlt

from afas_mplus.errors import ConfigError
from afas_mplus.flows import USER_EXPRESSIONS, Entity, Flow
from afas_mplus.runtime import Runtime
from transforms.errors import ModelError, ParameterError

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

AFAS_TYPES = {"string": "text", "int": "bigint", "decimal": "decimal", "date": "timestamp", "boolean": "bool",
              "blob": "text"}


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
    if flow.prepare is not None:
        flow.prepare(rt)
    graph = model_graph(flow)
    params = flow.params(rt.settings)
    try:
        with rt.warehouse._lock:  # noqa: SLF001 - one writer on the shared DuckDB connection
            results = run_models(rt.warehouse.cursor(), graph, dialect=rt.warehouse.dialect, params=params,
                                 only=only)
    except ModelError as exc:
        raise user_expression_error(graph, exc, params) or exc from exc
    except ParameterError as exc:
        setting = USER_EXPRESSIONS.get(exc.parameter, exc.parameter)
        raise ConfigError(f"setting {setting}: {exc.message}"
                          + (f" (line {exc.line}, column {exc.col})" if exc.line is not None else "")) from exc
    return {r.name: r.rows for r in results}


def user_expression_error(graph: Any, exc: ModelError, params: dict[str, str]) -> ConfigError | None:
    """A model that failed because a user's expression (a filter) names what its table does not have."""
    model = next((m for m in graph.models if m.name == exc.model), None)
    used = [p for p in (model.placeholders if model else {}) if p in USER_EXPRESSIONS]
    if not used or "Binder Error" not in exc.message:
        return None
    detail = exc.message.split("Binder Error:", 1)[1].strip().splitlines()[0]
    names = ", ".join(f"{USER_EXPRESSIONS[p]} ({params.get(p)!r})" for p in used)
    return ConfigError(f"setting {names} does not fit the data in model {exc.model}: {detail} Correct the "
                       f"expression (`afas-mplus check` shows the columns it can use).")


def models_reading(flow: Flow, tables: tuple[str, ...]) -> list[str]:
    """Models downstream of the given staging tables: what to re-run after a refresh."""
    graph = model_graph(flow)
    names: set[str] = set()
    for m in graph.models:
        if any(src.split(".")[-1] in tables for src in m.sources):
            names.add(m.name)
            names.update(graph.downstream(m.name, transitive=True))
    return [m.name for m in graph.models if m.name in names]


# -- after a push ------------------------------------------------------------------------------------------

def refresh(rt: Runtime, flow: Flow, entity: Entity) -> None:
    """Re-read what a push changed on the target and re-run the models that read it."""
    if not entity.refresh_after_push:
        return
    extract_afas(rt, tuple(r for r in entity.refresh_after_push if r.startswith("afas_")))
    extract_mplus(rt, tuple(r for r in entity.refresh_after_push if r.startswith("mplus_")))
    transform(rt, flow, only=models_reading(flow, entity.refresh_after_push))
