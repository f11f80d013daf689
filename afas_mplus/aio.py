"""The blocking portal moved to `connectors.aio` (the layer every other one may import); kept for old imports."""

from connectors.aio import Portal

__all__ = ["Portal"]
