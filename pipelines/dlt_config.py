"""dlt's process-wide settings for this project's pipelines (dlt reads them from the environment).

pipelines.load applies the defaults when imported; the runner calls `configure_dlt(telemetry=...)` with the
user's choice.
"""

from __future__ import annotations

import os

from dlt.common.configuration import resolve_configuration
from dlt.common.configuration.specs import RuntimeConfiguration
from dlt.common.runtime import telemetry as dlt_telemetry

TELEMETRY = "RUNTIME__DLTHUB_TELEMETRY"

DEFAULTS = {
    # dlt warns when it adds its bookkeeping columns to a table we pre-created empty: expected, not news.
    "RUNTIME__LOG_LEVEL": "ERROR",
    # GDPR: dlt would keep every loaded package (rows with names and e-mail addresses) on disk; the staging
    # tables are the record of what came in, so the package files are deleted once loaded.
    "LOAD__DELETE_COMPLETED_JOBS": "true",
    # The load files live a few seconds on local disk: gzip cost ~13 % of reading 10k products back, for nothing.
    "DATA_WRITER__DISABLE_COMPRESSION": "true",
    # Arrow pages get dlt's row bookkeeping too, as rows did: every staging table keeps `_dlt_load_id` (which
    # load brought the row) and `_dlt_id`, and tables created by earlier versions (NOT NULL on both) keep loading.
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID": "true",
    "NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_ID": "true",
}


def configure_dlt(telemetry: bool = False) -> None:
    """Set dlt's options for this project; an option the environment already sets is left alone.

    dlt's anonymous usage telemetry is off unless `telemetry` is True: a self-hosted sync phones nowhere by
    default. dlt starts its telemetry once per process, at the first pipeline; a later change restarts it."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    wanted = "true" if telemetry else "false"
    changed = os.environ.get(TELEMETRY) != wanted
    os.environ[TELEMETRY] = wanted
    if changed and dlt_telemetry.is_telemetry_started():
        dlt_telemetry.stop_telemetry()
        dlt_telemetry.start_telemetry(resolve_configuration(RuntimeConfiguration()))


def telemetry_enabled() -> bool:
    """What dlt resolves for its telemetry switch now (from the environment and its config files)."""
    return bool(resolve_configuration(RuntimeConfiguration()).dlthub_telemetry)
