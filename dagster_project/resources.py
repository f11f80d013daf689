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

from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings


class SyncRuntime(ConfigurableResource):
    config_file: str | None = None  # YAML settings; environment variables still apply on top
    data_dir: str | None = None

    _runtime: Runtime | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        if self.config_file:
            os.environ["AFAS_MPLUS_CONFIG"] = self.config_file
        overrides: dict[str, Any] = {"data_dir": self.data_dir} if self.data_dir else {}
        return Settings(**overrides)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._runtime = Runtime.open(self.settings())

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("SyncRuntime used outside a Dagster run")
        return self._runtime
