"""Layers import only downward: connectors → staging / transforms / pipelines / reverse_etl → afas_mplus →
dagster_project. Every import counts, also one inside a function (it would only hide the cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# package -> the packages it may import (besides itself and third-party code)
ALLOWED: dict[str, set[str]] = {
    "connectors": set(),
    "staging": {"connectors"},
    "transforms": {"connectors", "staging"},
    "pipelines": {"connectors", "staging"},
    "reverse_etl": {"connectors", "staging", "transforms"},
    "simulators": {"connectors"},  # the stand-ins speak the same codecs; they know nothing of the product
    "afas_mplus": {"connectors", "staging", "transforms", "pipelines", "reverse_etl", "simulators"},
    "dagster_project": {
        "connectors",
        "staging",
        "transforms",
        "pipelines",
        "reverse_etl",
        "afas_mplus",
        "simulators",
    },
}
# The command line is an entry point like Dagster's code location: it reports its runs to Dagster (so the UI shows
# the truth whoever ran the sync) and alerts the way the sensors do, so it may import dagster_project.
ENTRY = ("afas_mplus.cli",)
PACKAGES = set(ALLOWED) | {"benchmarks", "tests"}


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def _modules() -> list[Path]:
    return sorted(p for pkg in ALLOWED for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_only_downward(path: Path) -> None:
    package = path.relative_to(ROOT).parts[0]
    allowed = ALLOWED[package] | {package}
    if ".".join(path.relative_to(ROOT).with_suffix("").parts).startswith(ENTRY):
        allowed = allowed | {"dagster_project"}
    upward = [
        f"line {line}: {name}"
        for line, name in _imports(path)
        if name.split(".")[0] in PACKAGES and name.split(".")[0] not in allowed
    ]
    assert not upward, f"{path.relative_to(ROOT)} reaches up: {upward}"
