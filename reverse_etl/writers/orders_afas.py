"""What the orders flow's AFAS writers share: business refusals held, bodies checked against AFAS's OpenAPI
before they are sent (a value the models could not make fit is refused here, naming the field and its limit)."""

from __future__ import annotations

from typing import Any

from connectors.afas.check import check_body
from connectors.afas.errors import AfasValidationError
from reverse_etl.held import REFUSED
from reverse_etl.writers.base import WriterBase


class AfasWriter(WriterBase):
    """An AFAS business rejection (a 500 with AFAS's message) is held (reverse_etl.held), not resent each run."""

    def status_of(self, exc: BaseException) -> str:
        return REFUSED if isinstance(exc, AfasValidationError) else "failed"

    def refusal_text(self, exc: BaseException, what: str, fix: str | None) -> str:
        if isinstance(exc, AfasValidationError):
            return (
                f"{what}: AFAS refused it: {exc.external_message} (log reference {exc.profit_log_reference}). "
                f"It is held: sent again when its data changes, after a back-off, or with `afas-mplus retry "
                f"orders`."
            )
        return f"{what}: {type(exc).__name__}: {exc} — correct it at the till or in the settings; the next run retries"


def opt(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v != ""}


def not_sendable(conn: str, body: dict[str, Any], method: str, what: str) -> str | None:
    """Why AFAS would refuse this body (per its OpenAPI), or None."""
    violations = check_body(conn, body, method=method)
    if not violations:
        return None
    return (
        f"{what}: not sent, AFAS would refuse it: "
        + "; ".join(v.message for v in violations[:5])
        + ". Correct the data at the till (or the setting); it is sent then."
    )
