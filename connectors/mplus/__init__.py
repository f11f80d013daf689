"""MplusKASSA (MplusQapi SOAP) connector: codec (``soap``), generated type table (``xsd_types``), typed
records (``models``), exact money helpers (``money``) and the async client (``client``)."""

from .client import MplusClient
from .errors import (
    MplusAuthError,
    MplusError,
    MplusFaultError,
    MplusRecordError,
    MplusResultError,
    MplusTransportError,
)
from .models import Batch

__all__ = [
    "Batch",
    "MplusAuthError",
    "MplusClient",
    "MplusError",
    "MplusFaultError",
    "MplusRecordError",
    "MplusResultError",
    "MplusTransportError",
]
