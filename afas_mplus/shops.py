"""Many shops in one deployment: `shops/<name>.yaml`, one file per shop, over the shared settings.

The folder is `shops_dir` (env `SHOPS_DIR`); no folder, or an empty one, is the single-shop set-up of before.
A shop's file holds the same sections as `afas-mplus.yaml` (its AFAS and MplusKASSA endpoints, its mappings,
its schedules); what it leaves out comes from the shared settings, except the endpoints and credentials: those
are each shop's own. Credentials come from the environment, `SHOP_<NAME>_<SECTION>_<FIELD>`:
`SHOP_NORTH_AFAS_TOKEN`, `SHOP_NORTH_MPLUS_IDENT`, `SHOP_NORTH_MPLUS_SECRET` (any other field too).

Each shop keeps its own data: `<data_dir>/shops/<name>/` (its DuckDB warehouse, dlt state, stand-in state,
alerts) or, on PostgreSQL, schemas `<warehouse_schema_prefix><name>_staging`, ... The Dagster instance is
the shared one (`Settings.dagster_home` of the shared settings).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from afas_mplus.config import _model_of, _validation_line, read_yaml, unknown_keys
from afas_mplus.errors import ConfigError, UsageError
from afas_mplus.settings import Settings

SHOP_NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
ENV_PREFIX = "SHOP_"
# Settings of the deployment as a whole: one warehouse, one data dir, one shops folder.
SHARED_ONLY = (
    "data_dir",
    "shops_dir",
    "warehouse_dsn",
    "warehouse_schema_prefix",
    "deployment",
    "shop",
    "dagster_dir",
    "dlt_telemetry",
)
# Never inherited from the shared settings: a shop talks to its own AFAS and MplusKASSA, with its own keys.
OWN = {"afas": ("base_url", "token"), "mplus": ("base_url", "ident", "secret")}


def shop_files(settings: Settings) -> dict[str, Path]:
    """name -> file of every configured shop, sorted by name; empty when no shops are configured."""
    folder = settings.shops_dir
    if folder is None:
        return {}
    if not folder.is_dir():
        raise ConfigError(
            f"shops_dir {folder} is not a folder: create it with one <name>.yaml per shop, or leave "
            f"shops_dir (SHOPS_DIR) empty for a single shop"
        )
    out: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        name = path.stem
        if not SHOP_NAME.match(name):
            raise ConfigError(
                f"{path}: a shop's name (its file name) is lower-case letters, digits and _, "
                f"starting with a letter, at most 16 characters: rename the file"
            )
        if name in out:
            raise ConfigError(f"{path}: shop {name} is configured twice ({out[name].name}): remove one file")
        out[name] = path
    return out


def shop_names(settings: Settings) -> list[str]:
    return list(shop_files(settings))


def unknown_shop(name: str, known: list[str]) -> UsageError:
    if not known:
        return UsageError(
            f"unknown shop {name!r}: no shops are configured (set shops_dir / SHOPS_DIR to a folder "
            f"of <name>.yaml files), or leave out --shop"
        )
    return UsageError(f"unknown shop {name!r}: the shops are {', '.join(known)}")


def shop_settings(base: Settings, name: str) -> Settings:
    """The settings one shop runs with: its file and `SHOP_<NAME>_*` over the shared settings, its own data."""
    files = shop_files(base)
    if name not in files:
        raise unknown_shop(name, list(files))
    path = files[name]
    data, marks = read_yaml(path)
    problems = [f"unknown setting '{key}'{hint}" for key, hint in unknown_keys(data, Settings)]
    problems += [
        f"'{key}' is set for the whole deployment (the shared settings), not per shop"
        for key in data
        if str(key).lower() in SHARED_ONLY
    ]
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems[:3]))
    merged = base.model_dump()
    for section, fields in OWN.items():
        for field in fields:
            merged[section][field] = None
    _deep_merge(merged, {str(k).lower(): v for k, v in data.items()})
    _deep_merge(merged, shop_environment(name))
    merged.update(
        shop=name,
        data_dir=base.data_dir / "shops" / name,
        dagster_dir=base.dagster_home,
        shops_dir=None,
        warehouse_schema_prefix=f"{base.warehouse_schema_prefix}{name}_",
    )
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_validation_line(exc, path, marks)) from None


def shop_environment(name: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """`SHOP_<NAME>_<SECTION>_<FIELD>` variables as nested settings ({"afas": {"token": ...}})."""
    prefix = f"{ENV_PREFIX}{name.upper()}_"
    sections = [
        f
        for f, info in Settings.model_fields.items()
        if f not in SHARED_ONLY and isinstance(info.default_factory, type)
    ]
    out: dict[str, Any] = {}
    for key, value in (os.environ if environ is None else environ).items():
        if not key.upper().startswith(prefix):
            continue
        rest = key[len(prefix) :].lower()
        section = next((s for s in sections if rest.startswith(f"{s}_")), None)
        if section is not None:
            out.setdefault(section, {})[rest[len(section) + 1 :]] = value
    return out


def _deep_merge(into: dict[str, Any], over: dict[str, Any], model: type[BaseModel] = Settings) -> None:
    """`over` into `into`: sections (models) key by key, everything else (a mapping such as
    stock.warehouse_branches included) replaced whole, as a shop's mapping is the shop's own."""
    for key, value in over.items():
        info = model.model_fields.get(key)
        sub = _model_of(info.annotation) if info is not None else None
        if sub is not None and isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value, sub)
        else:
            into[key] = value
