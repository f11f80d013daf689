"""Asset checks on the flows' SQL models: rows refused by validation, named with record and field."""


from typing import Any

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, multi_asset_check

from afas_mplus import steps
from afas_mplus.flows import FLOWS, Flow
from dagster_project.assets.flows import model_key
from dagster_project.resources import SyncRuntime
from reverse_etl.plan_view import markdown_table


def _error_check(flow: Flow) -> Any:
    key = model_key(f"errors_{flow.name}")

    @multi_asset_check(name=f"{flow.name}_records_valid", specs=[AssetCheckSpec(
        "records_valid", asset=key, description="Rows refused by validation, with record, field and the fix")])
    def _check(sync: SyncRuntime) -> Any:
        wh = sync.runtime.warehouse
        rows = wh.query(f"select record_key, field, message from transforms.errors_{flow.name} "
                        f"order by record_key limit 50")
        n = wh.scalar(f"select count(*) from transforms.errors_{flow.name}")
        yield AssetCheckResult(check_name="records_valid", asset_key=key, passed=not rows,
                               severity=AssetCheckSeverity.WARN,
                               metadata={"error_rows": int(n or 0), "rows": MetadataValue.md(markdown_table(rows))})

    return _check


def _sku_check() -> Any:
    """MplusKASSA article numbers are digits only: every AFAS SKU that is not is named here."""
    key = model_key("errors_products")

    @multi_asset_check(name="products_sku_numeric", specs=[AssetCheckSpec(
        "sku_numeric", asset=key, description="Every selected AFAS item code is numeric (MplusKASSA article numbers)")])
    def _check(sync: SyncRuntime) -> Any:
        rows = sync.runtime.warehouse.query(
            "select record_key as sku, message from transforms.errors_products where field = 'article_number' "
            "order by record_key limit 50")
        yield AssetCheckResult(check_name="sku_numeric", asset_key=key, passed=not rows,
                               severity=AssetCheckSeverity.WARN,
                               metadata={"non_numeric": len(rows), "skus": MetadataValue.md(markdown_table(rows))})

    return _check


def flow_checks(flow: Flow) -> list[Any]:
    graph = steps.model_graph(flow)
    checks = [_error_check(flow)] if any(m.name == f"errors_{flow.name}" for m in graph.models) else []
    return checks + ([_sku_check()] if flow.name == "products" else [])


ALL_CHECKS = [c for f in FLOWS.values() for c in flow_checks(f)]
