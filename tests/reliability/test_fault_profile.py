"""Under a fault profile on both stand-ins (500/503, timeouts, dropped connections, writes stored but their answer
lost), every run reports every flow, none crashes, the sync converges within a bounded number of runs, and
neither side ever holds a duplicate order, debtor, relation or product."""

from __future__ import annotations

from collections import Counter

import pytest

from afas_mplus import runner
from afas_mplus.flows import FLOWS

pytestmark = pytest.mark.reliability

MAX_RUNS = 10


def _set_faults(h, seed: int) -> None:  # noqa: ANN001
    afas, mplus = h.sims.afas_config, h.sims.mplus_config
    afas.seed = mplus.seed = seed
    afas.error_500_rate = afas.error_503_rate = 0.05
    afas.retry_after_s = 0
    afas.timeout_rate = afas.drop_rate = afas.commit_then_timeout_rate = 0.02
    mplus.server_fault_rate = mplus.error_503_rate = 0.05
    mplus.timeout_rate = mplus.drop_rate = mplus.commit_then_timeout_rate = 0.02


def _debtor_emails(h) -> Counter:  # noqa: ANN001
    parties = h.afas.orgpers
    return Counter(
        (parties[d.bc_co].email or "").lower()
        for d in h.afas.debtors.values()
        if d.bc_co in parties and parties[d.bc_co].email
    )


def _no_duplicates(h) -> None:  # noqa: ANN001
    refs = Counter(o.reference for o in h.afas.orders.values() if o.reference)
    assert not [r for r, n in refs.items() if n > 1], "an order reached AFAS twice"
    emails = _debtor_emails(h)
    assert not [e for e, n in emails.items() if n > max(1, h.seed_emails[e])], "a debtor was created twice"
    ext = Counter(r.get("extRelationId") for r in h.mplus.relations.values() if r.get("extRelationId"))
    assert not [e for e, n in ext.items() if n > 1], "a relation was created twice"
    numbers = Counter(int(a["articleNumber"]) for a in h.mplus.articles())
    assert not [a for a, n in numbers.items() if n > 1], "an article was created twice"


@pytest.mark.parametrize("seed", [1, 2])
def test_the_sync_converges_under_faults_without_duplicates(harness, seed: int) -> None:  # noqa: ANN001
    # The clients' back-off shortened so the test waits for nothing; the number of retries is the default.
    h = harness(afas={"retry_backoff_s": 0.01}, mplus={"retry_backoff_s": 0.01})
    h.seed_emails = _debtor_emails(h)
    _set_faults(h, seed)
    history = []
    last_calls: list = []
    for _ in range(MAX_RUNS):
        with h.runtime() as rt:
            results = runner.run_flows(rt, list(FLOWS.values()))
            last_calls = rt.warehouse.query(
                "select flow, entity, group_key, operation, status, error, request from journal.calls where run_id = ?",
                [rt.run_id],
            )
        assert [r.flow for r in results] == list(FLOWS)  # every run reports every flow
        assert all(r.status == "ok" for r in results), [(r.flow, r.error) for r in results if r.error]
        history.append({r.flow: (r.write_calls, r.pushed_failed) for r in results})
        _no_duplicates(h)
        if all(r.write_calls == 0 and r.pushed_failed == 0 for r in results):
            break
    else:
        pytest.fail(
            f"no quiet run within {MAX_RUNS} runs under faults: {history}; last run's calls: {last_calls}"
        )
    # converged: with the faults off, a last run plans nothing
    _set_faults(h, seed)
    for config in (h.sims.afas_config, h.sims.mplus_config):
        for knob in (
            "error_500_rate",
            "error_503_rate",
            "timeout_rate",
            "drop_rate",
            "commit_then_timeout_rate",
            "server_fault_rate",
        ):
            if hasattr(config, knob):
                setattr(config, knob, 0.0)
    with h.runtime() as rt:
        final = runner.run_flows(rt, list(FLOWS.values()), runner.Mode.PLAN)
    changes = {
        r.flow: {k: v for k, v in r.plan.items() if k in ("create", "update", "deactivate", "delete") and v}
        for r in final
    }
    assert not any(changes.values()), changes
