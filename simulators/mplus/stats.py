"""Call statistics of the stand-in, thread-safe: the app may be driven from several loops or threads."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

# A write is any operation that changes state; the prefixes follow MplusQapi's naming.
WRITE_PREFIXES = ("create", "update", "set", "new", "pay", "add", "delete", "replace")


def is_write(operation: str) -> bool:
    return operation.startswith(WRITE_PREFIXES)


class SimStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.calls: Counter[str] = Counter()
            self.faults: Counter[str] = Counter()
            self.reads = 0
            self.writes = 0
            self.requests = 0
            self.in_flight = 0
            self.peak_concurrency = 0

    def enter(self) -> int:
        """Count a request in flight; returns the concurrency including this one."""
        with self._lock:
            self.requests += 1
            self.in_flight += 1
            self.peak_concurrency = max(self.peak_concurrency, self.in_flight)
            return self.in_flight

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def record_call(self, operation: str) -> None:
        with self._lock:
            self.calls[operation] += 1
            if is_write(operation):
                self.writes += 1
            else:
                self.reads += 1

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "calls": dict(sorted(self.calls.items())),
                "reads": self.reads,
                "writes": self.writes,
                "requests": self.requests,
                "faults": dict(sorted(self.faults.items())),
                "in_flight": self.in_flight,
                "peak_concurrency": self.peak_concurrency,
            }
