"""The commands around the flows: check, init, sql, purge-logs, simulate, ui."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.table import Table

from afas_mplus.cli.common import deployment_settings_of, open_runtime, settings_of
from afas_mplus.cli.display import err, out, say
from afas_mplus.errors import ExitCode, UsageError, UserError
from afas_mplus.prerequisites import run_checks
from afas_mplus.retention import purge_everything
from afas_mplus.runtime import open_warehouse, standin_options
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_names, shop_settings
from afas_mplus.sql_console import run_sql
from afas_mplus.sql_postgres import run_sql_postgres
from afas_mplus.wizard import EXIT_CANCELLED, WizardCancelled, run_wizard
from reverse_etl.journal import Journal
from simulators.cli import run as run_simulators
from staging.base import WarehouseBusyError


def cmd_check(args: argparse.Namespace) -> int:
    with open_runtime(args) as rt:
        checks = run_checks(rt)
    if args.json:
        for c in checks:
            print(json.dumps(c.__dict__))
    else:
        t = Table(title="prerequisites")
        for col in ("check", "", "detail", "what to do"):
            t.add_column(col, overflow="fold")
        for c in checks:
            mark = "ok" if c.ok else ("warn" if c.warning else "FAIL")
            t.add_row(
                c.name, mark, c.detail, c.fix, style=None if c.ok else ("yellow" if c.warning else "red")
            )
        out.print(t)
    return ExitCode.OK if all(c.ok or c.warning for c in checks) else ExitCode.CONFIG


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.config or "afas-mplus.yaml")
    if target.exists() and not args.force:
        raise UsageError(f"{target} exists; pass --force to overwrite it")
    # The wizard starts from defaults (and the environment), not from a file that may not exist yet.
    settings = settings_of(argparse.Namespace(**{**vars(args), "config": None}))
    try:
        run_wizard(settings, target)
    except WizardCancelled as cancelled:
        say(str(cancelled.code))
        return EXIT_CANCELLED
    return cmd_check(argparse.Namespace(**{**vars(args), "config": str(target), "json": False}))


def cmd_sql(args: argparse.Namespace) -> int:
    fmt = args.format or ("json" if args.json else "table")
    # A terminal's width decides when a table turns into records; piped output is as wide as its content.
    width = out.width if sys.stdout.isatty() else None
    settings = settings_of(args)
    limit = args.limit if fmt in ("table", "markdown") else None
    if settings.warehouse_dsn:
        result = run_sql_postgres(
            settings.warehouse_dsn.get_secret_value(),
            settings.warehouse_schema_prefix,
            args.query,
            write=args.write,
            fmt=fmt,
            limit=limit,
            width=width,
            out=sys.stdout,
        )
    else:
        result = run_sql(
            settings.staging_path,
            args.query,
            write=args.write,
            fmt=fmt,
            limit=limit,
            width=width,
            out=sys.stdout,
        )
    if result.message:
        say(result.message)
    return result.code


def cmd_purge(args: argparse.Namespace) -> int:
    if not args.all_shops:
        return _purge(settings_of(args), args)
    if getattr(args, "shop", None):
        raise UsageError("--all-shops purges every shop: leave out --shop NAME (or --all-shops)")
    deployment = deployment_settings_of(args)
    names = shop_names(deployment)
    if not names:
        raise UsageError(
            "--all-shops: no shops are configured (shops_dir / SHOPS_DIR); leave out --all-shops"
        )
    if args.days is not None and args.days < 1:
        raise UsageError(f"--days {args.days}: the retention must be at least 1 day")
    failed: dict[str, ExitCode] = {}
    for name in names:  # one shop that cannot be purged (its warehouse held, say) must not keep the others
        say(f"shop {name}:", stderr=False)
        try:
            _purge(shop_settings(deployment, name), args)
        except (UserError, WarehouseBusyError) as exc:
            failed[name] = exc.exit_code if isinstance(exc, UserError) else ExitCode.CONFIG
            say(f"shop {name}: {exc}", style="red")
    if failed:
        say(
            f"purge-logs failed for {len(failed)} of {len(names)} shops ({', '.join(failed)}): "
            "see above, then run it again",
            style="red",
        )
        return max(failed.values())
    return ExitCode.OK


def _purge(settings: Settings, args: argparse.Namespace) -> int:
    days = settings.journal.retention_days if args.days is None else args.days
    if days < 1:
        raise UsageError(
            f"--days {days}: the retention must be at least 1 day (the default is "
            f"journal.retention_days = {settings.journal.retention_days})"
        )
    wh = open_warehouse(settings, wait_s=float(args.wait or 0), holder="afas-mplus purge-logs")
    try:
        if args.dry_run:
            n = Journal(wh).count_older(days)
            say(
                f"would purge {n} journal rows older than {days} days (nothing deleted: --dry-run)",
                stderr=False,
            )
        else:
            say(purge_everything(settings, wh, days=days).summary(days), stderr=False)
    finally:
        wh.close()
    return ExitCode.OK


def cmd_simulate(args: argparse.Namespace) -> int:
    return run_simulators(args, standin_options(settings_of(args)))


def cmd_ui(args: argparse.Namespace) -> int:
    settings = settings_of(args)  # a broken config is one line here, not a failing code location in the UI
    env = dict(os.environ)
    if args.config:
        env["AFAS_MPLUS_CONFIG"] = str(Path(args.config).resolve())
    if getattr(
        args, "data_dir", None
    ):  # the code location (assets, sensors) works on the same data directory
        env["DATA_DIR"] = str(settings.data_dir)
    env.setdefault("DAGSTER_HOME", str((settings.data_dir / "dagster").resolve()))
    Path(env["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "dagster_project.definitions", "-p", str(args.port)]
    err.print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={env['DAGSTER_HOME']})")
    return subprocess.call(cmd, env=env)


def cmd_bench(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "benchmarks", *args.args])
