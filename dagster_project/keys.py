"""The asset keys, one definition for the assets, the checks, the CLI's reports to Dagster and the alerts.

With several shops (afas_mplus/shops.py) every shop has the same assets under a key prefix of its own
(`north/staging/products_afas`), in groups, jobs and schedules named `north__products`, ...: `for_shop`
while building the definitions or reporting, `set_run_shop` in the process of a run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from dagster import AssetKey

from afas_mplus.flows.base import Entity, Flow

SHOP_TAG = "afas_mplus/shop"
_SHOP: ContextVar[str | None] = ContextVar("afas_mplus_dagster_shop", default=None)
_run_shop: list[str | None] = [None]  # the shop of the run this process executes (set by the resource)


@contextmanager
def for_shop(shop: str | None) -> Iterator[None]:
    """Keys and names of `shop` (None: the single-shop names) within the block."""
    token = _SHOP.set(shop)
    try:
        yield
    finally:
        _SHOP.reset(token)


def set_run_shop(shop: str | None) -> None:
    _run_shop[0] = shop


def current_shop() -> str | None:
    return _SHOP.get() or _run_shop[0]


def scoped(name: str) -> str:
    """A group, job, schedule or op name of the current shop."""
    shop = current_shop()
    return f"{shop}__{name}" if shop else name


def _key(*path: str) -> AssetKey:
    shop = current_shop()
    return AssetKey([shop, *path] if shop else list(path))


def staging_key(flow: Flow, side: str) -> AssetKey:
    return _key("staging", f"{flow.name}_{side}")


def model_key(name: str, flow: Flow | None = None) -> AssetKey:
    """A model's asset. A shared staging model (`stg_<source>__<entity>`, transforms/models/staging) runs in each
    flow that reads it: one asset per flow, so two flows' model assets never claim one key."""
    if flow is not None and name.startswith("stg_") and "__" in name:
        return _key("transforms", f"{flow.name}_{name}")
    return _key("transforms", name)


def plan_key(flow: Flow, entity: Entity) -> AssetKey:
    return _key("plan", f"{flow.name}_{entity.name}_plan")


def push_key(flow: Flow, entity: Entity) -> AssetKey:
    return _key("push", f"{flow.name}_{entity.name}_push")


def shop_of_keys(keys: object, known: list[str]) -> str | None:
    """The shop whose prefix the asset (or check) keys of a run carry; None when they carry none."""
    shops = set()
    for k in keys or ():  # type: ignore[attr-defined]
        path = getattr(k, "path", None) or getattr(getattr(k, "asset_key", None), "path", None) or []
        if path and path[0] in known:
            shops.add(path[0])
    if len(shops) > 1:
        raise ValueError(
            f"a run works on one shop at a time, this one selects assets of {', '.join(sorted(shops))}"
        )
    return shops.pop() if shops else None
