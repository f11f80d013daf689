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
    """Wraps the runner's step functions so a `runner.run_flow` call reports seconds per step.

    Nested calls count towards the outermost wrapped step, except `refresh` (the re-read after a push, which
    `push_entity` calls): it is reported on its own and not counted in the push.
    """

    STEPS = (
        ("steps", "extract_afas"),
        ("steps", "extract_mplus"),
        ("steps", "transform"),
        ("runner", "plan_entity"),
        ("runner", "push_entity"),
        ("steps", "refresh"),
    )
    OWN = ("refresh",)

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[str] = []

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kw: Any) -> Any:
            if self._stack and name not in self.OWN:
                return fn(*args, **kw)
            outer = self._stack[-1] if self._stack else None
            self._stack.append(name)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                took = time.perf_counter() - t0
                self._stack.pop()
                self.seconds[name] += took
                if outer is not None:
                    self.seconds[outer] -= took

        return timed

    @contextmanager
    def installed(self) -> Iterator[StepTimer]:
        from afas_mplus import runner, steps

        modules = {"steps": steps, "runner": runner}
        originals = {(mod, name): getattr(modules[mod], name) for mod, name in self.STEPS}
        for (mod, name), fn in originals.items():
            setattr(modules[mod], name, self._wrap(name, fn))
        try:
            yield self
        finally:
            for (mod, name), fn in originals.items():
                setattr(modules[mod], name, fn)

    def take(self) -> dict[str, float]:
        out = {
            {"push_entity": "push", "plan_entity": "plan"}.get(k, k): round(v, 3)
            for k, v in self.seconds.items()
        }
        self.seconds = defaultdict(float)
        return out
