"""dlt's process-wide settings for this project's pipelines (dlt reads them from the environment).

`configure_dlt` runs before the first pipeline of a process: dlt resolves its runtime configuration
(telemetry included) once, when a pipeline first needs it.
"""

from __future__ import annotations

import os

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

    dlt's anonymous usage telemetry is off unless `telemetry` is True (a self-hosted sync phones nowhere by
    default). dlt starts its telemetry once per process, so the choice of the first pipeline holds."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ[TELEMETRY] = "true" if telemetry else "false"


def telemetry_enabled() -> bool:
    """What dlt resolves for its telemetry switch now (from the environment and its config files)."""
    from dlt.common.configuration import resolve_configuration
    from dlt.common.configuration.specs import RuntimeConfiguration

    return bool(resolve_configuration(RuntimeConfiguration()).dlthub_telemetry)
