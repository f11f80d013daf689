"""What every command shares: the settings it runs with and the runtime it opens."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from afas_mplus.config import load_settings
from afas_mplus.errors import UsageError
from afas_mplus.flows import FLOWS
from afas_mplus.runtime import Runtime
from afas_mplus.settings import Settings
from afas_mplus.shops import shop_names, shop_settings

# Commands that work on the deployment as a whole, not on one shop's data.
_DEPLOYMENT_COMMANDS = ("init", "simulate", "ui", "bench")


def deployment_settings_of(args: argparse.Namespace) -> Settings:
    """The shared settings (`--config`, `--data-dir`), whatever shops are configured."""
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return load_settings(getattr(args, "config", None), **overrides)


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings of the run; with shops configured (shops_dir), those of the shop `--shop` names."""
    settings = deployment_settings_of(args)
    shop = getattr(args, "shop", None)
    if shop:
        return shop_settings(settings, shop)
    if getattr(args, "cmd", None) not in _DEPLOYMENT_COMMANDS and settings.shops_dir is not None:
        names = shop_names(settings)
        if names:
            raise UsageError(f"several shops are configured: give --shop NAME, one of {', '.join(names)}")
    return settings


def open_runtime(args: argparse.Namespace, settings: Settings | None = None) -> Runtime:
    """The run's runtime; a warehouse held by another process is waited for `--wait` seconds, then refused."""
    what = [
        getattr(args, "cmd", None) or "",
        *(getattr(args, "flows", None) or []),
        getattr(args, "flow", ""),
    ]
    holder = " ".join(["afas-mplus", *(w for w in what if w)])
    return Runtime.open(
        settings or settings_of(args), wait_s=float(getattr(args, "wait", 0) or 0), holder=holder
    )


def flow_names(names: Sequence[str]) -> list[str]:
    """Known flows, in the order their data depends on (the order of FLOWS), whatever order they were given."""
    unknown = [n for n in names if n not in FLOWS]
    if unknown:
        raise UsageError(f"unknown flow(s) {', '.join(unknown)}: the flows are {', '.join(FLOWS)}")
    return [n for n in FLOWS if n in names] if names else list(FLOWS)
