"""A flow's SQL models as one graph: its own folders, the shared staging models they read, and the user's data
mappings in place of the staging models they replace."""

from __future__ import annotations

import functools
from typing import Any

from afas_mplus.flows.base import STAGING_DIR, Flow
from afas_mplus.mapping import mapping_overrides
from transforms.graph import ModelGraph


def model_graph(flow: Flow, settings: Any = None) -> Any:
    """The flow's models, with the shared staging models they read (a user's data mapping replaces one).
    Parsed once per process and mapping content (sqlglot parsing the orders models takes a second or more)."""
    overrides = tuple((name, path, sql) for name, (path, sql) in sorted(mapping_overrides(settings).items()))
    return _load_graph(tuple(flow.folders), overrides)


@functools.lru_cache(maxsize=64)
def _load_graph(folders: tuple[Any, ...], overrides: tuple[tuple[str, Any, str], ...]) -> Any:
    return ModelGraph.load(
        *folders, library=[STAGING_DIR], overrides={n: (p, sql) for n, p, sql in overrides}
    )
