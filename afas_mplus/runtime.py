"""Everything one run needs, opened once: settings, warehouse, journal, the two API clients.

No configured endpoints means the embedded stand-ins: they are served on loopback ports in
background threads, with their state kept in the data directory between runs. Tests pass
in-process transports instead (`httpx.ASGITransport`), so no port is opened at all.
"""

from __future__ import annotations

import logging

import httpx
import psycopg2

from afas_mplus.aio import Portal
from afas_mplus.errors import ConfigError
from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET, Settings
from connectors.afas.client import AfasClient
from connectors.mplus.client import MplusClient
from pipelines.dlt_config import configure_dlt
from reverse_etl.journal import Journal, new_run_id
from simulators.embedded import Simulators, StandInOptions
from simulators.server import CannotListen
from staging.postgres import masked
from staging.warehouse import Warehouse

log = logging.getLogger(__name__)


def standin_options(settings: Settings) -> StandInOptions:
    """The stand-ins' plain options from the settings (the stand-ins do not read Settings themselves)."""
    sim = settings.simulator
    return StandInOptions(
        data_dir=settings.data_dir,
        articles=sim.articles,
        debtors=sim.debtors,
        seed=sim.seed,
        latency_ms=sim.latency_ms,
        afas_port=sim.afas_port,
        mplus_port=sim.mplus_port,
        afas_tokens=(DEMO_AFAS_TOKEN,),
        mplus_credentials={DEMO_MPLUS_IDENT: DEMO_MPLUS_SECRET},
    )


def open_warehouse(settings: Settings, *, wait_s: float = 0.0, holder: str | None = None) -> Warehouse:
    """The warehouse the settings name: PostgreSQL when `warehouse_dsn` is set, else the DuckDB file in data_dir.
    `wait_s`: how long to wait for what another process holds (the DuckDB file; on PostgreSQL, a flow)."""
    dsn = settings.warehouse_dsn.get_secret_value() if settings.warehouse_dsn else None
    if not dsn:
        return Warehouse(
            settings.staging_path, memory_limit=settings.warehouse_memory_limit, wait_s=wait_s, holder=holder
        )
    try:
        return Warehouse(
            dsn=dsn, schema_prefix=settings.warehouse_schema_prefix, wait_s=wait_s, holder=holder
        )
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            f"cannot open the warehouse {masked(dsn)}: {reason}. Check warehouse_dsn "
            f"(WAREHOUSE_DSN), or leave it empty for the embedded DuckDB file"
        ) from None
    except psycopg2.ProgrammingError as exc:  # a DSN that is no DSN
        raise ConfigError(
            f"warehouse_dsn (WAREHOUSE_DSN) is not a PostgreSQL DSN ({str(exc).strip()}): write "
            f"it as postgresql://user@host:5432/database"
        ) from None


def load_simulators(settings: Settings, *, persist: bool = True) -> Simulators:
    """The embedded stand-ins of the settings' data dir (`persist=False`: in memory only)."""
    return Simulators.load(standin_options(settings), persist=persist)


class Runtime:
    """Open with `Runtime.open(settings)`; close (or use as a context manager) to save and stop."""

    def __init__(
        self,
        settings: Settings,
        warehouse: Warehouse,
        portal: Portal,
        afas: AfasClient,
        mplus: MplusClient,
        simulators: Simulators | None,
    ) -> None:
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
    def open(
        cls,
        settings: Settings | None = None,
        *,
        simulators: Simulators | None = None,
        afas_transport: httpx.AsyncBaseTransport | None = None,
        mplus_transport: httpx.AsyncBaseTransport | None = None,
        warehouse: Warehouse | None = None,
        wait_s: float = 0.0,
        holder: str | None = None,
    ) -> Runtime:
        """`wait_s`: how long to wait for a warehouse another process holds; `holder`: what this run is, told to
        a process that finds the warehouse busy. Nothing is left running when opening fails."""
        settings = settings or Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        configure_dlt(telemetry=settings.dlt_telemetry)
        afas_url, mplus_url = settings.afas.base_url, settings.mplus.base_url
        token = settings.afas.token.get_secret_value() if settings.afas.token else None
        ident = settings.mplus.ident.get_secret_value() if settings.mplus.ident else None
        secret = settings.mplus.secret.get_secret_value() if settings.mplus.secret else None
        embedded = settings.uses_embedded_simulators
        if not embedded:
            missing = [
                name
                for name, v in (
                    ("afas.base_url", afas_url),
                    ("afas.token", token),
                    ("mplus.base_url", mplus_url),
                    ("mplus.ident", ident),
                    ("mplus.secret", secret),
                )
                if not v
            ]
            if missing:
                raise ConfigError(
                    f"configuration incomplete: set {', '.join(missing)} (or none of the endpoints, "
                    f"to run on the embedded stand-ins)"
                )
        # The warehouse first: a second process finds it busy before it starts servers or threads.
        owned = warehouse is None
        if warehouse is None:
            warehouse = open_warehouse(settings, wait_s=wait_s, holder=holder)
        portal: Portal | None = None
        try:
            if embedded:
                simulators = simulators or load_simulators(settings)
                if afas_transport is None or mplus_transport is None:
                    try:
                        afas_url, mplus_url = simulators.serve(
                            settings.simulator.afas_port, settings.simulator.mplus_port
                        )
                    except CannotListen as exc:
                        raise ConfigError(
                            f"{exc}: set simulator.afas_port / simulator.mplus_port to free ports "
                            f"(0 = any free port)"
                        ) from None
                else:
                    afas_url, mplus_url = "http://afas.sim/ProfitRestServices", "http://mplus.sim"
                token, ident, secret = DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
            # (Endpoints configured and transports given: tests drive the stand-ins with real-looking settings.)
            assert afas_url and token and mplus_url and ident and secret
            portal = Portal()
            afas = AfasClient(
                afas_url,
                token,
                concurrency=settings.afas.concurrency,
                page_size=settings.afas.page_size,
                timeout=settings.afas.timeout_s,
                max_retries=settings.afas.retries,
                backoff_s=settings.afas.retry_backoff_s,
                transport=afas_transport,
            )
            mplus = MplusClient(
                mplus_url,
                ident,
                secret,
                concurrency=settings.mplus.concurrency,
                timeout=settings.mplus.timeout_s,
                max_retries=settings.mplus.retries,
                backoff_s=settings.mplus.retry_backoff_s,
                transport=mplus_transport,
            )
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
