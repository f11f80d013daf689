"""`afas-mplus mapping check` and `afas-mplus mapping preview NAME`: the user's data mappings (mapping.folder)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from rich.table import Table

from afas_mplus import steps
from afas_mplus.cli.common import open_runtime, settings_of
from afas_mplus.cli.display import out, say
from afas_mplus.errors import ExitCode, UsageError
from afas_mplus.mapping import mapped_sources, mapping_files, mapping_overrides, mapping_problems
from pipelines.afas.resources import catalog, resources_from_config
from transforms.graph import Model, ModelGraph
from transforms.runner import compile_model


def add_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    s = command(
        "mapping",
        "the data mapper: check the .sql files in mapping.folder, or preview one's rows",
        cmd_mapping,
    )
    s.add_argument("action", choices=("check", "preview"))
    s.add_argument("name", nargs="?", help="preview: the staging model, e.g. stg_afas__items")
    s.add_argument("--limit", type=int, default=10, help="rows shown by preview (default 10)")


def cmd_mapping(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    if args.action == "check":
        problems = mapping_problems(settings)
        for p in problems:
            say(str(p), stderr=False)
        if not problems:
            say(f"{len(mapping_files(settings))} mapping(s) ok", stderr=False)
        return ExitCode.CONFIG if problems else ExitCode.OK
    return _preview(args, settings)


def _preview(args: argparse.Namespace, settings: Any) -> int:
    overrides = mapping_overrides(settings)
    if args.name not in overrides:
        known = ", ".join(overrides) or "none: set mapping.folder"
        raise UsageError(f"no mapping named {args.name!r} (mappings: {known})")
    with open_runtime(args, settings) as rt:
        known = catalog(resources_from_config(settings.afas.extra_connectors))
        read = tuple(t for t in sorted(mapped_sources(settings)[args.name]) if t in known)
        steps.extract_afas(rt, read, "mapping")  # what the mapping reads, as a sync would stage it
        steps.check_mappings(rt)
        path, sql = overrides[args.name]
        graph = ModelGraph([_model(args.name, path, sql)])
        query = compile_model(
            graph[args.name], graph, dialect=rt.warehouse.dialect, **rt.warehouse.model_schemas()
        )
        rows = rt.warehouse.query(f"select * from ({query}) as preview limit {int(args.limit)}")
    say(f"{args.name} ({path}): first {len(rows)} row(s)", stderr=False)
    for i, r in enumerate(rows, 1):  # one table per row: a contract is wider than a terminal
        t = Table(title=f"row {i}", show_header=False)
        t.add_column("column")
        t.add_column("value", overflow="fold")
        for col, v in r.items():
            t.add_row(col, "" if v is None else str(v))
        out.print(t)
    if not rows:
        say("the mapping produces no rows")
    return ExitCode.OK


def _model(name: str, path: Any, sql: str) -> Any:
    return Model(name, path, sql, frozenset(), frozenset())
