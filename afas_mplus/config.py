"""Loading the settings the way a user expects: a mistake in the YAML file is one line naming file, line and
key, with the nearest valid name when a key is unknown; a config file that was named but does not exist is an
error, never a silent run on defaults.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from afas_mplus.errors import ConfigError
from afas_mplus.settings import CONFIG_FILE, Settings

CONFIG_ENV = "AFAS_MPLUS_CONFIG"
DEFAULT_FILE = "afas-mplus.yaml"
# Keys that moved: a config written for an earlier version gets the new name, not "unknown key".
MOVED = {
    "products.max_change_share": "guard.max_change_share",
    "products.first_sync_allows_all": "guard.min_changes (creates are never blocked now)",
}


def config_path(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The settings file and whether the user named it (a named file must exist; the default may not)."""
    if explicit:
        return Path(explicit), True
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]), True
    return Path(DEFAULT_FILE), False


def load_settings(config: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Settings from the YAML file, the environment and `overrides`; `ConfigError` (one line) on a mistake."""
    path, named = config_path(config)
    if named and not path.is_file():
        raise ConfigError(
            f"config file {path} does not exist: fix the path, or create it with `afas-mplus init`"
        )
    marks: dict[tuple[str, ...], int] = {}
    if path.is_file():
        data, marks = read_yaml(path)
        problems = unknown_keys(data, Settings)
        if problems:
            shown = []
            for key, hint in problems[:3]:
                line = marks.get(tuple(key.split(".")))
                shown.append(
                    f"{path}:{line}: unknown setting '{key}'{hint}"
                    if line
                    else f"{path}: unknown setting '{key}'{hint}"
                )
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise ConfigError("; ".join(shown) + more)
    token = CONFIG_FILE.set(path)  # the settings source reads the file validated here
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_validation_line(exc, path if path.is_file() else None, marks)) from None
    finally:
        CONFIG_FILE.reset(token)


def read_yaml(path: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """The file's mapping and the line of every key in it (1-based)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: expected a mapping of settings (section: ...), found {type(data).__name__}"
        )
    marks: dict[tuple[str, ...], int] = {}

    def walk(n: Any, prefix: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = (*prefix, str(k.value))
                marks[key] = k.start_mark.line + 1
                walk(v, key)

    walk(node, ())
    return data, marks


def unknown_keys(data: dict[str, Any], model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, hint) for every key the settings do not have; dict-valued settings take any key."""
    out: list[tuple[str, str]] = []
    fields = model.model_fields
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        name = str(key).lower()
        if name not in fields:
            if dotted in MOVED:
                hint = f": it moved to {MOVED[dotted]}"
            else:
                near = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
                hint = (
                    f": did you mean '{prefix}{near[0]}'?"
                    if near
                    else f"; valid here: {', '.join(sorted(fields))}"
                )
            out.append((dotted, hint))
            continue
        sub = _model_of(fields[name].annotation)
        if sub is not None and isinstance(value, dict):
            out += unknown_keys(value, sub, f"{dotted}.")
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _model_of(arg)
            if found is not None and get_origin(annotation) is not dict:
                return found
    return None


def _validation_line(exc: ValidationError, path: Path | None, marks: dict[tuple[str, ...], int]) -> str:
    first = exc.errors()[0]
    loc = tuple(str(p) for p in first["loc"])
    key = ".".join(loc)
    line = next((marks[loc[:i]] for i in range(len(loc), 0, -1) if loc[:i] in marks), None)
    if path is not None and line is not None:
        where = f"{path}:{line}: "
    else:
        env = "_".join(loc[:2]).upper() if len(loc) > 1 else loc[0].upper()
        where = f"setting {key} (environment variable {env} or the config file): "
    value = first.get("input")
    secret = any(word in key.lower() for word in ("token", "secret", "ident", "password"))
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) and not secret else ""
    more = f"; {exc.error_count() - 1} more problem(s)" if exc.error_count() > 1 else ""
    return f"{where}{key}: {first['msg']}{shown}{more}"
