"""A process-wide bound on calls in flight to one API environment, shared across threads and event loops.

AFAS allows at most 8 parallel calls per environment. An `asyncio.Semaphore` belongs to one event loop, so
clients built per dlt resource (each in its own thread and loop) each had their own 8: the bench measured 11
calls at once. `environment_bound(key, limit)` hands every client of the same environment the same
`SharedBound`, which any loop in any thread can await.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from types import TracebackType


@dataclass(eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]
    granted: bool = False  # set under the bound's lock when a released slot is handed to this waiter


class SharedBound:
    """At most `limit` holders at once, first come first served, whatever thread or loop they await from.

    A released slot goes straight to the longest waiter (woken in its own loop), so a stream of new
    callers cannot starve one that waits. Cancelling a waiter never loses or leaks a slot.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.limit = limit
        self._lock = threading.Lock()
        self._in_use = 0
        self._waiters: deque[_Waiter] = deque()
        self.peak = 0  # most slots held at once since creation (monitoring, tests)

    @property
    def in_use(self) -> int:
        return self._in_use

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._in_use < self.limit and not self._waiters:
                self._in_use += 1
                self.peak = max(self.peak, self._in_use)
                return
            waiter = _Waiter(loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                granted = waiter.granted
                if not granted:
                    self._waiters.remove(waiter)
            if granted:  # the slot arrived together with the cancellation: pass it on
                self.release()
            raise

    def release(self) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                try:
                    waiter.loop.call_soon_threadsafe(_wake, waiter.future)
                except RuntimeError:  # that waiter's loop is closed: it will never run, try the next one
                    continue
                waiter.granted = True  # the slot changes hands: _in_use stays the same
                return
            if self._in_use <= 0:
                raise RuntimeError("SharedBound released more often than acquired")
            self._in_use -= 1

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_registry: dict[Hashable, SharedBound] = {}
_registry_lock = threading.Lock()


def environment_bound(key: Hashable, limit: int) -> SharedBound:
    """The one bound of environment `key` in this process, created with `limit` on first use.

    Keys must not hold secrets in clear (use a digest of a token). A later call with another `limit` gets
    the existing bound: the environment's limit is a property of the server, not of one client."""
    with _registry_lock:
        bound = _registry.get(key)
        if bound is None:
            bound = _registry[key] = SharedBound(limit)
        return bound
