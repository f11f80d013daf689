"""The stock flow (AFAS -> MplusKASSA): stock levels per branch."""

from __future__ import annotations

from typing import Any

from afas_mplus.flows.base import Entity, Flow, sql_literal, writer
from afas_mplus.settings import Settings
from connectors.mplus.limits import MAX_ABS_STOCK
from reverse_etl.spec import PlanSpec


def _stock_params(s: Settings) -> dict[str, str]:
    return {
        "stock_calculation": sql_literal(s.stock.calculation),
        "clamp_negative": "true" if s.stock.clamp_negative else "false",
        "max_abs_stock": str(MAX_ABS_STOCK),
    }


def _stock_tables(s: Settings) -> dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]:
    return {
        "warehouse_branches": (
            {"warehouse": "varchar", "branch_number": "integer"},
            sorted(s.stock.warehouse_branches.items()),
        )
    }


def stock_spec(s: Settings) -> PlanSpec:
    return PlanSpec(
        flow="stock",
        entity="stock",
        desired="transforms.desired_stock",
        current="transforms.current_stock",
        fields=("quantity",),
        errors="transforms.errors_stock",
        carry=("branch_number", "article_number"),
    )


_stock_writer = writer("reverse_etl.writers.stock", "StockWriter")


STOCK = Flow(
    name="stock",
    direction="afas->mplus",
    afas_resources=("afas_stock",),
    mplus_resources=("mplus_articles", "mplus_stock"),
    model_folders=("stock",),
    entities=(Entity("stock", stock_spec, _stock_writer),),
    schedule="*/5 * * * *",
    params=_stock_params,
    settings_tables=_stock_tables,
)
