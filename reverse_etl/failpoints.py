"""Failpoints armed from the environment, for the kill tests: `AFAS_MPLUS_FAILPOINT=push.answers:5` kills this
process (SIGKILL: no cleanup, no flush) once the push has received its 5th answer, while other writes are in
flight. Unset (always, outside tests) a failpoint costs one dict lookup."""

from __future__ import annotations

import os
import signal

ENV = "AFAS_MPLUS_FAILPOINT"


def _armed() -> dict[str, int]:
    spec = os.environ.get(ENV, "")
    armed: dict[str, int] = {}
    for item in filter(None, (p.strip() for p in spec.split(","))):
        name, _, count = item.partition(":")
        armed[name] = int(count or 1)
    return armed


def maybe_kill(name: str, count: int) -> None:
    """SIGKILL this process when failpoint `name` is armed for `count`."""
    if ENV in os.environ and _armed().get(name) == count:
        os.kill(os.getpid(), signal.SIGKILL)


_counts: dict[str, int] = {}


def tick(name: str) -> None:
    """Count one event `name` in this process (across flows and entities) and SIGKILL when the failpoint is armed
    for this count: `push.writes:N` dies right after the N-th write of a whole sync was answered."""
    if ENV in os.environ:
        _counts[name] = _counts.get(name, 0) + 1
        maybe_kill(name, _counts[name])
