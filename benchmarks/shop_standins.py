"""The shops benchmark's stand-ins: one `afas-mplus simulate` process per shop, served apart from the sync.

Each shop's file names its own simulator seed and size and points `afas.base_url`/`mplus.base_url` at its own
ports, so every mode (one process, Dagster runs, executors on other processes) reads the same served data.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
from simulators.server import free_port

READY_S = 600.0  # ten shops seeding at once on two cores


@dataclass(frozen=True)
class ShopStandIns:
    name: str
    afas_root: str  # http://127.0.0.1:<port>, without /ProfitRestServices
    mplus_root: str

    def stats(self) -> dict[str, Any]:
        afas = httpx.get(f"{self.afas_root}/_sim/stats", timeout=30).json()
        mplus = httpx.get(f"{self.mplus_root}/_sim/stats", timeout=30).json()
        return {"afas": afas, "mplus": mplus}

    def reset_peak(self) -> None:
        httpx.post(f"{self.afas_root}/_sim/stats/reset", timeout=30).raise_for_status()


def write_shop_files(folder: Path, names: Sequence[str], articles: int) -> dict[str, tuple[int, int]]:
    """shops/<name>.yaml for each shop, its stand-ins on two free ports; {name: (afas port, mplus port)}."""
    folder.mkdir(parents=True)
    ports = {}
    for i, name in enumerate(names):
        afas, mplus = free_port(), free_port()
        ports[name] = (afas, mplus)
        (folder / f"{name}.yaml").write_text(
            f"simulator:\n  articles: {articles}\n  debtors: 20\n  seed: {100 + i}\n"
            f"afas:\n  base_url: http://127.0.0.1:{afas}/ProfitRestServices\n"
            f"mplus:\n  base_url: http://127.0.0.1:{mplus}\n",
            encoding="utf-8",
        )
    return ports


def credentials(names: Sequence[str]) -> dict[str, str]:
    """The stand-ins' demo credentials in each shop's variables (`SHOP_<NAME>_...`)."""
    env = {}
    for name in names:
        key = f"SHOP_{name.upper()}_"
        env.update(
            {
                f"{key}AFAS_TOKEN": DEMO_AFAS_TOKEN,
                f"{key}MPLUS_IDENT": DEMO_MPLUS_IDENT,
                f"{key}MPLUS_SECRET": DEMO_MPLUS_SECRET,
            }
        )
    return env


@contextmanager
def served(
    root: Path, ports: dict[str, tuple[int, int]], env: dict[str, str], latency_ms: int
) -> Iterator[list[ShopStandIns]]:
    """Every shop's stand-ins serving (started together, then waited for); stopped on exit."""
    with ExitStack() as stack:
        procs = {}
        for name, (afas, mplus) in ports.items():
            log = stack.enter_context((root / f"simulate-{name}.log").open("w"))
            cmd = [sys.executable, "-W", "ignore", "-m", "afas_mplus.cli", "--data-dir", str(root / "sim")]
            cmd += [
                "--shop",
                name,
                "simulate",
                "--reset",
                "--afas-port",
                str(afas),
                "--mplus-port",
                str(mplus),
            ]
            cmd += ["--latency-ms", str(latency_ms)]
            proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
            stack.callback(_stop, proc)
            procs[name] = proc
        deadline = time.monotonic() + READY_S
        for name, proc in procs.items():
            log_path = root / f"simulate-{name}.log"
            while "faults: GET/PUT" not in log_path.read_text(encoding="utf-8"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the stand-ins of shop {name} did not start: {log_path.read_text()[-1500:]}"
                    )
                time.sleep(0.5)
        yield [
            ShopStandIns(name, f"http://127.0.0.1:{afas}", f"http://127.0.0.1:{mplus}")
            for name, (afas, mplus) in ports.items()
        ]


def _stop(proc: subprocess.Popen[Any]) -> None:
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)
