"""Nested categories: AFAS item groups with a parent group become nested MplusKASSA article groups (the parent
created first), and a group the till already has, with that name under that parent, is adopted (its number kept,
the AFAS code written into its text), not created twice. A second sync writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from simulators.mplus.handlers.article_groups import new_article_group

SMALL = {"articles": 60, "debtors": 5}
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "mappings" / "nested-groups"


def nested(harness: Callable[..., Any]) -> Any:
    """The stand-in with a group connector that has the parent group, mapped as in docs/mappings/nested-groups."""
    cfg = yaml.safe_load((EXAMPLE / "afas-mplus.yaml").read_text(encoding="utf-8"))
    cfg["mapping"]["folder"] = str(EXAMPLE)
    return harness(simulator=SMALL, **cfg)


def by_text(mplus: Any) -> dict[str, dict[str, Any]]:
    return {g["text"]: g for g in mplus.article_groups.values() if g.get("text") and not g.get("isDeleted")}


def path_of(mplus: Any, group: dict[str, Any]) -> list[str]:
    """The names from the top group down to this one."""
    names = [group["name"]]
    while group["parentGroupNumber"]:
        group = mplus.article_groups[group["parentGroupNumber"]]
        names.insert(0, group["name"])
    return names


def converge(h: Any) -> Any:
    first = h.sync("products")
    assert first.status == "ok" and first.pushed_failed == 0, (first.error, first.errors)
    again = h.sync("products")
    assert again.write_calls == 0, again.plan
    return first


def test_nested_item_groups_become_nested_article_groups(harness: Callable[..., Any]) -> None:
    h = nested(harness)
    # a grandchild listed before its parent: the writer still creates the parent first
    h.afas.set_group("111", "Zomerjurken", parent="110")
    h.afas.set_group("110", "Jurken", parent="100")
    h.afas.set_group("120", "Broeken", parent="100")
    h.afas.set_group("900", "Wees", parent="999")  # a parent AFAS does not list: a top group
    code = next(c for c, a in h.afas.articles.items() if c.isdigit() and a.group_code == "100")
    h.afas.modify_article(code, group_code="111")
    converge(h)
    groups = by_text(h.mplus)
    assert path_of(h.mplus, groups["111"]) == ["Dameskleding", "Jurken", "Zomerjurken"]
    assert path_of(h.mplus, groups["120"]) == ["Dameskleding", "Broeken"]
    assert groups["900"]["parentGroupNumber"] == 0
    product = h.mplus.products[h.mplus.article_product[int(code)]]
    assert product.get("groupNumbers") == [groups["111"]["groupNumber"]]

    h.afas.set_group("111", "Zomerjurken", parent="120")  # moved in AFAS: moved at the till
    converge(h)
    assert path_of(h.mplus, by_text(h.mplus)["111"]) == ["Dameskleding", "Broeken", "Zomerjurken"]


def test_a_group_the_till_has_by_name_and_parent_is_adopted_not_duplicated(
    harness: Callable[..., Any],
) -> None:
    h = nested(harness)
    h.afas.set_group("110", "Jurken", parent="100")
    top = new_article_group(h.mplus, {"parentGroupNumber": 0, "name": "Dameskleding", "text": ""})[
        "groupNumber"
    ]
    child = new_article_group(h.mplus, {"parentGroupNumber": top, "name": "Jurken"})["groupNumber"]
    # the same name under another parent is another category: not adopted for 110
    other = new_article_group(h.mplus, {"parentGroupNumber": 0, "name": "Jurken"})["groupNumber"]
    converge(h)
    groups = by_text(h.mplus)
    assert groups["100"]["groupNumber"] == top and groups["110"]["groupNumber"] == child
    names = [g["name"] for g in h.mplus.article_groups.values() if not g.get("isDeleted")]
    assert names.count("Dameskleding") == 1 and names.count("Jurken") == 2
    assert not h.mplus.article_groups[other].get("text")
