"""An article's features (MplusKASSA custom fields) as one text: a JSON object of code -> value, keys sorted, no
spaces, non-ASCII as is. No character in a code or value can split it (the old ``code=value|...`` text split at
``|`` and ``=``). The desired side builds the same bytes in SQL (transforms/models/products/int_article_features);
the current side and the writer use these two functions."""

from __future__ import annotations

import json
from collections.abc import Iterable


def encode_features(pairs: Iterable[tuple[str, str | None]]) -> str | None:
    """The canonical text of (code, value) pairs; None when there are none."""
    fields = {code: "" if value is None else str(value) for code, value in pairs}
    if not fields:
        return None
    return json.dumps(dict(sorted(fields.items())), ensure_ascii=False, separators=(",", ":"))


def decode_features(text: str | None) -> list[tuple[str, str]]:
    """(code, value) pairs of a text made by encode_features (or the SQL), in their order."""
    if not text:
        return []
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"features are not a JSON object: {text[:80]!r}")
    return [(str(k), "" if v is None else str(v)) for k, v in data.items()]
