"""Dagster processes as a deployment starts them, for the shops benchmark and the deployment tests: a run of a job
(`dagster job execute`), an instance database on PostgreSQL, and local `dagster-celery` workers.

Each worker listens on its own queue name given by `AFAS_MPLUS_CELERY_QUEUE` in `env` (the code location sends
the steps there), one task at a time; they are ready when their log says so.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from dagster_project.deployment import CELERY_BROKER_ENV, CELERY_QUEUE_ENV, LOCAL_BROKER

READY_S = 90.0
CREATE_INSTANCE = (
    "import sys; from dagster import DagsterInstance; DagsterInstance.from_config(sys.argv[1]).dispose()"
)


def job_command(job: str) -> list[str]:
    """One run of `job` of the code location, in this process's Python."""
    return [sys.executable, "-W", "ignore", "-m", "dagster", "job", "execute"] + [
        "-m",
        "dagster_project.definitions",
        "-j",
        job,
    ]


def create_instance(env: dict[str, str]) -> None:
    """The instance's tables in `env`'s DAGSTER_HOME, before several processes open it at once (SQLite's and
    PostgreSQL's create-if-not-exists race between them)."""
    subprocess.run([sys.executable, "-c", CREATE_INSTANCE, env["DAGSTER_HOME"]], env=env, check=True)


@contextmanager
def dagster_database(dsn: str) -> Iterator[dict[str, str]]:
    """A database of its own for a Dagster instance on `dsn`'s server, as the DAGSTER_PG_* variables
    deploy/dagster.yaml reads; dropped afterwards."""
    import psycopg2  # the [scale] extra: only the PostgreSQL set-ups need it
    from psycopg2.extensions import parse_dsn

    name = f"dagster_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    parts = parse_dsn(dsn)
    try:
        yield {
            "DAGSTER_PG_HOST": parts.get("host", "127.0.0.1"),
            "DAGSTER_PG_PORT": parts.get("port", "5432"),
            "DAGSTER_PG_USER": parts["user"],
            "DAGSTER_PG_PASSWORD": parts.get("password", ""),
            "DAGSTER_PG_DB": name,
        }
    finally:
        with admin.cursor() as cur:
            cur.execute(f"drop database if exists {name} with (force)")
        admin.close()


def rabbitmq_missing() -> str | None:
    """Why the local broker cannot be used, or None."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=3).close()
    except OSError as exc:
        return f"RabbitMQ is not reachable at 127.0.0.1:5672 ({exc})"
    return None


def start_workers(
    folder: Path, env: dict[str, str], stack: ExitStack, count: int = 2
) -> list[tuple[subprocess.Popen[Any], Path]]:
    """`count` workers on `env`'s queue, stopped when `stack` closes; (process, log file) of each, once all are
    ready."""
    queue = env[CELERY_QUEUE_ENV]
    broker = env.get(CELERY_BROKER_ENV, LOCAL_BROKER)
    config = folder / "celery.yaml"
    config.write_text(
        f"execution:\n  config:\n    broker: '{broker}'\n    backend: 'rpc://'\n"
        f"    config_source:\n      task_default_queue: {queue}\n",
        encoding="utf-8",
    )
    env = {**env, "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])}  # celery
    logs, procs = [], []
    for n in range(1, count + 1):
        log = folder / f"worker{n}.log"
        out = stack.enter_context(log.open("w"))
        name = f"w{n}-{uuid.uuid4().hex[:6]}@%h"
        cmd = [
            str(Path(sys.executable).with_name("dagster-celery")),
            "worker",
            "start",
            "-A",
            "dagster_celery.app",
        ]
        cmd += ["-y", str(config), "-q", queue, "-n", name, "--", "--concurrency=1"]
        # a session of its own: `dagster-celery worker start` runs `celery` as a child, which a signal to the
        # parent alone leaves running
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True
        )
        stack.callback(stop, proc)
        logs.append(log)
        procs.append(proc)
    deadline = time.monotonic() + READY_S
    while not all(" ready." in log.read_text(encoding="utf-8") for log in logs):
        dead = [log for log, p in zip(logs, procs, strict=True) if p.poll() is not None]
        if dead:
            raise RuntimeError(
                "a Celery worker did not start: " + dead[0].read_text(encoding="utf-8")[-2000:]
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"Celery workers not ready in {READY_S:.0f} s")
        time.sleep(0.5)
    return list(zip(procs, logs, strict=True))


def stop(proc: subprocess.Popen[Any], grace_s: float = 30.0) -> None:
    """Stop a worker and every process it started (its session): a warm shutdown, then a kill. A process that
    leads no session of its own is stopped alone."""
    try:
        leads = os.getpgid(proc.pid) == proc.pid
    except ProcessLookupError:
        leads = False
    if not leads:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
        return
    for sig, grace in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _group_alive(proc.pid):
            proc.poll()  # reap the leader, so that only the others count
            time.sleep(0.2)
        if not _group_alive(proc.pid):
            break
    proc.wait(10)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
