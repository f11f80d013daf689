"""The one resource the assets use: an opened Runtime (settings, warehouse, API clients).

Which endpoints it talks to is decided by settings alone: `deployment: local` with no
endpoints configured means the embedded stand-ins and the local DuckDB file; `prod` means
the configured AFAS and MplusKASSA services.
"""

from __future__ import annotations

import os
from typing import Any

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from afas_mplus.config import load_settings
from afas_mplus.errors import ConfigError
from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_names, shop_settings
from dagster_project.keys import SHOP_TAG, set_run_shop, shop_of_keys


def settings_from_env() -> Settings:
    """The settings the code location runs with (`afas-mplus ui` sets AFAS_MPLUS_CONFIG; DATA_DIR optional)."""
    overrides: dict[str, Any] = {"data_dir": os.environ["DATA_DIR"]} if os.environ.get("DATA_DIR") else {}
    return load_settings(os.environ.get("AFAS_MPLUS_CONFIG") or None, **overrides)


def run_shop(settings: Settings, run: Any) -> str | None:
    """The shop a run works on: its tag (the shop's jobs), else the prefix of the assets it selects (a
    materialization launched from the UI); None without shops."""
    if run is None or settings.shops_dir is None:
        return None
    known = shop_names(settings)
    if not known:
        return None
    shop = run.tags.get(SHOP_TAG)
    if shop in known:
        return str(shop)
    shop = shop_of_keys(run.asset_selection, known) or shop_of_keys(run.asset_check_selection, known)
    if shop is None:
        raise ConfigError(
            f"several shops are configured and this run names none: launch a shop's job "
            f"(north__products_sync), select one shop's assets, or tag the run {SHOP_TAG}=<shop> "
            f"(the shops are {', '.join(known)})"
        )
    return shop


class SyncRuntime(ConfigurableResource):
    config_file: str | None = None  # YAML settings; environment variables still apply on top
    data_dir: str | None = None

    _runtime: Runtime | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        overrides: dict[str, Any] = {"data_dir": self.data_dir} if self.data_dir else {}
        return load_settings(self.config_file or None, **overrides)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        run = context.dagster_run
        holder = f"a Dagster run {run.run_id[:8]} of {run.job_name}" if run else "a Dagster run"
        settings = self.settings()
        shop = run_shop(settings, run)
        set_run_shop(shop)  # the asset keys of this process's events (dagster_project/keys.py)
        if shop:
            settings = shop_settings(settings, shop)
        # A sync started from the CLI may hold the warehouse: wait for it rather than fail the run.
        self._runtime = Runtime.open(settings, holder=holder, wait_s=settings.schedules.wait_for_warehouse_s)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("SyncRuntime used outside a Dagster run")
        return self._runtime
