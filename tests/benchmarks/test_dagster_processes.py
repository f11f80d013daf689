"""Stopping a local Celery worker stops what it started: `dagster-celery worker start` runs `celery` as a child,
which survived a signal to the parent alone (workers left running for an hour after the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.dagster_processes import stop

PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purpose
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        return f.read().split(") ", 1)[1][0] != "Z"


def test_stop_ends_the_worker_and_the_child_it_started_even_one_that_ignores_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout is not None
    child = int(proc.stdout.readline())
    assert _alive(child)
    t0 = time.monotonic()
    stop(proc, grace_s=1.0)
    assert proc.poll() is not None
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the worker's child survived stop()"
    assert time.monotonic() - t0 < 20


def test_a_process_without_a_session_of_its_own_is_stopped_alone() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    stop(proc)
    assert proc.returncode is not None
