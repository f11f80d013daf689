"""The data mapper: a user's `.sql` files (settings `mapping.folder`), each replacing the shared staging model
of its name, checked before anything runs (transforms.mapping_check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from afas_mplus.errors import ConfigError
from afas_mplus.flows import STAGING_DIR


def mapping_folder(settings: Any) -> Path | None:
    folder = getattr(getattr(settings, "mapping", None), "folder", None)
    if folder is None:
        return None
    folder = Path(folder).expanduser()
    if not folder.is_absolute() and getattr(settings, "data_dir", None) is not None:
        folder = Path.cwd() / folder
    return folder


def mapping_overrides(settings: Any) -> dict[str, Path]:
    """Staging model name -> the user's file replacing it. A file named after no staging model is refused
    (a typo would silently leave the standard model in place)."""
    folder = mapping_folder(settings)
    if folder is None:
        return {}
    if not folder.is_dir():
        raise ConfigError(f"setting mapping.folder: {folder} is not a folder; create it or correct the setting")
    known = {p.stem for p in STAGING_DIR.glob("*.sql")}
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.sql")):
        if path.stem not in known:
            raise ConfigError(f"{path}:1:1: no staging model is named {path.stem}; name the file after the model "
                              f"it replaces ({', '.join(sorted(known))})")
        out[path.stem] = path
    return out
