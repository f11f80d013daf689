"""One HTTP exchange of a call: the streamed answer decoded while it arrives, and the errors it can end
in (transport, HTTP status, SOAP fault, unreadable answer), each built from our own redacted text."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from ... import retry
from ..errors import MplusAuthError, MplusError, MplusFaultError, MplusRecordError, MplusTransportError
from ..soap import FEED_SLICE, ResponseStream, SoapDecodeError, SoapFault, decode_response
from .session import MplusSession

# The client's one logger, whichever of its modules logs.
log = logging.getLogger("connectors.mplus.client")


Found = list[tuple[int, dict[str, Any]]]  # decoded records with their position in the answer
# Fault texts that mean "bad ident/secret"; MplusQapi's exact fault for this is undocumented.
_AUTH_WORDS = ("ident", "secret", "authentic", "credential", "unauthori")


@dataclass
class Answer:
    """What a streamed call leaves besides its records: the answer's own fields, and how to reassemble it."""

    header: dict[str, Any] = field(default_factory=dict)
    stream: ResponseStream | None = None

    def assemble(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        return self.stream.assemble(self.header, records) if self.stream else self.header


class MplusExchange(MplusSession):
    """One HTTP exchange of a call, its answer streamed and decoded as it arrives."""

    async def _exchange(
        self,
        operation: str,
        body: bytes,
        request_id: str,
        attempt: int,
        answer: Answer,
        batch_size: int | None,
        tolerant: bool,
    ) -> AsyncIterator[tuple[Found, list[MplusRecordError]]]:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": '""',
            "X-Request-Id": request_id,
        }
        started = time.monotonic()
        client = self._client()
        request = client.build_request("POST", self.base_url + "/", content=body, headers=headers)
        # Errors are raised after the except blocks, not inside them: that leaves no __context__ pointing at
        # the httpx exception (whose request/message may carry the URL) for a traceback to print.
        failure: MplusTransportError | None = None
        try:
            response = await client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Nothing was sent: safe to repeat even a write.
            failure = MplusTransportError(
                self._redact(f"{operation}: cannot connect to MplusKASSA ({type(exc).__name__}: {exc})"),
                may_have_reached_server=False,
            )
        except httpx.HTTPError as exc:
            failure = MplusTransportError(
                self._redact(f"{operation}: HTTP exchange failed ({type(exc).__name__}: {exc})"),
                may_have_reached_server=True,
            )
        if failure is not None:
            raise failure
        size = 0
        try:
            status = response.status_code
            if status in (401, 403):
                raise MplusAuthError(
                    operation, f"HTTP {status}", "authentication failed: check ident/secret", True
                )
            if not 200 <= status < 300:
                content = b"".join([chunk async for chunk in self._chunks(operation, response)])
                size = len(content)
                raise self._status_error(operation, status, content, response.headers)
            stream = ResponseStream(operation, tolerant=tolerant)
            found: Found = []
            errors: list[MplusRecordError] = []
            async for chunk in self._chunks(operation, response):
                size += len(chunk)
                # In slices, so a large chunk never piles up more than a slice's records beyond a batch.
                for start in range(0, len(chunk), FEED_SLICE):
                    self._feed(operation, stream, chunk[start : start + FEED_SLICE])
                    found += stream.take()
                    errors += stream.take_errors()
                    while batch_size is not None and len(found) + len(errors) >= batch_size:
                        head, head_errors, found, errors = first_records(batch_size, found, errors)
                        yield head, head_errors
            answer.header = self._close(operation, stream)
            answer.stream = stream
            found += stream.take()
            errors += stream.take_errors()
            if found or errors:
                yield found, errors
        finally:
            await response.aclose()
            log.debug(
                "mplus %s status=%d bytes=%d %.0fms attempt=%d request_id=%s service_version=%s",
                operation,
                response.status_code,
                size,
                (time.monotonic() - started) * 1000,
                attempt,
                request_id,
                response.headers.get("mplus-service-version", "?"),
            )

    async def _chunks(self, operation: str, response: httpx.Response) -> AsyncIterator[bytes]:
        chunks = response.aiter_bytes().__aiter__()
        while True:
            failure: MplusTransportError | None = None
            try:
                chunk = await chunks.__anext__()
            except StopAsyncIteration:
                return
            except httpx.HTTPError as exc:
                failure = MplusTransportError(
                    self._redact(f"{operation}: the answer broke off ({type(exc).__name__}: {exc})"),
                    may_have_reached_server=True,
                )
            if failure is not None:
                raise failure
            yield chunk

    def _feed(self, operation: str, stream: ResponseStream, chunk: bytes) -> None:
        problem: SoapDecodeError | None = None
        try:
            stream.feed(chunk)
        except SoapDecodeError as exc:
            problem = exc
        if problem is not None:
            raise MplusError(self._redact(f"{operation}: unreadable answer: {problem}"))

    def _close(self, operation: str, stream: ResponseStream) -> dict[str, Any]:
        fault: SoapFault | None = None
        problem: SoapDecodeError | None = None
        try:
            return stream.close()
        except SoapFault as exc:
            fault = exc
        except SoapDecodeError as exc:
            problem = exc
        if fault is not None:
            raise self._fault_error(operation, fault)
        raise MplusError(self._redact(f"{operation}: unreadable answer: {problem}"))

    def _fault_error(self, operation: str, fault: SoapFault) -> MplusFaultError:
        text = self._redact(fault.faultstring)
        code = self._redact(fault.faultcode)
        # Recognised on the text as sent: redacting first hides "ident"/"secret" when they are the values.
        if any(word in fault.faultstring.lower() for word in _AUTH_WORDS):
            return MplusAuthError(operation, code, text, True)
        return MplusFaultError(operation, code, text, fault.is_client)

    def _status_error(
        self, operation: str, status: int, content: bytes, headers: httpx.Headers
    ) -> MplusError:
        """The error for a non-2xx answer: its SOAP fault when it carries one, else the status."""
        fault: SoapFault | None = None
        soap = True
        try:
            decode_response(operation, content, record_errors=[])
        except SoapFault as exc:
            fault = exc
        except SoapDecodeError:
            soap = False
        if fault is not None:
            return self._fault_error(operation, fault)
        return MplusTransportError(
            f"{operation}: HTTP {status}" + ("" if soap else " without a SOAP answer"),
            may_have_reached_server=True,
            status_code=status,
            retry_after=retry.retry_after_header(headers),
        )


def first_records(
    n: int, found: Found, errors: list[MplusRecordError]
) -> tuple[Found, list[MplusRecordError], Found, list[MplusRecordError]]:
    """The first ``n`` records of the answer (good or not, by position) and the rest."""
    i = j = 0
    while i + j < n:
        if j < len(errors) and (i >= len(found) or errors[j].index < found[i][0]):
            j += 1
        else:
            i += 1
    return found[:i], errors[:j], found[i:], errors[j:]
