"""Fixtures every test folder shares.

The end-to-end tests (tests/e2e, marker `e2e`) run on each warehouse backend `--warehouse` names: `duckdb`,
`postgres` or `both` (the default; also AFAS_MPLUS_TEST_WAREHOUSE). On PostgreSQL each test has schemas of its own
(a unique `warehouse_schema_prefix`, dropped afterwards); where PostgreSQL is not reachable those variants are
skipped with the reason. `@pytest.mark.warehouse("duckdb")` keeps a test on the backends it names.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from afas_mplus import runner
from afas_mplus.flow_result import FlowResult
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime, load_simulators
from afas_mplus.settings import Settings

# The public API reference lives beside the checkout (../shared/api), never inside it.
SHARED_API = Path(__file__).resolve().parents[1].parent / "shared" / "api"


@pytest.fixture(scope="session")
def shared_api() -> Path:
    """Folder with AFAS's OpenAPI specs and MplusKASSA's WSDL; skips the test where it is absent."""
    if not SHARED_API.is_dir():
        pytest.skip(
            f"API reference not found at {SHARED_API}: fidelity tests need ../shared/api beside the checkout"
        )
    return SHARED_API


POSTGRES_DSNS = (
    "host=127.0.0.1 port=5432 dbname=test user=postgres",
    "host=127.0.0.1 port=5432 dbname=test user=root",
)


BACKENDS = ("duckdb", "postgres")
E2E_DIR = Path(__file__).resolve().parent / "e2e"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--warehouse",
        choices=(*BACKENDS, "both"),
        default=os.environ.get("AFAS_MPLUS_TEST_WAREHOUSE", "both"),
        help="warehouse backend(s) the end-to-end tests run on (default: both; PostgreSQL variants are "
        "skipped where 127.0.0.1:5432 is not reachable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "warehouse(*backends): run this e2e test only on these warehouse backends"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each e2e test that opens a warehouse (`harness`, `warehouse_settings`, `warehouse_env`) runs once per
    selected backend."""
    in_e2e = (
        E2E_DIR in Path(str(metafunc.definition.fspath)).parents
        or metafunc.definition.get_closest_marker("e2e") is not None
    )
    uses = {"harness", "warehouse_settings", "warehouse_env"} & set(metafunc.fixturenames)
    if not (in_e2e and uses):
        return
    chosen = metafunc.config.getoption("--warehouse")
    backends = list(BACKENDS) if chosen == "both" else [chosen]
    marker = metafunc.definition.get_closest_marker("warehouse")
    if marker is not None:
        backends = [b for b in backends if b in marker.args]
    if not backends:
        backends = [pytest.param("none", marks=pytest.mark.skip(reason=f"runs on {marker.args} only"))]
    metafunc.parametrize("warehouse_backend", backends, indirect=True)


@pytest.fixture()
def warehouse_backend(request: pytest.FixtureRequest) -> str:
    """`duckdb` or `postgres`: the backend this test runs on (duckdb for tests outside the e2e parametrization)."""
    return getattr(request, "param", "duckdb")


@pytest.fixture()
def warehouse_settings(warehouse_backend: str, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Settings that put a test's warehouse on its backend: nothing for DuckDB (the file in data_dir); for
    PostgreSQL the DSN and a schema prefix of this test's own, whose schemas are dropped afterwards."""
    if warehouse_backend != "postgres":
        yield {}
        return
    dsn = request.getfixturevalue("postgres_dsn")
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    try:
        yield {"warehouse_dsn": dsn, "warehouse_schema_prefix": prefix}
    finally:
        drop_schemas(dsn, prefix)


@pytest.fixture()
def warehouse_env(warehouse_settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """`warehouse_settings` as the environment (WAREHOUSE_DSN, ...), for tests that run the CLI."""
    for name, value in warehouse_settings.items():
        monkeypatch.setenv(name.upper(), str(value))
    return warehouse_settings


def drop_schemas(dsn: str, prefix: str) -> None:
    """Drop every schema starting with `prefix` (the warehouse's and dlt's load datasets)."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select nspname from pg_namespace where starts_with(nspname, %s)", [prefix])
            for (name,) in cur.fetchall():
                cur.execute(f'drop schema if exists "{name}" cascade')
    finally:
        conn.close()


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
        rt = Runtime.open(
            self.settings,
            simulators=self.sims,
            afas_transport=httpx.ASGITransport(app=afas_app),
            mplus_transport=httpx.ASGITransport(app=mplus_app),
        )
        try:
            yield rt
        finally:
            rt.close()

    def sync(self, flow: str, *, dry_run: bool = False, **kw: object) -> FlowResult:
        """One flow as `afas-mplus sync FLOW` runs it (`dry_run`: as `plan`, nothing sent)."""
        mode = runner.Mode.PLAN if dry_run else runner.Mode.SYNC
        with self.runtime() as rt:
            return runner.run_flow(rt, FLOWS[flow], mode, **kw)  # type: ignore[arg-type]

    def query(self, sql: str) -> list[dict]:
        with self.runtime() as rt:
            return rt.warehouse.query(sql)


@pytest.fixture()
def harness(tmp_path: Path, warehouse_settings: dict[str, Any]) -> Callable[..., Harness]:
    """A user's installation on this test's warehouse backend (see `warehouse_settings`)."""

    def make(**settings: object) -> Harness:
        return Harness(tmp_path / "data", **{**warehouse_settings, **settings})

    return make


@pytest.fixture(autouse=True)
def _no_shop_left_behind() -> Iterator[None]:
    """A test that ran a shop's Dagster run leaves its shop in the process (dagster_project.keys): reset it, so
    the next test's asset keys are the single-shop ones."""
    yield
    keys = sys.modules.get("dagster_project.keys")
    if keys is not None:
        keys.set_run_shop(None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`e2e` on every test that runs flows on the stand-ins (tests/e2e, tests/reliability, the harness, real
    processes): `pytest -m "not e2e"` is the fast subset."""
    slow_folders = ("e2e", "reliability", "dagster")
    for item in items:
        parts = item.path.parts
        if any(f in parts for f in slow_folders) or "harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
