"""An import inside a function says why it is there (on its line or the line above; one comment per function is
enough): a heavy module only one path needs, an optional extra. An import moved into a function to break a cycle
has no such reason: the layers go one way (test_layers.py), so restructure and import at the top."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("afas_mplus", "pipelines", "staging", "transforms", "reverse_etl", "dagster_project")


def _comment_lines(source: str) -> set[int]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT}


def unexplained_imports(source: str) -> list[tuple[int, str, str]]:
    """(line, function, statement) of each import inside a function that no comment explains."""
    comments = _comment_lines(source)
    lines = source.splitlines()
    found = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        imports = sorted(
            (n for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)), key=lambda n: n.lineno
        )
        # A comment on an import's own lines or on the line above it explains that import and every import
        # of the function (one comment per function is enough).
        explained = any(comments & set(range(n.lineno - 1, (n.end_lineno or n.lineno) + 1)) for n in imports)
        if not explained:
            found += [(n.lineno, fn.name, lines[n.lineno - 1].strip()) for n in imports]
    return found


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_function_level_import_says_why(path: Path) -> None:
    found = unexplained_imports(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(ROOT)}: imports inside a function without a comment saying why "
        f"(import at the top; if one hides a cycle, restructure): "
        + "; ".join(f"line {line} in {fn}(): {stmt}" for line, fn, stmt in found)
    )


def test_the_rule_tells_a_reason_from_none() -> None:
    source = (
        "def lazy():\n"
        "    # dlt takes seconds to import; only an extract needs it\n"
        "    import dlt\n"
        "    from x import y\n"
        "\n"
        "def inline():\n"
        "    from dagster_celery import celery_executor  # the [scale] extra\n"
        "\n"
        "def hidden_cycle():\n"
        "    s = '# not a comment'\n"
        "    from afas_mplus import steps\n"
    )
    assert unexplained_imports(source) == [(11, "hidden_cycle", "from afas_mplus import steps")]
