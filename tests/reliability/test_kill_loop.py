"""Kill loop: a full sync of a small shop is SIGKILLed right after its N-th write (failpoint `push.writes:N`), then
run again until a run writes nothing. For every N: the target ends as desired (the last run plans nothing), neither
side holds a duplicate, no intent is left open, and the killed run journaled an intent for every write the
stand-ins received.

The killed run is a real process (`afas-mplus sync`, SIGKILLed by the failpoint: no cleanup, no flush); the runs
after it are in this process, against the same served stand-ins and data directory. In the suite the sync is
the orders, products and customers flows (writes into AFAS and into MplusKASSA) and N takes two values (the
first write, one in the middle); with AFAS_MPLUS_KILL_LOOP=full it is every flow and every N from 1 to the last
write (see the README's test section)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from afas_mplus import runner
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime, Simulators, load_simulators
from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET, Settings
from staging.warehouse import Warehouse

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SHOP = {"articles": 30, "debtors": 8, "latency_ms": 5}  # small; 5 ms per call: answers in flight at the kill
FULL = os.environ.get("AFAS_MPLUS_KILL_LOOP", "") == "full"
POINTS_IN_CI = 2
FLOWS_RUN = list(FLOWS) if FULL else ["orders", "products", "customers"]
MAX_RERUNS = 5
CHANGES = ("create", "update", "deactivate", "delete")


def _sync(data_dir: Path, urls: tuple[str, str], **env: str) -> tuple[int, list[dict[str, Any]], str]:
    afas_url, mplus_url = urls
    full = {k: v for k, v in os.environ.items() if not k.startswith(("AFAS_", "MPLUS_"))}
    full.update(
        PYTHONPATH=str(ROOT),
        AFAS_BASE_URL=afas_url,
        AFAS_TOKEN=DEMO_AFAS_TOKEN,
        MPLUS_BASE_URL=mplus_url,
        MPLUS_IDENT=DEMO_MPLUS_IDENT,
        MPLUS_SECRET=DEMO_MPLUS_SECRET,
        MPLUS_CONCURRENCY="4",
        **env,
    )
    run = subprocess.run(
        [sys.executable, "-m", "afas_mplus.cli", "sync", *FLOWS_RUN, "--data-dir", str(data_dir), "--json"],
        env=full,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    flows = []
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            if "status" in row and "write_calls" in row:
                flows.append(row)
    return run.returncode, flows, run.stderr[-3000:]


def _rerun(data_dir: Path, urls: tuple[str, str]) -> list[dict[str, Any]]:
    """One sync in this process (the imports are paid once), as the CLI's `sync --json` reports it."""
    settings = Settings(
        data_dir=data_dir,
        afas={"base_url": urls[0], "token": DEMO_AFAS_TOKEN},
        mplus={"base_url": urls[1], "ident": DEMO_MPLUS_IDENT, "secret": DEMO_MPLUS_SECRET, "concurrency": 4},
    )
    rt = Runtime.open(settings)
    try:
        return [r.as_json() for r in runner.run_flows(rt, [FLOWS[f] for f in FLOWS_RUN])]
    finally:
        rt.close()


def _shop(tmp_path: Path) -> tuple[Simulators, tuple[str, str]]:
    sims = load_simulators(Settings(data_dir=tmp_path / "sims", simulator=SHOP), persist=False)
    return sims, sims.serve()


def _received(sims: Simulators) -> dict[str, set[str]]:
    """What the stand-ins hold that a sync writes, by a key the journal's record_keys use."""
    mplus, afas = sims.mplus_state, sims.afas_state
    return {
        "products/articles": {str(a["articleNumber"]) for a in mplus.articles()},
        "customers/relations": {
            str(r["extRelationId"]) for r in mplus.relations.values() if r.get("extRelationId")
        },
        "orders/sales_orders": {str(o.reference) for o in afas.orders.values() if o.reference},
    }


def _no_duplicates(sims: Simulators, debtors_before: Counter[str]) -> None:
    mplus, afas = sims.mplus_state, sims.afas_state
    numbers = Counter(int(a["articleNumber"]) for a in mplus.articles())
    assert [n for n, c in numbers.items() if c > 1] == [], "an article was created twice"
    ext = Counter(r.get("extRelationId") for r in mplus.relations.values() if r.get("extRelationId"))
    assert [e for e, c in ext.items() if c > 1] == [], "a relation was created twice"
    refs = Counter(o.reference for o in afas.orders.values() if o.reference)
    assert [r for r, c in refs.items() if c > 1] == [], "an order reached AFAS twice"
    emails = _debtor_emails(sims)
    assert [e for e, c in emails.items() if c > max(1, debtors_before[e])] == [], "a debtor was created twice"


def _debtor_emails(sims: Simulators) -> Counter[str]:
    afas = sims.afas_state
    return Counter(
        (afas.orgpers[d.bc_co].email or "").lower()
        for d in afas.debtors.values()
        if d.bc_co in afas.orgpers and afas.orgpers[d.bc_co].email
    )


def _intended(data: Path) -> dict[str, set[str]]:
    wh = Warehouse(Settings(data_dir=data).staging_path)
    try:
        rows = wh.query("select flow, entity, record_keys from journal.intents")
    finally:
        wh.close()
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(f"{r['flow']}/{r['entity']}", set()).update(r["record_keys"].split(","))
    return out


def _open_intents(data: Path) -> int:
    wh = Warehouse(Settings(data_dir=data).staging_path)
    try:
        return int(
            wh.scalar(
                "select count(*) from journal.intents i where not exists (select 1 from journal.calls c "
                "where c.intent_id = i.intent_id)"
            )
        )
    finally:
        wh.close()


@pytest.fixture(scope="module")
def total_writes(tmp_path_factory: pytest.TempPathFactory) -> int:
    """The writes of one full sync of the shop, unkilled (the same data gives the same writes every time)."""
    tmp = Path(tmp_path_factory.mktemp("kill_reference"))
    sims, urls = _shop(tmp)
    try:
        data = tmp / "data"
        data.mkdir()
        flows = _rerun(data, urls)
        assert [f["flow"] for f in flows] == FLOWS_RUN and all(f["status"] == "ok" for f in flows), flows
        return sum(f["write_calls"] for f in flows)
    finally:
        sims.stop()


def _kill_points(total: int) -> list[int]:
    if FULL:
        return list(range(1, total + 1))
    return sorted({1, max(1, total // 2)})


def test_the_loop_covers_every_write_when_full(total_writes: int) -> None:
    points = _kill_points(total_writes)
    assert points[0] == 1 and (not FULL or points[-1] == total_writes)
    assert FULL or len(points) <= POINTS_IN_CI


@pytest.mark.parametrize("index", range(POINTS_IN_CI))
def test_killed_after_the_nth_write_the_sync_converges_without_duplicates(
    tmp_path: Path, total_writes: int, index: int
) -> None:
    points = _kill_points(total_writes)
    if FULL:
        # one test per CI point index, each taking its share of every N
        chosen = points[index::POINTS_IN_CI]
    else:
        if index >= len(points):
            pytest.skip(f"the sync has only {total_writes} writes")
        chosen = [points[index]]
    for n in chosen:
        _kill_at(tmp_path / f"n{n}", n)


def _kill_at(tmp: Path, n: int) -> None:
    tmp.mkdir()
    sims, urls = _shop(tmp)
    try:
        data = tmp / "data"
        data.mkdir()
        before = _received(sims)
        debtors_before = _debtor_emails(sims)
        code, flows, err = _sync(data, urls, AFAS_MPLUS_FAILPOINT=f"push.writes:{n}")
        assert code == -9, f"N={n}: the sync was not killed (exit {code}): {err}"

        # every write the stand-ins received has its intent, committed before it was sent
        intended = _intended(data)
        after_kill = _received(sims)
        for what, keys in after_kill.items():
            new = keys - before[what]
            assert new <= intended.get(what, set()), (
                f"N={n}: {what} written without an intent: {sorted(new)[:5]}"
            )
        _no_duplicates(sims, debtors_before)

        for _ in range(MAX_RERUNS):
            flows = _rerun(data, urls)
            assert all(f["status"] == "ok" for f in flows), f"N={n}: {flows}"
            _no_duplicates(sims, debtors_before)
            if sum(f["write_calls"] for f in flows) == 0:
                break
        else:
            pytest.fail(f"N={n}: still writing after {MAX_RERUNS} runs: {flows}")
        # converged: the last run planned no change and nothing failed, so the target is what the models want
        assert all(not any(f["plan"].get(c) for c in CHANGES) and f["pushed_failed"] == 0 for f in flows), (
            flows
        )
        assert _open_intents(data) == 0
    finally:
        sims.stop()
