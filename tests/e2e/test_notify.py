"""Monitoring: a run with a problem tells the webhook at once, naming the records, the field and the fix."""

from __future__ import annotations

import json

import httpx
import respx

from afas_mplus import runner
from afas_mplus.cli.monitor import notify
from afas_mplus.flows import FLOWS

HOOK = "https://hooks.example.test/afas-mplus"


def test_failed_rows_and_refused_rows_are_notified_once(harness) -> None:
    # VAT group HOOG mapped to a code MplusKASSA has no rate for: those creates fail at the till's API.
    h = harness(products={"vat_codes": {"HOOG": 9, "LAAG": 1, "GEEN": 3}}, monitoring={"webhook_url": HOOK})
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(HOOK).mock(return_value=httpx.Response(200))
        with h.runtime() as rt:
            result = runner.run_flow(rt, FLOWS["products"])
            assert result.pushed_failed > 0
            text = notify(rt, result)
        assert route.call_count == 1
        sent = json.loads(route.calls[0].request.content)["text"]
        assert sent == text
        assert "VAT-code 9" in sent and "failed to write" in sent
        assert "GC-10004 (article_number)" in sent  # the refused non-numeric SKU, by record and field
        with h.runtime() as rt:
            again = notify(rt, runner.run_flow(rt, FLOWS["products"], runner.Mode.PLAN))
        # the standing refusals were told once; the dry run itself failed nothing
        assert again is None or "GC-10004" not in again


def test_a_standing_refusal_pages_once_and_a_clean_rerun_sends_nothing(harness) -> None:
    h = harness(monitoring={"webhook_url": HOOK})
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(HOOK).mock(return_value=httpx.Response(200))
        with h.runtime() as rt:
            first = notify(rt, runner.run_flow(rt, FLOWS["customers"]))
            assert first is not None and "refused by validation" in first and "20010 (email)" in first
            assert notify(rt, runner.run_flow(rt, FLOWS["customers"])) is None
        assert route.call_count == 1
