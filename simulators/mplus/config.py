"""Runtime knobs of the MplusKASSA stand-in. Mutable: the app reads them on every request."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

DEFAULT_CREDENTIALS = {"demo": "demo-secret"}


@dataclass
class MplusSimConfig:
    # ident -> secret, checked on every call (`?ident=..&secret=..`).
    credentials: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CREDENTIALS))
    latency_s: float = 0.0  # response time of every call, the stand-in's own processing included
    server_fault_rate: float = 0.0  # SOAP-ENV:Server fault, nothing applied
    error_503_rate: float = 0.0  # HTTP 503 from "the proxy", nothing applied
    timeout_rate: float = 0.0  # the caller times out, nothing applied
    drop_rate: float = 0.0  # the connection drops, nothing applied
    # One-shot: the next N writes are applied, then the caller gets a timeout instead of the answer.
    fail_after_commit_next: int = 0
    seed: int = 0  # seeds the RNG behind the *_rate knobs
    # True: driven through httpx.ASGITransport, timeouts/drops raise httpx errors into the caller.
    # False: served by uvicorn, timeouts/drops hang `hang_s` so the client's own timeout fires.
    in_process: bool = True
    hang_s: float = 30.0
    max_concurrency: int | None = None  # above it: Server fault "Too many concurrent requests" [INF]
    service_version: str = "67.0.0"
    _rng: random.Random = field(init=False, repr=False, compare=False)
    _lock: threading.Lock = field(init=False, repr=False, compare=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.seed = seed
            self._rng = random.Random(seed)

    def roll(self, rate: float) -> bool:
        """True with probability `rate`; draws nothing when the rate is 0 so runs stay reproducible."""
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def take_fail_after_commit(self) -> bool:
        with self._lock:
            if self.fail_after_commit_next > 0:
                self.fail_after_commit_next -= 1
                return True
            return False
