"""Call statistics of the stand-in: per-operation counts, reads vs writes, in-flight and peak concurrency.

Thread-safe with a threading.Lock: the app may be driven from several event loops and threads at once
(an in-process client in the test thread, uvicorn in a background thread).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class SimStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()  # "GET Profit_Article", "POST FbSales", ...
        self.statuses: Counter[int] = Counter()
        self.faults: Counter[str] = Counter()  # injected faults by kind
        self.reads = 0
        self.writes = 0
        self.rows_served = 0
        self.in_flight = 0
        self.peak_concurrency = 0

    def enter(self) -> int:
        """A call starts; returns the number of calls in flight including this one."""
        with self._lock:
            self.in_flight += 1
            self.peak_concurrency = max(self.peak_concurrency, self.in_flight)
            return self.in_flight

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def record(self, op: str, *, write: bool) -> None:
        with self._lock:
            self.calls[op] += 1
            if write:
                self.writes += 1
            else:
                self.reads += 1

    def record_status(self, status: int) -> None:
        """Status of an answered call; 0 = the caller got a transport error (timeout, drop)."""
        with self._lock:
            self.statuses[status] += 1

    def add_rows(self, n: int) -> None:
        with self._lock:
            self.rows_served += n

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": dict(self.calls),
                "total": sum(self.calls.values()),
                "reads": self.reads,
                "writes": self.writes,
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
                "faults": dict(self.faults),
                "rows_served": self.rows_served,
                "in_flight": self.in_flight,
                "peak_concurrency": self.peak_concurrency,
            }

    def reset(self) -> None:
        """Zero the counters; calls still in flight stay counted (and set the new peak)."""
        with self._lock:
            self.calls.clear()
            self.statuses.clear()
            self.faults.clear()
            self.reads = self.writes = self.rows_served = 0
            self.peak_concurrency = self.in_flight
