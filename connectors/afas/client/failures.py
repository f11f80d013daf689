"""The error raised for each way a call can fail (transport, unavailable, refused, rejected), worded with
what to do about it and scrubbed of the token; and what an error answer says (its JSON, retry wait)."""

from __future__ import annotations

from typing import Any, Final

import httpx

from ... import retry
from .. import codec
from ..errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasNotFoundError,
    AfasPayloadTooLargeError,
    AfasTransportError,
    AfasUnavailableError,
    AfasValidationError,
)
from .session import AfasSession

# A GET 500 with one of these texts fails the same way when repeated: not retried (page too large, fair-use
# block, unknown connector). Lower-case; AFAS answers in the token user's language.
_LASTING_500: Final = ("out of memory", "geblokkeerd", "blocked", "bestaat niet", "does not exist")


class AfasFailures(AfasSession):
    """Builds the errors a call ends in."""

    def _transport_error(
        self,
        method: str,
        connector: str,
        exc: httpx.TransportError,
        reached: bool,
        transient: bool,
        attempt: int,
    ) -> AfasTransportError:
        # Only the exception's class and scrubbed text: never the request (headers) it carries.
        reason = self._token.scrub(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        tries = f" {after_attempts(attempt)}" if attempt else ""
        may_have_reached = reached and transient
        if not transient:  # e.g. an unsupported URL scheme or a bad proxy: setup, not luck
            advice = ": check the base URL and the network settings"
        elif may_have_reached and method != "GET":
            advice = (
                ": the request may have reached AFAS, check whether it was processed before sending it again"
            )
        elif may_have_reached:
            advice = (
                ": AFAS did not answer in time or dropped the connection; temporary, the next run retries it"
            )
        else:
            advice = (
                ": AFAS could not be reached; temporary, the next run retries it (if it persists, check the "
                "base URL, DNS and network)"
            )
        return AfasTransportError(
            f"{method} {connector} failed{tries} ({reason}){advice}",
            connector=connector,
            method=method,
            may_have_reached_server=may_have_reached,
            transient=transient,
            attempts=attempt + 1,
        )

    def _unavailable(
        self,
        method: str,
        connector: str,
        status: int,
        wait: float | None,
        attempt: int,
        *,
        waited_too_long: bool,
    ) -> AfasUnavailableError:
        if waited_too_long:
            text = (
                f"AFAS is unavailable (HTTP {status}, maintenance?) for {method} {connector} and asks to "
                f"retry after {wait:.0f} s, more than max_retry_after_s={self.max_retry_after_s:.0f}: "
                "temporary, try again later"
            )
        else:
            text = (
                f"AFAS is still unavailable (HTTP {status}) for {method} {connector} {after_attempts(attempt)}: "
                "temporary, try again later (the next run retries it)"
            )
        return AfasUnavailableError(
            text,
            connector=connector,
            method=method,
            status_code=status,
            retry_after=wait,
            attempts=attempt + 1,
        )

    def _status_error(
        self, method: str, connector: str, response: httpx.Response, content: bytes | None, attempt: int
    ) -> AfasError:
        status = response.status_code
        ctx: dict[str, Any] = {
            "connector": connector,
            "method": method,
            "status_code": status,
            "attempts": attempt + 1,
        }
        call = f"{method} {connector}"
        if status == 401:
            return AfasAuthError(
                f"AFAS refused the token for {call} (401): check the token, and that the token's App Connector "
                f"includes {connector}.",
                **ctx,
            )
        if status == 403:
            return AfasForbiddenError(
                f"AFAS refused {call} (403): this machine's IP address is not allowed by the App Connector's "
                "IP restriction.",
                **ctx,
            )
        if status == 404:
            return AfasNotFoundError(
                f"AFAS answered 404 for {call}: check the base URL ({self.base_url}) and the connector id "
                "(a query string over 2049 characters also gives 404).",
                **ctx,
            )
        if status == 413:
            size = len(content or b"")
            return AfasPayloadTooLargeError(
                f"AFAS refused {call} (413): the request of {size} bytes is too large (at most 75 MB per call); "
                "send fewer elements per call.",
                **ctx,
            )
        body = json_or_none(response)
        if status == 500:
            body = body if isinstance(body, dict) else {}
            external = body.get("externalMessage") or snippet(response) or "no message"
            external = self._token.scrub(str(external))
            number = body.get("errorNumber")
            reference = body.get("profitLogReference")
            hint = ""
            if method == "GET" and "memory" in external.lower():
                hint = " Lower page_size (AFAS advises columns x rows < 150,000 per call)."
            return AfasValidationError(
                f"AFAS rejected {call}{' ' + after_attempts(attempt) if attempt else ''}: {external} "
                f"(Profit log reference: {reference or 'none'}"
                + (f", error {number}" if number is not None else "")
                + "). Correct the data or the connector setup and retry; give the log reference to your AFAS "
                "administrator if the cause is unclear." + hint,
                **ctx,
                external_message=external,
                error_number=int(number) if isinstance(number, int) else None,
                profit_log_reference=str(reference) if reference else None,
            )
        detail = self._token.scrub(snippet(response))
        return AfasError(f"AFAS answered HTTP {status} for {call}" + (f": {detail}" if detail else ""), **ctx)


def after_attempts(attempt: int) -> str:
    return f"after {attempt + 1} attempts"


def lasting_500(response: httpx.Response) -> bool:
    body = json_or_none(response)
    text = body.get("externalMessage") if isinstance(body, dict) else None
    text = str(text) if text else response.content[:300].decode("utf-8", errors="replace")
    return any(marker in text.lower() for marker in _LASTING_500)


def retry_after_s(response: httpx.Response) -> float | None:
    """Seconds to wait from the 503 body (`retry_after`) or the `Retry-After` header (seconds or HTTP date)."""
    body = json_or_none(response)
    if isinstance(body, dict):
        wait = retry.parse_retry_after(body.get("retry_after"))
        if wait is not None:
            return wait
    return retry.retry_after_header(response.headers)


def json_or_none(response: httpx.Response) -> Any:
    try:
        return codec.loads(response.content) if response.content.strip() else None
    except ValueError:
        return None


def snippet(response: httpx.Response, limit: int = 300) -> str:
    text = response.content[:limit].decode("utf-8", errors="replace").strip()
    return text + ("..." if len(response.content) > limit else "")
