"""GDPR: debtors deleted in AFAS are forgotten here and at the till.

An incremental read never sees a deletion, so every extract of debtors sweeps their keys (`key_sweep` on the
`afas_debtors` resource, pipelines/afas/resources.py): a staged debtor AFAS no longer has is deleted from staging,
and through the extract's `on_removed` (afas_mplus.steps) `forget_debtors` removes its rows from every derived
table (`transforms.*`, `plan.*`: the SQL models and plans of other flows are rebuilt on their next run anyway).
Its id (nothing else) goes to `staging.afas_deleted_debtors`, which the customers models read to deactivate or
anonymise its MplusKASSA relation (`customers.deleted_debtors`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from staging.warehouse import Warehouse

log = logging.getLogger(__name__)

DELETED_TABLE = "staging.afas_deleted_debtors"
DELETED_DDL = f"create table if not exists {DELETED_TABLE} (debtor_id varchar, deleted_at timestamp)"
# Columns that hold a debtor id in the derived tables (customers: record_key = debtor id; orders, prices).
DEBTOR_COLUMNS = ("debtor_id", "record_key", "group_key", "ext_relation_id")
# Derived tables whose key columns are debtor ids; other tables' record keys are articles, orders, tiers.
DEBTOR_TABLES = (
    "stg_afas__debtors",
    "int_debtors",
    "desired_relations",
    "errors_customers",
    "current_relations",
    "stg_afas_order_debtors",
    "stg_price_debtors",
    "int_debtor_prices",
    "customers_relations",
)


def ensure_table(wh: Warehouse) -> None:
    wh.execute(DELETED_DDL)


def forget_debtors(wh: Warehouse, debtor_ids: Sequence[str], now: datetime | None = None) -> None:
    """Delete these debtors from staging and every derived table; remember their ids for the relation step."""
    ensure_table(wh)
    at = (now or datetime.now(UTC)).replace(tzinfo=None)
    wh.execute("create or replace temp table forget_ids (debtor_id varchar)")
    wh.append_rows("forget_ids", {"debtor_id": "varchar"}, ([d] for d in debtor_ids))
    wh.execute(
        f"insert into {DELETED_TABLE} select debtor_id, ? from forget_ids f where not exists "
        f"(select 1 from {DELETED_TABLE} d where d.debtor_id = f.debtor_id)",
        [at],
    )
    wh.execute(
        "delete from staging.afas_debtors where cast(debtor_id as varchar) in (select debtor_id from "
        "forget_ids)"
    )
    for schema in ("transforms", "plan"):
        for table in DEBTOR_TABLES:
            if not wh.table_exists(schema, table):
                continue
            cols = [c for c in wh.columns(schema, table) if c in DEBTOR_COLUMNS]
            if cols:
                match = " or ".join(
                    f"cast({c} as varchar) in (select debtor_id from forget_ids)" for c in cols
                )
                wh.execute(f"delete from {schema}.{table} where {match}")
    wh.execute("drop table forget_ids")
    log.info("forgot %d debtor(s) deleted in AFAS", len(debtor_ids))
