"""Plan rows as people read them: `field: before → after`, values as users write them (85.24, not
Decimal('85.24')). The CLI and the Dagster plan assets show plans through these same functions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def cell(value: Any) -> str:
    """A value as a user writes it: 85.24, not Decimal('85.24'); JSON for lists and mappings."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, default=cell, ensure_ascii=False)
    return str(value)


def plan_changes(row: Mapping[str, Any]) -> str:
    """One plan row's changes: `field: before → after` (`field=value` for a create; the message for an error)."""
    if row["action"] == "error":
        return f"{row.get('changed_fields') or ''}: {row.get('error_message') or ''}"
    if row["action"] == "held":  # the target refused it: its message and when it is tried again
        return str(row.get("error_message") or "")
    parts = []
    for f in (row.get("changed_fields") or "").split(","):
        if not f:
            continue
        if row["action"] == "create":
            parts.append(f"{f}={cell(row.get(f))}")
        else:
            parts.append(f"{f}: {cell(row.get(f + '__current'))} → {cell(row.get(f))}")
    if row.get("warning"):  # a value the sync had to adapt (an address it could not split, a name it cut)
        parts.append(f"warning: {row['warning']}")
    return "; ".join(parts)


def markdown_table(rows: Iterable[Mapping[str, Any]], columns: list[str] | None = None) -> str:
    """Rows as a Markdown table; `|` and line breaks in values are escaped so a value cannot break it."""
    rows = list(rows)
    if not rows:
        return "nothing to show"
    cols = columns or list(rows[0])

    def esc(v: Any) -> str:
        return cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(esc(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)
