"""`afas-mplus simulate`: serve both stand-ins in the foreground, their fault knobs set from flags.

The product's CLI wires it with two calls: `add_arguments(parser)` on its `simulate` sub-parser, and
`run(args, options)` as the command (`options`: the `StandInOptions` its settings give).

Order of a start: flags checked, both ports bound, only then the state loaded (or, with --reset, seeded
afresh and saved), faults set, served. SIGINT (Ctrl-C) and SIGTERM stop the servers and save the state;
the exit code is then 0. A port in use, a bad flag or an unreadable state file is one line on stderr and
exit code 3 (a configuration problem, as everywhere in `afas-mplus`).
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulators.embedded import (
    AFAS_NAME,
    MPLUS_NAME,
    Simulators,
    StandInOptions,
    StateUnreadable,
    listen_pair,
)
from simulators.fault_knobs import FaultError, apply, one_line

DEFAULT_AFAS_PORT = 8051
DEFAULT_MPLUS_PORT = 8052
EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 3

# --afas-fault-rate / --mplus-fault-rate KIND=RATE: KIND -> the knob it sets.
AFAS_RATES = {
    "500": "error_500_rate",
    "503": "error_503_rate",
    "timeout": "timeout_rate",
    "drop": "drop_rate",
    "commit-then-timeout": "commit_then_timeout_rate",
}
MPLUS_RATES = {
    "server": "server_fault_rate",
    "503": "error_503_rate",
    "timeout": "timeout_rate",
    "drop": "drop_rate",
    "commit-then-timeout": "commit_then_timeout_rate",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `simulate` flags. Every fault knob of both stand-ins has one (tests/simulators checks that)."""
    parser.add_argument(
        "--afas-port",
        type=int,
        metavar="PORT",
        help=f"AFAS stand-in port (default: simulator.afas_port if set, else {DEFAULT_AFAS_PORT}; "
        "0 = any free port)",
    )
    parser.add_argument(
        "--mplus-port",
        type=int,
        metavar="PORT",
        help=f"MplusKASSA stand-in port (default: simulator.mplus_port if set, else "
        f"{DEFAULT_MPLUS_PORT}; 0 = any free port)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="start over from the demo data (done only once both ports are bound)",
    )
    both = parser.add_argument_group(
        "latency and faults of both stand-ins (change them while running: PUT /_sim/faults on either)"
    )
    both.add_argument(
        "--latency-ms",
        type=float,
        metavar="MS",
        help="response time of every call (default: simulator.latency_ms)",
    )
    both.add_argument(
        "--fault-seed", type=int, metavar="N", help="seed of the fault dice: same seed, same faults"
    )
    both.add_argument(
        "--hang-s",
        type=float,
        metavar="S",
        help="how long an injected timeout holds the answer (default 30; keep the client's timeout below it)",
    )
    afas = parser.add_argument_group("AFAS stand-in")
    afas.add_argument("--afas-latency-ms", type=float, metavar="MS", help="overrides --latency-ms for AFAS")
    afas.add_argument("--afas-jitter-ms", type=float, metavar="MS", help="plus a random 0..MS per call")
    afas.add_argument(
        "--afas-fault-rate",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help=f"probability per call (0..1) of a fault; KIND: {', '.join(AFAS_RATES)}; repeatable",
    )
    afas.add_argument(
        "--afas-maintenance", action="store_true", help="every call 503 'scheduled maintenance'"
    )
    afas.add_argument(
        "--afas-retry-after", type=int, metavar="S", help="Retry-After of random 503s (default 5)"
    )
    afas.add_argument(
        "--afas-maintenance-retry-after",
        type=int,
        metavar="S",
        help="Retry-After during maintenance (default 7200)",
    )
    afas.add_argument(
        "--afas-fail-after-commit",
        type=int,
        metavar="N",
        help="the next N writes are stored, then the caller times out",
    )
    afas.add_argument(
        "--afas-fault-connector",
        action="append",
        metavar="ID",
        help="random faults only on this connector; repeatable (default: all)",
    )
    afas.add_argument(
        "--afas-block-connector",
        action="append",
        metavar="ID",
        help="this GetConnector is blocked (fair use, 500); repeatable",
    )
    afas.add_argument(
        "--afas-max-cells",
        type=int,
        metavar="N",
        help="a GET of more than N rows x columns answers 500 'Out of memory'",
    )
    afas.add_argument(
        "--afas-max-concurrency", type=int, metavar="N", help="parallel calls allowed (default 8)"
    )
    afas.add_argument(
        "--afas-reject-over-concurrency",
        action="store_true",
        help="answer calls above --afas-max-concurrency with 500 (default: only counted)",
    )
    mplus = parser.add_argument_group("MplusKASSA stand-in")
    mplus.add_argument(
        "--mplus-latency-ms", type=float, metavar="MS", help="overrides --latency-ms for MplusKASSA"
    )
    mplus.add_argument(
        "--mplus-fault-rate",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help=f"probability per call (0..1) of a fault; KIND: {', '.join(MPLUS_RATES)}; repeatable",
    )
    mplus.add_argument(
        "--mplus-fail-after-commit",
        type=int,
        metavar="N",
        help="the next N writes are applied, then the caller times out",
    )
    mplus.add_argument(
        "--mplus-max-concurrency",
        type=int,
        metavar="N",
        help="calls above N in parallel get a Server fault (default: no limit)",
    )


def _rates(flag: str, values: list[str], kinds: dict[str, str]) -> tuple[dict[str, float], dict[str, str]]:
    """KIND=RATE flags as {knob: rate}, and each knob's flag for error messages."""
    rates: dict[str, float] = {}
    names: dict[str, str] = {}
    for value in values:
        kind, eq, rate = value.partition("=")
        if not eq:
            raise FaultError(f"{flag} expects KIND=RATE (e.g. {next(iter(kinds))}=0.05), got {value!r}")
        knob = kinds.get(kind.strip().lower())
        if knob is None:
            raise FaultError(f"{flag}: unknown kind {kind!r}; one of {', '.join(kinds)}")
        try:
            rates[knob] = float(rate)
        except ValueError:
            raise FaultError(
                f"{flag} {kind}: {rate!r} is not a number (a probability 0..1, e.g. 0.05)"
            ) from None
        names[knob] = f"{flag} {kind}"
    return rates, names


Changes = dict[str, tuple[dict[str, Any], dict[str, str]]]  # stand-in -> ({knob: value}, {knob: its flag})


def fault_changes(args: argparse.Namespace) -> Changes:
    """The knobs the flags set, per stand-in (the settings' latency is the stand-ins' own default)."""
    afas, afas_names = _rates("--afas-fault-rate", args.afas_fault_rate, AFAS_RATES)
    mplus, mplus_names = _rates("--mplus-fault-rate", args.mplus_fault_rate, MPLUS_RATES)

    def put(side: dict[str, Any], names: dict[str, str], knob: str, value: Any, flag: str) -> None:
        if value is not None:
            side[knob], names[knob] = value, flag

    def ms(value: float | None) -> float | None:
        return None if value is None else value / 1000

    for side, names, prefix in ((afas, afas_names, "afas"), (mplus, mplus_names, "mplus")):
        own = getattr(args, f"{prefix}_latency_ms")
        if own is not None:
            put(side, names, "latency_s", ms(own), f"--{prefix}-latency-ms")
        else:
            put(side, names, "latency_s", ms(args.latency_ms), "--latency-ms")
        put(side, names, "seed", args.fault_seed, "--fault-seed")
        put(side, names, "hang_s", args.hang_s, "--hang-s")
        put(
            side,
            names,
            "fail_after_commit_next",
            getattr(args, f"{prefix}_fail_after_commit"),
            f"--{prefix}-fail-after-commit",
        )
        put(
            side,
            names,
            "max_concurrency",
            getattr(args, f"{prefix}_max_concurrency"),
            f"--{prefix}-max-concurrency",
        )
    put(afas, afas_names, "latency_jitter_s", ms(args.afas_jitter_ms), "--afas-jitter-ms")
    put(afas, afas_names, "maintenance", args.afas_maintenance or None, "--afas-maintenance")
    put(afas, afas_names, "retry_after_s", args.afas_retry_after, "--afas-retry-after")
    put(
        afas,
        afas_names,
        "maintenance_retry_after_s",
        args.afas_maintenance_retry_after,
        "--afas-maintenance-retry-after",
    )
    put(afas, afas_names, "fault_connectors", args.afas_fault_connector, "--afas-fault-connector")
    put(afas, afas_names, "blocked_connectors", args.afas_block_connector, "--afas-block-connector")
    put(afas, afas_names, "max_cells_per_call", args.afas_max_cells, "--afas-max-cells")
    put(
        afas,
        afas_names,
        "reject_over_concurrency",
        args.afas_reject_over_concurrency or None,
        "--afas-reject-over-concurrency",
    )
    return {AFAS_NAME: (afas, afas_names), MPLUS_NAME: (mplus, mplus_names)}


def check_faults(changes: Changes) -> None:
    """Raise FaultError, naming the flag, for a value out of bounds (a rate above 1, a negative count)."""
    # Here, not at the top: a stand-in package loads its whole app (~1 s), too slow for every CLI start.
    from simulators.afas.config import AfasFaults
    from simulators.mplus.config import MplusFaults

    for name, knobs in ((AFAS_NAME, AfasFaults), (MPLUS_NAME, MplusFaults)):
        values, flags = changes[name]
        try:
            knobs.model_validate(values)
        except ValidationError as exc:
            message = one_line(exc)
            for knob, flag in flags.items():
                message = message.replace(f"{knob}:", f"{flag}:")
            raise FaultError(message) from None


def fail(message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    return EXIT_CONFIG


class StopRequest:
    """Set by SIGINT or SIGTERM. Installed explicitly: started in the background by a non-interactive
    shell, a process inherits SIGINT ignored, and Python's default SIGTERM ends it without saving."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal_name: str | None = None

    def _handle(self, signum: int, _frame: object) -> None:
        self.signal_name = signal.Signals(signum).name
        self.event.set()

    @contextmanager
    def installed(self) -> Iterator[StopRequest]:
        if threading.current_thread() is not threading.main_thread():  # only the main thread gets signals
            yield self
            return
        previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run(args: argparse.Namespace, options: StandInOptions) -> int:
    """Serve until SIGINT/SIGTERM, then save the state. Returns the exit code (0, 1 a server died, 3)."""
    afas_port = args.afas_port if args.afas_port is not None else (options.afas_port or DEFAULT_AFAS_PORT)
    mplus_port = (
        args.mplus_port if args.mplus_port is not None else (options.mplus_port or DEFAULT_MPLUS_PORT)
    )
    try:
        changes = fault_changes(args)
        check_faults(changes)
    except FaultError as exc:
        return fail(str(exc))
    from simulators.server import CannotListen  # here: it loads uvicorn, which the other commands never need

    with StopRequest().installed() as stop:
        try:
            sockets = listen_pair(options.host, afas_port, mplus_port)
        except CannotListen as exc:
            flag = "--afas-port" if exc.name == AFAS_NAME else "--mplus-port"
            fix = "stop the program using it, or" if exc.in_use else "use a port above 1023, or"
            return fail(f"{exc}: {fix} choose another with {flag} (0 = any free port)")
        try:
            sims = Simulators.load(options, reset=args.reset)
        except StateUnreadable as exc:
            _close(sockets)
            return fail(f"{exc}; start over from the demo data with `afas-mplus simulate --reset`")
        return _serve(sims, sockets, changes, stop, reset=args.reset, where=options.state_dir)


def _serve(
    sims: Simulators,
    sockets: tuple[socket.socket, socket.socket],
    changes: Changes,
    stop: StopRequest,
    *,
    reset: bool,
    where: Path,
) -> int:
    from simulators.afas.config import AfasFaults  # here, as in check_faults: the packages load their apps
    from simulators.mplus.config import MplusFaults

    apply(sims.afas_config, AfasFaults, changes[AFAS_NAME][0])
    apply(sims.mplus_config, MplusFaults, changes[MPLUS_NAME][0])
    if reset:
        print(f"stand-in state reset to the demo data in {where}", flush=True)
    for name, held in sims.holdings().items():
        print(f"{name} stand-in holds: " + ", ".join(f"{n} {what}" for what, n in held.items()), flush=True)
    code = EXIT_OK
    try:
        if stop.event.is_set():  # a signal while loading: nothing served, nothing changed
            _close(sockets)
        else:
            afas_url, mplus_url = sims.serve_on(*sockets)
            print(f"{AFAS_NAME}: {afas_url}", flush=True)
            print(f"{MPLUS_NAME}: {mplus_url}", flush=True)
            for name, (knobs, _) in changes.items():
                if knobs:
                    print(f"{name} faults: " + ", ".join(f"{k}={v}" for k, v in knobs.items()), flush=True)
            print(
                "faults: GET/PUT/DELETE /_sim/faults on either; Ctrl-C or SIGTERM saves the state and stops",
                flush=True,
            )
            while not stop.event.wait(0.5):
                if not sims.running():
                    print(
                        "a stand-in server stopped unexpectedly; saving the state",
                        file=sys.stderr,
                        flush=True,
                    )
                    code = EXIT_FAILED
                    break
    finally:
        sims.stop()
        sims.save()
    print(f"{stop.signal_name or 'stopped'}: stand-in state saved in {where}", flush=True)
    return code


def _close(sockets: tuple[socket.socket, ...]) -> None:
    for s in sockets:
        s.close()
