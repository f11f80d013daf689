"""Everything one run needs, opened once: settings, warehouse, journal, the two API clients.

No configured endpoints means the embedded stand-ins: they are served on loopback ports in
background threads, with their state kept in the data directory between runs. Tests pass
in-process transports instead (`httpx.ASGITransport`), so no port is opened at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from afas_mplus.aio import Portal
from afas_mplus.errors import ConfigError
from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET, Settings
from connectors.afas.client import AfasClient
from connectors.mplus.client import MplusClient
from reverse_etl.journal import Journal, new_run_id
from staging.warehouse import Warehouse

log = logging.getLogger(__name__)


@dataclass
class Simulators:
    """The embedded stand-ins of one run: their state objects and, when served, their servers."""

    afas_state: Any
    mplus_state: Any
    afas_config: Any
    mplus_config: Any
    afas_path: Path | None
    mplus_path: Path | None
    servers: list[Any] = field(default_factory=list)

    @classmethod
    def load(cls, settings: Settings, *, persist: bool = True) -> Simulators:
        from simulators.afas.app import AfasSimConfig
        from simulators.afas.state import AfasState
        from simulators.mplus.app import MplusSimConfig
        from simulators.mplus.state import MplusState

        sim_dir = settings.data_dir / "simulators"
        sim_dir.mkdir(parents=True, exist_ok=True)
        afas_path = sim_dir / "afas.json" if persist else None
        mplus_path = sim_dir / "mplus.json" if persist else None
        kw = {"n_articles": settings.simulator.articles, "n_debtors": settings.simulator.debtors,
              "seed": settings.simulator.seed}
        latency = settings.simulator.latency_ms / 1000
        return cls(
            afas_state=AfasState.load_or_seed(afas_path, **kw),
            mplus_state=MplusState.load_or_seed(mplus_path, **kw),
            afas_config=AfasSimConfig(tokens=[DEMO_AFAS_TOKEN], latency_s=latency),
            mplus_config=MplusSimConfig(credentials={DEMO_MPLUS_IDENT: DEMO_MPLUS_SECRET}, latency_s=latency),
            afas_path=afas_path, mplus_path=mplus_path)

    def apps(self) -> tuple[Any, Any]:
        from simulators.afas.app import create_app as afas_app
        from simulators.mplus.app import create_app as mplus_app

        return afas_app(self.afas_state, self.afas_config), mplus_app(self.mplus_state, self.mplus_config)

    def serve(self, settings: Settings) -> tuple[str, str]:
        from simulators.server import serve_in_thread

        self.afas_config.in_process = False
        self.mplus_config.in_process = False
        afas, mplus = self.apps()
        a = serve_in_thread(afas, "afas", port=settings.simulator.afas_port)
        m = serve_in_thread(mplus, "mplus", port=settings.simulator.mplus_port)
        self.servers = [a, m]
        return a.url + "/ProfitRestServices", m.url

    def save(self) -> None:
        if self.afas_path:
            self.afas_state.save(self.afas_path)
        if self.mplus_path:
            self.mplus_state.save(self.mplus_path)

    def stop(self) -> None:
        for s in self.servers:
            s.stop()
        self.servers = []


class Runtime:
    """Open with `Runtime.open(settings)`; close (or use as a context manager) to save and stop."""

    def __init__(self, settings: Settings, warehouse: Warehouse, portal: Portal, afas: AfasClient,
                 mplus: MplusClient, simulators: Simulators | None) -> None:
        self.settings = settings
        self.warehouse = warehouse
        self.portal = portal
        self.afas = afas
        self.mplus = mplus
        self.simulators = simulators
        self.journal = Journal(warehouse)
        self.run_id = new_run_id()
        self.owns_warehouse = False

    @classmethod
    def open(cls, settings: Settings | None = None, *, simulators: Simulators | None = None,
             afas_transport: httpx.AsyncBaseTransport | None = None,
             mplus_transport: httpx.AsyncBaseTransport | None = None,
             warehouse: Warehouse | None = None, wait_s: float = 0.0, holder: str | None = None) -> Runtime:
        """`wait_s`: how long to wait for a warehouse another process holds; `holder`: what this run is, told to
        a process that finds the warehouse busy. Nothing is left running when opening fails."""
        settings = settings or Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        afas_url, mplus_url = settings.afas.base_url, settings.mplus.base_url
        token = settings.afas.token.get_secret_value() if settings.afas.token else None
        ident = settings.mplus.ident.get_secret_value() if settings.mplus.ident else None
        secret = settings.mplus.secret.get_secret_value() if settings.mplus.secret else None
        embedded = settings.uses_embedded_simulators
        if not embedded:
            missing = [name for name, v in (("afas.base_url", afas_url), ("afas.token", token),
                                            ("mplus.base_url", mplus_url), ("mplus.ident", ident),
                                            ("mplus.secret", secret)) if not v]
            if missing:
                raise ConfigError(f"configuration incomplete: set {', '.join(missing)} (or none of the endpoints, "
                                  f"to run on the embedded stand-ins)")
        # The warehouse first: a second process finds it busy before it starts servers or threads.
        owned = warehouse is None
        if warehouse is None:
            warehouse = Warehouse(settings.staging_path, memory_limit=settings.warehouse_memory_limit,
                                  wait_s=wait_s, holder=holder)
        portal: Portal | None = None
        try:
            if embedded:
                simulators = simulators or Simulators.load(settings)
                if afas_transport is None or mplus_transport is None:
                    afas_url, mplus_url = simulators.serve(settings)
                else:
                    afas_url, mplus_url = "http://afas.sim/ProfitRestServices", "http://mplus.sim"
                token, ident, secret = DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
            # (Endpoints configured and transports given: tests drive the stand-ins with real-looking settings.)
            assert afas_url and token and mplus_url and ident and secret
            portal = Portal()
            afas = AfasClient(afas_url, token, concurrency=settings.afas.concurrency,
                              page_size=settings.afas.page_size, timeout=settings.afas.timeout_s,
                              transport=afas_transport)
            mplus = MplusClient(mplus_url, ident, secret, concurrency=settings.mplus.concurrency,
                                timeout=settings.mplus.timeout_s, transport=mplus_transport)
        except BaseException:
            if portal is not None:
                portal.close()
            if simulators is not None:
                simulators.stop()
            if owned:
                warehouse.close()
            raise
        rt = cls(settings, warehouse, portal, afas, mplus, simulators)
        rt.owns_warehouse = owned
        return rt

    def close(self) -> None:
        try:
            self.portal.call(self.afas.aclose)
            self.portal.call(self.mplus.aclose)
        finally:
            self.portal.close()
            if self.owns_warehouse:
                self.warehouse.close()
            if self.simulators:
                self.simulators.save()
                self.simulators.stop()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
