"""How long the API clients wait before retrying: capped exponential back-off with jitter, and Retry-After.

Which calls may be retried is each client's own rule (idempotent reads yes; a write only when the server
provably never processed it); this module only times the waits, so both clients back off alike.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

DEFAULT_MAX_RETRIES: Final = 4  # so 5 attempts in all
DEFAULT_BACKOFF_S: Final = 0.5  # first wait; doubles per retry
DEFAULT_MAX_BACKOFF_S: Final = 30.0  # no single computed wait is longer
DEFAULT_MAX_RETRY_AFTER_S: Final = 120.0  # a server asking for a longer wait is not waited for: give up now


def check_settings(
    max_retries: int, backoff_s: float, max_backoff_s: float, max_retry_after_s: float
) -> None:
    if max_retries < 0 or backoff_s < 0 or max_backoff_s < 0 or max_retry_after_s < 0:
        raise ValueError(
            "max_retries, backoff_s, max_backoff_s and max_retry_after_s must be >= 0, got "
            f"{max_retries}, {backoff_s}, {max_backoff_s}, {max_retry_after_s}"
        )


def backoff_delay(attempt: int, backoff_s: float, max_backoff_s: float) -> float:
    """Wait before retry number `attempt + 1`: backoff_s * 2**attempt, up to 25 % longer (jitter, so parallel
    calls that failed together do not retry in lock-step), never above max_backoff_s."""
    return min(backoff_s * 2**attempt * random.uniform(1.0, 1.25), max_backoff_s)


def parse_retry_after(value: str | int | float | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After value (seconds or an HTTP date); None when absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return max(float(value), 0.0)
    text = value.strip()
    if not text:
        return None
    if text.replace(".", "", 1).isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def retry_after_header(headers: Mapping[str, str]) -> float | None:
    return parse_retry_after(headers.get("Retry-After"))
