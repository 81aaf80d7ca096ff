"""The plugin machinery (not the plugins): families, registry, loading."""

from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.plugins.registry import PluginInfo, Registry

__all__ = ["Family", "Plugin", "PluginInfo", "Registry"]
