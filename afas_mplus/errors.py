"""Exit codes and the errors a user can cause: each is one line that says what to do.

The CLI prints a `UserError` as its message alone (a traceback only with `-v`) and exits with its code;
scripts act on the codes, so they are one table, documented in the README.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    WRITES_FAILED = 1  # some writes (or a whole flow) failed; the rest went through
    BLOCKED = 2  # a push was refused: the plan-size check blocked it, or the plan drifted since it was shown
    CONFIG = 3  # configuration or environment: a setting, an endpoint, the warehouse held by another process
    USAGE = 4  # the command line itself: unknown command, flow or entity, malformed argument


class UserError(Exception):
    """A mistake the user can fix; the message names it and the fix."""

    exit_code: ExitCode = ExitCode.CONFIG


class ConfigError(UserError):
    exit_code = ExitCode.CONFIG


class UsageError(UserError):
    exit_code = ExitCode.USAGE


class WarehouseBusy(ConfigError):
    """The staging database is held by another process (a second sync, a Dagster run)."""


class PushRefused(UserError):
    """A push that must not run: the plan is blocked by the plan-size check or drifted from the approved one."""

    exit_code = ExitCode.BLOCKED

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "blocked" | "drifted"
