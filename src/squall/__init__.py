"""squall: measure an OpenStack cloud's control plane, data plane and resilience."""

from __future__ import annotations

__version__ = "0.1.0"
