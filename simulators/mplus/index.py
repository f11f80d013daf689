"""An append-only syncMarker index: O(1) touch, O(log n + k) scan from an inclusive lower bound.

Every entity type has its own ever-growing sequence, so a new marker is always the largest so far and can
be appended. The entry an entity had before is left in place and skipped on scan (its key now points at a
newer marker); the list is compacted when stale entries outnumber live ones, so memory stays O(n) at
100k articles without an O(n) list deletion on every change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterator


class MarkerIndex:
    def __init__(self) -> None:
        self._markers: list[int] = []
        self._keys: list[Hashable] = []
        self._current: dict[Hashable, int] = {}

    def touch(self, key: Hashable, marker: int) -> None:
        if self._markers and marker <= self._markers[-1]:
            raise ValueError(f"syncMarker {marker} does not grow (last {self._markers[-1]})")
        self._markers.append(marker)
        self._keys.append(key)
        self._current[key] = marker
        if len(self._markers) > 2 * len(self._current) + 1024:
            self._compact()

    def marker_of(self, key: Hashable) -> int | None:
        return self._current.get(key)

    def scan(self, from_marker: int) -> Iterator[tuple[int, Hashable]]:
        """(marker, key) for every live entry with marker >= from_marker, in marker order."""
        i = bisect_left(self._markers, from_marker)
        markers, keys, current = self._markers, self._keys, self._current
        while i < len(markers):
            key = keys[i]
            if current.get(key) == markers[i]:
                yield markers[i], key
            i += 1

    def __len__(self) -> int:
        return len(self._current)

    def _compact(self) -> None:
        live = [(m, k) for m, k in zip(self._markers, self._keys, strict=True) if self._current.get(k) == m]
        self._markers = [m for m, _ in live]
        self._keys = [k for _, k in live]
