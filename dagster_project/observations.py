"""What a run of a flow shows: metadata per asset (numbers Dagster plots over time: table sizes, plan counts,
error rows, write calls) and the checks (plan size, error rows, numeric SKUs, writes), each failing check with
the alert a person gets (flow, records, field, the fix).

The assets (`assets/flows.py`, `assets/checks.py`), the CLI's reports to the Dagster instance (`report.py`) and
the CLI's alerts (`afas_mplus.cli.monitor`) all compute them here, so a run looks the same whoever ran it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster import AssetCheckSeverity, AssetKey, MetadataValue

from afas_mplus.alerts import Alert, check_key, grouped_failures
from afas_mplus.flows.base import Entity, Flow
from afas_mplus.runtime import Runtime
from dagster_project.keys import model_key, plan_key, push_key
from reverse_etl.diff import PlanSummary
from reverse_etl.held import HeldRow, held_rows
from reverse_etl.plan_view import markdown_table, plan_changes

# Checks on the data itself (refused rows): alerted only with monitoring.notify_on_refused_rows.
ERROR_ROW_CHECKS = ("records_valid", "sku_numeric")


class Md(str):
    """Markdown metadata (a table, a list)."""


Metadata = dict[str, Any]


def to_dagster(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Our metadata as Dagster's: Markdown as Markdown, mappings as JSON, numbers and text as they are."""
    out: dict[str, Any] = {}
    for k, v in metadata.items():
        if isinstance(v, Md):
            out[k] = MetadataValue.md(str(v))
        elif isinstance(v, Mapping | list):
            out[k] = MetadataValue.json(v)
        else:
            out[k] = v
    return out


@dataclass
class CheckObservation:
    asset: AssetKey
    name: str
    passed: bool
    severity: AssetCheckSeverity
    metadata: Metadata = field(default_factory=dict)
    alert: Alert | None = None  # the alert when failing

    def __post_init__(self) -> None:
        # What the alert sensor tells (it reads any check's `alert_title` and `alert`, whoever wrote the check).
        if self.alert is not None:
            self.metadata.update(alert_title=self.alert.title, alert="\n".join(self.alert.lines))

    @property
    def key(self) -> str:
        return check_key(self.asset.to_user_string(), self.name)


# -- metadata -------------------------------------------------------------------------------------------------


def table_rows(rt: Runtime, schema: str, tables: Iterable[str]) -> dict[str, int]:
    """Rows each table holds now (not this run's increment); tables not there yet are left out."""
    out = {}
    for t in tables:
        if rt.warehouse.table_exists(schema, t):
            out[t] = int(rt.warehouse.scalar(f"select count(*) from {schema}.{t}") or 0)
    return out


def staged_tables(rt: Runtime, resources: Sequence[str]) -> list[str]:
    """The staging tables of these resources, child tables (`mplus_articles__...`) included."""
    rows = rt.warehouse.query(
        "select table_name from information_schema.tables where table_schema = ?",
        [rt.warehouse.schema("staging")],
    )
    names = {r["table_name"] for r in rows}
    return sorted(n for n in names if any(n == r or n.startswith(f"{r}__") for r in resources))


def extract_metadata(rt: Runtime, resources: Sequence[str], loaded: Mapping[str, int]) -> Metadata:
    sizes = table_rows(rt, "staging", staged_tables(rt, resources))
    meta: Metadata = {
        "rows_loaded": sum(loaded.values()),
        "table_rows": sum(sizes.values()),
        "loaded": dict(loaded),
    }
    meta.update({f"table_rows.{t}": n for t, n in sizes.items()})
    return meta


def plan_metadata(
    rt: Runtime, flow: Flow, entity: Entity, summary: PlanSummary, reason: str | None, preview_rows: int = 50
) -> Metadata:
    spec = entity.spec(rt.settings)
    schema, name = spec.current.split(".", 1)
    rows = rt.warehouse.query(
        f"select * from {spec.table} where action <> 'unchanged' "
        f"order by action, record_key limit {int(preview_rows)}"
    )
    preview = [
        {"record": r["record_key"], "action": r["action"], "changes": plan_changes(r)[:300]} for r in rows
    ]
    op = push_key(flow, entity).to_python_identifier()
    approve = f'ops:\n  {op}:\n    config:\n      fingerprint: "{summary.fingerprint}"\n'
    return {
        **{f"plan_{k}": v for k, v in summary.counts.items()},
        "changes": summary.changes,
        "error_rows": summary.counts.get("error", 0),
        "target_rows": table_rows(rt, schema, [name]).get(name, 0),
        "fingerprint": summary.fingerprint,
        "blocked": reason or "no",
        "preview": Md(markdown_table(preview)),
        "approve_and_push": Md(
            f"Launch the `{flow.name}_apply` job with this config to push exactly this plan:"
            f"\n\n```yaml\n{approve}```"
        ),
    }


def push_metadata(
    flow: Flow,
    entity: Entity,
    ok: int,
    failed: int,
    calls: int,
    errors: Sequence[str],
    activity: Sequence[Mapping[str, Any]] = (),
) -> Metadata:
    return {
        "pushed_ok": ok,
        "pushed_failed": failed,
        "write_calls": calls,
        "errors": Md("\n".join(f"- {e}" for e in errors[:50]) or "none"),
        "activity": Md(markdown_table(activity) if activity else "no write calls"),
        "activity_log": f"afas-mplus log --flow {flow.name} (one record: afas-mplus log --record KEY)",
    }


def run_activity(rt: Runtime, flow: Flow, entity: Entity, limit: int = 50) -> list[dict[str, Any]]:
    """This run's write calls of the entity, as the push asset shows them (the full log: `afas-mplus log`)."""
    return rt.warehouse.query(
        "select record_keys as records, action, operation, status, round(duration_ms) as ms, error "
        "from journal.calls where run_id = ? and flow = ? and entity = ? order by started_at limit ?",
        [rt.run_id, flow.name, entity.name, limit],
    )


# -- checks ---------------------------------------------------------------------------------------------------


def changed_examples(rt: Runtime, entity: Entity, limit: int = 10) -> list[str]:
    """Records a blocked plan would change, with the action and fields: what the alert names."""
    spec = entity.spec(rt.settings)
    rows = rt.warehouse.query(
        f"select record_key, action, changed_fields from {spec.table} where action in "
        f"('update', 'deactivate', 'delete') order by record_key limit {int(limit)}"
    )
    return [f"{r['record_key']} ({r['action']}: {r['changed_fields']})" for r in rows]


def plan_size_check(
    flow: Flow, entity: Entity, reason: str | None, examples: Sequence[str] = ()
) -> CheckObservation:
    key = plan_key(flow, entity)
    lines = [reason or ""] + ([f"records it would change, e.g. {', '.join(examples)}"] if examples else [])
    alert = (
        Alert(
            check_key(key.to_user_string(), "plan_size_sane"),
            f"{flow.name}/{entity.name}: push blocked by the plan-size check",
            lines,
        )
        if reason
        else None
    )
    return CheckObservation(
        key, "plan_size_sane", reason is None, AssetCheckSeverity.ERROR, {"reason": reason or "ok"}, alert
    )


def records_valid_check(rt: Runtime, flow: Flow) -> CheckObservation | None:
    table = f"errors_{flow.name}"
    if not rt.warehouse.table_exists("transforms", table):
        return None
    rows = rt.warehouse.query(
        f"select record_key, field, message from transforms.{table} order by record_key limit 50"
    )
    n = int(rt.warehouse.scalar(f"select count(*) from transforms.{table}") or 0)
    key = model_key(table)
    alert = (
        Alert(
            check_key(key.to_user_string(), "records_valid"),
            f"{flow.name}: {n} row(s) refused by validation",
            [f"{r['record_key']} ({r['field']}): {r['message']}" for r in rows]
            + ([f"all of them: afas-mplus log --failed --flow {flow.name}"] if n > len(rows) else []),
        )
        if n
        else None
    )
    return CheckObservation(
        key,
        "records_valid",
        not n,
        AssetCheckSeverity.WARN,
        {"error_rows": n, "rows": Md(markdown_table(rows))},
        alert,
    )


def sku_numeric_check(rt: Runtime) -> CheckObservation | None:
    if not rt.warehouse.table_exists("transforms", "errors_products"):
        return None
    rows = rt.warehouse.query(
        "select record_key as sku, message from transforms.errors_products where field = 'article_number' "
        "order by record_key limit 50"
    )
    key = model_key("errors_products")
    alert = (
        Alert(
            check_key(key.to_user_string(), "sku_numeric"),
            f"products: {len(rows)} AFAS item code(s) not numeric",
            [f"{r['sku']} (article_number): {r['message']}" for r in rows],
        )
        if rows
        else None
    )
    return CheckObservation(
        key,
        "sku_numeric",
        not rows,
        AssetCheckSeverity.WARN,
        {"non_numeric": len(rows), "skus": Md(markdown_table(rows))},
        alert,
    )


def writes_check(
    flow: Flow, entity: Entity, failed: int, errors: Sequence[str], held: Sequence[HeldRow] = ()
) -> CheckObservation:
    """Failed writes of this run, and rows the target refused that wait (held): the problem stays open until
    they went through, so a held row is told once and "resolved" only once it is sent."""
    key = push_key(flow, entity)
    lines = grouped_failures(list(errors))
    waiting = [h for h in held if h.record_key not in " ".join(errors)]
    lines += [f"{h.record_key}: held: {(h.last_error or '').splitlines()[0][:300]}" for h in waiting[:10]]
    problem = failed or waiting
    alert = (
        Alert(
            check_key(key.to_user_string(), "writes_succeeded"),
            f"{flow.name}/{entity.name}: {failed + len(waiting)} row(s) failed to write",
            lines
            + [
                f"the next run sends them again (held rows: when their data changed, or `afas-mplus "
                f"retry {flow.name}`); history: afas-mplus log --failed --flow {flow.name}"
            ],
        )
        if problem
        else None
    )
    return CheckObservation(
        key,
        "writes_succeeded",
        not problem,
        AssetCheckSeverity.ERROR,
        {"pushed_failed": failed, "held": len(held)},
        alert,
    )


def held_of(rt: Runtime, flow: Flow, entity: Entity) -> list[HeldRow]:
    return held_rows(rt.warehouse, flow.name, entity.name)


def data_checks(rt: Runtime, flow: Flow) -> list[CheckObservation]:
    """The checks on the flow's SQL models (refused rows)."""
    found = [records_valid_check(rt, flow)] + ([sku_numeric_check(rt)] if flow.name == "products" else [])
    return [c for c in found if c is not None]
