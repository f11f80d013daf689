"""The data mapper end to end: the two worked examples in docs/mappings/ against the stand-in laid out as that
customer's AFAS (each converges, the till holds what AFAS holds), and `afas-mplus check` deriving the required
columns from the SQL: every column any model reads fails the check, naming model and column, when it is dropped
from its connector; the check passes on the documented layout and on both mapped ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from afas_mplus.prerequisites import run_checks
from afas_mplus.required_columns import afas_reads
from afas_mplus.settings import Settings
from pipelines.afas.keys import column as staged_name
from pipelines.afas.resources import catalog

DOCS = Path(__file__).resolve().parents[2] / "docs" / "mappings"
SMALL = {"articles": 60, "debtors": 15}
STANDARD_ARTICLES = [
    "Sync_Articles",
    "Sync_ItemAttributes",
    "Sync_ItemFeatures",
]  # this AFAS has none of them
NO_OPTIONAL = {
    "Sync_Debtors": [
        "ContactPrefix",
        "Prefix",
        "CustomerGroup",
        "DiscountPercentage",
        "ChamberOfCommerce",
        "PaymentCondition",
    ]
}


def example(name: str) -> dict[str, Any]:
    cfg = yaml.safe_load((DOCS / name / "afas-mplus.yaml").read_text(encoding="utf-8"))
    cfg["mapping"]["folder"] = str(DOCS / name)
    return cfg


def converge(h: Any, flow: str) -> Any:
    first = h.sync(flow)
    assert first.status == "ok" and first.error is None, first.error
    again = h.sync(flow)
    assert again.status == "ok" and again.write_calls == 0, (again.plan, again.errors)
    return first


def failed(h: Any) -> list[Any]:
    with h.runtime() as rt:
        return [c for c in run_checks(rt) if not c.ok and not c.warning and "GetConnector" in c.name]


def test_example_a_items_from_the_standard_article_connector(harness: Callable[..., Any]) -> None:
    h = harness(simulator=SMALL, **example("standard-articles"))
    h.sims.afas_config.blocked_connectors = STANDARD_ARTICLES  # a read of them would fail the sync
    assert failed(h) == []
    first = converge(h, "products")
    assert first.plan["create"] > 0
    held = {str(a["articleNumber"]): a for a in h.mplus.articles()}
    afas = {code: a for code, a in h.afas.articles.items() if code in held}
    assert len(afas) > 20
    for (
        code,
        a,
    ) in afas.items():  # attributes from the wide connector, the base price from the price connector
        m = held[code]
        assert (m.get("colour") or None, m.get("size") or None) == (a.colour or None, a.size or None), code
        assert m["priceExcl"] == int((a.price_excl * 100).to_integral_value()), code
    converge(h, "orders")  # the orders flow reads the same mapped items


@pytest.mark.parametrize("flow", ["customers", "orders", "prices"])
def test_example_b_debtors_without_the_optional_columns(harness: Callable[..., Any], flow: str) -> None:
    h = harness(simulator=SMALL, **example("debtors-without-optional"))
    h.sims.afas_config.hidden_fields = NO_OPTIONAL
    assert failed(h) == []
    converge(h, flow)


def test_without_the_mapping_the_missing_columns_stop_the_run_with_one_line(
    harness: Callable[..., Any],
) -> None:
    h = harness(simulator=SMALL)
    h.sims.afas_config.hidden_fields = NO_OPTIONAL
    result = h.sync("customers")
    assert result.status == "failed"
    assert "model stg_afas__debtors reads column chamber_of_commerce" in result.error
    assert "Error" not in result.error  # no database error reaches the user
    assert {c.name.rsplit(" ", 1)[-1] for c in failed(h)} == {
        "contact_prefix",
        "prefix",
        "customer_group",
        "discount_percentage",
        "chamber_of_commerce",
        "payment_condition",
    }


def _lineage() -> list[tuple[str, str]]:
    """(connector field setting, staged column) for every AFAS column any model reads (a derived key is ours)."""
    settings = Settings()
    known = catalog()
    return sorted(
        {
            (known[t].connector, col)
            for t, cols in afas_reads(settings).items()
            for col in cols
            if not (known[t].derived_key and col == staged_name(known[t].key[0]))
        }
    )


@pytest.mark.parametrize(("setting", "column"), _lineage())
def test_check_fails_naming_each_column_the_sql_reads_when_it_is_dropped(
    harness: Callable[..., Any], setting: str, column: str
) -> None:
    h = harness(simulator={"articles": 20, "debtors": 5})
    connector = getattr(h.settings.afas.connectors, setting)
    with h.runtime() as rt:
        fields = [f["id"] for f in rt.portal.call(rt.afas.metainfo_get, connector)["fields"]]
    field = next(f for f in fields if staged_name(f) == column)
    h.sims.afas_config.hidden_fields = {connector: [field]}
    fails = failed(h)
    assert [c.name for c in fails] == [f"AFAS GetConnector {connector} column {column}"]
    assert (
        "stg_afas__" in fails[0].detail and "mapping.folder" in fails[0].fix
    )  # the staging model reading it


def test_a_mapping_whose_value_does_not_fit_its_contract_stops_with_one_line(
    harness: Callable[..., Any], tmp_path: Path
) -> None:
    folder = tmp_path / "mappings"
    folder.mkdir()
    sql = (DOCS / "debtors-without-optional" / "stg_afas__debtors.sql").read_text(encoding="utf-8")
    (folder / "stg_afas__debtors.sql").write_text(
        sql.replace("0 as discount_percentage", "email as discount_percentage")
    )
    h = harness(simulator=SMALL, mapping={"folder": str(folder)})
    result = h.sync("customers")
    assert result.status == "failed"
    assert result.error.startswith(f"{folder / 'stg_afas__debtors.sql'}: mapping stg_afas__debtors failed:")
    assert "Exception" not in result.error
