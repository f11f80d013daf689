"""Fixtures every test folder shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from afas_mplus import runner
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime, load_simulators
from afas_mplus.settings import Settings

# The public API reference lives beside the checkout (../shared/api), never inside it.
SHARED_API = Path(__file__).resolve().parents[1].parent / "shared" / "api"


@pytest.fixture(scope="session")
def shared_api() -> Path:
    """Folder with AFAS's OpenAPI specs and MplusKASSA's WSDL; skips the test where it is absent."""
    if not SHARED_API.is_dir():
        pytest.skip(f"API reference not found at {SHARED_API}: fidelity tests need ../shared/api beside the checkout")
    return SHARED_API


POSTGRES_DSNS = ("host=127.0.0.1 port=5432 dbname=test user=postgres", "host=127.0.0.1 port=5432 dbname=test user=root")


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """A working DSN for the local PostgreSQL; skips with the reason where it is not reachable."""
    import psycopg2

    errors = []
    for dsn in POSTGRES_DSNS:
        try:
            psycopg2.connect(dsn, connect_timeout=3).close()
            return dsn
        except Exception as exc:  # not running, no access
            errors.append(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:100]}")
    pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432 database test ({'; '.join(errors)})")


class Harness:
    """A user's installation: settings, the two stand-ins, and a way to run flows like `afas-mplus sync`."""

    def __init__(self, data_dir: Path, **settings: object) -> None:
        self.settings = Settings(data_dir=data_dir, **settings)  # type: ignore[arg-type]
        self.sims = load_simulators(self.settings, persist=False)

    @property
    def afas(self):  # noqa: ANN201 - the stand-in's state object
        return self.sims.afas_state

    @property
    def mplus(self):  # noqa: ANN201
        return self.sims.mplus_state

    @contextmanager
    def runtime(self) -> Iterator[Runtime]:
        afas_app, mplus_app = self.sims.apps()
        rt = Runtime.open(self.settings, simulators=self.sims,
                          afas_transport=httpx.ASGITransport(app=afas_app),
                          mplus_transport=httpx.ASGITransport(app=mplus_app))
        try:
            yield rt
        finally:
            rt.close()

    def sync(self, flow: str, *, dry_run: bool = False, **kw: object) -> runner.FlowResult:
        """One flow as `afas-mplus sync FLOW` runs it (`dry_run`: as `plan`, nothing sent)."""
        mode = runner.Mode.PLAN if dry_run else runner.Mode.SYNC
        with self.runtime() as rt:
            return runner.run_flow(rt, FLOWS[flow], mode, **kw)  # type: ignore[arg-type]

    def query(self, sql: str) -> list[dict]:
        with self.runtime() as rt:
            return rt.warehouse.query(sql)


@pytest.fixture()
def harness(tmp_path: Path) -> Callable[..., Harness]:
    def make(**settings: object) -> Harness:
        return Harness(tmp_path / "data", **settings)

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`e2e` on every test that runs flows on the stand-ins (tests/e2e, tests/reliability, the harness, real
    processes): `pytest -m "not e2e"` is the fast subset."""
    slow_folders = ("e2e", "reliability", "dagster")
    for item in items:
        parts = item.path.parts
        if any(f in parts for f in slow_folders) or "harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
