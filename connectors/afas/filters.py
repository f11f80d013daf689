"""GetConnector filters: an OR of AND-groups, rendered as the three aligned query lists or as filterjson.

    where("A", Op.EQ, 1) & where("B", Op.CONTAINS, "x") | where("A", Op.EQ, 3)

means (A = 1 AND B contains x) OR (A = 3); `&` binds tighter than `|` and distributes over it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum

from .codec import format_decimal
from .dates import to_afas_filter_value


class Op(IntEnum):
    """AFAS `operatortypes`."""

    EQ = 1
    GE = 2
    LE = 3
    GT = 4
    LT = 5
    CONTAINS = 6
    NE = 7
    EMPTY = 8
    NOT_EMPTY = 9
    STARTS_WITH = 10
    NOT_CONTAINS = 11
    NOT_STARTS_WITH = 12
    ENDS_WITH = 13
    NOT_ENDS_WITH = 14
    QUICK = 15


FilterValue = str | int | Decimal | float | bool | date | datetime | None
_SEPARATORS = (",", ";")


def format_value(value: FilterValue, op: Op) -> str:
    """Render one filter value the way AFAS expects it."""
    if value is None:
        if op in (Op.EMPTY, Op.NOT_EMPTY):
            return ""  # AFAS still wants a (possibly empty) value for 8/9
        raise ValueError(f"filter value None is only allowed with Op.EMPTY/Op.NOT_EMPTY, not {op.name}")
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return to_afas_filter_value(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return format_decimal(Decimal(repr(value)))
    if isinstance(value, str):
        return value
    raise TypeError(f"unsupported filter value type {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: Op
    value: str  # already formatted


@dataclass(frozen=True, slots=True)
class Filter:
    """OR of AND-groups of conditions. Build with `where()`, `&` and `|`."""

    groups: tuple[tuple[Condition, ...], ...]

    def __post_init__(self) -> None:
        if not self.groups or any(not group for group in self.groups):
            raise ValueError("a Filter needs at least one condition in every OR group")

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        # (a | b) & (c | d) == a&c | a&d | b&c | b&d: AFAS only knows OR-of-ANDs.
        return Filter(tuple(left + right for left in self.groups for right in other.groups))

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        return Filter(self.groups + other.groups)

    @property
    def conditions(self) -> Iterable[Condition]:
        return (condition for group in self.groups for condition in group)

    @property
    def query_safe(self) -> bool:
        """False when a value contains `,` or `;`: the aligned lists cannot escape them (use filterjson)."""
        return not any(sep in c.value for c in self.conditions for sep in _SEPARATORS)

    def to_query(self) -> dict[str, str]:
        """The three aligned params: `,` separates AND-ed conditions, `;` separates OR groups."""
        if not self.query_safe:
            raise ValueError("a filter value contains ',' or ';': only to_filterjson() can express it")
        return {
            "filterfieldids": ";".join(",".join(c.field for c in g) for g in self.groups),
            "filtervalues": ";".join(",".join(c.value for c in g) for g in self.groups),
            "operatortypes": ";".join(",".join(str(int(c.op)) for c in g) for g in self.groups),
        }

    def to_filterjson(self) -> str:
        """The `filterjson` param (before URL-encoding): Fields in one Filter AND, Filters OR."""
        payload = {
            "Filters": {
                "Filter": [
                    {
                        "@FilterId": f"f{i}",
                        "Field": [
                            {"@FieldId": c.field, "@OperatorType": str(int(c.op)), "#text": c.value}
                            for c in group
                        ],
                    }
                    for i, group in enumerate(self.groups, start=1)
                ]
            }
        }
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))

    def __str__(self) -> str:
        return " OR ".join(
            "(" + " AND ".join(f"{c.field} {c.op.name} {c.value!r}" for c in group) + ")"
            for group in self.groups
        )


def where(field: str, op: Op | int, value: FilterValue = None) -> Filter:
    """One condition as a Filter, ready to combine with `&` and `|`."""
    if not field or any(sep in field for sep in _SEPARATORS) or field != field.strip():
        raise ValueError(f"invalid AFAS field id {field!r}")
    op = Op(op)
    return Filter(((Condition(field, op, format_value(value, op)),),))
