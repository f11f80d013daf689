"""A faithful local stand-in for the AFAS Profit REST API (GetConnectors, UpdateConnectors, metainfo)."""

from .app import auth_header, create_app
from .config import DEMO_TOKEN_DATA, AfasSimConfig
from .state import AfasState

__all__ = ["DEMO_TOKEN_DATA", "AfasSimConfig", "AfasState", "auth_header", "create_app"]
