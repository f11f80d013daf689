"""An answer of `afas-mplus sql` as a user reads it: a table (or psql-style records when it does not fit), CSV,
JSON lines or Markdown; values literally (no rich markup, no emoji codes), Decimals as `85.24`. The
PostgreSQL console (afas_mplus.sql_postgres) renders its cursor the same way."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal, TextIO
from uuid import UUID

import duckdb
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

Format = Literal["table", "csv", "json", "markdown"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")


def _rows(cur: duckdb.DuckDBPyConnection, limit: int | None, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
    n = 0
    while limit is None or n < limit:
        size = batch if limit is None else min(batch, limit - n)
        chunk = cur.fetchmany(size)
        if not chunk:
            return
        n += len(chunk)
        yield from chunk


def render_cursor(
    cur: duckdb.DuckDBPyConnection, *, fmt: str, limit: int | None, width: int | None, out: TextIO
) -> str:
    """Write the result to `out`; return a note for stderr (rows left out, statement done)."""
    if cur.description is None:  # CREATE, DROP, ...: nothing to show
        return "done"
    columns = [d[0] for d in cur.description]
    rows = _rows(cur, limit)
    shown = 0
    if fmt == "json":
        for row in rows:
            out.write(
                json.dumps(dict(zip(columns, row, strict=True)), default=_json_default, ensure_ascii=False)
            )
            out.write("\n")
            shown += 1
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else text_of(v) for v in row])
            shown += 1
    else:
        table_rows = [tuple(text_of(v, null="NULL") for v in row) for row in rows]
        shown = len(table_rows)
        out.write(
            render_markdown(columns, table_rows)
            if fmt == "markdown"
            else render_table(columns, table_rows, width=width)
        )
    more = limit is not None and shown == limit and bool(cur.fetchmany(1))
    if more:
        return f"only the first {shown} row{'s' if shown != 1 else ''} shown; raise --limit to see more"
    return f"({shown} row{'s' if shown != 1 else ''})" if fmt in ("table", "markdown") else ""


def text_of(value: Any, *, null: str = "") -> str:
    """A value as a user reads it: 85.24 (never Decimal('85.24')), dates ISO, lists and structs as JSON."""
    if value is None:
        return null
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dict | list | tuple):
        return _nested(value)
    return str(value)


def _nested(value: Any) -> str:
    """A LIST / STRUCT / MAP as JSON-like text, its numbers bare (`[85.24, 1.50]`, not `["85.24", ...]`)."""
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_nested(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return text_of(value)


def _json_default(value: Any) -> Any:
    # Money stays exact: a JSON number would be read back as a float by most tools.
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta | UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    return str(value)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None) -> str:
    """A table when every value fits whole within `width`; otherwise one vertical record per row.

    Values are never cut or squeezed: a `select *` of 20 columns on an 80-column terminal becomes
    `column | value` records (like psql's \\x) instead of 20 columns of three letters each.
    """
    if not columns:
        return ""
    natural = sum(max([cell_len(c), *(_widest_line(r[i]) for r in rows)]) for i, c in enumerate(columns))
    natural += 3 * len(columns)  # padding and the gap between columns
    if width is not None and natural > width + 3:
        return render_records(columns, rows)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    for c in columns:
        table.add_column(Text(c), no_wrap=True, overflow="ignore")
    for r in rows:
        table.add_row(*(Text(v) for v in r))
    console = Console(
        file=io.StringIO(),
        width=natural + 8,
        color_system=None,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=False,
        soft_wrap=False,
    )
    with console.capture() as capture:
        console.print(table)
    lines = [line.rstrip() for line in capture.get().splitlines()]
    if width is not None and max(cell_len(line) for line in lines) > width:
        return render_records(columns, rows)
    return "\n".join(lines) + "\n"


def render_records(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """psql-style expanded output: `-[ RECORD n ]-` then `column | value`, continuation lines indented."""
    label = max(cell_len(c) for c in columns)
    lines: list[str] = []
    for n, row in enumerate(rows, 1):
        lines.append(f"-[ RECORD {n} ]" + "-" * max(0, label - 10))
        for c, v in zip(columns, row, strict=True):
            first, *rest = v.split("\n") or [""]
            pad = " " * (label - cell_len(c))
            lines.append(f"{c}{pad} | {first}")
            lines.extend(f"{' ' * label} | {more}" for more in rest)
    return "\n".join(lines) + ("\n" if lines else "")


def render_markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(v: str) -> str:
        return v.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _widest_line(value: str) -> int:
    return max((cell_len(line) for line in value.split("\n")), default=0)
