"""Credentials never reach logs, staging tables, plans, the journal or error messages."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from afas_mplus import runner
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime, load_simulators
from afas_mplus.settings import Settings

TOKEN = "C0FFEE" + "AB" * 29  # 64 hex characters
IDENT = "ident-7Q9XK2"
SECRET = "s3cr3t-ZW4PL8"


def test_no_secret_in_logs_tables_or_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, warehouse_settings: dict
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        afas={"base_url": "http://afas.test/ProfitRestServices", "token": TOKEN},
        mplus={"base_url": "http://mplus.test", "ident": IDENT, "secret": SECRET},
        **warehouse_settings,
    )
    sims = load_simulators(Settings(data_dir=tmp_path), persist=False)
    sims.afas_config.tokens = [TOKEN]
    sims.mplus_config.credentials = {IDENT: SECRET}
    afas_app, mplus_app = sims.apps()
    caplog.set_level(logging.DEBUG)
    results = []
    with Runtime.open(
        settings,
        simulators=sims,
        afas_transport=httpx.ASGITransport(app=afas_app),
        mplus_transport=httpx.ASGITransport(app=mplus_app),
    ) as rt:
        for flow in ("products", "customers", "orders"):
            results.append(runner.run_flow(rt, FLOWS[flow]))
        assert sum(r.write_calls for r in results) > 0  # the run did talk to both sides
        dumped = []
        schemas = [rt.warehouse.schema(s) for s in ("staging", "transforms", "plan", "journal", "settings")]
        for schema, table in rt.warehouse.query_table(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)})",
            schemas,
        )[1]:
            cols, rows = rt.warehouse.query_table(f'select * from {schema}."{table}"')
            dumped.append(repr(rows))
        # a failing call, so an error message exists too
        sims.mplus_config.credentials = {}
        with pytest.raises(Exception) as failure:
            rt.portal.call(rt.mplus.get_branches)
        dumped.append(str(failure.value) + repr(failure.value))
        dumped.append(repr(rt.afas) + repr(rt.mplus) + repr(settings))
    text = "\n".join(dumped) + caplog.text + "\n".join(str(r.as_json()) for r in results)
    assert len(text) > 10_000
    for secret in (TOKEN, IDENT, SECRET):
        assert secret not in text
