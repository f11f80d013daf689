"""Asset checks on the flows' SQL models: rows refused by validation, named with record and field."""

from typing import Any

from dagster import AssetCheckResult, AssetCheckSpec, multi_asset_check

from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import Flow
from dagster_project import observations as obs
from dagster_project.assets.flows import model_graph
from dagster_project.keys import model_key, scoped
from dagster_project.resources import SyncRuntime


def _result(check: obs.CheckObservation | None, name: str, key: Any) -> AssetCheckResult:
    if check is None:  # the errors table does not exist yet: nothing was refused
        return AssetCheckResult(check_name=name, asset_key=key, passed=True, metadata={"error_rows": 0})
    return AssetCheckResult(
        check_name=check.name,
        asset_key=check.asset,
        passed=check.passed,
        severity=check.severity,
        metadata=obs.to_dagster(check.metadata),
    )


def _error_check(flow: Flow) -> Any:
    key = model_key(f"errors_{flow.name}")

    @multi_asset_check(
        name=scoped(f"{flow.name}_records_valid"),
        specs=[
            AssetCheckSpec(
                "records_valid",
                asset=key,
                description="Rows refused by validation, with record, field and the fix",
            )
        ],
    )
    def _check(sync: SyncRuntime) -> Any:
        yield _result(obs.records_valid_check(sync.runtime, flow), "records_valid", key)

    return _check


def _sku_check() -> Any:
    """MplusKASSA article numbers are digits only: every AFAS SKU that is not is named here."""
    key = model_key("errors_products")

    @multi_asset_check(
        name=scoped("products_sku_numeric"),
        specs=[
            AssetCheckSpec(
                "sku_numeric",
                asset=key,
                description="Every selected AFAS item code is numeric (MplusKASSA article numbers)",
            )
        ],
    )
    def _check(sync: SyncRuntime) -> Any:
        yield _result(obs.sku_numeric_check(sync.runtime), "sku_numeric", key)

    return _check


def flow_checks(flow: Flow) -> list[Any]:
    graph = model_graph(flow.name)
    checks = [_error_check(flow)] if any(m.name == f"errors_{flow.name}" for m in graph.models) else []
    return checks + ([_sku_check()] if flow.name == "products" else [])


ALL_CHECKS = [c for f in FLOWS.values() for c in flow_checks(f)]
