"""The one door to openstacksdk: imported on first use, with a clear error if missing.

openstacksdk is the ``openstack`` extra (``pip install 'squall[openstack]'``), so
``squall`` runs Dummy tasks, reports and the server without it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from squall.errors import ConfigError


def _load(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            "OpenStack support needs openstacksdk, which is not installed",
            hint="pip install 'squall[openstack]'",
        ) from None


def connection_module() -> ModuleType:
    """``openstack.connection``."""
    return _load("openstack.connection")


def config_module() -> ModuleType:
    """``openstack.config``."""
    return _load("openstack.config")


def exceptions_module() -> ModuleType:
    """``openstack.exceptions``."""
    return _load("openstack.exceptions")
