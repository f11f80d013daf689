"""Drive the async API clients from sync code (dlt resources, Dagster assets, the CLI).

One event loop runs in a helper thread for the whole run (anyio's blocking portal), so
clients, their connection pools and their concurrency bounds live in a single loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

T = TypeVar("T")


class Portal:
    def __init__(self) -> None:
        self._cm: AbstractContextManager[BlockingPortal] = start_blocking_portal()
        self._portal = self._cm.__enter__()

    def call(self, fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        return self._portal.call(fn, *args)

    def iterate(self, make: Callable[[], AsyncIterator[T]]) -> Iterator[T]:
        """Iterate an async iterator (created inside the loop) from sync code."""
        agen = self._portal.call(_make, make)
        try:
            while True:
                try:
                    item = self._portal.call(agen.__anext__)
                except StopAsyncIteration:
                    return
                yield item
        finally:
            aclose = getattr(agen, "aclose", None)
            if aclose is not None:
                self._portal.call(aclose)

    def close(self) -> None:
        self._cm.__exit__(None, None, None)

    def __enter__(self) -> Portal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _make(make: Callable[[], AsyncIterator[T]]) -> AsyncIterator[T]:
    return make()
