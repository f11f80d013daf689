"""Runtime knobs of the MplusKASSA stand-in. Mutable: the app reads them on every request."""

from __future__ import annotations

import random
import threading
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

DEFAULT_CREDENTIALS = {"demo-shop": "demo-secret"}

Rate = Annotated[float, Field(ge=0, le=1)]  # a probability per call


class MplusFaults(BaseModel):
    """Latency, failures and limits: what `afas-mplus simulate` flags and `/_sim/faults` change."""

    model_config = ConfigDict(extra="forbid")

    latency_s: float = Field(0.0, ge=0)  # response time of every call, the stand-in's own processing included
    server_fault_rate: Rate = 0.0  # SOAP-ENV:Server fault, nothing applied
    error_503_rate: Rate = 0.0  # HTTP 503 from "the proxy", nothing applied
    timeout_rate: Rate = 0.0  # the caller times out, nothing applied
    drop_rate: Rate = 0.0  # the connection drops, nothing applied
    commit_then_timeout_rate: Rate = 0.0  # a write is applied, then the caller times out (the answer is lost)
    # One-shot: the next N writes are applied, then the caller gets a timeout instead of the answer.
    fail_after_commit_next: int = Field(0, ge=0)
    seed: int = 0  # seeds the RNG behind the *_rate knobs; changing it restarts the random sequence
    hang_s: float = Field(30.0, ge=0)  # served by uvicorn: a timeout/drop hangs this long
    max_concurrency: int | None = Field(
        None, ge=1
    )  # above it: Server fault "Too many concurrent requests" [INF]


class MplusSimConfig(MplusFaults):
    """Credentials and transport, plus the fault knobs of `MplusFaults`."""

    model_config = ConfigDict(extra="ignore")

    # ident -> secret, checked on every call (`?ident=..&secret=..`).
    credentials: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CREDENTIALS))
    # True: driven through httpx.ASGITransport, timeouts/drops raise httpx errors into the caller.
    # False: served by uvicorn, timeouts/drops hang `hang_s` so the client's own timeout fires.
    in_process: bool = True
    service_version: str = "67.0.0"
    _rng: random.Random = PrivateAttr()
    _rng_seed: int = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def model_post_init(self, context: Any, /) -> None:
        self._rng_seed = self.seed
        self._rng = random.Random(self.seed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.seed = self._rng_seed = seed
            self._rng = random.Random(seed)

    def roll(self, rate: float) -> bool:
        """True with probability `rate`; draws nothing when the rate is 0 so runs stay reproducible."""
        if rate <= 0:
            return False
        with self._lock:
            if self.seed != self._rng_seed:  # set live (/_sim/faults): restart the sequence
                self._rng_seed = self.seed
                self._rng = random.Random(self.seed)
            return self._rng.random() < rate

    def take_fail_after_commit(self) -> bool:
        with self._lock:
            if self.fail_after_commit_next > 0:
                self.fail_after_commit_next -= 1
                return True
            return False
