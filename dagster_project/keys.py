"""The asset keys, one definition for the assets, the checks, the CLI's reports to Dagster and the alerts."""

from __future__ import annotations

from dagster import AssetKey

from afas_mplus.flows import Entity, Flow


def staging_key(flow: Flow, side: str) -> AssetKey:
    return AssetKey(["staging", f"{flow.name}_{side}"])


def model_key(name: str, flow: Flow | None = None) -> AssetKey:
    """A model's asset. A shared staging model (`stg_<source>__<entity>`, transforms/models/staging) runs in each
    flow that reads it: one asset per flow, so two flows' model assets never claim one key."""
    if flow is not None and name.startswith("stg_") and "__" in name:
        return AssetKey(["transforms", f"{flow.name}_{name}"])
    return AssetKey(["transforms", name])


def plan_key(flow: Flow, entity: Entity) -> AssetKey:
    return AssetKey(["plan", f"{flow.name}_{entity.name}_plan"])


def push_key(flow: Flow, entity: Entity) -> AssetKey:
    return AssetKey(["push", f"{flow.name}_{entity.name}_push"])
