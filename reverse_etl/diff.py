"""The diff: desired state against the target's staged state, as a plan table users can query.

The plan is computed in SQL inside the warehouse, so it scales with the database, not with Python, and reads
the same on DuckDB and PostgreSQL (sqlglot transpiles it). Two passes:
1. candidates: one full outer join comparing a hash of each row's compared fields (both sides cast to the
   desired table's column types, so 1.50 and 1.5000 hash alike), keeping only keys that are new, gone or
   differ — as cheap as a bare hash compare, and almost nothing is written;
2. detail: for the candidates only, field by field (`is distinct from`), the action and `changed_fields`.
The plan table holds every row a push would act on and the error rows; each keeps both sides: `<field>` is what
we want, `<field>__current` what the target holds. Unchanged rows are counted (`plan.summaries`), not stored.
`payload_hash` is the hash of everything a row would send (fields and carried columns): a row the target
refused with this very payload is shown as `held` until it changes or is due again (`reverse_etl.held`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlglot

from reverse_etl.held import mark_held
from reverse_etl.spec import PlanSpec
from staging.warehouse import Warehouse

# The actions a push sends. `delete` only occurs in plans of specs with `delete_missing`.
CHANGE_ACTIONS = ("create", "update", "deactivate", "delete")


@dataclass
class PlanSummary:
    flow: str
    entity: str
    counts: dict[str, int]
    fingerprint: str  # changes only when the plan's content does: `apply` refuses a drifted plan

    @property
    def changes(self) -> int:
        return sum(self.counts.get(a, 0) for a in CHANGE_ACTIONS)


def _hash_expr(alias: str, fields: list[str], types: dict[str, str], dialect: str) -> str:
    cols = [f"cast({alias}.{f} as {types[f]})" if f in types else f"{alias}.{f}" for f in fields]
    if dialect == "duckdb":
        return f"hash({', '.join(cols)})"
    return "md5(concat_ws('|', " + ", ".join(f"coalesce(cast({c} as varchar), '~')" for c in cols) + "))"


def _hashed_fields(spec: PlanSpec) -> list[str]:
    return list(
        dict.fromkeys([*spec.compared_on_update, *([spec.active_field] if spec.active_field else [])])
    )


def candidates_sql(spec: PlanSpec, types: dict[str, str] | None = None, dialect: str = "duckdb") -> str:
    """Keys whose row is new, gone or differs in a compared field; `in_d` / `in_c`: on which side it exists.
    `types`: field -> the desired table's type, for fields whose type differs on the current side."""
    fields, types = _hashed_fields(spec), types or {}
    dh = _hash_expr("d", fields, types, dialect) if fields else "0"
    ch = _hash_expr("c", fields, types, dialect) if fields else "0"
    sql = f"""
create or replace table {spec.candidates} as
select coalesce(d.record_key, c.record_key) as record_key,
       d.record_key is not null as in_d, c.record_key is not null as in_c
from (select record_key, {dh} as h from {spec.desired} as d) as d
full outer join (select record_key, {ch} as h from {spec.current} as c) as c on d.record_key = c.record_key
where d.record_key is null or c.record_key is null or d.h <> c.h
"""
    return sql if dialect == "duckdb" else ";\n".join(sqlglot.transpile(sql, read="duckdb", write=dialect))


def plan_sql(spec: PlanSpec, dialect: str = "duckdb") -> str:
    """The plan table from the candidates (`candidates_sql` first): field-level detail for those rows only."""
    fields = spec.fields
    upd = spec.compared_on_update
    differs = " or ".join(f"d.{f} is distinct from c.{f}" for f in upd) or "false"
    changed = ", ".join(
        f"case when current_key is null or {f} is distinct from {f}__current then '{f}' end"
        if f not in spec.create_only
        else f"case when current_key is null then '{f}' end"
        for f in fields
    )
    active = spec.active_field
    if active:
        deactivate = f"when coalesce(d.{active}, false) = false and coalesce(c.{active}, false) = true then 'deactivate'"
        skip_inactive = "" if spec.create_inactive else f"and coalesce(d.{active}, false) = true"
    else:
        deactivate, skip_inactive = "", ""
    missing = (
        "when d.record_key is null then 'delete'"
        if spec.delete_missing
        else "when d.record_key is null then 'unmanaged'"
    )
    error_rows = ""
    if spec.errors:
        error_rows = f"""
union all
select e.record_key, null as group_key, 'error' as action,
       e.field as changed_fields, e.message as error_message, null as payload_hash,
       {", ".join([f"null as {f}, null as {f}__current" for f in fields] + [f"null as {c}" for c in spec.carry])}
from {spec.errors} as e"""
    cols = ", ".join([f"{f}, {f}__current" for f in fields] + list(spec.carry))
    payload = (
        "md5(concat_ws('|', "
        + ", ".join(f"coalesce(cast({c} as varchar), '~')" for c in (*fields, *spec.carry))
        + "))"
    )
    # A create-only field keeps on update what the target holds: the plan row carries the value that is sent.
    cols_both = ", ".join(
        [
            (
                f"case when c.record_key is null then d.{f} else c.{f} end"
                if f in spec.create_only
                else f"d.{f}"
            )
            + f" as {f}, c.{f} as {f}__current"
            for f in fields
        ]
        + [f"d.{c} as {c}" for c in spec.carry]
    )
    sql = f"""
create or replace table {spec.table} as
with joined as (
    select coalesce(d.record_key, c.record_key) as record_key,
           coalesce(d.group_key, c.group_key) as group_key,
           case
               when c.record_key is null and d.record_key is not null {skip_inactive} then 'create'
               when c.record_key is null then 'skip'
               {missing}
               {deactivate}
               when {differs} then 'update'
               else 'unchanged'
           end as action,
           c.record_key as current_key,
           {cols_both}
    from (select * from {spec.desired} where record_key in (select record_key from {spec.candidates})) as d
    full outer join (select * from {spec.current} where record_key in (select record_key from {spec.candidates}))
        as c on d.record_key = c.record_key
)
select record_key, group_key, action, concat_ws(',', {changed}) as changed_fields,
       cast(null as varchar) as error_message, {payload} as payload_hash, {cols}
from joined where action not in ('skip', 'unmanaged', 'unchanged'){error_rows}
"""
    if dialect == "duckdb":
        return sql
    return ";\n".join(sqlglot.transpile(sql, read="duckdb", write=dialect))


SUMMARIES_DDL = (
    "create table if not exists plan.summaries (flow varchar, entity varchar, desired_rows bigint, "
    "unchanged bigint, planned_at timestamp)"
)


def _type_fixes(wh: Warehouse, spec: PlanSpec) -> dict[str, str]:
    """Compared fields whose type differs between desired and current: cast both to the desired's type."""

    def types(table: str) -> dict[str, str]:
        schema, name = table.split(".")
        return {
            r["column_name"]: r["data_type"]
            for r in wh.query(
                "select column_name, data_type from information_schema.columns where table_schema = ? and "
                "table_name = ?",
                [wh.schema(schema), name],
            )
        }

    d, c = types(spec.desired), types(spec.current)
    return {f: d[f] for f in _hashed_fields(spec) if f in d and f in c and d[f] != c[f]}


def build_plan(wh: Warehouse, spec: PlanSpec) -> PlanSummary:
    wh.execute(candidates_sql(spec, _type_fixes(wh, spec), wh.dialect))
    wh.execute(plan_sql(spec, wh.dialect))
    # Unchanged rows are not stored: rows on both sides, less those planned as update or deactivate.
    desired_rows = int(wh.scalar(f"select count(*) from {spec.desired}") or 0)
    only_desired = int(wh.scalar(f"select count(*) from {spec.candidates} where in_d and not in_c") or 0)
    acted = int(wh.scalar(f"select count(*) from {spec.table} where action in ('update', 'deactivate')") or 0)
    mark_held(wh, spec)  # after counting: a held update is still not unchanged
    wh.execute(SUMMARIES_DDL)
    wh.execute("delete from plan.summaries where flow = ? and entity = ?", [spec.flow, spec.entity])
    wh.execute(
        "insert into plan.summaries values (?, ?, ?, ?, current_timestamp)",
        [spec.flow, spec.entity, desired_rows, desired_rows - only_desired - acted],
    )
    wh.execute(f"drop table if exists {spec.candidates}")
    return summarize(wh, spec)


def summarize(wh: Warehouse, spec: PlanSpec) -> PlanSummary:
    counts = {a: 0 for a in ("create", "update", "deactivate", "unchanged", "error")}
    if spec.delete_missing:  # other flows keep their counts as they were
        counts["delete"] = 0
    for row in wh.query(f"select action, count(*) as n from {spec.table} group by action"):
        counts[row["action"]] = int(row["n"])
    if wh.table_exists("plan", "summaries"):
        counts["unchanged"] = int(
            wh.scalar(
                "select unchanged from plan.summaries where flow = ? and entity = ?", [spec.flow, spec.entity]
            )
            or 0
        )
    # The fingerprint covers what would be sent, so a plan that drifted since it was shown is caught.
    # The values a push would send are part of it: the same fields changing to other values is drift too.
    values = ", ".join(f"coalesce(cast({f} as varchar), '~')" for f in (*spec.fields, *spec.carry))
    digest = wh.scalar(
        f"select coalesce(string_agg(md5(concat_ws('|', record_key, action, changed_fields, {values})), ',' "
        f"order by record_key, action), '') from {spec.table}"
    )
    fingerprint = hashlib.sha256(str(digest).encode()).hexdigest()[:16]
    return PlanSummary(spec.flow, spec.entity, counts, fingerprint)


def _pending_where() -> str:
    return f"action in ({', '.join(repr(a) for a in CHANGE_ACTIONS)})"


def pending_count(wh: Warehouse, spec: PlanSpec) -> int:
    return int(wh.scalar(f"select count(*) from {spec.table} where {_pending_where()}") or 0)


def iter_pending(wh: Warehouse, spec: PlanSpec) -> Iterator[dict[str, Any]]:
    """The rows a push sends, streamed in group order (rows of one group are adjacent)."""
    return wh.stream(
        f"select * from {spec.table} where {_pending_where()} "
        f"order by coalesce(group_key, record_key), record_key"
    )
