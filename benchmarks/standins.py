"""The two stand-ins in a process of their own, served over real HTTP by uvicorn (one thread each).

`python -m benchmarks.standins '<json spec>'` seeds both from one demo catalogue, serves them on free
loopback ports and prints one JSON line with their URLs; then it answers JSON-line commands on stdin
(`stats`, `reset`, `change`, `latency`, `stop`). `StandIns` is the other end, used by the benchmark parts.

A process of their own keeps the stand-ins' memory and CPU out of the sync's measurements, as on a network.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.afas.dates import AMSTERDAM

# -- server side ---------------------------------------------------------------------------------------------


def _seed(spec: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    from simulators.afas.state import AfasState
    from simulators.afas.store import amsterdam_now
    from simulators.demo.catalog import build_catalog
    from simulators.mplus.state import MplusState

    t0 = time.perf_counter()
    catalog = build_catalog(spec["articles"], spec["debtors"], spec.get("seed", 42))
    afas = AfasState.from_catalog(catalog)
    mplus = MplusState.from_catalog(catalog)
    # The catalogue stamps article n with base + 7 min * n (debtors + 1 h * n): past ~25k articles that lies
    # in the future, and a change stamped "now" would fall behind the incremental cursor. Run the AFAS
    # stand-in's clock a little after the catalogue's last ModifiedDate instead.
    latest = max([a.modified for a in catalog.articles] + [d.modified for d in catalog.debtors])
    offset = max(timedelta(0), latest - amsterdam_now() + timedelta(days=1))
    afas.clock = lambda: amsterdam_now() + offset
    with afas.lock:
        _trim(afas, "stock", spec.get("stock_rows"))
        _trim(afas, "price_rows", spec.get("price_rows"))
    info = {
        "seed_s": round(time.perf_counter() - t0, 2),
        "afas_rows": {
            "articles": len(afas.articles),
            "stock": len(afas.stock),
            "debtors": len(afas.debtors),
            "price_rows": len(afas.price_rows),
        },
        "clock_offset_days": offset.days,
    }
    return afas, mplus, info


def _trim(afas: Any, table: str, keep: int | None) -> None:
    """Keep the first `keep` rows of an AFAS table (catalogue order)."""
    rows = getattr(afas, table)
    if keep is None or len(rows) <= keep:
        return
    kept = list(rows.items())[:keep]
    if table == "stock":
        afas.stock, afas.stock_by_item = {}, {}
        for _, s in kept:
            afas.put_stock_row(s)
    else:
        setattr(afas, table, dict(kept))
    afas.touch_all(table)


# GetConnector orderings the AFAS extract asks for (pipelines/afas).
WARM = {
    "Sync_Articles": "ItemCode",
    "Sync_ItemAttributes": "ItemCode,AttributeCode",
    "Sync_ItemFeatures": "ItemCode,FeatureCode",
    "Profit_ArticleGroups": "Artikelgroep",
    "Sync_StockPerWarehouse": "ItemCode,Warehouse",
    "Sync_Debtors": "DebtorId",
    "Sync_PriceListRows": "PriceList,ItemCode,FromQuantity",
}


def warm(afas: Any) -> float:
    """Build the stand-in's row caches and sorted views before anything is timed: a real AFAS has its
    database ready; the stand-in builds them on the first call, which would land in the first sync's time."""
    from simulators.afas.connectors import GET_CONNECTORS
    from simulators.afas.query import run_get

    t0 = time.perf_counter()
    for conn_id, order in WARM.items():
        run_get(afas, GET_CONNECTORS[conn_id], {"skip": "0", "take": "1", "orderbyfieldids": order})
    return round(time.perf_counter() - t0, 2)


def _valid_articles(afas: Any) -> list[Any]:
    """Articles the products flow sends to MplusKASSA (numeric code, sold in the POS, not blocked)."""
    return [a for code, a in sorted(afas.articles.items()) if code.isdigit() and a.pos and not a.blocked]


def _spread(items: list[Any], n: int) -> list[Any]:
    if n <= 0 or not items:
        return []
    step = max(len(items) / n, 1)
    return [items[int(i * step)] for i in range(min(n, len(items)))]


def change(afas: Any, flow: str, share: float, round_no: int) -> dict[str, Any]:
    """Change `share` of a flow's source rows in AFAS so that each change is exactly one target row and
    one write call: returns how many were changed (`rows`)."""
    with afas.lock:
        if flow == "products":
            # one article per product (MplusKASSA writes per product), price + round euros
            seen: set[str] = set()
            pool = []
            for a in _valid_articles(afas):
                model = a.model_code or a.item_code
                if model not in seen:
                    seen.add(model)
                    pool.append(a)
            n = max(1, round(share * len(afas.articles)))
            picked = _spread(pool[round_no % 7 :], n)
            for a in picked:
                afas.modify_article(a.item_code, price_excl=a.price_excl + Decimal(round_no))
            return {"rows": len(picked), "source_rows": len(afas.articles)}
        if flow == "stock":
            # warehouse 03 is branch 2's only warehouse: one AFAS row, one MplusKASSA stock value
            valid = {a.item_code for a in _valid_articles(afas) if a.stock_tracked}
            pool = [s for (code, wh), s in sorted(afas.stock.items()) if wh == "03" and code in valid]
            n = max(1, round(share * len(afas.stock)))
            picked = _spread(pool[round_no % 7 :], n)
            for s in picked:
                afas.set_stock(s.item_code, s.warehouse, physical=s.physical + 1000 * round_no)
            return {"rows": len(picked), "source_rows": len(afas.stock)}
        if flow == "customers":
            pool = [
                d
                for k, d in sorted(afas.debtors.items())
                if not d.blocked
                and (afas.orgpers[d.bc_co].last_name or afas.orgpers[d.bc_co].contact_last_name)
                and ("@" in (afas.orgpers[d.bc_co].email or "@"))
            ]
            n = max(1, round(share * len(afas.debtors)))
            picked = _spread(pool[round_no % 7 :], n)
            for d in picked:
                afas.modify_debtor(d.debtor_id, City=f"Zwolle {round_no}")
            return {"rows": len(picked), "source_rows": len(afas.debtors)}
        if flow == "prices":
            # tiers the prices flow sends today: a sold article, valid now (a tier starting tomorrow changes
            # nothing at the till today, one of a non-numeric article is an error row)
            sold = {a.item_code for a in _valid_articles(afas)}
            now = datetime.now(AMSTERDAM).replace(tzinfo=None)  # AFAS dates are Amsterdam wall time
            pool = [
                r
                for _, r in sorted(afas.price_rows.items())
                if r.price_list in ("P01", "P02", "P03")
                and r.valid_to is None
                and r.item_code in sold
                and r.valid_from <= now
            ]
            n = max(1, round(share * len(afas.price_rows)))
            picked = _spread(pool[round_no % 7 :], n)
            for r in picked:
                afas.modify_price_row(
                    r.price_list,
                    r.item_code,
                    r.from_qty,
                    valid_from=r.valid_from,
                    price=r.price + Decimal(round_no),
                )
            return {"rows": len(picked), "source_rows": len(afas.price_rows)}
    raise ValueError(f"no change recipe for flow {flow!r}")


def serve(spec: dict[str, Any]) -> None:
    from afas_mplus.runtime import Simulators
    from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET
    from simulators.afas.config import AfasSimConfig
    from simulators.mplus.config import MplusSimConfig
    from simulators.server import serve_in_thread

    afas, mplus, info = _seed(spec)
    info["warm_s"] = warm(afas)
    latency = float(spec.get("latency_ms", 0)) / 1000
    sims = Simulators(
        afas_state=afas,
        mplus_state=mplus,
        afas_config=AfasSimConfig(tokens=[DEMO_AFAS_TOKEN], latency_s=latency, in_process=False),
        mplus_config=MplusSimConfig(
            credentials={DEMO_MPLUS_IDENT: DEMO_MPLUS_SECRET}, latency_s=latency, in_process=False
        ),
        afas_path=None,
        mplus_path=None,
    )
    afas_app, mplus_app = sims.apps()
    a = serve_in_thread(afas_app, "afas")
    m = serve_in_thread(mplus_app, "mplus")
    print(json.dumps({"afas_url": a.url + "/ProfitRestServices", "mplus_url": m.url, **info}), flush=True)
    rounds: dict[str, int] = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd.get("cmd")
        try:
            if op == "stats":
                answer: dict[str, Any] = {"afas": afas.stats.snapshot(), "mplus": mplus.stats.snapshot()}
            elif op == "reset":
                afas.stats.reset()
                mplus.stats.reset()
                answer = {"ok": True}
            elif op == "change":
                flow = cmd["flow"]
                rounds[flow] = rounds.get(flow, 0) + 1
                answer = change(afas, flow, float(cmd.get("share", 0.01)), rounds[flow])
            elif op == "latency":
                sims.afas_config.latency_s = sims.mplus_config.latency_s = float(cmd["ms"]) / 1000
                answer = {"ok": True}
            elif op == "stop":
                print(json.dumps({"ok": True}), flush=True)
                break
            else:
                answer = {"error": f"unknown command {op!r}"}
        except Exception as exc:  # report, keep serving
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer, default=str), flush=True)
    a.stop(2)
    m.stop(2)


# -- client side ---------------------------------------------------------------------------------------------


class StandIns:
    """Start the stand-in process and talk to it; use as a context manager."""

    def __init__(
        self,
        *,
        articles: int,
        debtors: int,
        latency_ms: float,
        seed: int = 42,
        stock_rows: int | None = None,
        price_rows: int | None = None,
        timeout_s: float = 900,
    ) -> None:
        spec = {
            "articles": articles,
            "debtors": debtors,
            "latency_ms": latency_ms,
            "seed": seed,
            "stock_rows": stock_rows,
            "price_rows": price_rows,
        }
        from benchmarks.cli import child_env

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.standins", json.dumps(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=child_env(),
        )
        first = self._read()
        if "afas_url" not in first:
            raise RuntimeError(f"the stand-ins did not start: {first}")
        self.info = first
        self.afas_url: str = first["afas_url"]
        self.mplus_url: str = first["mplus_url"]

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the stand-in process ended (exit {self.proc.poll()})")
        return json.loads(line)

    def ask(self, cmd: str, **kw: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, **kw}) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise RuntimeError(f"stand-ins: {answer['error']}")
        return answer

    def stats(self) -> dict[str, Any]:
        return self.ask("stats")

    def reset(self) -> None:
        self.ask("reset")

    def change(self, flow: str, share: float) -> dict[str, Any]:
        return self.ask("change", flow=flow, share=share)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(RuntimeError, BrokenPipeError, OSError):
                self.ask("stop")
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> StandIns:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]))
