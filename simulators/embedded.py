"""The embedded stand-ins of one run: both states, both configs, and their servers when served.

Used by `afas-mplus simulate` (simulators/cli.py) and, through afas_mplus.runtime, by every run without
configured endpoints. Takes plain values (`StandInOptions`), never the product's settings: the stand-ins
do not import what they stand in for. The stand-in modules are imported on first use, so importing this
module (the runtime does, for every run) stays cheap.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulators.afas.config import AfasSimConfig
    from simulators.afas.state import AfasState
    from simulators.mplus.config import MplusSimConfig
    from simulators.mplus.state import MplusState
    from simulators.server import RunningServer

AFAS_FILE = "afas.json"
MPLUS_FILE = "mplus.json"
AFAS_NAME = "AFAS Profit"
MPLUS_NAME = "MplusKASSA"


@dataclass(frozen=True)
class StandInOptions:
    """What the stand-ins are built from: where their state lives, the demo data's size, latency, access."""

    data_dir: Path  # state goes to <data_dir>/simulators/afas.json and mplus.json
    articles: int = 300
    debtors: int = 40
    seed: int = 42  # the demo catalog's seed (the fault RNG has its own, in the fault knobs)
    latency_ms: float = 0.0
    afas_port: int = 0  # 0 = a free port
    mplus_port: int = 0
    host: str = "127.0.0.1"
    afas_tokens: tuple[str, ...] = ()  # accepted token <data>; empty = the stand-in's demo token
    mplus_credentials: Mapping[str, str] = field(default_factory=dict)  # ident -> secret; empty = demo

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "simulators"


class StateUnreadable(Exception):
    """A saved state file that does not load (damaged, or written by an incompatible version)."""

    def __init__(self, name: str, path: Path, cause: Exception) -> None:
        self.name, self.path, self.cause = name, path, cause
        super().__init__(
            f"the {name} stand-in's state in {path} cannot be read "
            f"({type(cause).__name__}: {str(cause)[:200]})"
        )


def _load_or_seed(
    name: str, state_class: Any, path: Path | None, reset: bool, catalog: dict[str, int]
) -> Any:
    """The state saved at `path`; else (or with `reset`) seeded from the demo catalog and saved there at
    once, so the next start continues from it."""
    if path is not None and path.exists() and not reset:
        try:
            return state_class.load(path)
        except Exception as exc:  # json, key and type errors alike: the file is not what we wrote
            raise StateUnreadable(name, path, exc) from exc
    state = state_class.load_or_seed(None, **catalog)
    if path is not None:
        state.save(path)
    return state


def listen_pair(host: str, afas_port: int, mplus_port: int) -> tuple[socket.socket, socket.socket]:
    """Bind both ports, or neither: raises CannotListen (naming the port) with nothing left open."""
    from simulators.server import listen  # on first use (module docstring): it loads uvicorn

    afas = listen(AFAS_NAME, host, afas_port)
    try:
        return afas, listen(MPLUS_NAME, host, mplus_port)
    except BaseException:
        afas.close()
        raise


@dataclass
class Simulators:
    """The embedded stand-ins of one run: their state objects and, when served, their servers."""

    afas_state: AfasState
    mplus_state: MplusState
    afas_config: AfasSimConfig
    mplus_config: MplusSimConfig
    afas_path: Path | None
    mplus_path: Path | None
    servers: list[RunningServer] = field(default_factory=list)

    @classmethod
    def load(cls, options: StandInOptions, *, persist: bool = True, reset: bool = False) -> Simulators:
        """The states saved in the data dir, else seeded from the demo catalog (and saved at once).
        `persist=False` keeps them in memory only; `reset=True` seeds afresh and overwrites what was saved."""
        # On first use (module docstring): each stand-in package loads its whole app.
        from simulators.afas.config import AfasSimConfig
        from simulators.afas.state import AfasState
        from simulators.mplus.config import MplusSimConfig
        from simulators.mplus.state import MplusState

        afas_path = mplus_path = None
        if persist:
            options.state_dir.mkdir(parents=True, exist_ok=True)
            afas_path, mplus_path = options.state_dir / AFAS_FILE, options.state_dir / MPLUS_FILE
        kw = {"n_articles": options.articles, "n_debtors": options.debtors, "seed": options.seed}
        afas_state = _load_or_seed(AFAS_NAME, AfasState, afas_path, reset, kw)
        mplus_state = _load_or_seed(MPLUS_NAME, MplusState, mplus_path, reset, kw)
        latency = options.latency_ms / 1000
        afas_config = AfasSimConfig(latency_s=latency)
        mplus_config = MplusSimConfig(latency_s=latency)
        if options.afas_tokens:
            afas_config.tokens = list(options.afas_tokens)
        if options.mplus_credentials:
            mplus_config.credentials = dict(options.mplus_credentials)
        return cls(
            afas_state=afas_state,
            mplus_state=mplus_state,
            afas_config=afas_config,
            mplus_config=mplus_config,
            afas_path=afas_path,
            mplus_path=mplus_path,
        )

    def apps(self) -> tuple[Any, Any]:
        # On first use (module docstring), like the states in load().
        from simulators.afas.app import create_app as afas_app
        from simulators.mplus.app import create_app as mplus_app

        return afas_app(self.afas_state, self.afas_config), mplus_app(self.mplus_state, self.mplus_config)

    def serve(self, afas_port: int = 0, mplus_port: int = 0, *, host: str = "127.0.0.1") -> tuple[str, str]:
        """Serve both on loopback ports (0 = free ones); returns (AFAS base URL, MplusKASSA URL)."""
        return self.serve_on(*listen_pair(host, afas_port, mplus_port))

    def serve_on(self, afas_sock: socket.socket, mplus_sock: socket.socket) -> tuple[str, str]:
        """Serve both on sockets already bound (`listen_pair`); returns (AFAS base URL, MplusKASSA URL)."""
        # Over a socket an injected timeout must hang (the client's timeout fires), not raise in the app.
        self.afas_config.in_process = False
        self.mplus_config.in_process = False
        from simulators.server import serve_in_thread  # on first use (module docstring): it loads uvicorn

        afas, mplus = self.apps()
        try:
            a = serve_in_thread(afas, AFAS_NAME, sock=afas_sock)
        except BaseException:
            mplus_sock.close()
            raise
        try:
            m = serve_in_thread(mplus, MPLUS_NAME, sock=mplus_sock)
        except BaseException:
            a.stop()
            raise
        self.servers = [a, m]
        return a.url + "/ProfitRestServices", m.url

    def running(self) -> bool:
        return bool(self.servers) and all(s.thread.is_alive() for s in self.servers)

    def save(self) -> None:
        if self.afas_path:
            self.afas_state.save(self.afas_path)
        if self.mplus_path:
            self.mplus_state.save(self.mplus_path)

    def stop(self) -> None:
        for s in self.servers:
            s.stop()
        self.servers = []

    def holdings(self) -> dict[str, dict[str, int]]:
        """What each stand-in holds, so a user knows what a first sync will meet."""
        a, m = self.afas_state, self.mplus_state
        return {
            AFAS_NAME: {
                "articles": len(a.articles),
                "debtors": len(a.debtors),
                "stock rows": len(a.stock),
                "price list rows": len(a.price_rows),
                "sales orders": len(a.orders),
            },
            MPLUS_NAME: {
                "articles": len(m.article_map),
                "article groups": len(m.article_groups),
                "relations": len(m.relations),
                "orders": len(m.orders),
                "branches": len(m.branches),
            },
        }
