"""Fill a registry from the ``squall.plugins`` entry-point group and plugin folders."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from squall.errors import PluginError
from squall.plugins.base import Plugin
from squall.plugins.registry import Registry

GROUP = "squall.plugins"


def load_registry(plugin_paths: Iterable[Path] = ()) -> Registry:
    """A registry with every installed plugin plus those found in ``plugin_paths``."""
    registry = Registry()
    eps = sorted(entry_points(group=GROUP), key=lambda ep: (ep.name != "builtin", ep.name))
    if not any(ep.name == "builtin" for ep in eps):
        # Running from a source tree that was never installed: register built-ins directly.
        from squall.plugins import builtin

        builtin.register(registry)
    for ep in eps:
        try:
            hook: Callable[[Registry], None] = ep.load()
        except Exception as exc:  # any error inside a third-party plugin package
            raise PluginError(
                f"plugin package {ep.value!r} (entry point {ep.name!r}) failed to load: {exc}"
            ) from exc
        hook(registry)
    for path in plugin_paths:
        load_folder(registry, path)
    return registry


def load_folder(registry: Registry, folder: Path) -> None:
    """Import every ``*.py`` module in ``folder`` and register its plugins.

    A module may define ``register(registry)``; otherwise every plugin class it
    defines itself (with a ``name``) is registered.
    """
    if not folder.is_dir():
        raise PluginError(f"plugin path {folder} is not a directory")
    for file in sorted(folder.glob("*.py")):
        if file.name.startswith("_"):
            continue
        module = _import_file(file)
        hook = getattr(module, "register", None)
        if callable(hook):
            hook(registry)
            continue
        for value in vars(module).values():
            if _is_own_plugin(value, module.__name__):
                registry.add_class(value, origin=str(file))


def _is_own_plugin(value: object, module_name: str) -> bool:
    return (
        isinstance(value, type)
        and issubclass(value, Plugin)
        and value.__module__ == module_name
        and "name" in vars(value)
    )


def _import_file(file: Path) -> ModuleType:
    module_name = f"squall_user_plugins.{file.stem}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot import plugin module {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # user code: report whatever it raised
        del sys.modules[module_name]
        raise PluginError(f"plugin module {file} failed to import: {exc}") from exc
    return module
