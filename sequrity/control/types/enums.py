"""`EndpointType` under the official SDK's import path ``sequrity.control.types.enums``."""

from __future__ import annotations

from .._enums import EndpointType as EndpointType

__all__ = ["EndpointType"]
