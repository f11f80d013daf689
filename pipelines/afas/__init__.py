"""AFAS Profit GetConnectors into `staging.afas_*` with dlt.

resources.py  what is loaded: one declaration per staging table (AFAS_RESOURCES, resources_from_config)
hints.py      column types from a connector's metainfo
helpers.py    the reader: pages through the async client, renames, reads by key within the query limit
source.py     the dlt source, built in a loop from the declarations
keys.py       key sweeps and key scans: deleted rows out, new keys in whatever their ModifiedDate
extract.py    one run of it all (AfasExtract), from plain values
"""

from pipelines.afas.extract import AfasExtract
from pipelines.afas.resources import (
    AFAS_RESOURCES,
    AfasResource,
    AfasResourceError,
    resource_from_config,
    resources_from_config,
)

__all__ = [
    "AFAS_RESOURCES",
    "AfasExtract",
    "AfasResource",
    "AfasResourceError",
    "resource_from_config",
    "resources_from_config",
]
