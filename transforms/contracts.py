"""The contracts of the shared staging models (transforms/models/staging/contracts.yml): columns, types, grain.

A flow model reads a staging model's contract columns only; a user's data mapping (a `.sql` file replacing a
staging model) must output exactly these columns, `required: false` ones possibly as `null`. The grain is
checked after every run of the model (transforms.runner: a duplicate stops the run, naming the key)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONTRACTS_FILE = Path(__file__).resolve().parent / "models" / "staging" / "contracts.yml"


@dataclass(frozen=True)
class ContractColumn:
    name: str
    type: str
    required: bool = True


@dataclass(frozen=True)
class Contract:
    model: str
    source: str  # the staging table the standard model reads
    grain: tuple[str, ...]
    columns: tuple[ContractColumn, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ContractColumn | None:
        return next((c for c in self.columns if c.name == name), None)


def _contract(model: str, spec: dict[str, Any]) -> Contract:
    columns = tuple(
        ContractColumn(name, str(c["type"]), bool(c.get("required", True)))
        for name, c in (spec.get("columns") or {}).items()
    )
    return Contract(model, str(spec["source"]), tuple(spec.get("grain") or ()), columns)


@functools.cache
def load_contracts(path: Path = CONTRACTS_FILE) -> dict[str, Contract]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {model: _contract(model, spec) for model, spec in data.items()}


def grains() -> dict[str, tuple[str, ...]]:
    """Model -> the columns its rows are unique on."""
    return {name: c.grain for name, c in load_contracts().items() if c.grain}
