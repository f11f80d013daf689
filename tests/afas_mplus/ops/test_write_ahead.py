"""Write-ahead journal: a sync killed (SIGKILL) in the middle of a push leaves an intent row for every write the
target received, and the next run answers those intents by looking on the target, with no duplicate."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from afas_mplus.runtime import Simulators, load_simulators
from afas_mplus.settings import DEMO_AFAS_TOKEN, DEMO_MPLUS_IDENT, DEMO_MPLUS_SECRET, Settings
from staging.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[3]


def _sync(data_dir: Path, urls: tuple[str, str], **env: str) -> subprocess.CompletedProcess[str]:
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
    full.pop("AFAS_MPLUS_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "afas_mplus.cli", "sync", "products", "--data-dir", str(data_dir), "--json"],
        env=full,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def standins(tmp_path: Path):  # noqa: ANN201 - the served stand-ins and their URLs
    # Served over real sockets in this process: the sync runs in a subprocess that is killed, the stand-ins
    # (and what they received) live on. 30 ms per call: answers are on their way when the kill comes.
    sims = load_simulators(Settings(data_dir=tmp_path / "sims", simulator={"latency_ms": 30}), persist=False)
    urls = sims.serve()  # free ports
    yield sims, urls
    sims.stop()


def _article_numbers(sims: Simulators) -> Counter[str]:
    return Counter(str(a["articleNumber"]) for a in sims.mplus_state.articles())


def test_a_sync_killed_mid_push_left_an_intent_for_every_write_the_target_received(
    tmp_path: Path, standins
) -> None:
    sims, urls = standins
    data = tmp_path / "data"
    data.mkdir()
    before = _article_numbers(sims)
    killed = _sync(data, urls, AFAS_MPLUS_FAILPOINT="push.answers:12")
    assert killed.returncode == -9, killed.stderr[-2000:]

    received = set(_article_numbers(sims)) - set(before)
    assert received, "the push had sent nothing before the kill"
    wh = Warehouse(Settings(data_dir=data).staging_path)
    try:
        intents = wh.query("select * from journal.intents where flow = 'products' and entity = 'articles'")
        intended = {k for r in intents for k in r["record_keys"].split(",")}
        answered = {
            k
            for r in wh.query("select record_keys from journal.calls where entity = 'articles'")
            for k in r["record_keys"].split(",")
        }
    finally:
        wh.close()
    assert received <= intended, f"written without an intent: {sorted(received - intended)[:10]}"
    # The kill lost answers of writes the stand-in had applied: only the intents know about those.
    assert received - answered, "every received write was answered: the kill came after the push"

    rerun = _sync(data, urls)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    after = _article_numbers(sims)
    assert max(after.values()) == 1  # no article twice
    wh = Warehouse(Settings(data_dir=data).staging_path)
    try:
        open_intents = wh.scalar(
            "select count(*) from journal.intents i where not exists (select 1 from "
            "journal.calls c where c.intent_id = i.intent_id)"
        )
        lookups = wh.query("select record_keys, status from journal.calls where operation = 'lookup'")
    finally:
        wh.close()
    assert open_intents == 0
    confirmed = {k for r in lookups if r["status"] == "confirmed" for k in r["record_keys"].split(",")}
    assert received - answered <= confirmed  # the lost answers, found on the target and journaled
    assert {r["status"] for r in lookups} <= {"confirmed", "not_found"}
