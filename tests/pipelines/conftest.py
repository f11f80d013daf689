"""The AFAS extract against the AFAS stand-in (in process) and a DuckDB staging file: no Runtime, no settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from afas_mplus.settings import DEMO_AFAS_TOKEN, AfasConnectors
from connectors.afas.client import AfasClient
from connectors.aio import Portal
from pipelines.afas import AfasExtract, AfasResource
from pipelines.load import RunRecord, Staging
from simulators.afas import AfasSimConfig, AfasState, create_app
from staging.warehouse import Warehouse

CONNECTOR_IDS = AfasConnectors().model_dump(exclude={"columns"})


class AfasExtractHarness:
    """One AFAS environment (the stand-in's state) and one staging database, extracted into as often as asked."""

    def __init__(self, state: AfasState, data_dir: Path, *, page_size: int = 1000) -> None:
        self.state = state
        self.data_dir = data_dir
        self.records: list[RunRecord] = []
        self.warehouse = Warehouse(data_dir / "warehouse.duckdb")
        self.portal = Portal()
        self.client = AfasClient(
            "http://afas.test/ProfitRestServices",
            DEMO_AFAS_TOKEN,
            page_size=page_size,
            transport=httpx.ASGITransport(app=create_app(state, AfasSimConfig())),
        )

    def run(
        self,
        *names: str,
        extra: tuple[AfasResource, ...] = (),
        columns: dict[str, dict[str, str]] | None = None,
        sweep_every: timedelta = timedelta(0),
    ) -> dict[str, int]:
        extract = AfasExtract(
            self.client,
            self.portal,
            Staging(self.warehouse, self.data_dir, self.records.append),
            CONNECTOR_IDS,
            columns or {},
            overlap_minutes=10,
            extra=extra,
            sweep_every=sweep_every,
        )
        return extract.run(names)

    def query(self, sql: str) -> list[dict[str, Any]]:
        return self.warehouse.query(sql)

    def keys(self, table: str, column: str) -> set[Any]:
        return {r[column] for r in self.query(f"select {column} from staging.{table}")}

    def errors(self, resource: str | None = None) -> list[dict[str, Any]]:
        where = f"where resource = '{resource}'" if resource else ""
        return self.query(
            f"select * from staging.extract_errors {where} order by resource, record_key, field"
        )

    def close(self) -> None:
        try:
            self.portal.call(self.client.aclose)
        finally:
            self.portal.close()
            self.warehouse.close()


@pytest.fixture
def afas(tmp_path: Path) -> Iterator[AfasExtractHarness]:
    """The demo shop's AFAS, small."""
    h = AfasExtractHarness(AfasState.load_or_seed(None, n_articles=30, n_debtors=6), tmp_path)
    yield h
    h.close()


@pytest.fixture
def empty_afas(tmp_path: Path) -> Iterator[AfasExtractHarness]:
    """An AFAS environment whose connectors all answer zero rows."""
    h = AfasExtractHarness(AfasState(), tmp_path)
    yield h
    h.close()
