"""What one run of a flow did (FlowResult), why it stopped as the one line a user reads, and the exit code of a
run of several flows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from afas_mplus.errors import ConfigError, ExitCode, UserError
from connectors.afas.errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasNotFoundError,
    AfasTransportError,
)
from connectors.mplus.errors import MplusAuthError, MplusError, MplusTransportError
from reverse_etl.diff import PlanSummary
from reverse_etl.push import PushSummary
from staging.base import WarehouseBusyError


@dataclass
class FlowResult:
    flow: str
    status: str = "ok"  # ok | failed (the flow stopped: `error` says why)
    extracted: dict[str, int] = field(default_factory=dict)
    plan: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("create", "update", "deactivate", "unchanged", "error", "held"), 0
        )
    )
    fingerprints: dict[str, str] = field(default_factory=dict)
    pushed_ok: int = 0
    pushed_failed: int = 0
    write_calls: int = 0
    blocked: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error: str | None = None  # why the flow stopped
    error_exit: ExitCode | None = None
    seconds: float = 0.0
    # Per entity: its plan counts and what its push did (the Dagster report and the alerts read them).
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    mode: str = "sync"  # plan | apply | sync

    def add_plan(self, summary: PlanSummary) -> None:
        for k, v in summary.counts.items():
            self.plan[k] = self.plan.get(k, 0) + v
        self.fingerprints[summary.entity] = summary.fingerprint
        self.entities.setdefault(summary.entity, {}).update(
            plan=dict(summary.counts), fingerprint=summary.fingerprint
        )

    def add_push(self, summary: PushSummary, entity: str | None = None) -> None:
        self.pushed_ok += summary.ok
        self.pushed_failed += summary.failed
        self.write_calls += summary.write_calls
        self.errors.extend(summary.errors)
        if entity is not None:
            self.entities.setdefault(entity, {}).update(
                pushed_ok=summary.ok,
                pushed_failed=summary.failed,
                write_calls=summary.write_calls,
                errors=summary.errors[:50],
            )

    def fail(self, exc: BaseException) -> None:
        self.status = "failed"
        self.error = one_line(exc)
        self.error_exit = exc.exit_code if isinstance(exc, UserError) else cause_exit(exc)

    def as_json(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "status": self.status,
            "extracted": self.extracted,
            "plan": self.plan,
            "fingerprints": self.fingerprints,
            "pushed_ok": self.pushed_ok,
            "pushed_failed": self.pushed_failed,
            "write_calls": self.write_calls,
            "blocked": self.blocked,
            "drifted": self.drifted,
            "errors": self.errors[:50],
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what caused it, outermost first; each once (a chain can loop back on itself)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


def one_line(exc: BaseException) -> str:
    """An exception as the one line a user reads: the API error inside a dlt wrapper, never a traceback."""
    found = next(
        (c for c in causes(exc) if isinstance(c, AfasError | MplusError | UserError | WarehouseBusyError)),
        exc,
    )
    text = str(found).strip().splitlines()[0] if str(found).strip() else ""
    if isinstance(found, UserError | WarehouseBusyError):
        return text
    return f"{type(found).__name__}: {text}" if text else type(found).__name__


def cause_exit(exc: BaseException) -> ExitCode:
    """Refused credentials, an unreachable endpoint or a missing connector are the environment's problem."""
    environment = (
        AfasAuthError,
        AfasForbiddenError,
        AfasNotFoundError,
        AfasTransportError,
        MplusAuthError,
        MplusTransportError,
        ConfigError,
        WarehouseBusyError,
    )
    return ExitCode.CONFIG if any(isinstance(c, environment) for c in causes(exc)) else ExitCode.WRITES_FAILED


def exit_code(results: Iterable[FlowResult]) -> ExitCode:
    """The most serious outcome wins: environment, then a refused push, then failed writes."""
    results = list(results)
    if any(r.error_exit is ExitCode.CONFIG for r in results):
        return ExitCode.CONFIG
    if any(r.blocked or r.drifted for r in results):
        return ExitCode.BLOCKED
    # Refused rows are reported (summary, --json, notification) but are the data's problem, not the run's.
    if any(r.pushed_failed or r.status == "failed" for r in results):
        return ExitCode.WRITES_FAILED
    return ExitCode.OK
