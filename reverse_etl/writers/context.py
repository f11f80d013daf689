"""What a writer is given: the API clients, the warehouse (for lookups), the journal and the settings.

A protocol, so reverse_etl never imports the application that builds it (afas_mplus.runtime.Runtime is one).
"""

from __future__ import annotations

from typing import Any, Protocol

from connectors.afas.client import AfasClient
from connectors.mplus.client import MplusClient
from staging.warehouse import Warehouse


class WriterContext(Protocol):
    afas: AfasClient
    mplus: MplusClient
    warehouse: Warehouse
    journal: Any
    settings: Any  # the application's settings object; writers read their flow's section
