"""The link between products and article groups: both sides carry it (the group's ``productNumbers``, the
product's ``groupNumbers``), so a change to it raises the syncMarker of each side it touches."""

from __future__ import annotations

from simulators.mplus.store import MplusStore


def touch_group(state: MplusStore, group_number: int) -> int:
    marker = state.next_marker("articleGroup")
    state.article_groups[group_number]["syncMarker"] = marker
    state.group_index.touch(group_number, marker)
    return marker


def touch_product(state: MplusStore, product_number: int, marker: int | None = None) -> int:
    marker = marker if marker is not None else state.next_marker("article")
    state.products[product_number]["syncMarker"] = marker
    state.product_index.touch(product_number, marker)
    return marker


def relink_groups(state: MplusStore, product_number: int, old: list[int], new: list[int]) -> None:
    for number in set(old) - set(new):
        group = state.article_groups.get(number)
        if group and product_number in group["productNumbers"]:
            group["productNumbers"] = [p for p in group["productNumbers"] if p != product_number]
            touch_group(state, number)
    for number in new:
        group = state.article_groups[number]
        if product_number not in group["productNumbers"]:
            group["productNumbers"] = [*group["productNumbers"], product_number]
            touch_group(state, number)
