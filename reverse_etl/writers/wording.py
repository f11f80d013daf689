"""How a failed write is worded in the journal, the plan view and alerts: a temporary fault (network, timeout,
5xx, a server-side SOAP fault: the error's `transient`) says so and gives no data advice, because there is no data
to fix; a rejection says what to fix."""

from __future__ import annotations

TEMPORARY = "temporary: will retry on the next run"


def temporary_text(exc: BaseException, what: str) -> str:
    return f"{what}: {type(exc).__name__}: {exc} — {TEMPORARY}"


def refusal_text(exc: BaseException, what: str, fix: str) -> str:
    return f"{what}: {exc} — {fix}"
