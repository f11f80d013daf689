"""pipelines/ sits below the runner: it takes plain values and imports nothing from afas_mplus."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted((ROOT / "pipelines").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_pipelines_module_imports_the_runner(path: Path) -> None:
    upward = sorted(m for m in imported_modules(path) if m.split(".")[0] in ("afas_mplus", "dagster_project"))
    assert upward == [], f"{path.relative_to(ROOT)} imports {upward}"


def test_the_pipelines_import_without_the_runner() -> None:
    code = (
        "import sys, pipelines.afas, pipelines.mplus.extract, pipelines.load; "
        "print(sorted(m for m in sys.modules if m.startswith('afas_mplus')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dlt_telemetry_is_off_unless_asked_for(tmp_path: Path) -> None:
    code = (
        "import sys; from pipelines.dlt_config import configure_dlt, telemetry_enabled; "
        "from dlt.common.runtime import anon_tracker; import dlt\n"
        "def state(): return [telemetry_enabled(), anon_tracker._ANON_TRACKER_ENDPOINT is not None]\n"
        "configure_dlt(telemetry=sys.argv[1] == 'on')\n"
        "dlt.pipeline(pipeline_name='t', destination='duckdb', pipelines_dir=sys.argv[2])\n"
        "first = state(); configure_dlt(telemetry=sys.argv[1] != 'on'); print(first, state())"
    )
    seen = {}
    for switch in ("off", "on"):
        out = subprocess.run(
            [sys.executable, "-c", code, switch, str(tmp_path / "dlt")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"HOME": str(tmp_path)},
        )
        seen[switch] = out.stdout.strip()
    # the choice holds from the first pipeline on, and a later change (the runner's setting) takes effect
    assert seen == {"off": "[False, False] [True, True]", "on": "[True, True] [False, False]"}
