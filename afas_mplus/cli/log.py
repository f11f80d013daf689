"""`afas-mplus log`: what happened to a record, in time order: what came in and what was sent, with the answer."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from afas_mplus.cli.common import flow_names, settings_of
from afas_mplus.cli.display import say
from afas_mplus.errors import ExitCode, UsageError
from reverse_etl.activity import events
from staging.warehouse import Warehouse

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_RELATIVE = re.compile(r"^(\d+)\s*([dhm])$")
PAYLOAD_CHARS = (
    2000  # a payload longer than this is cut in the text output (--json and --record show it whole)
)


def add_parser(command) -> None:  # noqa: ANN001 - build_parser's `command`
    s = command("log", "the activity log: per record, what came in and what was sent, in time order", cmd_log)
    s.add_argument("--record", metavar="KEY", help="one record: an article number, debtor id, order id, ...")
    s.add_argument("--flow", help="only this flow")
    s.add_argument(
        "--since",
        metavar="WHEN",
        help="from this time on: 2026-11-01, 2026-11-01T08:00 (Europe/Amsterdam) or 7d, 12h, 30m ago",
    )
    s.add_argument("--failed", action="store_true", help="only refused rows and failed writes")
    s.add_argument("--limit", type=int, default=200, help="newest events shown (default 200)")
    s.add_argument("--json", action="store_true", help="one JSON object per event")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """Naive UTC (the journal's clock) from a local date/time or an age like 7d."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.match(text.strip())
    if match:
        n, unit = int(match.group(1)), match.group(2)
        delta = {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]
        return (now - delta).astimezone(UTC).replace(tzinfo=None)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since {text!r}: give a date (2026-11-01), a time (2026-11-01T08:00) or an age (7d, 12h, 30m)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=AMSTERDAM)
    return when.astimezone(UTC).replace(tzinfo=None)


def _local(at: datetime) -> str:
    return at.replace(tzinfo=UTC).astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S")


def _value(v: object) -> str:
    return "∅" if v is None else json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v)


def _payload(v: object, whole: bool) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return text if whole or len(text) <= PAYLOAD_CHARS else text[:PAYLOAD_CHARS] + " …"


def cmd_log(args: argparse.Namespace) -> int:
    if args.flow:
        flow_names([args.flow])
    if args.limit < 1:
        raise UsageError(f"--limit {args.limit}: give at least 1")
    since = parse_since(args.since) if args.since else None
    settings = settings_of(args)
    if not settings.staging_path.exists():
        say(f"no activity yet: {settings.staging_path} does not exist (run `afas-mplus sync` first)")
        return ExitCode.OK
    wh = Warehouse(settings.staging_path, wait_s=float(args.wait or 0), holder="afas-mplus log")
    try:
        found = events(
            wh, record=args.record, flow=args.flow, since=since, failed=args.failed, limit=args.limit
        )
    finally:
        wh.close()
    if args.json:
        for e in found:
            print(json.dumps(e.as_json(), ensure_ascii=False, default=str))
        return ExitCode.OK
    if not found:
        say("no activity matches" + (f" record {args.record}" if args.record else ""), stderr=False)
        return ExitCode.OK
    whole = args.record is not None
    for e in found:
        who = f"{e.flow}/{e.entity} {','.join(e.record_keys[:5])}{' …' if len(e.record_keys) > 5 else ''}"
        if e.direction == "in":
            head = f"{_local(e.at)}  in   {who}  {e.action}"
            say(head, "red" if e.action == "error" else None, stderr=False)
            for f in e.fields:
                say(f"      {f['field']}: {_value(f.get('before'))} → {_value(f.get('after'))}", stderr=False)
            if e.error:
                say(f"      refused (field {e.changed_fields}): {e.error}", "red", stderr=False)
            continue
        ms = f"{e.duration_ms:.0f} ms" if e.duration_ms is not None else ""
        say(
            f"{_local(e.at)}  out  {who}  {e.action} {e.operation} → {e.status} {ms}".rstrip(),
            "red" if e.failed else None,
            stderr=False,
        )
        if e.request is not None:
            say(f"      sent: {_payload(e.request, whole)}", stderr=False)
        if e.response is not None:
            say(f"      answer: {_payload(e.response, whole)}", stderr=False)
        if e.error:
            say(f"      error: {e.error}", "red", stderr=False)
    return ExitCode.OK
