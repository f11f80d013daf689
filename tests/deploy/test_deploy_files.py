"""deploy/: the compose file wires PostgreSQL, the code location, the webserver and the daemon together, and
dagster.yaml is an instance Dagster accepts whose limits keep one run per flow and AFAS steps in their pool."""

from __future__ import annotations

import re
import shutil
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from psycopg2.extensions import parse_dsn

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DAGSTER_HOME = "/opt/dagster/home"


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_compose_wires_postgres_code_location_webserver_and_daemon() -> None:
    services = _compose()["services"]
    assert {"postgres", "code-location", "webserver", "daemon"} <= set(services)
    code = services["code-location"]
    assert code["command"][:3] == ["dagster", "code-server", "start"]
    assert _option(code["command"], "-m") == "dagster_project.definitions"
    [location] = yaml.safe_load((DEPLOY / "workspace.yaml").read_text(encoding="utf-8"))["load_from"]
    assert location["grpc_server"]["host"] == "code-location"
    assert location["grpc_server"]["port"] == int(_option(code["command"], "-p"))
    assert _option(services["webserver"]["command"], "-w") == f"{DAGSTER_HOME}/workspace.yaml"
    assert _option(services["daemon"]["command"], "-w") == f"{DAGSTER_HOME}/workspace.yaml"
    assert services["daemon"]["command"][:2] == ["dagster-daemon", "run"]
    assert "3000:3000" in services["webserver"]["ports"]

    db = services["postgres"]["environment"]
    for name in ("code-location", "webserver", "daemon"):
        env = services[name]["environment"]
        assert env["DAGSTER_PG_HOST"] == "postgres" and env["DAGSTER_PG_DB"] == db["POSTGRES_DB"]
        assert env["DAGSTER_PG_USER"] == db["POSTGRES_USER"]
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])

    # the sync's warehouse: the database postgres-init.sql creates, on the same server
    warehouse = parse_dsn(services["code-location"]["environment"]["WAREHOUSE_DSN"])
    assert warehouse["host"] == "postgres" and warehouse["user"] == db["POSTGRES_USER"]
    init = (DEPLOY / "postgres-init.sql").read_text(encoding="utf-8")
    assert re.search(rf"create database {warehouse['dbname']}\b", init, re.IGNORECASE)
    assert any(
        v.startswith("./postgres-init.sql:/docker-entrypoint-initdb.d/")
        for v in services["postgres"]["volumes"]
    )


def test_every_variable_compose_needs_is_in_the_example_env() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    needed = set(re.findall(r"\$\{(\w+)", text))
    example = {
        line.split("=", 1)[0].lstrip("# ")
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert needed and needed <= example


def test_the_image_holds_every_package_and_the_instance_files() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.MULTILINE))
    assert packages <= copied, packages - copied
    assert f"DAGSTER_HOME={DAGSTER_HOME}" in dockerfile
    assert "COPY deploy/dagster.yaml deploy/workspace.yaml deploy/celery.yaml $DAGSTER_HOME/" in dockerfile
    assert "'.[scale]'" in dockerfile
    scale = " ".join(pyproject["project"]["optional-dependencies"]["scale"])
    assert "dagster-postgres" in scale and "dagster-celery" in scale


def test_the_celery_profile_adds_rabbitmq_and_a_worker_with_the_sync_settings() -> None:
    services = _compose()["services"]
    worker = services["celery-worker"]
    assert worker["profiles"] == ["celery"] and services["rabbitmq"]["profiles"] == ["celery"]
    assert worker["command"][:3] == ["dagster-celery", "worker", "start"]
    assert _option(worker["command"], "-y") == f"{DAGSTER_HOME}/celery.yaml"
    assert worker["environment"]["WAREHOUSE_DSN"] == services["code-location"]["environment"]["WAREHOUSE_DSN"]
    assert "@rabbitmq:5672" in worker["environment"]["DAGSTER_CELERY_BROKER_URL"]
    celery = yaml.safe_load((DEPLOY / "celery.yaml").read_text(encoding="utf-8"))
    assert celery["execution"]["config"]["broker"] == {"env": "DAGSTER_CELERY_BROKER_URL"}


def test_dagster_yaml_passes_dagsters_own_validation() -> None:
    from dagster._core.instance.config import dagster_instance_config

    config, _ = dagster_instance_config(str(DEPLOY))
    assert set(config["storage"]) == {"postgres"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}


@pytest.mark.postgres
def test_the_instance_on_postgres_runs_one_run_per_flow_and_bounds_runs_per_afas_environment(
    tmp_path: Path, dagster_database: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster import DagsterInstance
    from dagster._core.storage.dagster_run import DagsterRun
    from dagster._utils.tags import TagConcurrencyLimitsCounter

    from dagster_project.definitions import defs

    for name, value in dagster_database.items():
        monkeypatch.setenv(name, value)
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    instance = DagsterInstance.from_config(str(tmp_path))
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.default_pool_limit == 1
        limits = concurrency.run_queue_config.tag_concurrency_limits

        def run(job: str) -> DagsterRun:
            return DagsterRun(job_name=job, run_id=uuid.uuid4().hex, tags=defs.resolve_job_def(job).tags)

        in_progress = [run("products_sync")]
        counter = TagConcurrencyLimitsCounter(limits, in_progress)
        assert counter.is_blocked(run("products_plan"))  # the same flow waits
        assert not counter.is_blocked(run("customers_sync"))  # another flow starts
        in_progress += [run("customers_sync"), run("stock_sync")]
        counter = TagConcurrencyLimitsCounter(limits, in_progress)
        assert counter.is_blocked(run("prices_sync"))  # a fourth run against the same AFAS environment waits
    finally:
        instance.dispose()
