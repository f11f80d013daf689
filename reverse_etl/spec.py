"""What a flow's diff compares: the contract between its SQL models and the generic plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")

ACTIONS = ("create", "update", "deactivate", "delete", "unchanged", "error")


@dataclass(frozen=True)
class PlanSpec:
    """One entity of one flow.

    `desired` and `current` are tables with the same columns: `record_key`, `group_key`
    (writes are grouped by it: one call per product, per relation, per article...),
    the compared `fields` and, where the target never deletes, an `active` flag.
    `errors` is a table (record_key, field, message) of rows that must not be pushed.
    """

    flow: str
    entity: str
    desired: str
    current: str
    fields: tuple[str, ...]
    errors: str | None = None
    create_only: frozenset[str] = field(default_factory=frozenset)
    active_field: str | None = None
    # Desired rows that are inactive and absent from the target are not created.
    create_inactive: bool = False
    # Target rows with no desired row: left alone ("unmanaged") unless the flow removes them.
    delete_missing: bool = False
    # Desired columns the writer needs but the diff does not compare (branch, article number, ...).
    carry: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [
            self.flow,
            self.entity,
            self.desired,
            self.current,
            *self.fields,
            *(self.create_only or ()),
            *self.carry,
            *([self.errors] if self.errors else []),
            *([self.active_field] if self.active_field else []),
        ]
        for name in names:
            if not _IDENT.match(name):
                raise ValueError(
                    f"plan spec {self.flow}/{self.entity}: {name!r} is not a plain SQL identifier"
                )
        unknown = set(self.create_only) - set(self.fields)
        if unknown:
            raise ValueError(
                f"plan spec {self.flow}/{self.entity}: create-only fields {sorted(unknown)} "
                f"are not among the compared fields"
            )

    @property
    def table(self) -> str:
        return f"plan.{self.flow}_{self.entity}"

    @property
    def candidates(self) -> str:
        """Scratch table of the diff's first pass (keys that are new, gone or differ)."""
        return f"plan.{self.flow}_{self.entity}__candidates"

    @property
    def compared_on_update(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if f not in self.create_only)
