"""Runs one flow model alone on hand-written input rows: the harness of the `int_*` fixture tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from afas_mplus import flow_models
from afas_mplus.flows import FLOWS
from afas_mplus.settings import Settings
from staging.warehouse import Warehouse
from transforms.runner import run_models


def _table(rows: list[dict[str, Any]] | pa.Table) -> pa.Table:
    if isinstance(rows, pa.Table):  # an empty input needs its column types spelled out
        return rows
    table = pa.Table.from_pylist(rows)
    # A column that is None in every row has no type to infer; as text it joins and compares like the real one.
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    return table


def run_model(
    flow: str,
    model: str,
    inputs: dict[str, list[dict[str, Any]] | pa.Table],
    tmp_path: Path,
    **settings: Any,
) -> list[dict[str, Any]]:
    """`model` of `flow` built from `inputs` (schema.table -> rows; an upstream model is `transforms.<name>`)
    and the flow's real settings tables, made from `settings` over the defaults."""
    s = Settings(data_dir=tmp_path, **settings)
    wh = Warehouse(None)
    for name, (columns, rows) in FLOWS[flow].settings_tables(s).items():
        wh.replace_table("settings", name, columns, rows)
    with wh.models_connection() as conn:
        for i, (table, rows) in enumerate(inputs.items()):
            schema, name = table.split(".")
            conn.execute(f"create schema if not exists {schema}")
            conn.register(f"input_{i}", _table(rows))
            conn.execute(f"create or replace table {schema}.{name} as select * from input_{i}")
        run_models(
            conn,
            flow_models.model_graph(FLOWS[flow], s),
            params=FLOWS[flow].params(s),
            only=[model],
            **wh.model_schemas(),
        )
        cursor = conn.execute(f"select * from transforms.{model}")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
