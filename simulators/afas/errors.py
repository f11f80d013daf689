"""AFAS error answers: the 500 body every functional error carries, and the log reference in it."""

from __future__ import annotations

import hashlib
import itertools
import threading

# errorNumber values; AFAS uses negative COM-style numbers, -2147220469 is the documented example.
ERR_VALIDATION = -2147220469
ERR_UNKNOWN_CONNECTOR = -2147209214
ERR_NO_ACCESS = -2147209213
ERR_GENERIC = -2147467259

_counter = itertools.count(1)
_lock = threading.Lock()


def log_reference() -> str:
    """A 32-hex uppercase reference like AFAS's profitLogReference; deterministic per process."""
    with _lock:
        n = next(_counter)
    return hashlib.md5(f"afas-stand-in-{n}".encode(), usedforsecurity=False).hexdigest().upper()


class AfasError(Exception):
    """A functional error: HTTP 500 with {externalMessage, errorNumber, profitLogReference}."""

    def __init__(self, message: str, error_number: int = ERR_VALIDATION, status: int = 500) -> None:
        super().__init__(message)
        self.message = message
        self.error_number = error_number
        self.status = status

    def body(self) -> dict[str, object]:
        return {
            "externalMessage": self.message,
            "errorNumber": self.error_number,
            "profitLogReference": log_reference(),
        }


class EmptyAnswer(Exception):  # noqa: N818 - a control-flow signal, not an error condition
    """Answer with this status and an empty body (401, 403, 404, 400: as AFAS does)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
