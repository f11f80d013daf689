"""ModelGraph: dependencies from table references, order, cycles, unknown names, load errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms import CycleError, ModelGraph, ModelLoadError

CHAIN = Path(__file__).parent / "fixtures" / "chain"


def test_fixture_chain_order_and_refs() -> None:
    graph = ModelGraph.load(CHAIN)
    assert graph.names == ["stg_articles", "int_articles", "desired_products"]
    stg, int_, desired = graph.models
    assert stg.sources == {"staging.articles"} and stg.depends_on == set()
    assert int_.depends_on == {"stg_articles"} and int_.sources == {"settings.vat_groups"}
    # desired_products reads transforms.int_articles inside a CTE that is itself named int_articles
    assert desired.depends_on == {"int_articles"} and desired.sources == set()
    assert desired.path == CHAIN / "desired_products.sql" and desired.layer == "desired"
    assert graph.parameters == {"article_name_expr": "a.description", "article_filter": "true"}


def test_order_from_joins_unions_subqueries(write_models) -> None:
    folder = write_models(
        {
            "desired_x": "select * from int_b union all select * from int_c",
            "int_c": "select * from stg_a where id in (select id from int_b) and exists (select 1 from stg_d)",
            "int_b": "select a.* from stg_a a left join (select * from stg_d) d on d.id = a.id",
            "stg_a": "select * from staging.a",
            "stg_d": "select id from staging.d join settings.s using (id)",
        }
    )
    graph = ModelGraph.load(folder)
    order = graph.names
    assert order == ["stg_a", "stg_d", "int_b", "int_c", "desired_x"]
    assert graph["int_c"].depends_on == {"stg_a", "int_b", "stg_d"}
    assert graph["stg_d"].sources == {"staging.d", "settings.s"}
    assert graph.upstream("int_c") == ["stg_a", "stg_d", "int_b"]
    assert graph.downstream("stg_a") == ["int_b", "int_c"]
    assert graph.downstream("stg_a", transitive=True) == ["int_b", "int_c", "desired_x"]
    assert graph.upstream("desired_x", transitive=True) == ["stg_a", "stg_d", "int_b", "int_c"]
    with pytest.raises(KeyError):
        graph.upstream("nope")


def test_cte_names_are_not_dependencies(write_models) -> None:
    folder = write_models(
        {
            "stg_a": "select 1 as id",
            # 'helper' and 'stg_a' inside are CTEs; the CTE stg_a shadows the model only after it is defined
            "int_b": "with helper as (select * from transforms.stg_a), stg_a as (select * from helper) "
            "select * from stg_a join (with inner_cte as (select 1 as id) select * from inner_cte) s using (id)",
            "int_r": "with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r",
        }
    )
    graph = ModelGraph.load(folder)
    assert graph["int_b"].depends_on == {"stg_a"}
    assert graph["int_r"].depends_on == set()


def test_cycle_names_the_models(write_models) -> None:
    folder = write_models(
        {
            "int_a": "select * from int_c",
            "int_b": "select * from int_a",
            "int_c": "select * from int_b join stg_ok using (id)",
            "stg_ok": "select 1 as id",
        }
    )
    with pytest.raises(CycleError) as err:
        ModelGraph.load(folder)
    assert err.value.cycle == ["int_a", "int_c", "int_b", "int_a"]
    assert "dependency cycle between models: int_a -> int_c -> int_b -> int_a" in str(err.value)
    assert "stg_ok" not in str(err.value)


def test_self_reference_is_a_cycle(write_models) -> None:
    with pytest.raises(CycleError, match="int_a -> int_a"):
        ModelGraph.load(write_models({"int_a": "select * from int_a"}))


def test_unknown_bare_reference_names_file_and_table(write_models) -> None:
    folder = write_models(
        {"stg_a": "select 1 as id", "int_b": "select * from stg_a join articles using (id)"}
    )
    with pytest.raises(ModelLoadError) as err:
        ModelGraph.load(folder)
    assert err.value.path == folder / "int_b.sql"
    assert str(folder / "int_b.sql") in str(err.value) and "'articles'" in str(err.value)


def test_unknown_qualified_model_reference(write_models) -> None:
    with pytest.raises(ModelLoadError, match=r"int_b\.sql.*'transforms\.nope'"):
        ModelGraph.load(write_models({"int_b": "select * from transforms.nope"}))


def test_folders_combine_and_names_must_be_unique(write_models) -> None:
    shared = write_models({"stg_vat": "select * from settings.vat"}, folder="shared")
    flow = write_models({"int_price": "select * from stg_vat"}, folder="products")
    graph = ModelGraph.load(shared, flow)
    assert graph.names == ["stg_vat", "int_price"] and graph.upstream("int_price") == ["stg_vat"]
    dup = write_models({"stg_vat": "select 2"}, folder="other")
    with pytest.raises(ModelLoadError, match="duplicate model name 'stg_vat'"):
        ModelGraph.load(shared, dup)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select from where", "does not parse as DuckDB SQL"),
        ("select 1; select 2", "exactly one SELECT statement, found 2"),
        ("drop table staging.x", "must be a SELECT query, found DROP"),
        ("select try_cast(x as int) from staging.a", "try_cast"),
        ("select strip_accents(x) from staging.a", "strip_accents"),
        ("select x, count(*) from staging.a group by all", "group by all"),
        ("select * exclude (x) from staging.a", "exclude"),
        ("select cast(x as hugeint) from staging.a", "INT128"),
        ("select * from read_csv('x.csv')", "DuckDB-only"),
        ("select any_value(x) from staging.a", "cannot be transpiled to postgres"),
        ("select {{ broken from staging.a", "malformed placeholder"),
        ("select {{ f | default: '1; drop table x' }} from staging.a", "';' is not allowed"),
    ],
)
def test_load_errors_name_the_file(write_models, sql: str, message: str) -> None:
    folder = write_models({"stg_bad": sql})
    with pytest.raises(ModelLoadError) as err:
        ModelGraph.load(folder)
    assert err.value.path == folder / "stg_bad.sql"
    assert message in str(err.value)


def test_portability_check_can_be_switched_off(write_models) -> None:
    folder = write_models({"stg_a": "select strip_accents(x) as x from staging.a"})
    assert ModelGraph.load(folder, check_portability=False).names == ["stg_a"]


def test_bad_model_name_and_missing_folder(write_models, tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="must match"):
        ModelGraph.load(write_models({"Stg-A": "select 1"}))
    with pytest.raises(ModelLoadError, match="does not exist"):
        ModelGraph.load(tmp_path / "missing")


def test_conflicting_defaults_across_models(write_models) -> None:
    folder = write_models(
        {"stg_a": "select {{ f | default: 'true' }} as x", "stg_b": "select {{ f | default: 'false' }} as x"}
    )
    with pytest.raises(ModelLoadError, match="placeholder 'f'"):
        ModelGraph.load(folder)
