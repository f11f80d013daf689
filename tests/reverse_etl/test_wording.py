"""A temporary fault says it is temporary and gives no data advice; a rejection says what to fix."""

from __future__ import annotations

import pytest

from connectors.afas.errors import AfasTransportError
from connectors.mplus.errors import MplusFaultError, MplusResultError, MplusTransportError
from reverse_etl.writers import prices, products
from reverse_etl.writers.wording import TEMPORARY, failure_text

TRANSIENT = [
    MplusTransportError("createProduct: read timeout", may_have_reached_server=True),
    MplusTransportError("updateRelation: HTTP 503", may_have_reached_server=True, status_code=503),
    MplusFaultError("setStock", "SOAP-ENV:Server", "database busy", is_client=False),
]


@pytest.mark.parametrize("exc", TRANSIENT, ids=lambda e: type(e).__name__)
def test_a_transient_fault_is_temporary_and_advises_no_data_fix(exc: Exception) -> None:
    assert exc.transient
    for text in (
        failure_text(exc, "debtor 10001", "correct the debtor in AFAS; the next run retries"),
        products._error_text(exc, "product 10001"),
        prices._error_text(exc, "article 10001"),
    ):
        assert text.endswith(TEMPORARY), text
        assert "AFAS" not in text and "correct" not in text and "fix" not in text, text


def test_an_afas_transport_fault_is_temporary_too() -> None:
    exc = AfasTransportError("GET Sync_Debtors: HTTP 502", may_have_reached_server=False, status_code=502)
    assert failure_text(exc, "order 7", "see the message").endswith(TEMPORARY)


def test_a_rejection_names_the_record_and_the_fix() -> None:
    exc = MplusResultError(
        "createProduct", "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN", record_key=10001
    )
    text = products._error_text(exc, "product 10001")
    assert text.startswith("product 10001: createProduct for 10001: CREATE-PRODUCT-RESULT-FAILED")
    assert "fix it in AFAS" in text and TEMPORARY not in text
    client = MplusFaultError("updateRelation", "SOAP-ENV:Client", "bad email", is_client=True)
    assert failure_text(client, "debtor 5", "correct the debtor in AFAS") == (
        "debtor 5: updateRelation: SOAP fault SOAP-ENV:Client: bad email — correct the debtor in AFAS"
    )
