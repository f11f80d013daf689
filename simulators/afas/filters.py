"""The GetConnector filter grammar: the three aligned query lists, filterjson, and typed comparison.

`filterfieldids=A,B;A&filtervalues=1,x;3&operatortypes=1,6;1` is (A = 1 AND B contains x) OR (A = 3);
filterjson carries the same as {"Filters":{"Filter":[{"@FilterId", "Field":[{"@FieldId",
"@OperatorType", "#text"}]}]}} (Field and Filter may each be one object or a list).

Comparison follows the field's dataType: decimals/ints numerically, dates as datetimes (filter values
carry no zone and are Amsterdam local time; a trailing Z is ignored), booleans from true/false/1/0, and
strings case-insensitively (AFAS's SQL collation is case-insensitive).
[INF] choices: a missing operator means 1 (=); a missing value means ""; when both filterjson and the
lists are given, filterjson wins; a null (empty) value fails every positive comparison and so passes the
negated ones (7 !=, 11 not contains, 12 not starts with, 14 not ends with); 15 (quick filter) matches when
any text field of the row contains the value; text operators on non-text fields compare the value's text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import AfasError

TEXT_OPS = frozenset({6, 10, 11, 12, 13, 14, 15})
LOWER_BOUND_OPS = frozenset({1, 2, 4})  # a start position in an ascending order
UPPER_BOUND_OPS = frozenset({1, 3, 5})


@dataclass(frozen=True, slots=True)
class RawCond:
    field: str
    op: int
    value: str


@dataclass(frozen=True, slots=True)
class Cond:
    field: str
    index: int
    data_type: str
    op: int
    value: Any  # comparable form (casefolded text for strings and text operators)
    test: Callable[[tuple[Any, ...]], bool]

    @property
    def key(self) -> tuple[int, int, Any]:
        return (self.index, self.op, self.value)


def parse_query_filters(params: dict[str, str]) -> list[list[RawCond]]:
    """OR-groups of AND-ed raw conditions from the query parameters; [] = no filter."""
    if params.get("filterjson"):
        return _parse_filterjson(params["filterjson"])
    fields_param = params.get("filterfieldids", "")
    if not fields_param.strip():
        return []
    values_param = params.get("filtervalues", "")
    ops_param = params.get("operatortypes", "")
    field_groups = fields_param.split(";")
    value_groups = values_param.split(";")
    op_groups = ops_param.split(";") if ops_param else []
    if len(value_groups) > len(field_groups) or len(op_groups) > len(field_groups):
        raise AfasError(
            "Het aantal filterwaarden of operatoren komt niet overeen met het aantal filtervelden."
        )
    groups: list[list[RawCond]] = []
    for g, field_text in enumerate(field_groups):
        names = field_text.split(",")
        values = value_groups[g].split(",") if g < len(value_groups) else []
        ops = op_groups[g].split(",") if g < len(op_groups) else []
        if len(values) > len(names) or len(ops) > len(names):
            raise AfasError(
                "Het aantal filterwaarden of operatoren komt niet overeen met het aantal filtervelden."
            )
        group = [
            RawCond(name.strip(), _op(ops[i] if i < len(ops) else "1"), values[i] if i < len(values) else "")
            for i, name in enumerate(names)
        ]
        groups.append(group)
    return groups


def _parse_filterjson(text: str) -> list[list[RawCond]]:
    try:
        data = json.loads(text)
        filters = data["Filters"]["Filter"]
    except (ValueError, KeyError, TypeError) as exc:
        raise AfasError(f"Ongeldige filterjson: {exc}") from exc
    groups: list[list[RawCond]] = []
    for flt in filters if isinstance(filters, list) else [filters]:
        fields = flt.get("Field", []) if isinstance(flt, dict) else []
        group = []
        for f in fields if isinstance(fields, list) else [fields]:
            if not isinstance(f, dict) or "@FieldId" not in f:
                raise AfasError("Ongeldige filterjson: een Field mist @FieldId.")
            value = f.get("#text", "")
            if isinstance(value, bool):
                value = "true" if value else "false"
            group.append(
                RawCond(
                    str(f["@FieldId"]).strip(),
                    _op(str(f.get("@OperatorType", "1"))),
                    "" if value is None else str(value),
                )
            )
        if group:
            groups.append(group)
    return groups


def _op(text: str) -> int:
    text = text.strip() or "1"
    try:
        op = int(text)
    except ValueError:
        op = 0
    if not 1 <= op <= 15:
        raise AfasError(f"Ongeldig operatortype '{text}'.")
    return op


# ---------------------------------------------------------------- typed values


def norm(value: Any, data_type: str) -> Any:
    """The comparable form of a row value (text casefolded)."""
    if value is None:
        return None
    if data_type == "string":
        return value.casefold()
    return value


def parse_value(raw: str, data_type: str, field: str) -> Any:
    """A filter value in the field's type; errors are AFAS 500s."""
    text = raw.strip()
    try:
        if data_type == "string":
            return raw.casefold()
        if data_type in ("int", "decimal"):
            return Decimal(text.replace(",", "."))
        if data_type == "date":
            if text[-1:] in "Zz":
                text = text[:-1]
            return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        if data_type == "boolean":
            low = text.lower()
            if low in ("true", "1"):
                return True
            if low in ("false", "0"):
                return False
            raise ValueError(text)
    except (ValueError, InvalidOperation, IndexError) as exc:
        raise AfasError(f"De filterwaarde '{raw}' is ongeldig voor veld '{field}' ({data_type}).") from exc
    return raw


def text_of(value: Any) -> str | None:
    """The text a non-text value shows, for the text operators."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


def compile_cond(raw: RawCond, index: int, data_type: str, text_indexes: Sequence[int]) -> Cond:
    """A predicate over row tuples for one condition."""
    op = raw.op
    i = index
    if op in (8, 9):
        empty = op == 8
        return Cond(raw.field, i, data_type, op, None, lambda r: (r[i] is None) == empty)
    if op == 15:
        needle = raw.value.casefold()
        idx = tuple(text_indexes)

        def quick(r: tuple[Any, ...]) -> bool:
            return any(r[j] is not None and needle in r[j].casefold() for j in idx)

        return Cond(raw.field, i, data_type, op, needle, quick)
    if op in TEXT_OPS:
        needle = raw.value.casefold()
        if data_type == "string":

            def get(r: tuple[Any, ...]) -> str | None:
                v = r[i]
                return None if v is None else v.casefold()
        else:

            def get(r: tuple[Any, ...]) -> str | None:
                t = text_of(r[i])
                return None if t is None else t.casefold()

        positive: Callable[[str], bool] = {
            6: lambda s: needle in s,
            11: lambda s: needle in s,
            10: lambda s: s.startswith(needle),
            12: lambda s: s.startswith(needle),
            13: lambda s: s.endswith(needle),
            14: lambda s: s.endswith(needle),
        }[op]
        negate = op in (11, 12, 14)

        def text_test(r: tuple[Any, ...]) -> bool:
            s = get(r)
            hit = s is not None and positive(s)
            return not hit if negate else hit

        return Cond(raw.field, i, data_type, op, needle, text_test)
    value = parse_value(raw.value, data_type, raw.field)
    test: Callable[[tuple[Any, ...]], bool]
    # One closure per (operator, text or not): these run once per row in a scan, so no helper calls.
    if data_type == "string":
        if op == 1:

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is not None and v.casefold() == value
        elif op == 7:

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is None or v.casefold() != value
        elif op == 2:

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is not None and v.casefold() >= value
        elif op == 3:

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is not None and v.casefold() <= value
        elif op == 4:

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is not None and v.casefold() > value
        else:  # 5

            def test(r: tuple[Any, ...]) -> bool:
                v = r[i]
                return v is not None and v.casefold() < value
    elif op == 1:

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is not None and v == value
    elif op == 7:

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is None or v != value
    elif op == 2:

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is not None and v >= value
    elif op == 3:

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is not None and v <= value
    elif op == 4:

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is not None and v > value
    else:  # 5

        def test(r: tuple[Any, ...]) -> bool:
            v = r[i]
            return v is not None and v < value

    return Cond(raw.field, i, data_type, op, value, test)


def predicate(groups: list[list[Cond]]) -> Callable[[tuple[Any, ...]], bool]:
    """One function for the whole filter: OR of AND groups, without generator overhead for small groups."""

    def conj(tests: list[Callable[[tuple[Any, ...]], bool]]) -> Callable[[tuple[Any, ...]], bool]:
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            a, b = tests
            return lambda r: a(r) and b(r)
        if len(tests) == 3:
            a, b, c = tests
            return lambda r: a(r) and b(r) and c(r)
        return lambda r: all(t(r) for t in tests)

    parts = [conj([c.test for c in g]) for g in groups]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        x, y = parts
        return lambda r: x(r) or y(r)
    return lambda r: any(p(r) for p in parts)
