"""The shared staging models keep their contracts (contracts.yml), the flows read them from one place, and the
grain of a model is checked after every run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot

from afas_mplus import flow_models
from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import STAGING_DIR
from transforms.contracts import load_contracts
from transforms.errors import ModelError
from transforms.graph import ModelGraph
from transforms.runner import run_models

CONTRACTS = load_contracts()


def test_every_staging_model_has_a_contract_and_every_contract_a_model() -> None:
    assert {p.stem for p in STAGING_DIR.glob("*.sql")} == set(CONTRACTS)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_a_staging_model_outputs_its_contract_columns_in_order(name: str) -> None:
    query = sqlglot.parse_one((STAGING_DIR / f"{name}.sql").read_text(encoding="utf-8"), read="duckdb")
    assert tuple(s.alias_or_name for s in query.selects) == CONTRACTS[name].names
    assert set(CONTRACTS[name].grain) <= set(CONTRACTS[name].names)


def test_a_flow_loads_the_staging_models_it_reads_and_no_other() -> None:
    graph = flow_models.model_graph(FLOWS["stock"])
    shared = {m.name for m in graph.models if m.path.parent == STAGING_DIR}
    assert shared == {"stg_afas__stock", "stg_mplus__articles"}
    assert not [p for p in (STAGING_DIR.parent).glob("*/stg_afas_debtors.sql")]  # one copy, shared


def test_a_duplicate_in_the_grain_stops_the_run_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "flow").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "stg_x__items.sql").write_text("select code as record_key from staging.items")
    (tmp_path / "flow" / "desired_items.sql").write_text("select record_key from stg_x__items")
    graph = ModelGraph.load(tmp_path / "flow", library=[tmp_path / "lib"])
    conn = duckdb.connect()
    conn.execute(
        "create schema staging; create table staging.items as select * from (values ('A'), ('B')) t(code)"
    )
    assert [r.name for r in run_models(conn, graph, grains={"stg_x__items": ("record_key",)})] == [
        "stg_x__items",
        "desired_items",
    ]
    conn.execute("insert into staging.items values ('B')")
    with pytest.raises(ModelError, match=r"grain record_key is not unique: B \(2 rows\)"):
        run_models(conn, graph, grains={"stg_x__items": ("record_key",)})


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_contract_type_is_a_sql_type(name: str) -> None:
    for column in CONTRACTS[name].columns:
        assert sqlglot.exp.DataType.build(column.type, dialect="duckdb").sql("duckdb").lower().replace(
            " ", ""
        ) == (column.type.replace(" ", "")), column
