"""How the code location runs, from the settings: the executor, the run tags and the AFAS pool.

- Executor: in-process on DuckDB (one writer per file: the run's steps share its process), multiprocess on
  PostgreSQL (steps in processes of their own; `warehouse_dsn` set). `AFAS_MPLUS_DAGSTER_EXECUTOR` overrides it:
  `celery` (dagster-celery: steps on Celery workers on other machines, broker `DAGSTER_CELERY_BROKER_URL`,
  default the local RabbitMQ), `multiprocess` or `in_process`. deploy/README.md shows each set-up.
- Run tags (deploy/dagster.yaml limits them with the queued run coordinator): `afas_mplus/flow` (one run of a flow
  at a time: two would push the same plan twice) and `afas_mplus/afas_env` (the AFAS environment the run reads).
- Pool `afas/<environment>` on every asset that calls AFAS: with the pool limit 1 (deploy/dagster.yaml
  `concurrency.pools.default_limit`) one such step runs at a time per AFAS environment, across all runs, and
  each holds at most `afas.concurrency` (<= 8) calls in flight: AFAS's 8 parallel calls are never exceeded.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from dagster import ExecutorDefinition, in_process_executor, multiprocess_executor

from afas_mplus.config import load_settings
from afas_mplus.errors import ConfigError
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_settings
from dagster_project.keys import SHOP_TAG, current_shop

FLOW_TAG = "afas_mplus/flow"
AFAS_ENV_TAG = "afas_mplus/afas_env"
EXECUTOR_ENV = "AFAS_MPLUS_DAGSTER_EXECUTOR"
CELERY_BROKER_ENV = "DAGSTER_CELERY_BROKER_URL"
CELERY_QUEUE_ENV = "AFAS_MPLUS_CELERY_QUEUE"
LOCAL_BROKER = "pyamqp://guest:guest@127.0.0.1:5672//"
EXECUTORS = ("in_process", "multiprocess", "celery")


@functools.cache
def deployment_settings() -> Settings:
    """The settings the code location was started with (AFAS_MPLUS_CONFIG, DATA_DIR and the environment), read
    once when the definitions load: the executor and the pool names are fixed per code location."""
    overrides: dict[str, Any] = {"data_dir": os.environ["DATA_DIR"]} if os.environ.get("DATA_DIR") else {}
    return load_settings(os.environ.get("AFAS_MPLUS_CONFIG") or None, **overrides)


_BUILDING: ContextVar[Settings | None] = ContextVar("afas_mplus_building_settings", default=None)


@functools.cache
def _shop_settings(shop: str) -> Settings:
    return shop_settings(deployment_settings(), shop)


@contextmanager
def building_with(settings: Settings) -> Iterator[None]:
    """`current_settings()` is `settings` within the block (the shop whose definitions are built)."""
    token = _BUILDING.set(settings)
    try:
        yield
    finally:
        _BUILDING.reset(token)


def current_settings() -> Settings:
    """The settings of the shop the definitions are built for (`building_with`, keys.for_shop), else the
    deployment's."""
    building = _BUILDING.get()
    if building is not None:
        return building
    shop = current_shop()
    return _shop_settings(shop) if shop else deployment_settings()


def afas_environment(settings: Settings) -> str:
    """The AFAS environment a run talks to: the host of afas.base_url (`12345.rest.afas.online`), or the
    embedded stand-in."""
    host = urlsplit(settings.afas.base_url).hostname if settings.afas.base_url else None
    return host or "stand-in"


def afas_pool(settings: Settings) -> str:
    return f"afas/{afas_environment(settings)}"


def run_tags(settings: Settings, flow: str) -> dict[str, str]:
    """With shops, the flow tag is per shop (`north/products`): one shop's run never waits for another's."""
    if not settings.shop:
        return {FLOW_TAG: flow, AFAS_ENV_TAG: afas_environment(settings)}
    return {
        FLOW_TAG: f"{settings.shop}/{flow}",
        AFAS_ENV_TAG: afas_environment(settings),
        SHOP_TAG: settings.shop,
    }


def executor_name(settings: Settings) -> str:
    chosen = os.environ.get(EXECUTOR_ENV, "").strip().lower().replace("-", "_")
    if chosen and chosen not in EXECUTORS:
        raise ConfigError(
            f"{EXECUTOR_ENV}={chosen!r}: use one of {', '.join(EXECUTORS)} (or leave it unset: "
            f"multiprocess with warehouse_dsn, in_process on the DuckDB file)"
        )
    if chosen and chosen != "in_process" and not settings.warehouse_dsn:
        raise ConfigError(
            f"{EXECUTOR_ENV}={chosen}: steps in other processes need the PostgreSQL warehouse "
            f"(DuckDB admits one process per file): set warehouse_dsn (WAREHOUSE_DSN)"
        )
    return chosen or ("multiprocess" if settings.warehouse_dsn else "in_process")


def executor_for(settings: Settings) -> ExecutorDefinition:
    name = executor_name(settings)
    if name == "in_process":
        return in_process_executor
    if name == "multiprocess":
        return multiprocess_executor
    from dagster_celery import celery_executor  # the [scale] extra

    broker = os.environ.get(CELERY_BROKER_ENV, LOCAL_BROKER)
    config: dict[str, Any] = {"broker": broker, "backend": "rpc://"}
    queue = os.environ.get(CELERY_QUEUE_ENV, "").strip()
    if queue:  # workers started with `-q <queue>` take these steps (default queue: dagster)
        config["config_source"] = {"task_default_queue": queue}
    return celery_executor.configured(config, name="celery_executor")
