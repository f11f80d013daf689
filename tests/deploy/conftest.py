"""Fixtures of the deployment tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks.dagster_processes import dagster_database as _dagster_database


@pytest.fixture()
def dagster_database(postgres_dsn: str) -> Iterator[dict[str, str]]:
    """A database of its own for a Dagster instance, as DAGSTER_PG_* variables; dropped afterwards."""
    with _dagster_database(postgres_dsn) as env:
        yield env
