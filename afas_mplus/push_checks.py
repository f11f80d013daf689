"""The two checks before a push, kept out of the callers' hands (afas_mplus.runner.push_entity makes them):
- the plan-size check (`guard`): a plan that would overwrite or remove much of what the target holds is
  refused until it is re-planned smaller or pushed with `force` (journaled);
- the fingerprint: given the fingerprint of the plan a person approved, a plan that drifted is refused."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime

from afas_mplus.errors import PushRefused
from afas_mplus.flows.base import Entity
from afas_mplus.runtime import Runtime
from afas_mplus.settings import GuardSettings
from reverse_etl.diff import PlanSummary, summarize


def destructive_counts(rt: Runtime, entity: Entity) -> dict[str, int]:
    """Changes to what the target holds: deactivations, deletes, and updates that overwrite a value it has. An
    update filling an empty field (null, '', 0: a relation's first price group or discount) overwrites nothing."""
    spec = entity.spec(rt.settings)
    # trim(x, '0.') is '' for '', '0', '0.00': the target's "nothing set"
    overwrites = (
        " or ".join(
            f"(strpos(',' || changed_fields || ',', ',{f},') > 0 and trim(cast({f}__current as varchar), '0.') <> '')"
            for f in spec.compared_on_update
        )
        or "false"
    )
    row = rt.warehouse.query(
        f"select count(*) filter (where action = 'update' and ({overwrites})) as update, "
        f"count(*) filter (where action = 'deactivate') as deactivate, "
        f"count(*) filter (where action = 'delete') as delete from {spec.table}"
    )[0]
    return {k: int(v or 0) for k, v in row.items()}


def guard_reason(
    entity: Entity,
    summary: PlanSummary,
    destructive: Mapping[str, int],
    target_rows: int,
    settings: GuardSettings,
) -> str | None:
    """Why a push of this plan must wait for a person, or None. `destructive`: `destructive_counts`."""
    if not entity.guarded:
        return None
    n = sum(destructive.values())
    if n <= settings.min_changes:
        return None
    share = n / max(target_rows, 1)
    if share <= settings.max_change_share:
        return None
    needed = min(1.0, math.ceil(share * 100) / 100)
    parts = ", ".join(f"{v} {k}s" for k, v in destructive.items() if v)
    return (
        f"{summary.flow}/{summary.entity}: the plan would overwrite or remove {n} of the {target_rows} records "
        f"the target holds ({share:.0%}: {parts}), more than guard.max_change_share "
        f"({settings.max_change_share:.0%}). Read it with `afas-mplus plan {summary.flow}`; to allow it, set "
        f"guard.max_change_share to {needed:g} (GUARD_MAX_CHANGE_SHARE={needed:g}) or push this plan once "
        f"with `afas-mplus apply {summary.flow} --force`."
    )


def target_rows(rt: Runtime, entity: Entity) -> int:
    return int(rt.warehouse.scalar(f"select count(*) from {entity.spec(rt.settings).current}") or 0)


def blocked_reason(rt: Runtime, entity: Entity, summary: PlanSummary) -> str | None:
    """The plan-size check of the plan table as it stands."""
    if not entity.guarded or not summary.changes:
        return None
    return guard_reason(
        entity, summary, destructive_counts(rt, entity), target_rows(rt, entity), rt.settings.guard
    )


def check_push(
    rt: Runtime, entity: Entity, *, expected_fingerprint: str | None = None, force: bool = False
) -> PlanSummary:
    """The plan table as it stands, if it may be pushed; `PushRefused` if not. Read from the table, not
    from whoever planned it: a push-only run (Dagster) is checked exactly like a sync."""
    spec = entity.spec(rt.settings)
    summary = summarize(rt.warehouse, spec)
    label = f"{spec.flow}/{spec.entity}"
    if expected_fingerprint is not None and expected_fingerprint != summary.fingerprint:
        raise PushRefused(
            "drifted",
            f"{label}: the data changed since the plan was shown (fingerprint "
            f"{summary.fingerprint}, approved {expected_fingerprint}). Nothing was "
            f"sent; read the plan again (`afas-mplus plan {spec.flow}`) and approve that.",
        )
    reason = blocked_reason(rt, entity, summary)
    if reason and not force:
        raise PushRefused("blocked", reason)
    if reason:
        rt.journal.write_run(
            rt.run_id,
            spec.flow,
            f"force {spec.entity}",
            "forced",
            summary.changes,
            {"reason": reason, "fingerprint": summary.fingerprint},
            datetime.now(UTC),
        )
    return summary
