"""The data steps of a flow: extract (dlt → staging) and transform (SQL models); plan and push, with their
safety checks, are `afas_mplus.runner`'s.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from afas_mplus.errors import ConfigError
from afas_mplus.flow_models import model_graph
from afas_mplus.flows.base import USER_EXPRESSIONS, Entity, Flow
from afas_mplus.forget import ensure_table, forget_debtors
from afas_mplus.mapping import mapped_sources, mapping_files, mapping_problems, raise_problems
from afas_mplus.required_columns import check_staged
from afas_mplus.runtime import Runtime
from pipelines.afas import AfasExtract, AfasResourceError, resources_from_config
from pipelines.afas.resources import catalog
from pipelines.load import RunRecord, Staging
from pipelines.mplus.extract import extract_mplus as run_mplus_extract
from transforms.contracts import grains, load_contracts
from transforms.errors import ModelError, ParameterError
from transforms.runner import compile_model, run_models

log = logging.getLogger(__name__)

# -- extract -------------------------------------------------------------------------------------------------


def _staging(rt: Runtime, scope: str) -> Staging:
    def journal(record: RunRecord) -> None:
        rt.journal.write_run(
            rt.run_id,
            record.source,
            record.step,
            record.status,
            record.rows,
            record.details,
            record.started_at,
        )

    return Staging(rt.warehouse, rt.settings.data_dir, journal, scope)


def extract_afas(
    rt: Runtime, resources: tuple[str, ...], scope: str = "", *, sweep_every: timedelta | None = None
) -> dict[str, int]:
    """`scope`: the flow extracting (its own dlt pipelines where flows run at the same time); `sweep_every`:
    how often key sweeps run (default: the setting `afas.key_sweep_every_minutes`)."""
    if sweep_every is None:
        sweep_every = timedelta(minutes=rt.settings.afas.key_sweep_every_minutes)
    conns = rt.settings.afas.connectors
    if "afas_debtors" in resources:  # the customers models read the deleted debtors, none or some
        ensure_table(rt.warehouse)
    try:
        extract = AfasExtract(
            rt.afas,
            rt.portal,
            _staging(rt, scope),
            conns.model_dump(exclude={"columns"}),
            conns.columns,
            rt.settings.afas.overlap_minutes,
            extra=resources_from_config(rt.settings.afas.extra_connectors),
            on_removed=lambda table, keys: _forget(rt, table, keys),
            sweep_every=sweep_every,
        )
        return extract.run(resources)
    except AfasResourceError as exc:  # a declaration or connector that cannot work: one line with the fix
        raise ConfigError(str(exc)) from exc


def _forget(rt: Runtime, table: str, keys: list[str]) -> None:
    """GDPR: debtors the key sweep found deleted in AFAS leave every derived table too (afas_mplus.forget)."""
    if table == "afas_debtors" and keys:
        forget_debtors(rt.warehouse, keys)


def extract_mplus(rt: Runtime, resources: tuple[str, ...], scope: str = "") -> dict[str, int]:
    return run_mplus_extract(
        rt.mplus,
        rt.portal,
        _staging(rt, scope),
        resources,
        sync_marker_limit=rt.settings.mplus.sync_marker_limit,
        stock_branches=rt.settings.stock.warehouse_branches.values(),
    )


def afas_resources(rt: Runtime, flow: Flow) -> tuple[str, ...]:
    return afas_resources_of(rt.settings, flow)


def afas_resources_of(settings: Any, flow: Flow) -> tuple[str, ...]:
    """The flow's AFAS resources, after the user's data mappings: a connector a mapping reads (declared in
    afas.extra_connectors) is added; a standard connector no model reads any more (its staging model mapped)
    is left out, so a customer without it can run the flow."""
    names = flow.afas_to_extract(settings)
    mapped = mapping_files(settings)
    if not mapped and not settings.afas.extra_connectors:
        return names
    read = {
        s.split(".", 1)[1]
        for m in model_graph(flow, settings).models
        for s in m.sources
        if s.startswith("staging.")
    }
    contracts = load_contracts()
    replaced = {contracts[n].source.split(".", 1)[1] for n in mapped}
    extra = [r["name"] for r in settings.afas.extra_connectors if r.get("name") in read]
    return tuple(dict.fromkeys([*(n for n in names if n not in replaced or n in read), *extra]))


def check_mappings(rt: Runtime, flow: Flow | None = None) -> None:
    """The user's mappings (those `flow` runs) against the staged connectors' columns (every metainfo field is a
    staged column). A declared connector not staged yet is not a problem here; `afas-mplus check` reads it."""
    only = None if flow is None else [m.name for m in model_graph(flow, rt.settings).models]
    declared = catalog(resources_from_config(rt.settings.afas.extra_connectors))
    tables = {t for ts in mapped_sources(rt.settings).values() for t in ts}
    staged: dict[str, set[str] | None] = {
        t: set(rt.warehouse.columns("staging", t)) for t in tables if rt.warehouse.table_exists("staging", t)
    }
    staged.update({t: None for t in tables if t in declared and t not in staged})
    raise_problems(mapping_problems(rt.settings, staged, only))


def extract(rt: Runtime, flow: Flow) -> dict[str, int]:
    counts = extract_afas(rt, afas_resources(rt, flow), flow.name)
    counts.update(extract_mplus(rt, flow.mplus_resources, flow.name))
    return counts


# -- transform -----------------------------------------------------------------------------------------------


def load_settings_tables(rt: Runtime, flow: Flow) -> None:
    for name, (columns, rows) in flow.settings_tables(rt.settings).items():
        rt.warehouse.replace_table("settings", name, columns, rows)


def transform(rt: Runtime, flow: Flow, only: list[str] | None = None) -> dict[str, int]:
    load_settings_tables(rt, flow)
    check_mappings(rt, flow)
    check_staged(rt, flow)
    if flow.prepare is not None:
        flow.prepare(rt)
    graph = model_graph(flow, rt.settings)
    params = flow.params(rt.settings)
    try:
        with rt.warehouse.models_connection() as conn:
            results = run_models(
                conn,
                graph,
                dialect=rt.warehouse.dialect,
                params=params,
                only=only,
                grains=grains(),
                **rt.warehouse.model_schemas(),
            )
    except ModelError as exc:
        raise user_expression_error(graph, exc, params) or mapping_error(rt, exc) or exc from exc
    except ParameterError as exc:
        setting = USER_EXPRESSIONS.get(exc.parameter, exc.parameter)
        raise ConfigError(
            f"setting {setting}: {exc.message}"
            + (f" (line {exc.line}, column {exc.col})" if exc.line is not None else "")
        ) from exc
    return {r.name: r.rows for r in results}


def mapping_error(rt: Runtime, exc: ModelError) -> ConfigError | None:
    """A user's mapping that failed as it ran (a value its contract type cannot hold): one line naming the file."""
    path = mapping_files(rt.settings).get(exc.model)
    if path is None:
        return None
    detail = exc.message.split("Error:", 1)[-1].strip().splitlines()[0]
    return ConfigError(
        f"{path}: mapping {exc.model} failed: {detail}. Cast or clean the column in the mapping "
        f"(`afas-mplus mapping preview {exc.model}` shows its rows)."
    )


def user_expression_error(graph: Any, exc: ModelError, params: dict[str, str]) -> ConfigError | None:
    """A model that failed because a user's expression (a filter) names what its table does not have."""
    model = next((m for m in graph.models if m.name == exc.model), None)
    used = [p for p in (model.placeholders if model else {}) if p in USER_EXPRESSIONS]
    # DuckDB's binder, PostgreSQL's "column ... does not exist" (UndefinedColumn) or "operator does not exist"
    marker = next(
        (m for m in ("Binder Error:", "UndefinedColumn:", "UndefinedFunction:") if m in exc.message), None
    )
    if not used or marker is None:
        return None
    detail = exc.message.split(marker, 1)[1].strip().removeprefix("ERROR:").strip().splitlines()[0]
    names = ", ".join(f"{USER_EXPRESSIONS[p]} ({params.get(p)!r})" for p in used)
    return ConfigError(
        f"setting {names} does not fit the data in model {exc.model}: {detail} Correct the "
        f"expression (`afas-mplus check` shows the columns it can use)."
    )


def bind_user_expressions(rt: Runtime, flow: Flow) -> list[tuple[str, str, str | None]]:
    """(setting, model, problem or None) for every user expression a model of the flow uses, bound against the
    staged data as it is now (DuckDB's EXPLAIN binds every column without running anything). A model whose input
    tables do not exist yet is skipped: there is nothing to bind against before the first extract. (The model is
    compiled as DuckDB SQL; a PostgreSQL warehouse translates it, as every statement.)"""
    graph = model_graph(flow, rt.settings)
    params = flow.params(rt.settings)
    out: list[tuple[str, str, str | None]] = []
    for model in graph.models:
        used = [p for p in model.placeholders if p in USER_EXPRESSIONS]
        if not used:
            continue
        inputs = [*(f"transforms.{d}" for d in model.depends_on), *model.sources]
        if not all(rt.warehouse.table_exists(*t.split(".", 1)) for t in inputs if "." in t):
            continue
        setting = ", ".join(USER_EXPRESSIONS[p] for p in used)
        try:
            rt.warehouse.execute("explain " + compile_model(model, graph, dialect="duckdb", params=params))
            out.append((setting, model.name, None))
        except ParameterError as exc:
            out.append((setting, model.name, exc.message))
        except Exception as exc:  # noqa: BLE001 - the database's binder error is the answer, worded for the user
            out.append((setting, model.name, str(exc).split("Error:", 1)[-1].strip().splitlines()[0]))
    return out


def models_reading(flow: Flow, tables: tuple[str, ...], settings: Any = None) -> list[str]:
    """Models downstream of the given staging tables: what to re-run after a refresh."""
    graph = model_graph(flow, settings)
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
    # swept every time: what the push just created in AFAS may carry a ModifiedDate the cursor has passed
    extract_afas(
        rt,
        tuple(r for r in entity.refresh_after_push if r.startswith("afas_")),
        flow.name,
        sweep_every=timedelta(0),
    )
    extract_mplus(rt, tuple(r for r in entity.refresh_after_push if r.startswith("mplus_")), flow.name)
    transform(rt, flow, only=models_reading(flow, entity.refresh_after_push, rt.settings))
