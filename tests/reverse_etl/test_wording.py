"""A temporary fault says it is temporary and gives no data advice; a rejection says what to fix (the writer base
words every writer's failed call this way)."""

from __future__ import annotations

import asyncio

import pytest

from connectors.afas.errors import AfasTransportError, AfasValidationError
from connectors.mplus.errors import MplusFaultError, MplusResultError, MplusTransportError
from reverse_etl.held import REFUSED
from reverse_etl.journal import CallRecord
from reverse_etl.writers.base import WriterBase
from reverse_etl.writers.orders_afas import AfasWriter
from reverse_etl.writers.products import ArticleWriter
from reverse_etl.writers.wording import TEMPORARY

TRANSIENT = [
    MplusTransportError("createProduct: read timeout", may_have_reached_server=False),
    MplusTransportError("updateRelation: HTTP 503", may_have_reached_server=True, status_code=503),
    MplusFaultError("setStock", "SOAP-ENV:Server", "database busy", is_client=False),
    AfasTransportError("GET Sync_Debtors: HTTP 502", may_have_reached_server=False, status_code=502),
]


class Probe(WriterBase):
    flow = "t"
    entity = "things"
    fix = "correct the thing in AFAS"
    looked_up = 0

    async def lookup(self, group_key: str, record_keys: list[str]) -> bool | None:
        self.looked_up += 1
        return False


def _send(writer: WriterBase, exc: Exception, action: str = "update") -> CallRecord:
    async def call() -> None:
        raise exc

    return asyncio.run(writer.send("10001", ["10001"], action, "op", {"sent": 1}, call, what="thing 10001"))[
        0
    ]


@pytest.mark.parametrize("exc", TRANSIENT, ids=lambda e: f"{type(e).__name__}-{e}")
def test_a_transient_fault_is_temporary_and_advises_no_data_fix(exc: Exception) -> None:
    rec = _send(Probe(), exc)
    assert rec.status == "failed" and rec.error is not None
    assert rec.error.startswith("thing 10001: ") and rec.error.endswith(TEMPORARY), rec.error
    assert "AFAS" not in rec.error.replace("AfasTransportError", "") and "correct" not in rec.error


def test_a_lost_answer_of_a_create_is_looked_up_but_an_update_is_not() -> None:
    lost = MplusTransportError("createProduct: read timeout", may_have_reached_server=True)
    probe = Probe()
    assert _send(probe, lost, "create").status == "failed" and probe.looked_up == 1  # not found: failed
    _send(probe, lost, "update")
    assert probe.looked_up == 1  # an update is safe to send again: no look-up


def test_a_rejection_names_the_record_and_the_fix() -> None:
    exc = MplusResultError(
        "createProduct", "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN", record_key=10001
    )
    rec = _send(ArticleWriter.__new__(ArticleWriter), exc)
    assert rec.error is not None and rec.error.startswith(
        "thing 10001: createProduct for 10001: CREATE-PRODUCT"
    )
    assert "fix it in AFAS" in rec.error and TEMPORARY not in rec.error
    client = MplusFaultError("updateRelation", "SOAP-ENV:Client", "bad email", is_client=True)
    assert _send(Probe(), client).error == (
        "thing 10001: updateRelation: SOAP fault SOAP-ENV:Client: bad email — correct the thing in AFAS"
    )


def test_an_afas_business_rejection_is_held_with_its_message() -> None:
    exc = AfasValidationError(
        "Veld 'Naam' is verplicht.",
        connector="KnSalesRelationPer",
        method="POST",
        status_code=500,
        external_message="Veld 'Naam' is verplicht.",
        profit_log_reference="ABC",
    )
    writer = AfasWriter.__new__(AfasWriter)
    writer.flow, writer.entity = "orders", "debtors"  # type: ignore[misc]
    rec = _send(writer, exc)
    assert rec.status == REFUSED and "Veld 'Naam' is verplicht." in rec.error and "ABC" in rec.error
