"""What `afas-mplus sql` answers when it cannot run a query: its exit codes, the refusal, and DuckDB's errors
as one line a user reads (what went wrong, where, and DuckDB's suggestion)."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from afas_mplus.errors import ExitCode

# The CLI's exit codes (afas_mplus.errors.ExitCode), as this command uses them.
EXIT_OK = ExitCode.OK
EXIT_FAILED = ExitCode.WRITES_FAILED  # the query was accepted but DuckDB could not finish it (out of memory)
EXIT_USAGE = (
    ExitCode.USAGE
)  # the query is the problem: syntax, a refused statement, an unknown name, a bad cast
EXIT_CONFIG = (
    ExitCode.CONFIG
)  # the environment is: no staging database yet, the file locked by another process

_LOCK_PID = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


class SqlOutcome(NamedTuple):
    """`output` belongs on stdout, `message` (an error line or a note such as "first 100 rows") on stderr."""

    code: int
    output: str
    message: str = ""


class Refused(Exception):
    """The query cannot be run as given; `message` is the one line for the user."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def explain_error(exc: duckdb.Error, query: str, db_path: Path | str | None) -> tuple[int, str, str]:
    """(exit code, "", one line) for a DuckDB error: what went wrong, where, and DuckDB's suggestion."""
    raw = str(exc)
    if isinstance(exc, duckdb.IOException) and (m := _LOCK_PID.search(raw)):
        exe = Path(m["exe"]).name or m["exe"]
        return (
            EXIT_CONFIG,
            "",
            (
                f"the staging database {db_path} is in use by another process ({exe}, PID {m['pid']}: a sync, the "
                f"Dagster UI or a `sql --write`); DuckDB lets several processes read a file at once only while none "
                f"of them writes, so wait until it finishes or stop it, then try again"
            ),
        )
    kind, detail = _json_error(raw)
    message = " ".join(
        line.strip()
        for line in str(detail.get("exception_message", raw)).splitlines()
        if line.strip() and not line.startswith("LINE ")
    )
    where = ""
    if str(detail.get("position", "")).isdigit():
        line, col = _line_col(query, int(detail["position"]))
        where = f"line {line}, column {col}: "
    if isinstance(exc, duckdb.ParserException):
        return (
            EXIT_USAGE,
            "",
            f"syntax error, {where or 'in the query: '}{message.removeprefix('syntax error ')}",
        )
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        hint = (
            ""
            if "did you mean" in message.lower() or "candidate" in message.lower()
            else ' (list the tables with: afas-mplus sql "show all tables")'
        )
        return EXIT_USAGE, "", f"{where}{message}{hint}"
    if isinstance(exc, duckdb.PermissionException):
        return EXIT_USAGE, "", f"refused, {where}{message} (`afas-mplus sql` reads the staging database only)"
    if isinstance(exc, duckdb.IOException):
        return EXIT_CONFIG, "", f"cannot open the staging database {db_path}: {message}"
    failed = (
        EXIT_FAILED
        if isinstance(exc, duckdb.OutOfMemoryException | duckdb.InternalException | duckdb.FatalException)
        else EXIT_USAGE
    )
    return failed, "", f"{kind or 'DuckDB'} error, {where}{message}"


def _json_error(raw: str) -> tuple[str, dict[str, Any]]:
    start = raw.find("{")
    if start >= 0:
        with contextlib.suppress(ValueError):
            detail = json.loads(raw[start:])
            if isinstance(detail, dict):
                return str(detail.get("exception_type", "")), detail
    head, _, rest = raw.partition(": ")
    return (
        (head.removesuffix(" Error"), {"exception_message": rest})
        if rest
        else ("", {"exception_message": raw})
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
