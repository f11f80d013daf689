"""What a flow is: what it extracts, which SQL models it runs, and what it plans and pushes (one `Entity` each).

A flow is data, not code: the steps in `afas_mplus.steps` run any flow, and the Dagster assets in
`dagster_project` are generated from the same definitions.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from afas_mplus.settings import Settings
from reverse_etl.spec import PlanSpec

if TYPE_CHECKING:
    from afas_mplus.runtime import Runtime
    from reverse_etl.push import Writer

MODELS_DIR = Path(__file__).resolve().parents[2] / "transforms" / "models"
STAGING_DIR = MODELS_DIR / "staging"  # one model per source entity, shared by the flows (contracts.yml)


@dataclass(frozen=True)
class Entity:
    """One plan + push within a flow, e.g. the article groups of the products flow."""

    name: str
    spec: Callable[[Settings], PlanSpec]
    writer: Callable[[Runtime], Writer]
    # Target resources re-extracted after this entity's push, before the next entity is planned
    # (new article groups get their numbers from MplusKASSA).
    refresh_after_push: tuple[str, ...] = ()
    # The plan-size check (settings.guard) applies: a push that would overwrite or remove much of what the
    # target holds is blocked until a person looked at it.
    guarded: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    direction: str  # "afas->mplus" or "mplus->afas"
    afas_resources: tuple[str, ...]
    mplus_resources: tuple[str, ...]
    model_folders: tuple[str, ...]
    entities: tuple[Entity, ...]
    schedule: str  # cron, Europe/Amsterdam
    params: Callable[[Settings], dict[str, str]]
    settings_tables: Callable[[Settings], dict[str, tuple[dict[str, str], list[tuple[Any, ...]]]]]

    # Resources that run only when a setting says so.
    optional: tuple[tuple[str, Callable[[Settings], bool]], ...] = ()
    # Python run before the models, on what was extracted (tables the models join; see afas_mplus.order_texts).
    prepare: Callable[[Runtime], None] | None = None

    def afas_to_extract(self, settings: Settings) -> tuple[str, ...]:
        off = {name for name, enabled in self.optional if not enabled(settings)}
        return tuple(r for r in self.afas_resources if r not in off)

    @property
    def folders(self) -> list[Path]:
        return [MODELS_DIR / f for f in self.model_folders]


# Placeholders whose value is a user's SQL expression (the data mapper), and the setting it comes from: an
# expression that does not bind is the user's to fix, reported with this name.
USER_EXPRESSIONS = {
    "article_filter": "products.article_filter",
    "debtor_filter": "customers.debtor_filter",
    "order_status_filter": "orders.status_filter",
}


def writer(module: str, name: str) -> Callable[[Runtime], Writer]:
    """A flow's writer, imported when a push needs it (the writers import the API clients)."""

    def make(rt: Runtime) -> Writer:
        return getattr(importlib.import_module(module), name)(rt)

    return make


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
