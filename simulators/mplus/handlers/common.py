"""Helpers every handler module shares: request unwrapping, list wrappers, merge rule, paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Elements a client may send but the server owns: it sets them on every change.
SERVER_OWNED = frozenset({"syncMarker", "changeTimestamp", "createTimestamp"})


def inner(request: dict[str, Any] | None, name: str | None = None) -> dict[str, Any]:
    """The dict a handler works on. The codec already unwraps a lone ``<request>`` element (getProducts
    gets the GetProductsRequest content); other single wrappers (``product``, ``relation``, ``order``) are
    unwrapped here by name."""
    if not request:
        return {}
    if name is None:
        return request
    return request.get(name) or {}


def listed(wrapper: dict[str, Any] | None, item: str) -> list[Any]:
    """Items of a wrapped list (``{"article": [...]}``); absent or empty wrapper -> []."""
    if not wrapper:
        return []
    value = wrapper.get(item)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def texts(wrapper: dict[str, Any] | None) -> list[str]:
    """Values of a ``TextList`` (``{"text": [{"text": "..."}]}``)."""
    return [t.get("text", "") if isinstance(t, dict) else str(t) for t in listed(wrapper, "text")]


def merge_present(stored: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    """The update rule: every element present in the request replaces the stored value whole (scalars,
    structures and wrapped lists alike, so an empty ``<priceGroupList/>`` clears that list); absent
    elements keep their stored value; server-owned elements are ignored."""
    merged = dict(stored)
    for key, value in sent.items():
        # A bare repeated element decodes to [] when it had zero occurrences: XML cannot tell that from
        # absent, so it leaves the stored value untouched.
        if key in SERVER_OWNED or value is None or (isinstance(value, list) and not value):
            continue
        merged[key] = value
    return merged


def page_limit(value: int | None, cap: int | None = None) -> int | None:
    """syncMarkerLimit: absent or <= 0 means no limit, except where the service documents a cap."""
    if value is None or value <= 0:
        return cap
    return min(value, cap) if cap else value


def take(items: Iterator[Any], limit: int | None) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if limit is not None and len(out) >= limit:
            break
        out.append(item)
    return out
