"""Errors raised by the MplusKASSA client. None of them ever carries the ident/secret or the request URL."""

from __future__ import annotations


class MplusError(Exception):
    """Base class for everything the MplusKASSA connector raises."""


class MplusFaultError(MplusError):
    """A SOAP Fault. ``is_client`` (faultcode ``Client...``): the request must change, retrying cannot help;
    otherwise (``Server...``) the same request may succeed later."""

    def __init__(self, operation: str, faultcode: str, faultstring: str, is_client: bool) -> None:
        super().__init__(f"{operation}: SOAP fault {faultcode}: {faultstring}")
        self.operation = operation
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.is_client = is_client


class MplusAuthError(MplusFaultError):
    """Bad ident/secret. MplusQapi's fault code for this is not documented, so it is recognised from an HTTP
    401/403 or a fault whose text mentions ident/secret/authentication. Never retried."""


class MplusResultError(MplusError):
    """An HTTP 200 answer whose result enum is not ``...-RESULT-OK``, e.g.
    ``CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN``. ``record_key`` names the record the call
    was about (article number, relation number, ext order id...) so a sync can report it per record."""

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
    non-idempotent write safe to send again."""

    def __init__(
        self, message: str, *, may_have_reached_server: bool, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.may_have_reached_server = may_have_reached_server
        self.status_code = status_code
