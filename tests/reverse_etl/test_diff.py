"""The generic diff: create / update / deactivate / unchanged / error, create-only fields."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reverse_etl.diff import build_plan, iter_pending, plan_sql
from reverse_etl.spec import PlanSpec
from staging.warehouse import Warehouse

SPEC = PlanSpec(
    flow="t",
    entity="items",
    desired="transforms.d",
    current="transforms.c",
    fields=("name", "price", "long_text", "active"),
    errors="transforms.e",
    create_only=frozenset({"long_text"}),
    active_field="active",
)


@pytest.fixture()
def wh() -> Warehouse:
    w = Warehouse(None)
    w.execute(
        "create table transforms.d (record_key varchar, group_key varchar, name varchar, "
        "price decimal(18,4), long_text varchar, active boolean)"
    )
    w.execute("create table transforms.c as select * from transforms.d where false")
    w.execute("create table transforms.e (record_key varchar, field varchar, message varchar)")
    return w


def test_actions_and_field_changes(wh: Warehouse) -> None:
    wh.executemany(
        "insert into transforms.d values (?, ?, ?, ?, ?, ?)",
        [
            ("1", "g1", "new", Decimal("1.50"), "long", True),  # create
            (
                "2",
                "g1",
                "renamed",
                Decimal("2.00"),
                "ours",
                True,
            ),  # update name; long_text differs but is create-only
            ("3", "g2", "same", Decimal("3.00"), "x", True),  # unchanged
            ("4", "g2", "blocked", Decimal("4.00"), "x", False),  # deactivate
            ("5", "g3", "inactive new", Decimal("5.00"), "x", False),  # not created
        ],
    )
    wh.executemany(
        "insert into transforms.c values (?, ?, ?, ?, ?, ?)",
        [
            ("2", "g1", "old", Decimal("2.00"), "edited in POS", True),
            ("3", "g2", "same", Decimal("3.00"), "x", True),
            ("4", "g2", "blocked", Decimal("4.00"), "x", True),
            ("9", "g9", "till only", Decimal("9.00"), "x", True),  # unmanaged: left alone
        ],
    )
    wh.execute("insert into transforms.e values ('ABC', 'article_number', 'not digits')")
    summary = build_plan(wh, SPEC)
    assert summary.counts == {"create": 1, "update": 1, "deactivate": 1, "unchanged": 1, "error": 1}
    rows = {r["record_key"]: r for r in iter_pending(wh, SPEC)}
    assert set(rows) == {"1", "2", "4"}
    assert rows["2"]["changed_fields"] == "name"
    assert rows["2"]["long_text__current"] == "edited in POS"
    # the row holds what is sent: on update a create-only field carries the POS's value, on create ours
    assert rows["2"]["long_text"] == "edited in POS" and rows["2"]["name"] == "renamed"
    assert rows["1"]["long_text"] == "long"
    assert rows["1"]["price"] == Decimal("1.5")
    assert "long_text" in rows["1"]["changed_fields"].split(",")


def test_fingerprint_moves_with_content(wh: Warehouse) -> None:
    wh.execute("insert into transforms.d values ('1', 'g', 'a', 1, 'x', true)")
    first = build_plan(wh, SPEC).fingerprint
    assert build_plan(wh, SPEC).fingerprint == first
    wh.execute("update transforms.d set price = 2 where record_key = '1'")  # same fields, another value
    second = build_plan(wh, SPEC).fingerprint
    assert second != first
    wh.execute("insert into transforms.d values ('2', 'g', 'b', 1, 'x', true)")
    assert build_plan(wh, SPEC).fingerprint not in (first, second)


def test_plan_sql_transpiles_to_postgres() -> None:
    sql = plan_sql(SPEC, "postgres")
    assert "FULL OUTER JOIN" in sql.upper()
    assert "IS DISTINCT FROM" in sql.upper()


def test_spec_rejects_non_identifiers() -> None:
    with pytest.raises(ValueError, match="not a plain SQL identifier"):
        PlanSpec(flow="t", entity="x; drop", desired="d", current="c", fields=("a",))
    with pytest.raises(ValueError, match="create-only"):
        PlanSpec(flow="t", entity="x", desired="d", current="c", fields=("a",), create_only=frozenset({"b"}))


def test_delete_missing_plans_target_only_rows_as_delete(wh: Warehouse) -> None:
    spec = PlanSpec(
        flow="t",
        entity="tiers",
        desired="transforms.d",
        current="transforms.c",
        fields=("name", "price"),
        errors="transforms.e",
        delete_missing=True,
    )
    wh.executemany(
        "insert into transforms.d values (?, ?, ?, ?, ?, ?)",
        [
            ("a|1", "a", "tier", Decimal("2.00"), None, True),  # unchanged
            ("a|10", "a", "tier", Decimal("1.50"), None, True),  # update
        ],
    )
    wh.executemany(
        "insert into transforms.c values (?, ?, ?, ?, ?, ?)",
        [
            ("a|1", "a", "tier", Decimal("2.00"), None, True),
            ("a|10", "a", "tier", Decimal("1.80"), None, True),
            ("a|50", "a", "tier", Decimal("1.20"), None, True),  # gone from the desired state: delete
        ],
    )
    summary = build_plan(wh, spec)
    assert summary.counts == {
        "create": 0,
        "update": 1,
        "deactivate": 0,
        "delete": 1,
        "unchanged": 1,
        "error": 0,
    }
    assert summary.changes == 2
    rows = {r["record_key"]: r for r in iter_pending(wh, spec)}
    assert {k: r["action"] for k, r in rows.items()} == {"a|10": "update", "a|50": "delete"}
    assert rows["a|50"]["group_key"] == "a" and rows["a|50"]["price__current"] == Decimal("1.20")
    # without delete_missing the same row is unmanaged: not planned, not counted (other flows unchanged)
    summary = build_plan(wh, SPEC)
    assert "delete" not in summary.counts and "a|50" not in {r["record_key"] for r in iter_pending(wh, SPEC)}
