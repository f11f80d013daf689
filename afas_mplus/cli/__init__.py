"""`afas-mplus`: run flows, read plans, query staging, serve the stand-ins, open the Dagster UI.

Exit codes a script can act on:
  0  ok (rows refused by validation are listed, not fatal)
  1  some writes failed, or a flow stopped (the others ran; each is reported)
  2  a push was refused: blocked by the plan-size check, or the plan drifted since it was approved
  3  configuration or environment: a setting, an endpoint, the warehouse held by another process
  4  usage: unknown command, flow or entity, malformed argument
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from afas_mplus.cli import admin, flows, log, mapping, retry
from afas_mplus.cli.display import err
from afas_mplus.errors import ExitCode, UserError
from afas_mplus.flow_result import cause_exit, one_line
from afas_mplus.flows import FLOWS
from simulators.cli import add_arguments as add_simulate_arguments
from staging.base import WarehouseBusyError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake exits with our usage code (4), not argparse's 2 (our "blocked")."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def _version() -> str:
    try:
        return version("afas-mplus-sync")
    except PackageNotFoundError:
        return "unknown"


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after its name (`afas-mplus sync --config x.yaml`)."""
    p = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS
    p.add_argument(
        "--config", default=s, help="YAML settings file (default ./afas-mplus.yaml or $AFAS_MPLUS_CONFIG)"
    )
    p.add_argument(
        "--data-dir", default=s, help="where staging, stand-in state and dlt state live (default ./.data)"
    )
    p.add_argument(
        "--wait",
        type=float,
        default=s,
        metavar="SECONDS",
        help="wait this long for a warehouse another process holds (default: refuse at once)",
    )
    p.add_argument(
        "--shop",
        default=s,
        metavar="NAME",
        help="the shop to work on, when shops_dir configures several (shops/<NAME>.yaml)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", default=s, help="debug logging; tracebacks on errors"
    )
    p.add_argument(
        "-q", "--quiet", action="store_true", default=s, help="no progress display or summary when ok"
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    p = _Parser(
        prog="afas-mplus",
        description=__doc__,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"afas-mplus {_version()}")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, fn: object) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=help, description=help, parents=[common])
        s.set_defaults(fn=fn)
        return s

    s = command("sync", "run flows: extract, transform, plan, push", flows.cmd_sync)
    s.add_argument("flows", nargs="*", help=f"flows to run (default all, in this order: {', '.join(FLOWS)})")
    s.add_argument("--json", action="store_true", help="one JSON object per flow on stdout")
    s.add_argument("--dry-run", action="store_true", help="plan only, send nothing")

    s = command(
        "plan", "show what a push would send, before → after, without sending anything", flows.cmd_plan
    )
    s.add_argument("flow", help=", ".join(FLOWS))
    s.add_argument("--limit", type=int, default=200, help="changed rows shown per entity (default 200)")
    s.add_argument("--json", action="store_true")

    s = command("apply", "push exactly the plan `plan` showed; refused if the data drifted", flows.cmd_apply)
    s.add_argument("flow", help=", ".join(FLOWS))
    s.add_argument(
        "--fingerprint",
        action="append",
        metavar="ENTITY=FP",
        help="one per entity, as `plan` prints them (required)",
    )
    s.add_argument(
        "--force", action="store_true", help="push even when the plan-size check blocks it (journaled)"
    )
    s.add_argument("--json", action="store_true")

    retry.add_arguments(command("retry", "send rows the target refused (held) again now", retry.cmd_retry))

    s = command("sql", "query the staging database: one statement, read-only unless --write", admin.cmd_sql)
    s.add_argument(
        "query", help="one SQL statement (DuckDB); schemas staging, settings, transforms, plan, journal"
    )
    s.add_argument("--limit", type=int, default=100, help="rows shown in table/markdown output (default 100)")
    s.add_argument(
        "--format", choices=("table", "csv", "json", "markdown"), help="output format (default table)"
    )
    s.add_argument("--json", action="store_true", help="the same as --format json: one object per row")
    s.add_argument(
        "--write",
        action="store_true",
        help="allow one statement that changes staging/settings/transforms/plan (never the journal)",
    )

    log.add_parser(command)
    mapping.add_parser(command)

    s = command("check", "verify the prerequisites in AFAS and MplusKASSA before a sync", admin.cmd_check)
    s.add_argument("--json", action="store_true")

    s = command(
        "init", "setup wizard: writes afas-mplus.yaml from a few questions, then checks", admin.cmd_init
    )
    s.add_argument("--force", action="store_true", help="overwrite an existing settings file")

    s = command(
        "purge-logs",
        "GDPR: delete journal rows, Dagster runs and logs older than the retention period, "
        "dlt's load packages, and compact the warehouse",
        admin.cmd_purge,
    )
    s.add_argument("--days", type=int, help="retention in days, at least 1 (default journal.retention_days)")
    s.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    s.add_argument(
        "--all-shops",
        action="store_true",
        help="every shop of shops_dir, one after another (instead of --shop)",
    )

    s = command(
        "simulate", "serve both stand-ins in the foreground; Ctrl-C saves their state", admin.cmd_simulate
    )
    add_simulate_arguments(s)

    s = command("ui", "open the Dagster UI on the flows' assets", admin.cmd_ui)
    s.add_argument("--port", type=int, default=3000)

    # `afas-mplus bench` is `python -m benchmarks` (its own arguments and --help): the benchmark imports the
    # product, never the other way round.
    s = sub.add_parser(
        "bench",
        help="time full, no-op and 1 %% change syncs on the stand-ins (benchmarks/)",
        add_help=False,
        prefix_chars="\0",
    )
    s.add_argument("args", nargs=argparse.REMAINDER)
    s.set_defaults(fn=admin.cmd_bench)
    return p


# The common options' values when given nowhere. (Not `set_defaults`: the parent's actions are shared with every
# subcommand, so a default set on the top parser would overwrite a value given after the command name.)
_COMMON_DEFAULTS = {
    "config": None,
    "data_dir": None,
    "shop": None,
    "wait": 0.0,
    "verbose": False,
    "quiet": False,
}


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    for name, default in _COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.fn(args) or 0)
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - every error a user can cause is one line; -v shows the traceback
        if args.verbose:
            traceback.print_exc()
        if isinstance(exc, UserError | WarehouseBusyError):
            code = exc.exit_code if isinstance(exc, UserError) else ExitCode.CONFIG
            err.print(f"afas-mplus: {exc}", style="red")
            return int(code)
        code = cause_exit(exc)
        hint = (
            "run `afas-mplus check` for the prerequisites"
            if code is ExitCode.CONFIG
            else "run again with -v for the traceback"
        )
        err.print(f"afas-mplus: {one_line(exc)} ({hint})", style="red")
        return int(code)


if __name__ == "__main__":
    sys.exit(main())
