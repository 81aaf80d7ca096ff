"""squall's own plugins, registered through the same entry point as anyone else's.

Each family package lists its built-ins in a ``BUILTIN`` table (name -> "module:Class")
in its ``__init__``; nothing is imported until a plugin is used.
"""

from __future__ import annotations

import importlib

from squall.plugins.families import Family
from squall.plugins.registry import Registry

FAMILY_PACKAGES: dict[Family, str] = {
    Family.SCENARIO: "squall.scenarios",
    Family.RUNNER: "squall.runners",
    Family.CONTEXT: "squall.contexts",
    Family.SLA: "squall.sla",
    Family.TRIGGER: "squall.hooks.triggers",
    Family.HOOK: "squall.hooks.actions",
    Family.EXPORTER: "squall.reports.exporters",
    Family.TOOL: "squall.dataplane.tools",
    Family.DISRUPTOR: "squall.disruptors",
    Family.MONITOR: "squall.monitors",
}


def register(registry: Registry) -> None:
    """Entry point ``squall.plugins: builtin``."""
    for family, package in FAMILY_PACKAGES.items():
        try:
            table: dict[str, str] = importlib.import_module(package).BUILTIN
        except ModuleNotFoundError:
            continue
        for name, target in table.items():
            registry.add(family, name, target, origin="squall")
