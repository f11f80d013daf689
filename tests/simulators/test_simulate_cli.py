"""`afas-mplus simulate` as a user runs it: a process on real ports, stopped by a signal, its state saved.

Each test starts `python -m afas_mplus.cli simulate` on free ports with its data dir in tmp (never the
default ports 8051/8052: a developer's own stand-ins may be running there).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from connectors.mplus.soap import decode_response, encode_request
from simulators.afas import AfasState, auth_header
from simulators.afas.config import DEMO_TOKEN_DATA
from simulators.afas.testing import person_relation_body
from simulators.embedded import AFAS_FILE, MPLUS_FILE, Simulators, StandInOptions
from simulators.mplus import MplusState
from simulators.mplus.testing import DEMO_IDENT, DEMO_SECRET
from simulators.server import free_port

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REPO = Path(__file__).resolve().parents[2]
STARTUP_S = 60.0  # generous: the machine is shared; a normal start takes about a second


@dataclass
class Simulate:
    proc: subprocess.Popen[str]
    afas_url: str  # base URL, with /ProfitRestServices
    mplus_url: str
    lines: list[str] = field(default_factory=list)

    @property
    def afas_root(self) -> str:
        return self.afas_url.removesuffix("/ProfitRestServices")

    def stop(self, sig: signal.Signals) -> tuple[int, str, str]:
        self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, "".join(self.lines) + out, err


def command(data_dir: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "afas_mplus.cli", "--data-dir", str(data_dir), "simulate", *flags]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AFAS_MPLUS_CONFIG"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # a small demo shop: starts fast, and its state differs from the default one a --reset would seed
    env.update(SIMULATOR_ARTICLES="30", SIMULATOR_DEBTORS="6")
    return env


@contextmanager
def simulate(tmp_path: Path, *flags: str, preexec: Callable[[], None] | None = None) -> Iterator[Simulate]:
    afas_port, mplus_port = free_port(), free_port()
    proc = subprocess.Popen(
        command(tmp_path / "data", "--afas-port", str(afas_port), "--mplus-port", str(mplus_port), *flags),
        cwd=tmp_path,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec,
    )
    assert proc.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:  # read the "ready" lines without blocking the test past its deadline
        assert proc.stdout is not None
        for line in iter(proc.stdout.readline, ""):
            lines.put(line)
            if line.startswith("faults:"):
                break
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    urls: dict[str, str] = {}
    deadline = time.monotonic() + STARTUP_S
    try:
        while "MplusKASSA" not in urls or not seen[-1].startswith("faults:"):
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"simulate ended before it served: {proc.wait(10)} {proc.stderr.read()}")
            seen.append(line)
            name, _, url = line.strip().partition(": ")
            if url.startswith("http://"):
                urls[name] = url
        reader.join(5)
        running = Simulate(proc, urls["AFAS Profit"], urls["MplusKASSA"], seen)
        assert running.afas_url == f"http://127.0.0.1:{afas_port}/ProfitRestServices"
        yield running
    finally:
        if proc.poll() is None:  # a failed test: do not leave it serving
            proc.kill()
            proc.communicate(timeout=30)


def create_afas_debtor(sim: Simulate, last_name: str) -> str:
    r = httpx.post(
        f"{sim.afas_url}/connectors/KnSalesRelationPer",
        json=person_relation_body("Ada", last_name),
        headers={"Authorization": auth_header(DEMO_TOKEN_DATA)},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["results"]["KnSalesRelationPer"]["DbId"])


def create_mplus_relation(sim: Simulate, name: str) -> int:
    r = httpx.post(
        sim.mplus_url,
        params={"ident": DEMO_IDENT, "secret": DEMO_SECRET},
        content=encode_request("createRelation", {"relation": {"name": name, "city": "Delft"}}),
        headers={"Content-Type": "text/xml; charset=utf-8"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    answer = decode_response("createRelation", r.content)
    assert answer["result"] == "CREATE-RELATION-RESULT-OK"
    return int(answer["relationNumber"])


def saved(tmp_path: Path) -> tuple[AfasState, MplusState]:
    state_dir = tmp_path / "data" / "simulators"
    return AfasState.load(state_dir / AFAS_FILE), MplusState.load(state_dir / MPLUS_FILE)


def test_sigterm_saves_both_stand_ins_state_and_exits_0(tmp_path: Path) -> None:
    with simulate(tmp_path) as sim:
        debtor = create_afas_debtor(sim, "Lovelace")
        relation = create_mplus_relation(sim, "Grace Hopper")
        code, out, err = sim.stop(signal.SIGTERM)
    assert code == 0, err
    assert "SIGTERM: stand-in state saved" in out and "Traceback" not in err
    afas, mplus = saved(tmp_path)
    assert debtor in afas.debtors
    assert mplus.relations[relation]["name"] == "Grace Hopper"


def _ignore_sigint() -> None:
    # What a non-interactive shell does to a job it starts in the background (`afas-mplus simulate &`).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_sigint_saves_the_state_even_when_started_in_the_background(tmp_path: Path) -> None:
    with simulate(tmp_path, preexec=_ignore_sigint) as sim:
        relation = create_mplus_relation(sim, "Katherine Johnson")
        debtor = create_afas_debtor(sim, "Hamilton")
        code, out, err = sim.stop(signal.SIGINT)
    assert code == 0, err
    assert "SIGINT: stand-in state saved" in out and "Traceback" not in err
    afas, mplus = saved(tmp_path)
    assert mplus.relations[relation]["name"] == "Katherine Johnson" and debtor in afas.debtors


def test_fault_flags_and_the_admin_endpoint_over_http(tmp_path: Path) -> None:
    auth = {"Authorization": auth_header(DEMO_TOKEN_DATA)}
    with simulate(tmp_path, "--afas-fault-rate", "500=1.0", "--mplus-fault-rate", "server=1.0") as sim:
        assert any(line.startswith("AFAS Profit faults: error_500_rate=1.0") for line in sim.lines)
        r = httpx.get(f"{sim.afas_url}/connectors/Sync_Articles", headers=auth, timeout=30)
        assert r.status_code == 500
        assert set(r.json()) == {"externalMessage", "errorNumber", "profitLogReference"}
        m = httpx.post(
            sim.mplus_url,
            params={"ident": DEMO_IDENT, "secret": DEMO_SECRET},
            content=encode_request("getBranches", None),
            timeout=30,
        )
        assert m.status_code == 500 and b"SOAP-ENV:Server" in m.content

        knobs = httpx.put(f"{sim.afas_root}/_sim/faults", json={"error_500_rate": 0.0}, timeout=30).json()
        assert knobs["error_500_rate"] == 0.0
        assert (
            httpx.get(f"{sim.afas_url}/connectors/Sync_Articles", headers=auth, timeout=30).status_code == 200
        )
        httpx.put(f"{sim.mplus_url}/_sim/faults", json={"server_fault_rate": 0.0}, timeout=30)
        assert (
            httpx.post(
                sim.mplus_url,
                params={"ident": DEMO_IDENT, "secret": DEMO_SECRET},
                content=encode_request("getBranches", None),
                timeout=30,
            ).status_code
            == 200
        )
        # DELETE goes back to what the flags set at the start
        assert httpx.delete(f"{sim.afas_root}/_sim/faults", timeout=30).json()["error_500_rate"] == 1.0
        code, _, err = sim.stop(signal.SIGTERM)
    assert code == 0, err


@pytest.mark.parametrize("busy_side", ["afas", "mplus"])
def test_reset_with_a_busy_port_leaves_the_state_untouched(tmp_path: Path, busy_side: str) -> None:
    Simulators.load(StandInOptions(data_dir=tmp_path / "data", articles=20, debtors=5))  # a state to keep
    files = [tmp_path / "data" / "simulators" / name for name in (AFAS_FILE, MPLUS_FILE)]
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        ports = (
            {"afas": port, "mplus": free_port()}
            if busy_side == "afas"
            else {"afas": free_port(), "mplus": port}
        )
        done = subprocess.run(
            command(
                tmp_path / "data",
                "--reset",
                "--afas-port",
                str(ports["afas"]),
                "--mplus-port",
                str(ports["mplus"]),
            ),
            cwd=tmp_path,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 3
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"port {port} " in message and "already in use" in message and f"--{busy_side}-port" in message
    assert "reset" not in done.stdout
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before


def test_reset_once_both_ports_are_bound_seeds_afresh(tmp_path: Path) -> None:
    Simulators.load(StandInOptions(data_dir=tmp_path / "data", articles=20, debtors=5))
    with simulate(tmp_path, "--reset") as sim:
        assert any(line.startswith("stand-in state reset to the demo data") for line in sim.lines)
        code, _, err = sim.stop(signal.SIGTERM)
    assert code == 0, err
    afas, _ = saved(tmp_path)
    settings_shop = Simulators.load(StandInOptions(data_dir=tmp_path, articles=30, debtors=6), persist=False)
    assert set(afas.articles) == set(
        settings_shop.afas_state.articles
    )  # not the 20-article state it replaced
    assert len(afas.articles) > 21


def test_an_unreadable_state_file_is_one_line_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from simulators import cli

    state_dir = tmp_path / "simulators"
    state_dir.mkdir()
    (state_dir / AFAS_FILE).write_text('{"format": "afas-state", "articles": [')  # cut off mid-write
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(["--afas-port", "0", "--mplus-port", "0"])
    assert cli.run(args, StandInOptions(data_dir=tmp_path, articles=20, debtors=5)) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(state_dir / AFAS_FILE) in err and "simulate --reset" in err
    assert (state_dir / AFAS_FILE).read_text().endswith("[")  # left for the user to inspect


def test_a_call_hanging_on_an_injected_timeout_does_not_hold_the_stop(tmp_path: Path) -> None:
    with simulate(tmp_path, "--afas-fault-rate", "timeout=1.0") as sim:  # hangs 30 s (--hang-s default)
        with pytest.raises(httpx.TimeoutException):
            httpx.get(
                f"{sim.afas_url}/connectors/Sync_Articles",
                headers={"Authorization": auth_header(DEMO_TOKEN_DATA)},
                timeout=0.5,
            )
        started = time.monotonic()
        code, out, err = sim.stop(signal.SIGTERM)
    assert code == 0 and "state saved" in out
    assert time.monotonic() - started < 15  # cancelled after the graceful 2 s, not after hang_s
    assert err == ""  # the cancelled call is expected: no traceback on the user's terminal
