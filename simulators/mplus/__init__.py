"""Faithful local stand-in of the MplusKASSA QAPI (SOAP "MplusQapi"), seeded from the demo catalog."""

from simulators.mplus.app import create_app
from simulators.mplus.config import MplusSimConfig
from simulators.mplus.state import MplusState

__all__ = ["MplusSimConfig", "MplusState", "create_app"]
