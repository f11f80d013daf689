"""The AFAS columns the SQL reads, derived from the SQL itself (transforms.lineage over every flow's models, after
the user's mappings): `afas-mplus check` compares them with each connector's metainfo, and a run with the staged
tables before any model runs. A missing column is one line naming the model that reads it and how to map it."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from afas_mplus.errors import ConfigError
from afas_mplus.flow_models import model_graph
from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import Flow
from pipelines.afas.keys import column as staged_name
from pipelines.afas.resources import AfasResource, catalog, resources_from_config
from transforms.lineage import staging_reads

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime


@dataclass(frozen=True)
class MissingColumn:
    connector: str
    table: str
    column: str  # as staged (dlt's snake_case of the connector's field id)
    models: tuple[str, ...]
    setting: str  # the afas.connectors field naming the connector, or "" for a declared extra connector

    def fix(self) -> str:
        model = next((m for m in self.models if not m.startswith("(")), self.models[0])
        if model.startswith("("):  # a key, sort or cursor column of the extract itself
            return (
                f"Add the field to GetConnector {self.connector}, or correct the declaration of "
                f"staging.{self.table} (afas.extra_connectors / afas.connectors.columns.{self.connector})."
            )
        rename = f"rename its field in afas.connectors.columns.{self.connector}, " if self.setting else ""
        return (
            f"Add the field to GetConnector {self.connector}, {rename}or replace model {model} with your own "
            f"{model}.sql in mapping.folder (`null as {self.column}` when your AFAS has no such field; "
            "docs/custom-connectors.md)."
        )

    def __str__(self) -> str:
        return (
            f"model {', '.join(self.models)} reads column {self.column} of staging.{self.table}, which "
            f"GetConnector {self.connector} does not have. {self.fix()}"
        )


def afas_reads(settings: Any, flows: Iterable[Flow] | None = None) -> dict[str, dict[str, set[str]]]:
    """AFAS staging table -> column -> models reading it, over the flows' models (with the user's mappings)."""
    known = catalog(resources_from_config(settings.afas.extra_connectors))
    out: dict[str, dict[str, set[str]]] = {}
    for flow in FLOWS.values() if flows is None else flows:
        for table, cols in _reads_of(model_graph(flow, settings)).items():
            if table in known:
                for col, models in cols.items():
                    out.setdefault(table, {}).setdefault(col, set()).update(models)
    return out


@functools.lru_cache(maxsize=64)
def _reads_of(graph: Any) -> dict[str, dict[str, set[str]]]:
    """The lineage of one (cached, never changed) model graph."""
    return staging_reads(graph.models)


def _own_columns(resource: AfasResource) -> set[str]:
    """Columns staging has that no connector field gives (a derived key)."""
    return {staged_name(resource.key[0])} if resource.derived_key else set()


def staged_columns(fields: Iterable[str], renames: dict[str, str]) -> set[str]:
    ours = {theirs: mine for mine, theirs in renames.items()}
    return {staged_name(ours.get(f, f)) for f in fields}


def missing_columns(
    settings: Any, table: str, fields: set[str], reads: dict[str, set[str]]
) -> list[MissingColumn]:
    """The read columns of one staging table its connector's fields (metainfo ids) do not give."""
    resource = catalog(resources_from_config(settings.afas.extra_connectors))[table]
    conns = settings.afas.connectors
    connector = resource.connector_id(conns.model_dump(exclude={"columns"}))
    have = staged_columns(fields, conns.columns.get(connector, {})) | _own_columns(resource)
    wanted = {col: set(models) for col, models in reads.items()}
    for col in resource.required_columns():  # the extract's own: key, sort order, cursor
        wanted.setdefault(staged_name(col), set()).add(f"(the extract of staging.{table})")
    return [
        MissingColumn(
            connector,
            table,
            col,
            tuple(sorted(wanted[col])),
            resource.connector if resource.from_setting else "",
        )
        for col in sorted(wanted)
        if col not in have
    ]


def check_staged(rt: Runtime, flow: Flow) -> None:
    """Before the models run: every AFAS column they read is a staged column (every metainfo field is one)."""
    for table, reads in afas_reads(rt.settings, [flow]).items():
        if not rt.warehouse.table_exists("staging", table):
            continue
        present = set(rt.warehouse.columns("staging", table))
        resource = catalog(resources_from_config(rt.settings.afas.extra_connectors))[table]
        connector = resource.connector_id(rt.settings.afas.connectors.model_dump(exclude={"columns"}))
        gone = [
            MissingColumn(
                connector,
                table,
                c,
                tuple(sorted(reads[c])),
                resource.connector if resource.from_setting else "",
            )
            for c in sorted(reads)
            if c not in present
        ]
        if gone:
            more = f" ({len(gone) - 1} more: `afas-mplus check`)" if len(gone) > 1 else ""
            raise ConfigError(f"{gone[0]}{more}")
