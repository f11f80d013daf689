"""Model files -> dependency graph.

``ModelGraph.load(*folders)`` reads every ``*.sql`` file directly in the folders (one
model per file, name = file stem, lower-case ``[a-z_][a-z0-9_]*``, unique across the
folders), parses it as one DuckDB SELECT, checks it transpiles to PostgreSQL, and
derives its dependencies from the tables it reads (every ``exp.Table`` in joins,
unions, subqueries; names of CTEs visible at that point are not tables):

* bare name of a model, or ``transforms.<model>``  -> dependency (``Model.depends_on``)
* any other schema-qualified name (``staging.x``, ``settings.y``) -> source (``Model.sources``)
* any other bare name -> ``ModelLoadError`` naming the file and the table

``.models`` is in dependency order (ties: ``stg_`` before ``int_`` before the rest, then
by name); a cycle raises ``CycleError`` naming the models in it.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from transforms.errors import CycleError, ModelLoadError, ParameterError, SqlError
from transforms.expressions import placeholder_defaults, render_query
from transforms.sql import MODEL_SCHEMA, _name, table_key, table_references, transpile

__all__ = ["Model", "ModelGraph"]

_MODEL_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_LAYER_RANK = {"stg": 0, "int": 1}


@dataclass(frozen=True)
class Model:
    """One SQL model: ``sql`` is the file text (placeholders unrendered)."""

    name: str
    path: Path
    sql: str
    depends_on: frozenset[str]
    sources: frozenset[str]
    placeholders: Mapping[str, str | None] = field(default_factory=dict, compare=False, hash=False)

    @property
    def layer(self) -> str:
        """Name prefix before the first ``_`` (``stg``, ``int``, ``desired``, ...)."""
        return self.name.split("_", 1)[0]


@dataclass
class _Parsed:
    path: Path
    sql: str
    placeholders: dict[str, str | None]
    bare: set[str]  # bare table names (must be models)
    model_refs: set[str]  # transforms.<name>
    sources: set[str]


def _model_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ModelLoadError(folder, "model folder does not exist")
    paths = sorted(folder.glob("*.sql"))
    for path in paths:
        if not _MODEL_NAME.match(path.stem):
            raise ModelLoadError(path, f"model name {path.stem!r} must match [a-z_][a-z0-9_]*")
    return paths


def _parse_file(path: Path, check_portability: bool, text: str | None = None) -> _Parsed:
    sql = path.read_text(encoding="utf-8") if text is None else text
    name = path.stem
    try:
        placeholders = placeholder_defaults(sql, source=name)
        query = render_query(sql, missing="null")  # defaults validated; no default -> null
        transpile(query, "duckdb")
        transpile(query, "postgres", check_portability=check_portability)
    except (ParameterError, SqlError) as e:
        raise ModelLoadError(path, str(e).replace("model <sql>: ", "")) from e
    bare: set[str] = set()
    model_refs: set[str] = set()
    sources: set[str] = set()
    for table in table_references(query):
        db = _name(table.args.get("db")) if table.args.get("db") else ""
        if not db and not table.args.get("catalog"):
            bare.add(_name(table.this))
        elif db == MODEL_SCHEMA and not table.args.get("catalog"):
            model_refs.add(_name(table.this))
        else:
            sources.add(table_key(table))
    return _Parsed(path, sql, placeholders, bare, model_refs, sources)


class ModelGraph:
    """Models in dependency order, with direct up/downstream lookups."""

    def __init__(self, models: Iterable[Model], *, check_portability: bool = True) -> None:
        self.check_portability = check_portability
        by_name: dict[str, Model] = {}
        for m in models:
            if m.name in by_name:
                raise ModelLoadError(m.path, f"duplicate model name {m.name!r} (also {by_name[m.name].path})")
            by_name[m.name] = m
        for m in by_name.values():
            if missing := sorted(m.depends_on - by_name.keys()):
                raise ModelLoadError(m.path, f"depends on unknown model(s) {', '.join(missing)}")
        self._by_name = by_name
        self.models: list[Model] = self._sort(by_name)
        self._downstream: dict[str, set[str]] = {n: set() for n in by_name}
        for m in self.models:
            for dep in m.depends_on:
                self._downstream[dep].add(m.name)
        self._index = {m.name: i for i, m in enumerate(self.models)}

    @classmethod
    def load(
        cls,
        *folders: str | Path,
        check_portability: bool = True,
        library: Iterable[str | Path] = (),
        overrides: Mapping[str, tuple[Path, str]] | None = None,
    ) -> ModelGraph:
        """Load every ``*.sql`` file directly in ``folders`` (combined into one graph).

        ``library``: folders of shared models (``transforms/models/staging``), of which only those the
        loaded models read (directly or through other library models) join the graph. ``overrides``: model
        name -> (file, SQL) replacing the library model of that name (a user's data mapping, as it runs).
        ``check_portability=False`` skips the DuckDB-to-PostgreSQL portability rules (not the
        sqlglot transpile itself); use it only for models that never run on PostgreSQL.
        """
        parsed: dict[str, _Parsed] = {}
        for folder in map(Path, folders):
            for path in _model_files(folder):
                if path.stem in parsed:
                    raise ModelLoadError(
                        path, f"duplicate model name {path.stem!r} (also {parsed[path.stem].path})"
                    )
                parsed[path.stem] = _parse_file(path, check_portability)
        shared: dict[str, tuple[Path, str | None]] = {}
        for folder in map(Path, library):
            for path in _model_files(folder):
                shared.setdefault(path.stem, (path, None))
        shared.update(overrides or {})
        wanted = [ref for p in parsed.values() for ref in sorted(p.bare | p.model_refs)]
        while wanted:
            ref = wanted.pop()
            if ref in parsed or ref not in shared:
                continue
            path, text = shared[ref]
            parsed[ref] = _parse_file(path, check_portability, text)
            wanted.extend(sorted(parsed[ref].bare | parsed[ref].model_refs))
        defaults: dict[str, tuple[str, Path]] = {}
        models = []
        for name, p in parsed.items():
            for ref in sorted((p.bare | p.model_refs) - parsed.keys()):
                where = f"{MODEL_SCHEMA}.{ref}" if ref in p.model_refs else ref
                raise ModelLoadError(
                    p.path,
                    f"unknown table {where!r}: not a model in the loaded folders; "
                    "qualify sources with their schema (staging.<table>, settings.<table>)",
                )
            for ph, default in p.placeholders.items():
                if default is None:
                    continue
                if ph in defaults and defaults[ph][0] != default:
                    raise ModelLoadError(
                        p.path, f"placeholder {ph!r}: default {default!r} conflicts with {defaults[ph][1]}"
                    )
                defaults.setdefault(ph, (default, p.path))
            deps = frozenset(p.bare | p.model_refs)
            models.append(
                Model(name, p.path, p.sql, deps, frozenset(p.sources), MappingProxyType(p.placeholders))
            )
        return cls(models, check_portability=check_portability)

    @staticmethod
    def _sort(by_name: dict[str, Model]) -> list[Model]:
        def key(m: Model) -> tuple[int, str]:
            return _LAYER_RANK.get(m.layer, 2), m.name

        waiting = {n: set(m.depends_on) for n, m in by_name.items()}
        ready = [key(m) for n, m in by_name.items() if not waiting[n]]
        heapq.heapify(ready)
        order: list[Model] = []
        while ready:
            _, name = heapq.heappop(ready)
            order.append(by_name[name])
            for other, deps in waiting.items():
                if name in deps:
                    deps.discard(name)
                    if not deps:
                        heapq.heappush(ready, key(by_name[other]))
        if len(order) < len(by_name):
            cycle = _find_cycle({n: d for n, d in waiting.items() if d})
            raise CycleError(cycle, [by_name[n].path for n in cycle[:-1]])
        return order

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.models]

    @property
    def parameters(self) -> dict[str, str | None]:
        """Every placeholder of the graph -> its default (``None``: a value must be given)."""
        out: dict[str, str | None] = {}
        for m in self.models:
            for ph, default in m.placeholders.items():
                out[ph] = out.get(ph) or default
        return out

    def __getitem__(self, name: str) -> Model:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Model]:
        return iter(self.models)

    def __len__(self) -> int:
        return len(self.models)

    def upstream(self, name: str, *, transitive: bool = False) -> list[str]:
        """Models ``name`` reads (directly, or all ancestors), in graph order."""
        return self._walk(name, lambda n: self._by_name[n].depends_on, transitive)

    def downstream(self, name: str, *, transitive: bool = False) -> list[str]:
        """Models that read ``name`` (directly, or all descendants), in graph order."""
        return self._walk(name, lambda n: self._downstream[n], transitive)

    def _walk(self, name: str, step: Callable[[str], Iterable[str]], transitive: bool) -> list[str]:
        if name not in self._by_name:
            raise KeyError(f"unknown model {name!r}")
        seen: set[str] = set()
        todo = [name]
        while todo:
            for nxt in step(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    if transitive:
                        todo.append(nxt)
        return sorted(seen, key=self._index.__getitem__)

    def __repr__(self) -> str:
        return f"ModelGraph({', '.join(self.names)})"


def _find_cycle(waiting: dict[str, set[str]]) -> list[str]:
    """One cycle among models whose dependencies never resolved, e.g. ``[a, b, a]``."""
    node = min(waiting)
    path: list[str] = []
    while node not in path:
        path.append(node)
        node = min(d for d in waiting[node] if d in waiting)
    return [*path[path.index(node) :], node]
