"""SOAP faults the stand-in raises from handlers and the transport layer.

MplusKASSA answers faults in an HTTP 500 body: ``SOAP-ENV:Client`` means the request must change,
``SOAP-ENV:Server`` means it may be retried later. Business outcomes (article number taken, not found)
are *not* faults: they are result enums inside an HTTP 200, as the real service gives them.
"""

from __future__ import annotations

CLIENT = "SOAP-ENV:Client"
SERVER = "SOAP-ENV:Server"

# [INF] The exact fault for bad credentials is not public; a Client fault fits "the request must change".
INVALID_CREDENTIALS = "Invalid ident/secret"
# [INF] MplusKASSA documents no rate limit; this text is the stand-in's own.
TOO_MANY_CONCURRENT = "Too many concurrent requests"


class SimFault(Exception):
    """A fault the app encodes with the codec's ``encode_fault`` and answers with HTTP 500."""

    def __init__(self, faultcode: str, faultstring: str, detail: str | None = None) -> None:
        super().__init__(f"{faultcode}: {faultstring}")
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.detail = detail


def client_fault(message: str, detail: str | None = None) -> SimFault:
    return SimFault(CLIENT, message, detail)


def server_fault(message: str, detail: str | None = None) -> SimFault:
    return SimFault(SERVER, message, detail)
