"""The data mapper: a user's `.sql` files (settings `mapping.folder`), each replacing the shared staging model
of its name (transforms/models/staging, contracts in contracts.yml). Checked before anything runs
(transforms.mapping_check); a problem is one line naming the file, line and column.

The connectors a mapping reads are declared in `afas.extra_connectors` (pipelines.afas.resources) and extracted
by every flow whose models read them; the standard connector a mapping replaces is then no longer read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlglot import exp

from afas_mplus.errors import ConfigError
from afas_mplus.flows.base import STAGING_DIR
from transforms.contracts import load_contracts
from transforms.mapping_check import MappingProblem, check_mapping, parse_mapping, wrap


def mapping_folder(settings: Any) -> Path | None:
    folder = getattr(getattr(settings, "mapping", None), "folder", None)
    return None if folder is None else Path(folder).expanduser().resolve()


def mapping_files(settings: Any) -> dict[str, Path]:
    """Staging model name -> the user's file replacing it. A file named after no staging model is refused
    (a typo would silently leave the standard model in place)."""
    folder = mapping_folder(settings)
    if folder is None:
        return {}
    if not folder.is_dir():
        raise ConfigError(
            f"setting mapping.folder: {folder} is not a folder; create it or correct the setting"
        )
    known = {p.stem for p in STAGING_DIR.glob("*.sql")}
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.sql")):
        if path.stem not in known:
            raise ConfigError(
                f"{path}:1:1: no staging model is named {path.stem}; name the file after the model "
                f"it replaces ({', '.join(sorted(known))})"
            )
        out[path.stem] = path
    return out


def raise_problems(problems: Iterable[MappingProblem]) -> None:
    found = list(problems)
    if found:
        more = f" (and {len(found) - 1} more: `afas-mplus mapping check`)" if len(found) > 1 else ""
        raise ConfigError(f"{found[0]}{more}")


def mapping_problems(
    settings: Any, staged: Mapping[str, set[str] | None] | None = None, only: Iterable[str] | None = None
) -> list[MappingProblem]:
    """Problems of the user's mappings (`only`: of these models)."""
    contracts = load_contracts()
    wanted = None if only is None else set(only)
    out: list[MappingProblem] = []
    for name, path in mapping_files(settings).items():
        if wanted is not None and name not in wanted:
            continue
        out += check_mapping(path, path.read_text(encoding="utf-8"), contracts[name], staged)
    return out


def mapping_overrides(settings: Any) -> dict[str, tuple[Path, str]]:
    """The user's mappings as they run (cast to their contracts), after the checks that need no connector."""
    if settings is None:
        return {}
    raise_problems(mapping_problems(settings))
    contracts = load_contracts()
    return {
        name: (path, wrap(path.read_text(encoding="utf-8"), contracts[name]))
        for name, path in mapping_files(settings).items()
    }


def mapped_sources(settings: Any) -> dict[str, set[str]]:
    """Staging model name -> the staging tables the user's mapping reads."""
    out: dict[str, set[str]] = {}
    for name, path in mapping_files(settings).items():
        query, _ = parse_mapping(path, path.read_text(encoding="utf-8"))
        out[name] = {
            t.name for t in (query.find_all(exp.Table) if query is not None else ()) if t.db == "staging"
        }
    return out
