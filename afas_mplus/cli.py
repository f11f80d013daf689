"""`afas-mplus`: run flows, read plans, query staging, serve the stand-ins, open the Dagster UI.

Exit codes a script can act on: 0 ok (rows refused by validation are listed, not fatal), 1 some
writes failed, 2 a push was blocked by a check (or a plan drifted), 3 configuration problem.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from afas_mplus.flows import FLOWS
from afas_mplus.settings import Settings

console = Console(stderr=True)
# Piped output (CI logs, `| less`) gets a readable width instead of rich's 80-column fallback.
out = Console(width=None if Console().is_terminal else 160)


def _settings(args: argparse.Namespace) -> Settings:
    if getattr(args, "config", None):
        os.environ["AFAS_MPLUS_CONFIG"] = args.config
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def _flows(names: Sequence[str]) -> list[str]:
    unknown = [n for n in names if n not in FLOWS]
    if unknown:
        raise SystemExit(f"unknown flow(s) {', '.join(unknown)}; built flows: {', '.join(FLOWS)}")
    return list(names) or list(FLOWS)


def cmd_sync(args: argparse.Namespace) -> int:
    from afas_mplus import steps
    from afas_mplus.notify import notify
    from afas_mplus.runtime import Runtime

    settings = _settings(args)
    results = []
    with Runtime.open(settings) as rt:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, disable=args.json or not console.is_terminal) as bar:
            tasks: dict[str, Any] = {}

            def progress(label: str, advance: int, total: int | None) -> None:
                # A stage (extract, transform, plan) shows as a running line; a push as a bar of rows.
                if label not in tasks:
                    for earlier in tasks.values():
                        task = bar.tasks[earlier]
                        if task.total is None:
                            bar.update(earlier, total=1, completed=1)
                    tasks[label] = bar.add_task(label if ":" in label else f"push {label}", total=total)
                bar.advance(tasks[label], advance)

            for name in _flows(args.flows):
                if not args.json and not bar.live.is_started:
                    console.print(f"[bold]{name}[/]: extract, transform, plan{', push' if not args.dry_run else ''}")
                result = steps.sync(rt, FLOWS[name], dry_run=args.dry_run, progress=progress)
                notify(rt, result)
                results.append(result)
            for task in bar.tasks:  # the last stage is done too
                if task.total is None:
                    bar.update(task.id, total=1, completed=1)
        rt.journal.purge(settings.journal.retention_days)
    if args.json:
        for r in results:
            print(json.dumps(r.as_json(), default=str))
    else:
        _summary(results)
    return _exit_code(results)


def _summary(results: list[Any]) -> None:
    t = Table(title="sync summary", box=box.SIMPLE_HEAD, pad_edge=False)
    # Short headers and no borders: the table must fit an 80-column terminal.
    for col in ("flow", "read", "create", "update", "deact.", "same", "error", "sent", "failed", "writes",
                "secs"):
        t.add_column(col, justify="right" if col != "flow" else "left", no_wrap=True)
    for r in results:
        t.add_row(r.flow, str(sum(r.extracted.values())), *(str(r.plan.get(k, 0)) for k in (
            "create", "update", "deactivate", "unchanged", "error")), str(r.pushed_ok), str(r.pushed_failed),
            str(r.write_calls), f"{r.seconds:.1f}")
    out.print(t)
    for r in results:
        for b in r.blocked:
            out.print(f"[red]blocked[/]: {b}")
        for e in r.errors[:20]:
            out.print(f"[red]failed[/]: {e}")
        if r.plan.get("error"):
            out.print(f"{r.flow}: {r.plan['error']} rows refused by validation; "
                      f"see `afas-mplus plan {r.flow}` or `afas-mplus sql \"select * from transforms.errors_{r.flow}\"`")


def cmd_plan(args: argparse.Namespace) -> int:
    from afas_mplus import steps
    from afas_mplus.runtime import Runtime

    flow = FLOWS[_flows([args.flow])[0]]
    with Runtime.open(_settings(args)) as rt:
        steps.extract(rt, flow)
        steps.transform(rt, flow)
        fingerprints = {}
        for entity in flow.entities:
            summary = steps.plan(rt, flow, entity)
            fingerprints[entity.name] = summary.fingerprint
            spec = entity.spec(rt.settings)
            rows = rt.warehouse.query(
                f"select * from {spec.table} where action <> 'unchanged' order by action, record_key "
                f"limit {args.limit}")
            if args.json:
                print(json.dumps({"entity": entity.name, "counts": summary.counts,
                                  "fingerprint": summary.fingerprint, "rows": rows}, default=str))
                continue
            out.print(f"[bold]{flow.name}/{entity.name}[/] {summary.counts}  fingerprint {summary.fingerprint}")
            _plan_table(rows, spec.fields)
            if summary.changes:
                reason = steps.guard(rt, entity, summary)
                if reason:
                    out.print(f"[red]the push would be blocked[/]: {reason}")
        if not args.json:
            # plain print: a script (or a user's copy-paste) needs this line unwrapped
            print(f"Nothing was sent. Apply exactly this plan with: afas-mplus apply {flow.name} "
                  + " ".join(f"--fingerprint {e}={f}" for e, f in fingerprints.items()))
    return 0


def _plan_table(rows: list[dict[str, Any]], fields: Sequence[str]) -> None:
    t = Table(show_lines=False)
    for col in ("record", "action", "changes"):
        t.add_column(col)
    for r in rows:
        if r["action"] == "error":
            t.add_row(str(r["record_key"]), "error", f"{r['changed_fields']}: {r['error_message']}")
            continue
        changes = []
        for f in (r["changed_fields"] or "").split(","):
            if f and r["action"] != "create":
                changes.append(f"{f}: {r.get(f + '__current')!r} → {r.get(f)!r}")
            elif f:
                changes.append(f"{f}={r.get(f)!r}")
        t.add_row(str(r["record_key"]), r["action"], "; ".join(changes)[:200])
    out.print(t)


def cmd_apply(args: argparse.Namespace) -> int:
    from afas_mplus import steps
    from afas_mplus.runtime import Runtime

    flow = FLOWS[_flows([args.flow])[0]]
    expected = dict(f.split("=", 1) for f in args.fingerprint or [])
    result = steps.FlowResult(flow.name)
    with Runtime.open(_settings(args)) as rt:
        result.extracted = steps.extract(rt, flow)
        steps.transform(rt, flow)
        # Every entity's plan is checked against what the user saw before anything is sent.
        for entity in flow.entities:
            summary = steps.plan(rt, flow, entity)
            want = expected.get(entity.name)
            if want and want != summary.fingerprint:
                out.print(f"[red]{flow.name}/{entity.name}: the data changed since the plan was shown "
                          f"(fingerprint {summary.fingerprint}, expected {want}). Nothing was sent; run "
                          f"`afas-mplus plan {flow.name}` again.[/]")
                return 2
        for entity in flow.entities:
            summary = steps.plan(rt, flow, entity)  # again: an earlier entity's push may have moved it
            result.add_plan(summary)
            reason = steps.guard(rt, entity, summary)
            if reason and not args.force:
                result.blocked.append(reason)
                continue
            result.add_push(steps.push_entity(rt, flow, entity))
            steps.refresh(rt, flow, entity)
    print(json.dumps(result.as_json(), default=str)) if args.json else _summary([result])
    return _exit_code([result])


def _exit_code(results: list[Any]) -> int:
    if any(r.blocked for r in results):
        return 2
    # Refused rows are reported (summary, --json, notification) but are the data's problem, not the run's.
    return 1 if any(r.pushed_failed for r in results) else 0


def cmd_sql(args: argparse.Namespace) -> int:
    from staging.warehouse import Warehouse

    settings = _settings(args)
    wh = Warehouse(settings.staging_path)
    cols, rows = wh.query_table(args.query)
    if args.json:
        for row in rows:
            print(json.dumps(dict(zip(cols, row, strict=True)), default=str))
        return 0
    t = Table()
    for c in cols:
        t.add_column(c)
    for row in rows[: args.limit]:
        t.add_row(*("" if v is None else str(v) for v in row))
    out.print(t)
    if len(rows) > args.limit:
        out.print(f"({len(rows)} rows, {args.limit} shown)")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from afas_mplus.runtime import standin_options
    from simulators.cli import run

    return run(args, standin_options(_settings(args)))


def _describe(sims: Any) -> None:
    """What the stand-ins hold, so a user knows what a first sync will meet."""
    a, m = sims.afas_state, sims.mplus_state
    afas = {"articles": len(a.articles), "debtors": len(a.debtors), "stock rows": len(a.stock),
            "price list rows": len(a.price_rows), "sales orders": len(a.orders)}
    mplus = {"articles": len(m.article_map), "article groups": len(m.article_groups), "relations": len(m.relations),
             "orders": len(m.orders), "branches": len(m.branches)}
    out.print("AFAS stand-in holds: " + ", ".join(f"{v} {k}" for k, v in afas.items()))
    out.print("MplusKASSA stand-in holds: " + ", ".join(f"{v} {k}" for k, v in mplus.items()))


def cmd_ui(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.config:
        env["AFAS_MPLUS_CONFIG"] = str(Path(args.config).resolve())
    env.setdefault("DAGSTER_HOME", str((_settings(args).data_dir / "dagster").resolve()))
    Path(env["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "dagster", "dev", "-m", "dagster_project.definitions", "-p", str(args.port)]
    return subprocess.call(cmd, env=env)


def cmd_init(args: argparse.Namespace) -> int:
    from afas_mplus.wizard import run_wizard

    target = Path(args.config or "afas-mplus.yaml")
    if target.exists() and not args.force:
        raise SystemExit(f"{target} exists; use --force to overwrite it")
    run_wizard(_settings(args), target)
    os.environ["AFAS_MPLUS_CONFIG"] = str(target)
    return cmd_check(argparse.Namespace(**{**vars(args), "json": False}))


def cmd_check(args: argparse.Namespace) -> int:
    from afas_mplus.prerequisites import run_checks
    from afas_mplus.runtime import Runtime

    with Runtime.open(_settings(args)) as rt:
        checks = run_checks(rt)
    if args.json:
        for c in checks:
            print(json.dumps(c.__dict__))
    else:
        t = Table(title="prerequisites")
        for col in ("check", "", "detail", "what to do"):
            t.add_column(col)
        for c in checks:
            mark = "[green]ok[/]" if c.ok else ("[yellow]warn[/]" if c.warning else "[red]FAIL[/]")
            t.add_row(c.name, mark, c.detail, c.fix)
        out.print(t)
    return 0 if all(c.ok or c.warning for c in checks) else 3


def cmd_purge(args: argparse.Namespace) -> int:
    from reverse_etl.journal import Journal
    from staging.warehouse import Warehouse

    settings = _settings(args)
    days = args.days or settings.journal.retention_days
    n = Journal(Warehouse(settings.staging_path)).purge(days)
    out.print(f"purged {n} journal rows older than {days} days")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="afas-mplus", description=__doc__)
    p.add_argument("--config", help="YAML settings file (default ./afas-mplus.yaml)")
    p.add_argument("--data-dir", help="where staging, stand-in state and dlt state live (default ./.data)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("sync", help="run flows: extract, transform, plan, push")
    s.add_argument("flows", nargs="*", help=f"flows to run (default all: {', '.join(FLOWS)})")
    s.add_argument("--json", action="store_true", help="one JSON object per flow on stdout")
    s.add_argument("--dry-run", action="store_true", help="plan only, send nothing")
    s.set_defaults(fn=cmd_sync)

    s = sub.add_parser("plan", help="show what a push would send, without sending anything")
    s.add_argument("flow")
    s.add_argument("--limit", type=int, default=200)
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_plan)

    s = sub.add_parser("apply", help="push a flow's plan (re-planned; refused if it drifted)")
    s.add_argument("flow")
    s.add_argument("--fingerprint", action="append", help="ENTITY=FINGERPRINT printed by `plan`")
    s.add_argument("--force", action="store_true", help="push even when the plan-size check blocks it")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_apply)

    s = sub.add_parser("sql", help="query the staging database")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=100)
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_sql)

    s = sub.add_parser("simulate", help="serve both stand-ins in the foreground")
    from simulators.cli import add_arguments as add_simulate_arguments

    add_simulate_arguments(s)
    s.set_defaults(fn=cmd_simulate)

    s = sub.add_parser("ui", help="open the Dagster UI on the flows' assets")
    s.add_argument("--port", type=int, default=3000)
    s.set_defaults(fn=cmd_ui)

    s = sub.add_parser("init", help="setup wizard: writes afas-mplus.yaml from a few questions, then checks")
    s.add_argument("--force", action="store_true")
    s.set_defaults(fn=cmd_init)

    s = sub.add_parser("check", help="verify the prerequisites in AFAS and MplusKASSA before a sync")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_check)

    s = sub.add_parser("purge-logs", help="delete journal rows older than the retention period")
    s.add_argument("--days", type=int)
    s.set_defaults(fn=cmd_purge)

    try:  # `afas-mplus bench`: its arguments and command live in benchmarks/
        from benchmarks.cli import add_bench_parser
    except ImportError:  # an install made before benchmarks/ existed: everything else still works
        add_bench_parser = None
    if add_bench_parser:
        add_bench_parser(sub)

    args = p.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from connectors.afas.errors import AfasError
    from connectors.mplus.errors import MplusError

    try:
        return int(args.fn(args) or 0)
    except SystemExit as exc:  # configuration problems are raised with their explanation
        if isinstance(exc.code, str):
            console.print(f"[red]{exc.code}[/]")
            return 3
        raise
    except Exception as exc:
        # An unreachable or refusing endpoint (also when dlt wrapped it): say which and why, not a traceback.
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, AfasError | MplusError):
            cause = cause.__cause__ or cause.__context__
        if cause is None:
            raise
        console.print(f"[red]{type(cause).__name__}: {cause}[/]\nRun `afas-mplus check` for the prerequisites.")
        return 3


if __name__ == "__main__":
    sys.exit(main())
