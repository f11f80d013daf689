"""Serve an ASGI stand-in with uvicorn, in the foreground or in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    name: str
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def serve_in_thread(app: object, name: str, host: str = "127.0.0.1", port: int = 0,
                    startup_timeout: float = 15.0) -> RunningServer:
    """Start `app` on host:port (0 = a free port) in a daemon thread; returns once it accepts calls."""
    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="off", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"sim-{name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the {name} stand-in did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningServer(name=name, url=f"http://{host}:{port}", server=server, thread=thread)


def serve_forever(apps: dict[str, tuple[object, int]], host: str = "127.0.0.1") -> None:
    """Run several stand-ins in the foreground until Ctrl-C."""
    running = [serve_in_thread(app, name, host, port) for name, (app, port) in apps.items()]
    try:
        for r in running:
            print(f"{r.name}: {r.url}", flush=True)
        while all(r.thread.is_alive() for r in running):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for r in running:
            r.stop()
