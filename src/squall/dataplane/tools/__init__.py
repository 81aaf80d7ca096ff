"""Data-plane tools: one per module, each a pure ``build_command()`` + ``parse()``.

``BUILTIN`` maps the names plans use to "module:Class" (the plugin registry's table).
"""

from __future__ import annotations

import importlib

from squall.dataplane.tools.base import Tool
from squall.errors import ConfigError
from squall.plugins.registry import did_you_mean

BUILTIN: dict[str, str] = {
    "http": "squall.dataplane.tools.http:Http",
    "iperf3": "squall.dataplane.tools.iperf3:Iperf3",
    "ping": "squall.dataplane.tools.ping:Ping",
    "fio": "squall.dataplane.tools.fio:Fio",
}


def make_tool(name: str, custom_tests: str | None = None) -> Tool:
    """A tool instance: a built-in one, or a custom test of the plan's folder."""
    if name in BUILTIN or custom_tests is None:
        return get_tool(name)()
    from squall.dataplane.tools.custom import Custom

    return Custom(name)


def get_tool(name: str) -> type[Tool]:
    target = BUILTIN.get(name)
    if target is None:
        hint = did_you_mean(name, list(BUILTIN)) or f"known tools: {', '.join(BUILTIN)}"
        raise ConfigError(f"unknown data-plane tool {name!r}", hint=hint)
    module, _, attr = target.partition(":")
    tool: type[Tool] = getattr(importlib.import_module(module), attr)
    return tool
