"""AFAS errors. Messages are built from connector, status and AFAS's own text only, never from headers."""

from __future__ import annotations


class AfasError(Exception):
    """Base class; `connector` and `method` say which call failed, `status_code` is None without a response."""

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.connector = connector
        self.method = method
        self.status_code = status_code

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, connector={self.connector!r}, method={self.method!r}, "
            f"status_code={self.status_code!r})"
        )


class AfasAuthError(AfasError):
    """401: invalid token, or the connector is not in the token's App Connector."""


class AfasForbiddenError(AfasError):
    """403: the App Connector's IP restriction refuses this machine."""


class AfasNotFoundError(AfasError):
    """404: wrong base URL or connector id, or a query string over 2049 characters."""


class AfasQueryTooLong(AfasError):
    """Raised before sending: even the filterjson form is over AFAS's query-string limit (AFAS would 404)."""


class AfasPayloadTooLargeError(AfasError):
    """413: request body too large (AFAS accepts at most 75 MB per call)."""


class AfasValidationError(AfasError):
    """500: AFAS refused the call functionally (validation, unknown field, connector not authorised...)."""

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = 500,
        external_message: str | None = None,
        error_number: int | None = None,
        profit_log_reference: str | None = None,
    ) -> None:
        super().__init__(message, connector=connector, method=method, status_code=status_code)
        self.external_message = external_message
        self.error_number = error_number
        self.profit_log_reference = profit_log_reference


class AfasUnavailableError(AfasError):
    """503 (maintenance) still there after the retries, or asking for a longer wait than allowed."""

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = 503,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, connector=connector, method=method, status_code=status_code)
        self.retry_after = retry_after


class AfasTransportError(AfasError):
    """Network failure or timeout after the retries.

    `may_have_reached_server` is True when the request was (possibly) sent and the answer got lost
    (read timeout, dropped connection, gateway timeout): for a write, check in AFAS before re-sending.
    It is False for connect errors: AFAS never saw the request.
    """

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
        may_have_reached_server: bool,
    ) -> None:
        super().__init__(message, connector=connector, method=method, status_code=status_code)
        self.may_have_reached_server = may_have_reached_server
