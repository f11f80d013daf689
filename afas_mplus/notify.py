"""Monitoring: tell someone at once when a run has a problem, naming the flow, the records and the fix.

A problem is a push that failed for some rows, a push blocked by the plan-size check, or rows
newly refused by validation. Messages go to the configured webhook as `{"text": ...}` (what
Slack, Teams and Mattermost accept) and to the log; they carry error texts, never credentials.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from afas_mplus.runner import FlowResult
    from afas_mplus.runtime import Runtime

log = logging.getLogger(__name__)
MAX_LINES = 15


def problems(rt: Runtime, result: FlowResult) -> list[str]:
    """What went wrong in one flow's run, one line each, most useful first."""
    lines = [f"push blocked: {b}" for b in result.blocked]
    lines += [f"failed: {line}" for line in grouped_failures(result.errors)]
    if rt.settings.monitoring.notify_on_refused_rows and result.plan.get("error"):
        lines += [f"refused: {r}" for r in new_refusals(rt, result.flow)]
    return lines


def grouped_failures(errors: list[str]) -> list[str]:
    """Failures with the same cause as one line with a count and example records ("flow/entity KEY: cause")."""
    by_cause: dict[str, list[str]] = {}
    for e in errors:
        head, _, cause = e.partition(": ")
        where, _, key = head.rpartition(" ")
        by_cause.setdefault(f"{where}: {cause}" if where else e, []).append(key)
    out = []
    for cause, keys in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        examples = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
        out.append(f"{len(keys)} row(s) — {cause} (records {examples})")
    return out


def new_refusals(rt: Runtime, flow: str) -> list[str]:
    """Validation errors not reported before (so a standing error does not page someone every 5 minutes)."""
    wh = rt.warehouse
    wh.execute("create table if not exists journal.reported_errors (flow varchar, record_key varchar, "
               "field varchar, reported_at timestamp default current_timestamp)")
    table = f"transforms.errors_{flow}"
    schema, name = table.split(".")
    if not wh.table_exists(schema, name):
        return []
    rows = wh.query(
        f"select e.record_key, e.field, e.message from {table} e where not exists (select 1 from "
        f"journal.reported_errors r where r.flow = ? and r.record_key = e.record_key and r.field = e.field) "
        f"order by e.record_key", [flow])
    wh.executemany("insert into journal.reported_errors (flow, record_key, field) values (?, ?, ?)",
                   [(flow, r["record_key"], r["field"]) for r in rows])
    return [f"{r['record_key']} ({r['field']}): {r['message']}" for r in rows]


def message(flow: str, lines: list[str]) -> str:
    shown = lines[:MAX_LINES]
    more = f"\n… and {len(lines) - MAX_LINES} more: afas-mplus sql \"select * from journal.calls where " \
           f"status = 'failed'\"" if len(lines) > MAX_LINES else ""
    return f"afas-mplus {flow}: {len(lines)} problem(s)\n" + "\n".join(f"• {line}" for line in shown) + more


def notify(rt: Runtime, result: FlowResult) -> str | None:
    lines = problems(rt, result)
    if not lines:
        return None
    text = message(result.flow, lines)
    log.warning(text)
    url = rt.settings.monitoring.webhook_url
    if url:
        try:
            httpx.post(url, json={"text": text}, timeout=rt.settings.monitoring.timeout_s).raise_for_status()
        except httpx.HTTPError as exc:  # monitoring must never break the sync itself
            log.error("could not deliver the notification to the webhook: %s", type(exc).__name__)
    return text
