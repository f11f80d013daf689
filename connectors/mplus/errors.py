"""Errors raised by the MplusKASSA client. None of them ever carries the ident/secret or the request URL.

Every error says whether it is `transient`: True means temporary (network, timeout, HTTP 5xx, a ``Server``
SOAP fault: the same call may succeed later, the next run retries it); False means the request or the data
must change (a ``Client`` fault, bad credentials, a result enum such as ARTICLE-NUMBER-ALREADY-TAKEN, a record
MplusKASSA sent that does not fit the XSD). `attempts` is how many times the call was sent before the error.
"""

from __future__ import annotations

from collections.abc import Mapping


class MplusError(Exception):
    """Base class for everything the MplusKASSA connector raises."""

    transient: bool = False
    attempts: int = 1

    def __init__(self, message: str, *, transient: bool | None = None) -> None:
        super().__init__(message)
        if transient is not None:
            self.transient = transient


class MplusFaultError(MplusError):
    """A SOAP Fault. ``is_client`` (faultcode ``Client...``): the request must change, retrying cannot help;
    otherwise (``Server...``) the same request may succeed later, so the error is transient."""

    def __init__(self, operation: str, faultcode: str, faultstring: str, is_client: bool) -> None:
        super().__init__(f"{operation}: SOAP fault {faultcode}: {faultstring}", transient=not is_client)
        self.operation = operation
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.is_client = is_client


class MplusAuthError(MplusFaultError):
    """Bad ident/secret. MplusQapi's fault code for this is not documented, so it is recognised from an HTTP
    401/403 or a fault whose text mentions ident/secret/authentication. Never retried, never transient."""

    def __init__(self, operation: str, faultcode: str, faultstring: str, is_client: bool) -> None:
        super().__init__(operation, faultcode, faultstring, is_client)
        self.transient = False


class MplusResultError(MplusError):
    """An HTTP 200 answer whose result enum is not ``...-RESULT-OK``, e.g.
    ``CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN``. ``record_key`` names the record the call
    was about (article number, relation number, ext order id...) so a sync can report it per record.
    A business rejection: not transient."""

    def __init__(
        self, operation: str, result: str, error_message: str | None = None, record_key: object = None
    ):
        detail = f" ({error_message})" if error_message else ""
        key = f" for {record_key}" if record_key is not None else ""
        super().__init__(f"{operation}{key}: {result}{detail}")
        self.operation = operation
        self.result = result
        self.error_message = error_message
        self.record_key = record_key


class MplusTransportError(MplusError):
    """The HTTP exchange failed (connect error, timeout, unexpected status or body). ``may_have_reached_server``
    is False only when the request provably never left (connection refused, DNS): only then is a
    non-idempotent write safe to send again. ``retry_after``: seconds the server asked to wait (Retry-After).
    Transient unless the status says the request itself is wrong (a 4xx other than 408/429)."""

    def __init__(
        self,
        message: str,
        *,
        may_have_reached_server: bool,
        status_code: int | None = None,
        retry_after: float | None = None,
        transient: bool | None = None,
    ) -> None:
        if transient is None:
            transient = status_code is None or status_code >= 500 or status_code in (408, 429)
        super().__init__(message, transient=transient)
        self.may_have_reached_server = may_have_reached_server
        self.status_code = status_code
        self.retry_after = retry_after


class MplusRecordError(MplusError):
    """One record of an answer does not fit the XSD (e.g. ``abc`` in an xsd:long) or the typed model: that
    record is left out, the others are kept. Not transient: the data must be corrected in MplusKASSA.

    ``operation`` (getRelations), ``record`` (the element, e.g. ``relation``), ``index`` (0-based position in
    the answer), ``key`` (the record's identifying elements as sent, e.g. ``{"relationNumber": "77"}``, empty
    when none was readable), ``field`` (path inside the record, e.g. ``priceGroupNumber``), ``value`` (the
    text sent, shortened), ``reason``; ``sync_marker``: the record's syncMarker when readable, so paging can
    move past it."""

    def __init__(
        self,
        operation: str,
        record: str,
        index: int,
        key: Mapping[str, str],
        field: str,
        value: str | None,
        reason: str,
        sync_marker: int | None = None,
    ) -> None:
        named = ", ".join(f"{k}={v}" for k, v in key.items()) or f"#{index + 1} in the answer"
        super().__init__(
            f"{operation}: {record} {named}: field {field}: {reason}; the record was left out, correct it in "
            "MplusKASSA"
        )
        self.operation = operation
        self.record = record
        self.index = index
        self.key = dict(key)
        self.field = field
        self.value = value
        self.reason = reason
        self.sync_marker = sync_marker
