"""`retry`: send rows the target refused (held rows) again now, instead of after their back-off."""

from __future__ import annotations

import argparse
import json

from afas_mplus import flow_result, runner
from afas_mplus.cli.common import flow_names, open_runtime
from afas_mplus.cli.display import cell, print_summary, say
from afas_mplus.cli.monitor import monitor
from afas_mplus.errors import ExitCode
from afas_mplus.flows import FLOWS
from reverse_etl import held


def add_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "flow", nargs="?", help=f"the flow whose held rows to send (default: every flow; {', '.join(FLOWS)})"
    )
    s.add_argument("--record", metavar="KEY", help="only this record (its key as `afas-mplus plan` shows it)")
    s.add_argument("--json", action="store_true", help="one JSON object per flow on stdout")


def cmd_retry(args: argparse.Namespace) -> int:
    names = flow_names([args.flow]) if args.flow else None
    with open_runtime(args) as rt:
        marked = held.request_retry(rt.warehouse, names[0] if names else None, args.record)
        if not marked:
            what = f" for record {args.record}" if args.record else ""
            say(
                f"nothing is held{what}{' in ' + args.flow if args.flow else ''}: there is nothing to retry "
                f"(`afas-mplus plan FLOW` lists held rows as action held)",
                stderr=False,
            )
            return ExitCode.OK
        flows = [FLOWS[n] for n in flow_names(sorted({r.flow for r in marked if r.flow in FLOWS}))]
        if not args.json:
            say(
                f"sending {len(marked)} held row(s) again: "
                + ", ".join(f"{r.flow}/{r.entity} {r.record_key}" for r in marked[:10])
                + (" …" if len(marked) > 10 else ""),
                stderr=False,
            )
        results = runner.run_flows(rt, flows, runner.Mode.SYNC, on_result=lambda r: monitor(rt, r))
    if args.json:
        for r in results:
            print(json.dumps(r.as_json(), default=cell))
    else:
        print_summary(results)
    return flow_result.exit_code(results)
