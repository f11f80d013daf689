"""Fixtures of the deployment tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from psycopg2.extensions import parse_dsn


@pytest.fixture()
def dagster_database(postgres_dsn: str) -> Iterator[dict[str, str]]:
    """A database of its own for a Dagster instance, as DAGSTER_PG_* variables; dropped afterwards."""
    name = f"dagster_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    parts = parse_dsn(postgres_dsn)
    try:
        yield {
            "DAGSTER_PG_HOST": parts.get("host", "127.0.0.1"),
            "DAGSTER_PG_PORT": parts.get("port", "5432"),
            "DAGSTER_PG_USER": parts["user"],
            "DAGSTER_PG_PASSWORD": parts.get("password", ""),
            "DAGSTER_PG_DB": name,
        }
    finally:
        with admin.cursor() as cur:
            cur.execute(f"drop database if exists {name} with (force)")
        admin.close()
