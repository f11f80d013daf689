"""What a benchmark part measures about itself: wall time, peak RSS, time per sync step."""

from __future__ import annotations

import resource
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psutil

MB = 1024 * 1024


class RssSampler:
    """Samples this process's resident set size in a thread; `peak()` since the last `start()`."""

    def __init__(self, interval_s: float = 0.02) -> None:
        self.interval_s = interval_s
        self._proc = psutil.Process()
        self._peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, self._proc.memory_info().rss)
            self._stop.wait(self.interval_s)

    def start(self) -> None:
        self.stop()
        self._peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> float:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            self._peak = max(self._peak, self._proc.memory_info().rss)
        return self._peak / MB

    def peak(self) -> float:
        return max(self._peak, self._proc.memory_info().rss) / MB


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / MB


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process (default: this one), threads included."""
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return t.user + t.system


def maxrss_mb() -> float:
    """The process's peak RSS since it started (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StepTimer:
    """Wraps functions of `afas_mplus.steps` so a `steps.sync` call reports seconds per step.

    Nested calls (refresh re-runs extract and transform) count towards the outermost wrapped step only.
    """

    STEPS = ("extract_afas", "extract_mplus", "transform", "plan", "push_entity", "refresh")

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._depth = 0

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kw: Any) -> Any:
            if self._depth:
                return fn(*args, **kw)
            self._depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                self.seconds[name] += time.perf_counter() - t0
                self._depth -= 1

        return timed

    @contextmanager
    def installed(self) -> Iterator[StepTimer]:
        from afas_mplus import steps

        originals = {name: getattr(steps, name) for name in self.STEPS}
        for name, fn in originals.items():
            setattr(steps, name, self._wrap(name, fn))
        try:
            yield self
        finally:
            for name, fn in originals.items():
                setattr(steps, name, fn)

    def take(self) -> dict[str, float]:
        out = {("push" if k == "push_entity" else k): round(v, 3) for k, v in self.seconds.items()}
        self.seconds = defaultdict(float)
        return out
