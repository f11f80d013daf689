"""Knobs of the AFAS stand-in; a live app reads them per request, so tests may flip them at runtime."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# The demo token's <data>; the same value as afas_mplus.settings.DEMO_AFAS_TOKEN (kept literal here so the
# stand-in does not import the product it stands in for).
DEMO_TOKEN_DATA = "5E8C0B8A1F2D4C6E9A7B3D5F1E2C4A6B8D0F2E4C6A8B0D2F4E6A8C0B2D4F6E8A"

Rate = Annotated[float, Field(ge=0, le=1)]  # a probability per call


class AfasFaults(BaseModel):
    """Latency, failures and limits: what `afas-mplus simulate` flags and `/_sim/faults` change.
    Rates are probabilities per call (0..1)."""

    model_config = ConfigDict(extra="forbid")

    latency_s: float = Field(0.0, ge=0)  # response time of every call, the stand-in's own processing included
    latency_jitter_s: float = Field(0.0, ge=0)  # plus uniform(0, jitter)
    error_500_rate: Rate = 0.0
    error_503_rate: Rate = 0.0
    retry_after_s: int = Field(5, ge=0)  # retry_after of random 503s
    maintenance: bool = False  # every call 503
    maintenance_retry_after_s: int = Field(7200, ge=0)
    timeout_rate: Rate = 0.0  # the call times out before it is processed
    drop_rate: Rate = 0.0  # the connection drops before the call is processed
    commit_then_timeout_rate: Rate = 0.0  # a write is stored, then the caller times out
    fail_after_commit_next: int = Field(
        0, ge=0
    )  # one-shot: the next N successful writes are stored, then time out
    fault_connectors: list[str] | None = None  # random faults only on these connector ids; None = all
    blocked_connectors: list[str] = Field(default_factory=list)  # fair-use block ("is geblokkeerd")
    max_cells_per_call: int | None = Field(None, ge=1)  # rows x columns above this: 500 "Out of memory"
    seed: int = 0  # fault RNG; changing it restarts the random sequence
    hang_s: float = Field(30.0, ge=0)  # served by uvicorn: a timeout sleeps this long, so the client's fires
    max_concurrency: int = Field(8, ge=1)  # documented AFAS limit
    reject_over_concurrency: bool = False  # answer calls above the limit with 500


class AfasSimConfig(AfasFaults):
    """Environment and access settings, plus the fault knobs of `AfasFaults`."""

    model_config = ConfigDict(extra="ignore")

    tokens: list[str] = Field(default_factory=lambda: [DEMO_TOKEN_DATA])  # accepted <data> values
    allowed_ips: list[str] | None = None  # App Connector IP restriction; None = any
    granted_connectors: list[str] | None = None  # App Connector scope (Get and Update ids); None = all
    envid: str = "O12345AA"
    app_name: str = "afas-mplus-sync (stand-in)"
    group: str = "AuthorizationGroup 101 (12345.SYNC)"
    profit_version: str = "22.22.5"
    # how a timeout/drop reaches the caller: raise httpx.ReadTimeout / RemoteProtocolError
    # (httpx.ASGITransport), or, served by uvicorn (False), hang `hang_s`
    in_process: bool = True
    # A customer's layout (simulators.afas.layouts): GetConnectors that answer no rows; fields a connector
    # lacks ({"Sync_Debtors": ["ContactPrefix"]}); fields of another type ({"Sync_Debtors": {"HouseNumber": "int"}})
    empty_connectors: list[str] = Field(default_factory=list)
    hidden_fields: dict[str, list[str]] = Field(default_factory=dict)
    field_types: dict[str, dict[str, str]] = Field(default_factory=dict)
