"""The activity log read back: per record, in time order, what came in (`journal.changes`: the plan rows, field
by field, before → after) and what went out (`journal.calls`: the payload sent, the answer, status, duration).
`afas-mplus log` prints it; the Dagster push assets link to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from staging.warehouse import Warehouse

FAILED_CALLS = ("failed", "not_found")


@dataclass
class Event:
    at: datetime
    direction: str  # in (planned from AFAS/MplusKASSA data) | out (a write call)
    flow: str
    entity: str
    record_keys: list[str]
    action: str
    status: str  # in: the plan action ("error" for a refused row); out: ok | failed | confirmed | ...
    fields: list[dict[str, Any]] = field(default_factory=list)  # in: [{"field", "before", "after"}]
    error: str | None = None
    operation: str | None = None
    request: Any = None
    response: Any = None
    duration_ms: float | None = None
    run_id: str | None = None
    changed_fields: str | None = None  # in: the plan's changed_fields (a refused row: the field refused)

    @property
    def failed(self) -> bool:
        return self.status in FAILED_CALLS or self.action == "error"

    def as_json(self) -> dict[str, Any]:
        out = {
            "at": self.at.isoformat() + "Z",
            "direction": self.direction,
            "flow": self.flow,
            "entity": self.entity,
            "records": self.record_keys,
            "action": self.action,
            "status": self.status,
            "run_id": self.run_id,
        }
        if self.direction == "in":
            out.update(fields=self.fields, changed_fields=self.changed_fields)
        else:
            out.update(
                operation=self.operation,
                request=self.request,
                response=self.response,
                duration_ms=None if self.duration_ms is None else round(self.duration_ms, 1),
            )
        if self.error:
            out["error"] = self.error
        return out


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def events(
    wh: Warehouse,
    *,
    record: str | None = None,
    flow: str | None = None,
    since: datetime | None = None,
    failed: bool = False,
    limit: int = 200,
) -> list[Event]:
    """The newest `limit` events matching the filters, oldest first. `since`: naive UTC, as the journal."""
    found: list[Event] = []
    if wh.table_exists("journal", "changes"):
        where, params = ["true"], []
        if record is not None:
            where.append("(record_key = ? or group_key = ?)")
            params += [record, record]
        if flow:
            where.append("flow = ?")
            params.append(flow)
        if since:
            where.append("planned_at >= ?")
            params.append(since)
        if failed:
            where.append("action = 'error'")
        for r in wh.query(
            f"select * from journal.changes where {' and '.join(where)} "
            f"order by planned_at desc limit {int(limit)}",
            params,
        ):
            found.append(
                Event(
                    r["planned_at"],
                    "in",
                    r["flow"],
                    r["entity"],
                    [r["record_key"]],
                    r["action"],
                    r["action"],
                    _json(r["fields"]) or [],
                    r["error"],
                    run_id=r["run_id"],
                    changed_fields=r["changed_fields"],
                )
            )
    if wh.table_exists("journal", "calls"):
        where, params = ["true"], []
        if record is not None:
            where.append("(group_key = ? or list_contains(string_split(record_keys, ','), ?))")
            params += [record, record]
        if flow:
            where.append("flow = ?")
            params.append(flow)
        if since:
            where.append("started_at >= ?")
            params.append(since)
        if failed:
            where.append(f"status in ({', '.join(repr(s) for s in FAILED_CALLS)})")
        for r in wh.query(
            f"select * from journal.calls where {' and '.join(where)} "
            f"order by started_at desc limit {int(limit)}",
            params,
        ):
            found.append(
                Event(
                    r["started_at"],
                    "out",
                    r["flow"],
                    r["entity"],
                    [k for k in (r["record_keys"] or "").split(",") if k],
                    r["action"],
                    r["status"],
                    error=r["error"],
                    operation=r["operation"],
                    request=_json(r["request"]),
                    response=_json(r["response"]),
                    duration_ms=r["duration_ms"],
                    run_id=r["run_id"],
                )
            )
    # "in" before "out" at the same instant: a record is planned before it is sent.
    found.sort(key=lambda e: (e.at, e.direction != "in"))
    return found[-limit:]
