"""What the CLI shows: values as users write them, data never read as markup, tables that stay readable.

Both consoles have markup, emoji and highlighting off: a product called `Jurk [maat 38] :x: [/]` prints as
it is. Colour comes from `style=` arguments only, never from text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from reverse_etl.plan_view import cell, plan_changes

__all__ = ["cell", "err", "out", "plan_table", "print_summary", "say", "summary_table"]

_PLAIN = {"markup": False, "emoji": False, "highlight": False}
# Messages are one line each, never wrapped at the terminal's width: scripts and log collectors read them.
err = Console(stderr=True, soft_wrap=True, **_PLAIN)  # type: ignore[arg-type]
# Piped output (CI logs, `| less`) gets a readable width instead of rich's 80-column fallback.
out = Console(width=None if Console().is_terminal else 160, **_PLAIN)  # type: ignore[arg-type]


def say(text: str, style: str | None = None, *, stderr: bool = True) -> None:
    (err if stderr else out).print(Text(text, style=style or ""), soft_wrap=True)


def plan_table(rows: Iterable[Mapping[str, Any]], width: int = 400) -> Table:
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("record", "action", "changes"):
        t.add_column(col, overflow="fold")
    for r in rows:
        text = plan_changes(r)
        t.add_row(
            cell(r["record_key"]), str(r["action"]), text if len(text) <= width else text[:width] + " …"
        )
    return t


def summary_table(results: Sequence[Any]) -> Table:
    t = Table(title="sync summary", box=box.SIMPLE_HEAD, pad_edge=False)
    # Short headers and no borders: the table must fit an 80-column terminal.
    for col in (
        "flow",
        "read",
        "create",
        "update",
        "deact.",
        "same",
        "error",
        "sent",
        "failed",
        "writes",
        "secs",
    ):
        t.add_column(col, justify="right" if col != "flow" else "left", no_wrap=True)
    for r in results:
        t.add_row(
            r.flow if r.status == "ok" else f"{r.flow} (failed)",
            str(sum(r.extracted.values())),
            *(str(r.plan.get(k, 0)) for k in ("create", "update", "deactivate", "unchanged", "error")),
            str(r.pushed_ok),
            str(r.pushed_failed),
            str(r.write_calls),
            f"{r.seconds:.1f}",
        )
    return t


def print_summary(results: Sequence[Any]) -> None:
    out.print(summary_table(results))
    for r in results:
        if r.error:
            say(f"{r.flow} failed: {r.error}", "red", stderr=False)
        for b in r.blocked:
            say(f"blocked: {b}", "red", stderr=False)
        for d in r.drifted:
            say(f"drifted: {d}", "red", stderr=False)
        for e in r.errors[:20]:
            say(f"failed: {e}", "red", stderr=False)
        if r.plan.get("held"):
            say(
                f"{r.flow}: {r.plan['held']} rows held after the target refused them; `afas-mplus plan {r.flow}` "
                f"shows why, `afas-mplus retry {r.flow}` sends them again now",
                stderr=False,
            )
        if r.plan.get("error"):
            say(
                f"{r.flow}: {r.plan['error']} rows refused by validation; see `afas-mplus plan {r.flow}` or "
                f'`afas-mplus sql "select * from transforms.errors_{r.flow}"`',
                stderr=False,
            )
