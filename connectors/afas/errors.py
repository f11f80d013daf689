"""AFAS errors. Messages are built from connector, status and AFAS's own text only, never from headers.

Every error says whether it is `transient`: True means temporary (AFAS unavailable, network, gateway: the same
call may succeed later, the next run retries it); False means the call or its data must change (a business
rejection, a refused token, a connector missing from the App Connector). Writers word their message from it:
"temporary: will retry" versus "fix the data". For a write that may have reached AFAS
(`AfasTransportError.may_have_reached_server`), "retry" means: look it up first, then send it if absent.
"""

from __future__ import annotations


class AfasError(Exception):
    """Base class; `connector` and `method` say which call failed, `status_code` is None without a response.

    `transient` defaults to the class's value and may be set per error; `attempts` is how many times the call
    was sent (more than 1 when it was retried before giving up)."""

    transient: bool = False

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
        transient: bool | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.connector = connector
        self.method = method
        self.status_code = status_code
        if transient is not None:
            self.transient = transient
        self.attempts = attempts

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, connector={self.connector!r}, method={self.method!r}, "
            f"status_code={self.status_code!r}, transient={self.transient!r})"
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
    """500: AFAS refused the call functionally (validation, unknown field, connector not authorised...).

    Not transient: AFAS documents 500 as a business error. A GET is still retried first (reads are
    idempotent and AFAS also answers 500 for passing trouble); a 500 that persists is reported as this."""

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
        attempts: int = 1,
        transient: bool | None = None,
    ) -> None:
        super().__init__(
            message,
            connector=connector,
            method=method,
            status_code=status_code,
            attempts=attempts,
            transient=transient,
        )
        self.external_message = external_message
        self.error_number = error_number
        self.profit_log_reference = profit_log_reference


class AfasUnavailableError(AfasError):
    """503 (maintenance) or 429 still there after the retries, or asking for a longer wait than allowed."""

    transient = True

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = 503,
        retry_after: float | None = None,
        attempts: int = 1,
        transient: bool | None = None,
    ) -> None:
        super().__init__(
            message,
            connector=connector,
            method=method,
            status_code=status_code,
            attempts=attempts,
            transient=transient,
        )
        self.retry_after = retry_after


class AfasTransportError(AfasError):
    """Network failure, timeout or gateway error (502/504) after the retries. Transient.

    `may_have_reached_server` is True when the request was (possibly) sent and the answer got lost
    (read timeout, dropped connection, gateway timeout): for a write, check in AFAS before re-sending.
    It is False for connect errors: AFAS never saw the request.
    """

    transient = True

    def __init__(
        self,
        message: str,
        *,
        connector: str | None = None,
        method: str | None = None,
        status_code: int | None = None,
        may_have_reached_server: bool,
        attempts: int = 1,
        transient: bool | None = None,
    ) -> None:
        super().__init__(
            message,
            connector=connector,
            method=method,
            status_code=status_code,
            attempts=attempts,
            transient=transient,
        )
        self.may_have_reached_server = may_have_reached_server
