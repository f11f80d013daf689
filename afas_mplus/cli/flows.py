"""`sync`, `plan` and `apply`: the flow runner on the command line."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from afas_mplus import flow_result, runner
from afas_mplus.cli.common import flow_names, open_runtime
from afas_mplus.cli.display import cell, err, out, plan_table, print_summary, say
from afas_mplus.cli.monitor import monitor
from afas_mplus.errors import ExitCode, UsageError
from afas_mplus.flows import FLOWS
from afas_mplus.flows.base import Flow
from afas_mplus.push_checks import blocked_reason
from afas_mplus.retention import purge_dlt_packages
from dagster_project.report import report
from reverse_etl.diff import summarize

_FINGERPRINT = re.compile(r"^([a-z_]+)=([0-9a-f]{16})$")


class _Bar:
    """The progress display of a long run: a stage (extract, transform, plan) is a running line, a push a bar
    of rows. Off for --json, -q and when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=not enabled,
        )
        self.tasks: dict[str, Any] = {}

    def __call__(self, label: str, advance: int, total: int | None) -> None:
        if label not in self.tasks:
            self._finish_stages()
            self.tasks[label] = self.progress.add_task(
                label if ":" in label else f"push {label}", total=total
            )
        self.progress.advance(self.tasks[label], advance)

    def _finish_stages(self) -> None:
        for task in self.progress.tasks:
            if task.total is None:
                self.progress.update(task.id, total=1, completed=1)

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finish_stages()
        self.progress.__exit__(None, None, None)


def _show(args: argparse.Namespace) -> bool:
    return not args.json and not args.quiet and err.is_terminal


def cmd_sync(args: argparse.Namespace) -> int:
    names = flow_names(args.flows)
    mode = runner.Mode.PLAN if args.dry_run else runner.Mode.SYNC
    with open_runtime(args) as rt:
        with _Bar(_show(args)) as bar:
            results = runner.run_flows(
                rt, [FLOWS[n] for n in names], mode, progress=bar, on_result=lambda r: monitor(rt, r)
            )
        rt.journal.purge(rt.settings.journal.retention_days)
        # (Compaction, Dagster's runs and the bytes: `purge-logs` and the daily journal_retention job.)
        purge_dlt_packages(rt.settings.data_dir)
    if args.json:
        for r in results:
            print(json.dumps(r.as_json(), default=cell))
    elif not args.quiet or flow_result.exit_code(results):
        print_summary(results)
    return flow_result.exit_code(results)


def _plan_rows(rt: Any, flow: Flow, limit: int) -> dict[str, list[dict[str, Any]]]:
    rows = {}
    for entity in flow.entities:
        table = entity.spec(rt.settings).table
        rows[entity.name] = rt.warehouse.query(
            f"select * from {table} where action <> 'unchanged' order by action, record_key limit {int(limit)}"
        )
    return rows


def cmd_plan(args: argparse.Namespace) -> int:
    flow = FLOWS[flow_names([args.flow])[0]]
    with open_runtime(args) as rt:
        with _Bar(_show(args)) as bar:
            result = runner.run_flow(rt, flow, runner.Mode.PLAN, progress=bar)
        if rt.settings.monitoring.report_to_dagster:  # the plan assets in the UI show this plan
            report(rt, result)
        rows = _plan_rows(rt, flow, args.limit)
        reasons = {}
        for entity in flow.entities:
            summary = summarize(rt.warehouse, entity.spec(rt.settings))
            reasons[entity.name] = blocked_reason(rt, entity, summary)
            if args.json:
                print(
                    json.dumps(
                        {
                            "flow": flow.name,
                            "entity": entity.name,
                            "counts": summary.counts,
                            "fingerprint": summary.fingerprint,
                            "blocked": reasons[entity.name],
                            "rows": rows[entity.name],
                        },
                        default=cell,
                    )
                )
                continue
            counts = ", ".join(f"{k} {v}" for k, v in summary.counts.items())
            say(
                f"{flow.name}/{entity.name}: {counts}; fingerprint {summary.fingerprint}",
                "bold",
                stderr=False,
            )
            if rows[entity.name]:
                out.print(plan_table(rows[entity.name]))
            if len(rows[entity.name]) == args.limit:
                say(
                    f'(first {args.limit} changed rows; all of them: afas-mplus sql "select * from '
                    f"{entity.spec(rt.settings).table} where action <> 'unchanged'\")",
                    stderr=False,
                )
            if reasons[entity.name]:
                say(f"the push would be blocked: {reasons[entity.name]}", "red", stderr=False)
    if not args.json:
        fps = " ".join(f"--fingerprint {e}={f}" for e, f in result.fingerprints.items())
        # plain print: a script (or a user's copy-paste) needs this line unwrapped
        print(f"Nothing was sent. Apply exactly this plan with: afas-mplus apply {flow.name} {fps}")
    return ExitCode.OK


def parse_fingerprints(flow: Flow, given: list[str] | None) -> dict[str, str]:
    """`ENTITY=FINGERPRINT` for every entity of the flow, as `plan` printed them; anything else is refused."""
    entities = [e.name for e in flow.entities]
    found: dict[str, str] = {}
    for item in given or []:
        match = _FINGERPRINT.match(item.strip())
        if not match:
            raise UsageError(
                f"--fingerprint {item!r} is not ENTITY=FINGERPRINT (16 hex digits), as "
                f"`afas-mplus plan {flow.name}` prints it"
            )
        entity, fp = match.groups()
        if entity not in entities:
            raise UsageError(
                f"--fingerprint {item}: {flow.name} has no entity {entity!r}; its entities are "
                f"{', '.join(entities)}"
            )
        found[entity] = fp
    missing = [e for e in entities if e not in found]
    if missing:
        raise UsageError(
            f"apply {flow.name} needs the fingerprint of every entity's plan; missing: "
            f"{', '.join(missing)}. Run `afas-mplus plan {flow.name}` and copy its apply line"
        )
    return found


def cmd_apply(args: argparse.Namespace) -> int:
    flow = FLOWS[flow_names([args.flow])[0]]
    fingerprints = parse_fingerprints(flow, args.fingerprint)
    with open_runtime(args) as rt:
        with _Bar(_show(args)) as bar:
            result = runner.run_flow(
                rt, flow, runner.Mode.APPLY, fingerprints=fingerprints, force=args.force, progress=bar
            )
        monitor(rt, result)
    if args.json:
        print(json.dumps(result.as_json(), default=cell))
    else:
        print_summary([result])
    return flow_result.exit_code([result])
