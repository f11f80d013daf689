"""Serve an ASGI stand-in with uvicorn in a background thread, on a socket bound before anything else runs.

Binding first (`listen`) lets a caller learn that a port is taken before it touches any state; uvicorn is
then handed the bound socket, so no other program can take the port in between.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

# A call still running when the server stops (an injected timeout hangs `hang_s`) is cancelled after this.
GRACEFUL_SHUTDOWN_S = 2


class _QuietShutdown(logging.Filter):
    """Stopping cancels a call an injected timeout keeps hanging: expected, so neither the "Cancel N running
    task(s)" line nor the CancelledError traceback uvicorn logs for it reach the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            return False
        return "timeout graceful shutdown exceeded" not in str(record.msg)


logging.getLogger("uvicorn.error").addFilter(_QuietShutdown())


class CannotListen(OSError):
    """A stand-in's port cannot be bound: in use by another program, or not allowed."""

    def __init__(self, name: str, host: str, port: int, cause: OSError) -> None:
        self.name, self.host, self.port = name, host, port
        self.in_use = cause.errno == errno.EADDRINUSE
        why = "is already in use" if self.in_use else f"cannot be opened ({cause.strerror or cause})"
        super().__init__(cause.errno, f"port {port} on {host} for the {name} stand-in {why}")

    def __str__(self) -> str:
        return str(self.strerror)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def listen(name: str, host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket on host:port (0 = a free port); CannotListen names the port when it fails."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        # As uvicorn does: a restart right after a stop may rebind while old connections sit in TIME_WAIT
        # (a port another program listens on still fails).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CannotListen(name, host, port, exc) from None
    return sock


@dataclass
class RunningServer:
    name: str
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def serve_in_thread(
    app: object,
    name: str,
    host: str = "127.0.0.1",
    port: int = 0,
    startup_timeout: float = 15.0,
    sock: socket.socket | None = None,
) -> RunningServer:
    """Start `app` on `sock`, or else on host:port (0 = a free port), in a daemon thread; returns once it
    accepts calls. Raises CannotListen when the port cannot be bound."""
    sock = sock or listen(name, host, port)
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"sim-{name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"the {name} stand-in did not start on {host}:{port}")
        time.sleep(0.02)
    url_host = f"[{host}]" if ":" in host else host
    return RunningServer(name=name, url=f"http://{url_host}:{port}", server=server, thread=thread)
