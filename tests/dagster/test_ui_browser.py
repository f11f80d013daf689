"""A real browser on the Dagster UI after `afas-mplus sync products` from the CLI: the asset graph shows the
flows, the plan asset's page its plan counts, its checks tab the check result; a GraphQL query sees the products
assets materialized. Headless Chromium (Debian's package `chromium`); skipped where it is not installed."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from afas_mplus.cli import main
from afas_mplus.errors import ExitCode
from simulators.server import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install -y chromium)"
)
# The flags that work on this machine's closed network (no background connections, no sandbox as root).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture()
def ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "sync", "products", "-q"]) == ExitCode.OK
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(data / "dagster"),
        "DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("AFAS_MPLUS_CONFIG", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_webserver",
            "-m",
            "dagster_project.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the Dagster UI did not start"
            time.sleep(1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def page_text(url: str) -> list[str]:
    """The page as Chromium rendered it (scripts run), as its visible text lines."""
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=30000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", dom, flags=re.S)
    return [
        line.strip() for line in html.unescape(re.sub(r"<[^>]+>", "\n", text)).splitlines() if line.strip()
    ]


def after(lines: list[str], label: str) -> str:
    """The value the UI shows next to a metadata label (the label, its timestamp, then the value)."""
    i = lines.index(label)
    return next(v for v in lines[i + 1 : i + 4] if not re.match(r"^[A-Z][a-z]{2} \d+, ", v))


def test_the_dagster_ui_shows_a_cli_sync(ui: str) -> None:
    query = """{ assetNodes(group: {groupName: "products", repositoryName: "__repository__",
                 repositoryLocationName: "dagster_project.definitions"}) {
                   assetKey { path }
                   assetMaterializations(limit: 1) { metadataEntries { label ... on IntMetadataEntry { intValue } } }
               } }"""
    nodes = httpx.post(f"{ui}/graphql", json={"query": query}, timeout=60).json()["data"]["assetNodes"]
    materialized = {"/".join(n["assetKey"]["path"]): n["assetMaterializations"] for n in nodes}
    assert materialized["plan/products_articles_plan"] and materialized["push/products_articles_push"]
    assert materialized["staging/products_afas"] and materialized["transforms/desired_articles"]
    plan = {
        e["label"]: e.get("intValue")
        for e in materialized["plan/products_articles_plan"][0]["metadataEntries"]
    }
    assert plan["plan_create"] > 250 and plan["plan_error"] == 2

    graph = page_text(f"{ui}/asset-groups")
    assert "Global asset lineage" in graph
    assert {"orders", "products", "customers", "stock", "prices"} <= set(graph)

    page = page_text(f"{ui}/assets/plan/products_articles_plan")
    assert "Latest materialization" in page and "afas-mplus CLI" in page
    assert int(after(page, "plan_create")) == plan["plan_create"]
    assert after(page, "plan_error") == "2" and after(page, "blocked") == "no"

    checks = page_text(f"{ui}/assets/plan/products_articles_plan?view=checks")
    assert "plan_size_sane" in checks and "Passed" in checks
